/* Crashes (issue 11): cw-crash-child runs a long import, merge or .qdpx
 * import and kills itself with SIGKILL at the Nth write SQLite makes (a
 * counter in a VFS shim, not a timer). After every kill the project must
 * pass PRAGMA integrity_check when opened with plain SQLite (its own
 * recovery, not ours) and hold either all of the operation or none of it:
 * none is the project byte for byte as before, all is what a run without a
 * kill left. A .qdpx import leaves either nothing at the destination or
 * the whole project, and what a kill left behind does not stop the next
 * attempt. */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-refi.h"
#include "cw-test-util.h"

/* Kill points per operation: enough to hit every phase (opening, the
 * transaction, the commit, the checkpoint and close) while the whole test
 * stays within a minute; fewer under the sanitizers, 3-5 times slower. */
#if defined(__SANITIZE_ADDRESS__)
#define MAX_KILL_POINTS 16
#else
#define MAX_KILL_POINTS 40
#endif
/* Always tried: the first and the last few counts. */
#define EDGE_POINTS 4

#define N_IMPORT_FILES 20

typedef struct
{
  char *dir;
  char *child;
} Fixture;

static const char *const sentences[] = {
  "Ik wilde eigenlijk naar de bakkerij, maar daar was geen plek.",
  "De jobcoach kwam elke week langs op de werkplek.",
  "Op tijd komen vond ik het moeilijkste van de hele stage.",
  "Mijn moeder heeft me geholpen met de sollicitatiebrief.",
  "Bij de groenvoorziening mocht ik na drie maanden blijven.",
  "Het entreeonderwijs in Tilburg sloot goed aan op wat ik kon.",
  "Soms snapte ik de opdrachten niet en durfde ik niets te vragen.",
  "De werkgever gaf me een tweede kans na het verzuim in de winter.",
  "Met de praktijkschool hebben we een plan gemaakt voor na de zomer.",
  "Ik verdien nu mijn eigen geld en dat voelt goed.",
  "Het busvervoer naar het bedrijf kostte elke dag anderhalf uur.",
  "Mijn mentor zei dat ik beter moest plannen, en dat klopte wel.",
};

static const char *const respondents[] = { "Jongere", "Jobcoach", "Mentor" };

/* A transcript of some 9 KB with speaker turns; index makes it unique. */
static char *
transcript (guint index)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (index + 1);
  GString *text = g_string_new (NULL);

  for (guint turn = 0; turn < 60; turn++)
    {
      guint n = 1 + (guint) g_rand_int_range (rand, 0, 4);

      g_string_append_printf (text, "%s: ",
                              turn % 2 == 0 ? "Interviewer" : respondents[g_rand_int_range (rand, 0, 3)]);
      for (guint i = 0; i < n; i++)
        g_string_append_printf (text, "%s ", sentences[g_rand_int_range (rand, 0, G_N_ELEMENTS (sentences))]);
      g_string_append_printf (text, "(gesprek %u, beurt %u)\n", index, turn);
    }
  return g_string_free (text, FALSE);
}

static GFile *
write_transcript (const char *dir,
                  guint       index)
{
  g_autofree char *name = g_strdup_printf ("interview-%03u.txt", index);
  g_autofree char *text = transcript (index);

  return cw_test_write_file (dir, name, text);
}

static void
remove_project (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

static void
copy_project (const char *from,
              const char *to)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) copy = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  remove_project (to);
  g_file_copy (source, copy, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

typedef enum
{
  CHILD_FINISHED,
  CHILD_KILLED,
} ChildEnd;

/* Runs the child with kill point n (0: none) on args (NULL-terminated).
 * Returns how it ended; *total gets its count of writes when it finished. */
static ChildEnd
run_child (Fixture            *f,
           gint64              n,
           gint64             *total,
           const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_ptr_array_add (argv, g_strdup (f->child));
  g_ptr_array_add (argv, g_strdup_printf ("%" G_GINT64_FORMAT, n));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);

  if (WIFSIGNALED (status))
    {
      g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
      return CHILD_KILLED;
    }
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("cw-crash-child %" G_GINT64_FORMAT " %s failed (status %d): %s", n, args[0], status, err);
  g_assert_true (g_str_has_prefix (out, "writes "));
  /* No warning, and nothing from the sanitizers. */
  g_assert_cmpstr (err, ==, "");
  if (total != NULL)
    *total = g_ascii_strtoll (out + strlen ("writes "), NULL, 10);
  return CHILD_FINISHED;
}

/* 1..total, or with a stride when that is more than max: the first and
 * the last EDGE_POINTS always, the rest spread evenly between them. */
static GArray *
kill_points (gint64 total,
             guint  max)
{
  GArray *points = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 inner_first = EDGE_POINTS + 1;
  gint64 inner_last = total - EDGE_POINTS; /* inclusive */
  guint inner = max - 2 * EDGE_POINTS;

  if (total <= max)
    {
      for (gint64 n = 1; n <= total; n++)
        g_array_append_val (points, n);
      return points;
    }
  for (gint64 n = 1; n <= EDGE_POINTS; n++)
    g_array_append_val (points, n);
  for (guint i = 0; i < inner; i++)
    {
      gint64 n = inner_first + (inner_last - inner_first) * (gint64) i / MAX (inner - 1, 1);

      if (points->len == 0 || n > g_array_index (points, gint64, points->len - 1))
        g_array_append_val (points, n);
    }
  for (gint64 n = inner_last + 1; n <= total; n++)
    g_array_append_val (points, n);
  return points;
}

/* Opened with plain SQLite, which recovers a WAL left by the kill: the
 * file, its foreign keys and its search index are sound. */
static void
assert_sound (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpstr (cw_test_sql_text (db, "PRAGMA integrity_check"), ==, "ok");
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO document_index (document_index) VALUES ('integrity-check')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* What a user has in the project, without GUIDs, row ids and times (a new
 * import makes new ones): documents with a checksum of their texts,
 * codes, coders, and the number of rows in every table. Read through the
 * core, as the application would after the crash. */
static char *
project_state (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_auto(GStrv) coders = NULL;
  GString *state = g_string_new (NULL);
  CwProject *project;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  project = cw_project_open (path, &error);
  g_assert_no_error (error);
  documents = cw_project_list_documents (project, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < documents->len; i++)
    {
      CwDocumentInfo *info = documents->pdata[i];
      g_autofree char *text = cw_project_get_text (project, info->id, &error);
      g_autofree char *speakers = g_strjoinv ("|", info->speakers);
      g_autofree char *sum = NULL;

      g_assert_no_error (error);
      sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
      g_string_append_printf (state, "document %s kind %d characters %" G_GINT64_FORMAT " turns %u speakers %s text %s\n",
                              info->name, info->kind, info->characters, info->n_turns, speakers, sum);
    }
  codes = cw_project_list_codes (project, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < codes->len; i++)
    {
      CwCode *code = codes->pdata[i];

      g_string_append_printf (state, "code %s codable %d codings %u\n", code->path, code->codable, code->n_codings);
    }
  coders = cw_project_list_coders (project, &error);
  g_assert_no_error (error);
  for (guint i = 0; coders[i] != NULL; i++)
    g_string_append_printf (state, "coder %s\n", coders[i]);
  g_assert_finalize_object (project);

  /* Read-write: closing it removes the WAL, as the application's would. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                                       " ORDER BY name", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (stmt, 0);
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM \"%s\"", table);

      g_string_append_printf (state, "table %s rows %" G_GINT64_FORMAT "\n", table, cw_test_sql_int (db, sql));
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  return g_string_free (state, FALSE);
}

/* The project as a copy of the example, opened once by the core (so the
 * comparison with its state after a crash is not upset by that). */
static char *
prepare_base (Fixture    *f,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  char *path = cw_test_copy_example (f->dir, name);
  CwProject *project = cw_project_open (path, &error);

  g_assert_no_error (error);
  g_assert_finalize_object (project);
  return path;
}

/* Either none of it (byte for byte as before) or all of it. */
typedef struct
{
  const char *operation;
  char       *before_dump;  /* NULL: nothing was there before */
  char       *before_state;
  char       *after_state;
  guint       n_none;
  guint       n_all;
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_free (o->before_dump);
  g_free (o->before_state);
  g_free (o->after_state);
}

static void
assert_state (const Outcome *o,
              const char    *state,
              gint64         n)
{
  if (!g_str_equal (state, o->after_state))
    g_error ("%s killed at write %" G_GINT64_FORMAT ": the project holds part of the operation:\n%s\n"
             "instead of all of it:\n%s", o->operation, n, state, o->after_state);
}

/* After the kill at write n. */
static void
check_project (Outcome    *o,
               const char *path,
               gint64      n)
{
  g_autofree char *state = NULL;

  assert_sound (path);
  state = project_state (path);
  if (o->before_state != NULL && g_str_equal (state, o->before_state))
    {
      g_autofree char *dump = cw_test_dump (path);

      g_assert_cmpstr (dump, ==, o->before_dump);
      o->n_none++;
      return;
    }
  assert_state (o, state, n);
  o->n_all++;
}

static void
report (const Outcome *o,
        gint64         total,
        guint          tried)
{
  g_test_message ("%s: %" G_GINT64_FORMAT " writes; killed at %u of them: %u left none of it, %u all of it",
                  o->operation, total, tried, o->n_none, o->n_all);
  /* Kills before and after the commit: otherwise the points missed it. */
  g_assert_cmpuint (o->n_none, >, 0);
  g_assert_cmpuint (o->n_all, >, 0);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = cw_test_make_dir ();
  f->child = g_test_build_filename (G_TEST_BUILT, "cw-crash-child", NULL);
  g_assert_true (g_file_test (f->child, G_FILE_TEST_IS_EXECUTABLE));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cw_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->child);
}

/* codewerk-cli import P F1 ... F20: one transaction for all files. */
static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *base = prepare_base (f, "base.codewerk");
  g_autofree char *project = g_build_filename (f->dir, "project.codewerk", NULL);
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) points = NULL;
  Outcome o = { "import", NULL, NULL, NULL, 0, 0 };
  gint64 total = 0;

  g_ptr_array_add (args, g_strdup ("import"));
  g_ptr_array_add (args, g_strdup (project));
  for (guint i = 0; i < N_IMPORT_FILES; i++)
    {
      g_autoptr(GFile) file = write_transcript (f->dir, i);

      g_ptr_array_add (args, g_file_get_path (file));
    }
  g_ptr_array_add (args, NULL);

  o.before_dump = cw_test_dump (base);
  o.before_state = project_state (base);

  copy_project (base, project);
  g_assert_cmpint (run_child (f, 0, &total, (const char * const *) args->pdata), ==, CHILD_FINISHED);
  g_assert_cmpint (total, >, 0);
  o.after_state = project_state (project);
  g_assert_cmpstr (o.after_state, !=, o.before_state);

  points = kill_points (total, MAX_KILL_POINTS);
  for (guint i = 0; i < points->len; i++)
    {
      gint64 n = g_array_index (points, gint64, i);

      copy_project (base, project);
      run_child (f, n, NULL, (const char * const *) args->pdata);
      check_project (&o, project, n);
    }
  report (&o, total, points->len);
  outcome_clear (&o);
}

/* Bram's copy of the example: six more interviews, two more codes and his
 * codings, on those and on the example's own documents. */
static char *
make_other_copy (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) documents = NULL;
  g_autofree char *sub = g_build_filename (f->dir, "bram", NULL);
  char *path = cw_test_copy_example (f->dir, "bram.codewerk");
  CwProject *project = cw_project_open (path, &error);
  gint64 codes[2];

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  for (guint i = 0; i < 6; i++)
    g_ptr_array_add (files, write_transcript (sub, 100 + i));
  g_array_unref (cw_project_import (project, files, -1, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  codes[0] = cw_project_add_code (project, "Crashtest/Doorzetten", NULL, NULL, &error);
  g_assert_no_error (error);
  codes[1] = cw_project_add_code (project, "Crashtest/Uitval", NULL, "Gestopt met de opleiding", &error);
  g_assert_no_error (error);

  documents = cw_project_list_documents (project, &error);
  g_assert_no_error (error);
  for (guint d = 0; d < documents->len; d++)
    {
      CwDocumentInfo *info = documents->pdata[d];

      for (guint c = 0; c < 5; c++)
        {
          gint64 start = info->characters * c / 6;

          cw_project_add_coding (project, info->id, codes[(d + c) % 2], start, start + 40, "Bram",
                                 c == 0 ? "Eerste indruk van Bram" : NULL, &error);
          g_assert_no_error (error);
        }
    }
  g_assert_finalize_object (project);
  return path;
}

/* codewerk-cli merge P OTHER: one transaction for the whole merge. */
static void
test_merge (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *base = prepare_base (f, "base.codewerk");
  g_autofree char *other = make_other_copy (f);
  g_autofree char *other_dump = cw_test_dump (other);
  g_autofree char *project = g_build_filename (f->dir, "project.codewerk", NULL);
  g_autoptr(GArray) points = NULL;
  const char *args[] = { "merge", project, other, NULL };
  Outcome o = { "merge", NULL, NULL, NULL, 0, 0 };
  gint64 total = 0;

  o.before_dump = cw_test_dump (base);
  o.before_state = project_state (base);

  copy_project (base, project);
  g_assert_cmpint (run_child (f, 0, &total, args), ==, CHILD_FINISHED);
  g_assert_cmpint (total, >, 0);
  o.after_state = project_state (project);
  g_assert_cmpstr (o.after_state, !=, o.before_state);

  points = kill_points (total, MAX_KILL_POINTS);
  for (guint i = 0; i < points->len; i++)
    {
      gint64 n = g_array_index (points, gint64, i);

      copy_project (base, project);
      run_child (f, n, NULL, args);
      check_project (&o, project, n);
    }
  /* The other coder's copy is only read. */
  {
    g_autofree char *dump = cw_test_dump (other);

    g_assert_cmpstr (dump, ==, other_dump);
  }
  report (&o, total, points->len);
  outcome_clear (&o);
}

/* Whatever is in dir besides the .qdpx and the project: what a kill left.
 * With age, their times are set two minutes back. */
static guint
count_leftovers (const char *dir,
                 const char *project_name,
                 gboolean    age)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  gint64 then = g_get_real_time () - 120 * G_USEC_PER_SEC;
  struct timeval times[2] = { { then / G_USEC_PER_SEC, 0 }, { then / G_USEC_PER_SEC, 0 } };
  const char *name;
  guint n = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_str_has_suffix (name, ".qdpx") || g_str_equal (name, project_name))
        continue;
      /* Never at the project's own name, with or without a suffix. */
      g_assert_false (g_str_has_prefix (name, project_name) && !g_str_has_prefix (name + strlen (project_name), ".importing-"));
      if (age)
        g_assert_cmpint (utimes (path, times), ==, 0);
      else
        g_test_message ("left after a kill: %s", name);
      n++;
    }
  return n;
}

/* codewerk-cli import-project P IN.qdpx: P appears complete or not at all. */
static void
test_import_project (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other = make_other_copy (f);
  g_autofree char *qdpx = g_build_filename (f->dir, "bram.qdpx", NULL);
  g_autofree char *sub = g_build_filename (f->dir, "import", NULL);
  g_autofree char *project = g_build_filename (sub, "new.codewerk", NULL);
  g_autoptr(GArray) points = NULL;
  const char *args[] = { "import-project", qdpx, project, NULL };
  Outcome o = { "import-project", NULL, NULL, NULL, 0, 0 };
  gint64 total = 0;
  guint retried = 0, left, max_left = 0;
  CwProject *source;

  source = cw_project_open (other, &error);
  g_assert_no_error (error);
  g_assert_true (cw_refi_export_project (source, qdpx, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (source);
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);

  g_assert_cmpint (run_child (f, 0, &total, args), ==, CHILD_FINISHED);
  g_assert_cmpint (total, >, 0);
  o.after_state = project_state (project);
  g_assert_cmpuint (count_leftovers (sub, "new.codewerk", FALSE), ==, 0);

  points = kill_points (total, MAX_KILL_POINTS);
  for (guint i = 0; i < points->len; i++)
    {
      gint64 n = g_array_index (points, gint64, i);
      g_autofree char *state = NULL;

      remove_project (project);
      run_child (f, n, NULL, args);
      if (g_file_test (project, G_FILE_TEST_EXISTS))
        {
          g_autoptr(GError) error_open = NULL;
          CwProject *opened = cw_project_open (project, &error_open);

          if (opened == NULL)
            g_error ("import-project killed at write %" G_GINT64_FORMAT ": left a file that is no project: %s",
                     n, error_open->message);
          g_assert_finalize_object (opened);
          check_project (&o, project, n);
          continue;
        }
      o.n_none++;
      /* What the kill left beside it does not block the next attempt,
       * which removes it once it is old enough not to be a running
       * import's (a minute without a change). */
      left = count_leftovers (sub, "new.codewerk", TRUE);
      g_assert_cmpint (run_child (f, 0, NULL, args), ==, CHILD_FINISHED);
      assert_sound (project);
      state = project_state (project);
      assert_state (&o, state, n);
      g_assert_cmpuint (count_leftovers (sub, "new.codewerk", FALSE), ==, 0);
      retried++;
      max_left = MAX (max_left, left);
    }
  g_test_message ("import-project: %u retries after a kill succeeded and removed what it left"
                  " (up to %u files)", retried, max_left);

  /* But not the file of an import that is still running (it holds a lock
   * on it), however old, nor a file that only looks alike. */
  {
    g_autoptr(GFile) running = cw_test_write_file (sub, "new.codewerk.importing-0badf00d", "SQLite format 3");
    g_autoptr(GFile) alike = cw_test_write_file (sub, "new.codewerk.importing-notes.txt", "aantekeningen");
    g_autofree char *running_path = g_file_get_path (running);
    int fd = g_open (running_path, O_RDONLY, 0);

    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (flock (fd, LOCK_EX | LOCK_NB), ==, 0);
    g_assert_cmpuint (count_leftovers (sub, "new.codewerk", TRUE), ==, 2);
    remove_project (project);
    g_assert_cmpint (run_child (f, 0, NULL, args), ==, CHILD_FINISHED);
    g_assert_true (g_file_query_exists (running, NULL));
    g_assert_true (g_file_query_exists (alike, NULL));
    close (fd);
  }
  report (&o, total, points->len);
  outcome_clear (&o);
}

/* Someone else's file appears at the destination while the import runs:
 * it is kept as it is, and the import fails without leaving anything. */
static void
write_destination (guint       done,
                   guint       total,
                   const char *name,
                   gpointer    data)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_test (data, G_FILE_TEST_EXISTS))
    {
      g_file_set_contents (data, "aantekeningen van Anna", -1, &error);
      g_assert_no_error (error);
    }
}

static void
test_import_project_taken (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *example = cw_test_copy_example (f->dir, "example.codewerk");
  g_autofree char *qdpx = g_build_filename (f->dir, "example.qdpx", NULL);
  g_autofree char *sub = g_build_filename (f->dir, "import", NULL);
  g_autofree char *project = g_build_filename (sub, "new.codewerk", NULL);
  g_autofree char *contents = NULL;
  CwProject *source = cw_project_open (example, &error);
  CwProject *imported;

  g_assert_no_error (error);
  g_assert_true (cw_refi_export_project (source, qdpx, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (source);
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);

  imported = cw_refi_import_project (qdpx, project, NULL, write_destination, project, NULL, &error);
  g_assert_null (imported);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, project));
  g_file_get_contents (project, &contents, NULL, NULL);
  g_assert_cmpstr (contents, ==, "aantekeningen van Anna");
  g_assert_cmpuint (count_leftovers (sub, "new.codewerk", FALSE), ==, 0);
}

/* codewerk-cli new P: killed at any write, P is either not there or a
 * project that opens, and the name is free for the next attempt. */
static void
test_new (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *sub = g_build_filename (f->dir, "new", NULL);
  g_autofree char *project = g_build_filename (sub, "leeg.codewerk", NULL);
  const char *args[] = { "new", project, NULL };
  g_autoptr(GArray) points = NULL;
  gint64 total = 0;
  guint none = 0, all = 0;

  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  g_assert_cmpint (run_child (f, 0, &total, args), ==, CHILD_FINISHED);
  g_assert_cmpint (total, >, 0);
  points = kill_points (total, MAX_KILL_POINTS);
  for (guint i = 0; i < points->len; i++)
    {
      gint64 n = g_array_index (points, gint64, i);
      g_autoptr(GError) error = NULL;
      CwProject *opened;

      remove_project (project);
      g_assert_cmpint (run_child (f, n, NULL, args), ==, CHILD_KILLED);
      if (g_file_test (project, G_FILE_TEST_EXISTS))
        {
          opened = cw_project_open (project, &error);
          if (opened == NULL)
            g_error ("new killed at write %" G_GINT64_FORMAT ": left a file that is no project: %s",
                     n, error->message);
          g_assert_finalize_object (opened);
          all++;
          continue;
        }
      none++;
      /* The name is not blocked. */
      g_assert_cmpint (run_child (f, 0, NULL, args), ==, CHILD_FINISHED);
      opened = cw_project_open (project, &error);
      g_assert_no_error (error);
      g_assert_finalize_object (opened);
    }
  g_assert_cmpuint (none, >, 0);
  g_test_message ("new: %" G_GINT64_FORMAT " writes; killed at each: %u none, %u all", total, none, all);
}

int
main (int    argc,
      char **argv)
{
  /* A kill loses nothing the kernel has (fsync matters for power cuts,
   * not here): memory-backed folders keep the 200-odd runs quick. */
  if (g_getenv ("TMPDIR") == NULL && g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && access ("/dev/shm", W_OK) == 0)
    g_setenv ("TMPDIR", "/dev/shm", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/crash/import", Fixture, NULL, fixture_set_up, test_import, fixture_tear_down);
  g_test_add ("/crash/merge", Fixture, NULL, fixture_set_up, test_merge, fixture_tear_down);
  g_test_add ("/crash/import-project", Fixture, NULL, fixture_set_up, test_import_project, fixture_tear_down);
  g_test_add ("/crash/new", Fixture, NULL, fixture_set_up, test_new, fixture_tear_down);
  g_test_add ("/crash/import-project-taken", Fixture, NULL, fixture_set_up, test_import_project_taken,
              fixture_tear_down);
  return g_test_run ();
}
