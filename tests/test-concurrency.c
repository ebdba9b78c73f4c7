/* test-concurrency.c: several programs on one project file at once (issue
 * 11): codewerk-cli processes coding while two CwProject objects of this
 * process code in between, a file that is busy when it is opened, a write
 * that has to wait for another writer, noticing other programs' commits
 * (and not our own), and undo when rows were changed behind the history's
 * back.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-history.h"
#include "cw-test-util.h"

#define N_LANES 3
/* Each command is a process; under ASan each starts several times slower,
 * and fewer of them still interleave with the in-process writers. */
#if defined(__SANITIZE_ADDRESS__)
#define N_PER_LANE 30
#else
#define N_PER_LANE 100
#endif

/* A long enough transcript: every coding below gets its own range. */
static GFile *
write_transcript (const char *dir)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < 120; i++)
    g_string_append_printf (text, "Jongere: Op mijn stage bij de bakkerij leerde ik elke dag iets nieuws (%u).\n", i);
  return cw_test_write_file (dir, "interview-bakkerij.txt", text->str);
}

typedef struct
{
  char      *dir;
  char      *path;
  CwProject *project;
  gint64     document;
  gint64     characters;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(CwDocumentInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = cw_test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "samen.codewerk", NULL);
  fixture->project = cw_project_create (fixture->path, "Samen", &error);
  g_assert_no_error (error);
  g_ptr_array_add (files, write_transcript (fixture->dir));
  ids = cw_project_import (fixture->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  fixture->document = g_array_index (ids, gint64, 0);
  info = cw_project_get_document_info (fixture->project, fixture->document, &error);
  g_assert_no_error (error);
  fixture->characters = info->characters;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->project);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gint64
sql_int (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  value = cw_test_sql_int (db, sql);
  sqlite3_close (db);
  return value;
}

/* Every row but the undo history's. */
static char *
data_dump (const char *path)
{
  g_autofree char *dump = cw_test_dump (path);
  g_auto(GStrv) lines = g_strsplit (dump, "\n", -1);
  GString *data = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (!g_str_has_prefix (lines[i], "history"))
      g_string_append_printf (data, "%s\n", lines[i]);
  return g_string_free (data, FALSE);
}

static gint64
codings_of (const char *path,
            const char *code)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM codings c JOIN codes k ON k.id = c.code_id"
                                          " WHERE k.name = '%s'", code);

  return sql_int (path, sql);
}

/* ---- codewerk-cli processes and this process writing at once ---- */

typedef struct
{
  const char *path;
  guint       lane;     /* 1 .. N_LANES */
  guint       next;     /* the next command's number */
  guint       failed;
  GString    *errors;
  guint      *running;  /* lanes not finished yet */
} Lane;

static void lane_start_next (Lane *lane);

static void
lane_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Lane *lane = data;
  g_autoptr(GSubprocess) process = G_SUBPROCESS (source);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (process, result, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0 ||
      (err != NULL && err[0] != '\0'))
    {
      lane->failed++;
      g_string_append (lane->errors, err != NULL ? err : "(killed)\n");
    }
  lane->next++;
  lane_start_next (lane);
}

/* One command after the other in each lane, the lanes side by side. */
static void
lane_start_next (Lane *lane)
{
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *code = NULL;
  g_autofree char *coder = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  if (lane->next == N_PER_LANE)
    {
      (*lane->running)--;
      return;
    }
  start = g_strdup_printf ("%u", lane->next * 7);
  end = g_strdup_printf ("%u", lane->next * 7 + 5);
  code = g_strdup_printf ("Lane %u", lane->lane);
  coder = g_strdup_printf ("cli-%u", lane->lane);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              g_getenv ("CODEWERK_CLI"), "code", lane->path, "interview-bakkerij.txt",
                              start, end, code, "--coder", coder, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, lane_done_cb, lane);
}

typedef struct
{
  CwProject *writers[2];
  gint64     codes[2];
  gint64     document;
  gint64     characters;
  guint      added[2];
  guint      k;
  GArray    *waits;        /* double: seconds each in-process write took */
  guint      seen_outside; /* external changes from another program */
} Writers;

static void
outside_cb (CwProject *project,
            gboolean   other_program,
            Writers   *writers)
{
  if (other_program)
    writers->seen_outside++;
}

/* Between the CLI's commands, each object codes in turn; the second one
 * also looks for outside commits, as the window does. */
static gboolean
write_in_process_cb (gpointer data)
{
  Writers *writers = data;
  guint which = writers->k % 2;
  guint span = (guint) writers->characters - 20;
  gint64 start = writers->k % span;
  gint64 end = start + 1 + writers->k / span;
  g_autoptr(GError) error = NULL;
  gint64 before = g_get_monotonic_time ();
  double took;
  gint64 id;

  id = cw_project_add_coding (writers->writers[which], writers->document, writers->codes[which],
                              start, end, which == 0 ? "in-a" : "in-b", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  took = (g_get_monotonic_time () - before) / (double) G_USEC_PER_SEC;
  g_array_append_val (writers->waits, took);
  writers->added[which]++;
  writers->k++;
  cw_project_poll_external_change (writers->writers[1]);
  return G_SOURCE_CONTINUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
test_cli_and_objects_write_at_once (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(CwProject) second = NULL;
  g_autoptr(GError) error = NULL;
  Lane lanes[N_LANES];
  Writers writers = { 0 };
  guint running = N_LANES;
  guint timer;
  double median, worst;

  for (guint i = 0; i < N_LANES; i++)
    {
      g_autofree char *code = g_strdup_printf ("Lane %u", i + 1);

      cw_project_add_code (fixture->project, code, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  writers.codes[0] = cw_project_add_code (fixture->project, "In A", NULL, NULL, &error);
  g_assert_no_error (error);
  writers.codes[1] = cw_project_add_code (fixture->project, "In B", NULL, NULL, &error);
  g_assert_no_error (error);

  /* Two objects on the file, as two windows would have. */
  second = cw_project_open (fixture->path, &error);
  g_assert_no_error (error);
  writers.writers[0] = fixture->project;
  writers.writers[1] = second;
  writers.document = fixture->document;
  writers.characters = fixture->characters;
  writers.waits = g_array_new (FALSE, FALSE, sizeof (double));
  g_signal_connect (second, "external-change", G_CALLBACK (outside_cb), &writers);
  g_assert_false (cw_project_poll_external_change (second));

  for (guint i = 0; i < N_LANES; i++)
    {
      lanes[i] = (Lane) { .path = fixture->path, .lane = i + 1, .errors = g_string_new (NULL), .running = &running };
      lane_start_next (&lanes[i]);
    }
  timer = g_timeout_add (5, write_in_process_cb, &writers);
  while (running > 0)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timer);

  /* Not one command failed, least of all with "database is locked". */
  for (guint i = 0; i < N_LANES; i++)
    {
      g_assert_cmpstr (lanes[i].errors->str, ==, "");
      g_assert_cmpuint (lanes[i].failed, ==, 0);
      g_string_free (lanes[i].errors, TRUE);
    }

  /* Every write is there. */
  for (guint i = 0; i < N_LANES; i++)
    {
      g_autofree char *code = g_strdup_printf ("Lane %u", i + 1);

      g_assert_cmpint (codings_of (fixture->path, code), ==, N_PER_LANE);
    }
  g_assert_cmpuint (writers.added[0] + writers.added[1], >, 0);
  g_assert_cmpint (codings_of (fixture->path, "In A"), ==, writers.added[0]);
  g_assert_cmpint (codings_of (fixture->path, "In B"), ==, writers.added[1]);
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    sqlite3_busy_timeout (db, 10000);
    g_assert_cmpstr (cw_test_sql_text (db, "PRAGMA integrity_check"), ==, "ok");
    sqlite3_close (db);
  }

  /* The second object saw the CLI's commits as another program's. */
  cw_project_poll_external_change (second);
  g_assert_cmpuint (writers.seen_outside, >, 0);

  /* How long a write in this process waited for the others: what the
   * window's main loop would have stalled. */
  g_array_sort (writers.waits, compare_doubles);
  median = g_array_index (writers.waits, double, writers.waits->len / 2);
  worst = g_array_index (writers.waits, double, writers.waits->len - 1);
  g_test_message ("%u CLI codings in %u lanes, %u in-process codings; in-process write: median %.1f ms,"
                  " worst %.1f ms; %u outside changes seen",
                  N_LANES * N_PER_LANE, N_LANES, writers.added[0] + writers.added[1], median * 1000, worst * 1000,
                  writers.seen_outside);
  g_array_unref (writers.waits);
  g_signal_handlers_disconnect_by_func (second, outside_cb, &writers);
  g_assert_finalize_object (g_steal_pointer (&second));
}

/* ---- noticing other programs' commits ---- */

typedef struct
{
  guint    n_external;
  guint    n_changed;
  gboolean other_program;
} Seen;

static void
seen_external_cb (CwProject *project,
                  gboolean   other_program,
                  Seen      *seen)
{
  seen->n_external++;
  seen->other_program = other_program;
}

static void
seen_changed_cb (CwProject *project,
                 Seen      *seen)
{
  seen->n_changed++;
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  GArray **ids = data;
  g_autoptr(GError) error = NULL;

  *ids = cw_project_import_finish (CW_PROJECT (source), result, &error);
  g_assert_no_error (error);
}

static void
test_poll_notices_others_not_itself (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_auto(CwCliResult) cli = { 0 };
  g_autoptr(CwProject) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  Seen seen = { 0 };
  sqlite3 *writer = NULL;
  gint64 before;

  g_signal_connect (fixture->project, "external-change", G_CALLBACK (seen_external_cb), &seen);
  g_signal_connect (fixture->project, "changed", G_CALLBACK (seen_changed_cb), &seen);

  /* Nothing yet; our own edits are not "outside". */
  g_assert_false (cw_project_poll_external_change (fixture->project));
  cw_project_add_code (fixture->project, "Eigen", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (cw_project_poll_external_change (fixture->project));
  g_assert_cmpuint (seen.n_external, ==, 0);

  /* The CLI reading changes nothing; the CLI writing is another program. */
  cli = cw_test_cli ("codes", fixture->path, "--json", NULL);
  g_assert_cmpint (cli.status, ==, 0);
  cw_cli_result_clear (&cli);
  g_assert_false (cw_project_poll_external_change (fixture->project));
  cli = cw_test_cli ("code-add", fixture->path, "Van buiten", NULL);
  g_assert_cmpint (cli.status, ==, 0);
  cw_cli_result_clear (&cli);
  seen.n_changed = 0;
  g_assert_true (cw_project_poll_external_change (fixture->project));
  g_assert_cmpuint (seen.n_external, ==, 1);
  g_assert_true (seen.other_program);
  g_assert_cmpuint (seen.n_changed, ==, 1); /* the views follow ::changed */
  g_assert_false (cw_project_poll_external_change (fixture->project));
  g_assert_cmpint (cw_project_lookup_code (fixture->project, "Van buiten", &error), >, 0);
  g_assert_no_error (error);

  /* Another object of this process (a second window): a change, but
   * perhaps our own. */
  other = cw_project_open (fixture->path, &error);
  g_assert_no_error (error);
  cw_project_add_code (other, "Tweede venster", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cw_project_poll_external_change (fixture->project));
  g_assert_cmpuint (seen.n_external, ==, 2);
  g_assert_false (seen.other_program);
  /* And the other way round. */
  g_assert_false (cw_project_poll_external_change (other));
  cw_project_add_code (fixture->project, "Eerste venster", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cw_project_poll_external_change (other));
  g_assert_false (cw_project_poll_external_change (other));
  g_assert_false (cw_project_poll_external_change (fixture->project));
  g_assert_finalize_object (g_steal_pointer (&other));

  /* Our own worker (an import in the background) is not another program. */
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "tweede.txt", "Interviewer: En nu?\nJongere: Nu werk ik.\n"));
  cw_project_import_async (fixture->project, files, -1, NULL, NULL, NULL, import_done_cb, &ids);
  while (ids == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (cw_project_poll_external_change (fixture->project));
  g_assert_cmpuint (seen.n_external, ==, 3);
  g_assert_false (seen.other_program);

  /* While another program holds the write lock, a poll answers at once. */
  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &writer, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (writer, "BEGIN IMMEDIATE; UPDATE project SET value = 'Anders' WHERE key = 'title'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  before = g_get_monotonic_time ();
  g_assert_false (cw_project_poll_external_change (fixture->project));
  g_assert_cmpint (g_get_monotonic_time () - before, <, G_USEC_PER_SEC / 2);
  g_assert_cmpint (sqlite3_exec (writer, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (writer);
  g_assert_true (cw_project_poll_external_change (fixture->project));
  g_assert_true (seen.other_program);
  g_assert_cmpuint (seen.n_external, ==, 4);

  /* Cheap enough to run every second on the window's main loop. */
  before = g_get_monotonic_time ();
  for (guint i = 0; i < 1000; i++)
    g_assert_false (cw_project_poll_external_change (fixture->project));
  g_test_message ("a poll that finds nothing: %.1f microseconds",
                  (g_get_monotonic_time () - before) / 1000.0);
  g_assert_cmpint (g_get_monotonic_time () - before, <, 5 * G_USEC_PER_SEC);

  g_signal_handlers_disconnect_by_func (fixture->project, seen_external_cb, &seen);
  g_signal_handlers_disconnect_by_func (fixture->project, seen_changed_cb, &seen);
}

/* ---- waiting for a busy file instead of failing ---- */

typedef struct
{
  sqlite3 *db;
  guint    delay_ms;
  gboolean commit; /* else close */
} Release;

static gpointer
release_later (gpointer data)
{
  Release *release = data;

  g_usleep (release->delay_ms * 1000);
  if (release->commit)
    g_assert_cmpint (sqlite3_exec (release->db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (release->db);
  return NULL;
}

/* Another program has the file locked for itself (as when the last
 * connection checkpoints while closing): opening waits rather than fails. */
static void
test_open_waits_for_busy_file (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(CwProject) second = NULL;
  g_autoptr(GError) error = NULL;
  Release release = { NULL, 400, FALSE };
  GThread *thread;
  gint64 before;

  /* Only a file nobody else has open can be locked exclusively. */
  g_assert_finalize_object (g_steal_pointer (&fixture->project));
  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &release.db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (release.db,
                                 "PRAGMA locking_mode = EXCLUSIVE;"
                                 "BEGIN IMMEDIATE; UPDATE project SET value = value WHERE key = 'title'; COMMIT;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  thread = g_thread_new ("release", release_later, &release);

  before = g_get_monotonic_time ();
  second = cw_project_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - before, >=, 300 * 1000);
  g_thread_join (thread);

  fixture->project = g_steal_pointer (&second);
}

/* A write waits for another program's write to end, then succeeds. */
static void
test_write_waits_for_writer (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Release release = { NULL, 500, TRUE };
  GThread *thread;
  gint64 code, before;

  code = cw_project_add_code (fixture->project, "Wachten", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &release.db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (release.db, "BEGIN IMMEDIATE; UPDATE project SET value = 'Bezet' WHERE key = 'title'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  thread = g_thread_new ("release", release_later, &release);

  before = g_get_monotonic_time ();
  g_assert_cmpint (cw_project_add_coding (fixture->project, fixture->document, code, 0, 10, NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - before, >=, 400 * 1000);
  g_thread_join (thread);
  g_assert_cmpint (codings_of (fixture->path, "Wachten"), ==, 1);
  g_assert_cmpint (sql_int (fixture->path, "SELECT count(*) FROM project WHERE value = 'Bezet'"), ==, 1);
}

/* Opening the project a second time in this process (a worker, a second
 * window) must not drop the locks of the first connection: if it did,
 * codewerk-cli would take itself for the last one on closing, checkpoint
 * and delete the WAL the first connection still uses. */
static void
test_second_open_keeps_locks (Fixture       *fixture,
                              gconstpointer  data)
{
  g_auto(CwCliResult) cli = { 0 };
  g_autoptr(CwProject) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);

  second = cw_project_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&second));

  cli = cw_test_cli ("code-add", fixture->path, "Van de CLI", NULL);
  g_assert_cmpint (cli.status, ==, 0);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  cw_project_add_code (fixture->project, "Daarna", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (fixture->path, "SELECT count(*) FROM codes"), ==, 2);
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpstr (cw_test_sql_text (db, "PRAGMA integrity_check"), ==, "ok");
    sqlite3_close (db);
  }
}

/* ---- undo with other programs ---- */

/* The history is the file's: undo takes back the newest step, whoever
 * made it. */
static void
test_undo_takes_newest_step (Fixture       *fixture,
                             gconstpointer  data)
{
  g_auto(CwCliResult) cli = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  gint64 code;

  code = cw_project_add_code (fixture->project, "Stage", NULL, NULL, &error);
  g_assert_no_error (error);
  cw_project_add_coding (fixture->project, fixture->document, code, 0, 7, NULL, NULL, &error);
  g_assert_no_error (error);
  cli = cw_test_cli ("code", fixture->path, "interview-bakkerij.txt", "10", "20", "Stage", "--coder", "cli", NULL);
  g_assert_cmpint (cli.status, ==, 0);
  g_assert_true (cw_project_poll_external_change (fixture->project));

  label = cw_project_get_undo_label (fixture->project);
  g_assert_nonnull (label);
  g_assert_true (cw_project_undo (fixture->project, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (fixture->path, "SELECT count(*) FROM codings WHERE start = 10"), ==, 0);
  g_assert_cmpint (sql_int (fixture->path, "SELECT count(*) FROM codings WHERE start = 0"), ==, 1);
  /* Redo puts the other program's coding back. */
  g_assert_true (cw_project_redo (fixture->project, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (fixture->path, "SELECT count(*) FROM codings WHERE start = 10"), ==, 1);
}

/* A program that keeps no history (an SQL tool, an older Codewerk)
 * deleted the row a step would put back: undo refuses, changes nothing,
 * and forgets the steps it can no longer trust. */
static void
test_undo_conflict_fails_cleanly (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3 *tool = NULL;
  gint64 kept, code;

  kept = cw_project_add_code (fixture->project, "Blijft", NULL, NULL, &error);
  g_assert_no_error (error);
  code = cw_project_add_code (fixture->project, "Werk", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cw_project_rename_code (fixture->project, code, "Werk en stage", &error));
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &tool, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (tool, 10000);
  g_assert_cmpint (sqlite3_exec (tool, "PRAGMA foreign_keys = ON; DELETE FROM codes WHERE name = 'Werk en stage'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (tool);

  before = data_dump (fixture->path);
  g_assert_true (cw_project_can_undo (fixture->project));
  g_assert_false (cw_project_undo (fixture->project, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, "another program changed the same data"));
  g_assert_nonnull (strstr (error->message, "nothing was undone"));
  g_clear_error (&error);

  /* The data is exactly as it was; the untrusted steps are gone, and the
   * project still takes edits and undoes them. */
  after = data_dump (fixture->path);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (sql_int (fixture->path, "SELECT count(*) FROM codes WHERE name = 'Blijft'"), ==, 1);
  g_assert_cmpint (sql_int (fixture->path, "SELECT count(*) FROM codes WHERE name LIKE 'Werk%'"), ==, 0);
  g_assert_false (cw_project_can_undo (fixture->project));
  g_assert_cmpint (cw_project_add_coding (fixture->project, fixture->document, kept, 0, 5, NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (cw_project_undo (fixture->project, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (fixture->path, "SELECT count(*) FROM codings"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/concurrency/cli-and-objects-write-at-once", Fixture, NULL, fixture_set_up,
              test_cli_and_objects_write_at_once, fixture_tear_down);
  g_test_add ("/concurrency/poll-notices-others-not-itself", Fixture, NULL, fixture_set_up,
              test_poll_notices_others_not_itself, fixture_tear_down);
  g_test_add ("/concurrency/open-waits-for-busy-file", Fixture, NULL, fixture_set_up,
              test_open_waits_for_busy_file, fixture_tear_down);
  g_test_add ("/concurrency/write-waits-for-writer", Fixture, NULL, fixture_set_up,
              test_write_waits_for_writer, fixture_tear_down);
  g_test_add ("/concurrency/second-open-keeps-locks", Fixture, NULL, fixture_set_up,
              test_second_open_keeps_locks, fixture_tear_down);
  g_test_add ("/concurrency/undo-takes-newest-step", Fixture, NULL, fixture_set_up,
              test_undo_takes_newest_step, fixture_tear_down);
  g_test_add ("/concurrency/undo-conflict-fails-cleanly", Fixture, NULL, fixture_set_up,
              test_undo_conflict_fails_cleanly, fixture_tear_down);

  return g_test_run ();
}
