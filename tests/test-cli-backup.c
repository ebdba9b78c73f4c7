/* test-cli-backup.c: backups, backup and restore as a user drives them,
 * on copies of the example project: no command but `backup` makes one; the
 * list and its JSON; restore by number and by path gives back the earlier
 * rows and says how to undo; failures exit 1 with one line and change
 * nothing. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cw-test-util.h"

typedef struct
{
  char *dir;
  char *path;
  char *folder;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = cw_test_make_dir ();
  f->path = cw_test_copy_example (f->dir, "studie.codewerk");
  f->folder = g_build_filename (f->dir, "studie.codewerk-backups", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cw_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->folder);
}

static char *
cli_backup (Fixture *f)
{
  g_auto(CwCliResult) result = cw_test_cli ("backup", f->path, NULL);

  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.err, ==, "");
  g_assert_true (g_str_has_suffix (result.out, ".codewerk\n"));
  return g_strchomp (g_strdup (result.out));
}

static void
test_list_and_json (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(GVariant) list = NULL;
  g_autoptr(GVariant) newest = NULL;
  g_autoptr(GVariant) oldest = NULL;
  g_auto(CwCliResult) empty = { 0 };
  g_auto(CwCliResult) plain = { 0 };
  g_auto(CwCliResult) coded = { 0 };
  g_autoptr(GDateTime) time = NULL;
  g_auto(GStrv) lines = NULL;
  GStatBuf st;

  /* Ordinary commands make no backup. */
  coded = cw_test_cli ("code-add", f->path, "Na de back-up", NULL);
  g_assert_cmpint (coded.status, ==, 0);
  g_assert_false (g_file_test (f->folder, G_FILE_TEST_EXISTS));
  empty = cw_test_cli ("backups", f->path, NULL);
  g_assert_cmpint (empty.status, ==, 0);
  g_assert_cmpstr (empty.out, ==, "");

  first = cli_backup (f);
  cw_cli_result_clear (&coded);
  coded = cw_test_cli ("code", f->path, "1", "0", "12", "Na de back-up", NULL);
  g_assert_cmpint (coded.status, ==, 0);
  second = cli_backup (f);
  g_assert_cmpstr (first, !=, second);
  g_assert_true (g_str_has_prefix (second, f->folder));
  g_assert_cmpint (g_stat (second, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  list = cw_test_cli_json ("backups", f->path, "--json", NULL);
  g_assert_cmpuint (g_variant_n_children (list), ==, 2);
  newest = cw_test_json_at (list, 0);
  oldest = cw_test_json_at (list, 1);
  g_assert_cmpstr (cw_test_json_str (newest, "path"), ==, second);
  g_assert_cmpstr (cw_test_json_str (oldest, "path"), ==, first);
  g_assert_cmpint (cw_test_json_int (newest, "size"), ==, st.st_size);
  g_assert_cmpint (cw_test_json_int (newest, "documents"), ==, 6);
  g_assert_cmpint (cw_test_json_int (newest, "codings"), ==, cw_test_json_int (oldest, "codings") + 1);
  time = g_date_time_new_from_iso8601 (cw_test_json_str (newest, "time"), NULL);
  g_assert_nonnull (time);

  /* Plain: a line each, numbered from the newest. */
  plain = cw_test_cli ("backups", f->path, NULL);
  g_assert_cmpint (plain.status, ==, 0);
  lines = g_strsplit (plain.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "1\t"));
  g_assert_true (g_str_has_suffix (lines[0], second));
  g_assert_nonnull (strstr (lines[0], "6 documents"));
  g_assert_true (g_str_has_prefix (lines[1], "2\t"));
  g_assert_true (g_str_has_suffix (lines[1], first));
}

static void
test_keep (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GVariant) list = NULL;
  g_auto(CwCliResult) bad = { 0 };

  for (int i = 0; i < 4; i++)
    g_free (cli_backup (f));
  {
    g_auto(CwCliResult) kept = cw_test_cli ("backup", f->path, "--keep", "2", NULL);

    g_assert_cmpint (kept.status, ==, 0);
  }
  list = cw_test_cli_json ("backups", f->path, "--json", NULL);
  g_assert_cmpuint (g_variant_n_children (list), ==, 2);

  bad = cw_test_cli ("backup", f->path, "--keep", "0", NULL);
  g_assert_cmpint (bad.status, ==, 2);
}

static void
test_restore (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *backup = cli_backup (f);
  g_autofree char *before = cw_test_dump (f->path);
  g_autofree char *changed = NULL;
  g_autofree char *restored = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *undo = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GVariant) again = NULL;
  g_auto(CwCliResult) added = { 0 };
  g_auto(CwCliResult) plain = { 0 };

  added = cw_test_cli ("code-add", f->path, "Na de back-up", NULL);
  g_assert_cmpint (added.status, ==, 0);
  changed = cw_test_dump (f->path);

  /* By number: 1 is the newest. */
  result = cw_test_cli_json ("restore", f->path, "1", "--json", NULL);
  g_assert_cmpstr (cw_test_json_str (result, "restored"), ==, backup);
  undo = g_strdup (cw_test_json_str (result, "undo"));
  g_assert_true (g_file_test (undo, G_FILE_TEST_IS_REGULAR));
  restored = cw_test_dump (f->path);
  g_assert_cmpstr (restored, ==, before);

  /* By path, the backup made before: the change is back. */
  plain = cw_test_cli ("restore", f->path, undo, NULL);
  g_assert_cmpint (plain.status, ==, 0);
  g_assert_cmpstr (plain.err, ==, "");
  g_assert_nonnull (strstr (plain.out, undo));
  undone = cw_test_dump (f->path);
  g_assert_cmpstr (undone, ==, changed);

  again = cw_test_cli_json ("backups", f->path, "--json", NULL);
  g_assert_cmpuint (g_variant_n_children (again), ==, 3);
}

static void
test_failures (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *backup = cli_backup (f);
  g_autofree char *dump = NULL;
  g_autofree char *other_dir = cw_test_make_dir ();
  g_autofree char *other = cw_test_copy_example (other_dir, "ander.codewerk");
  g_autofree char *text = g_build_filename (f->dir, "tekst.codewerk", NULL);
  g_autofree char *missing_project = g_build_filename (f->dir, "weg.codewerk", NULL);
  g_autofree char *after = NULL;
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open_v2 (other, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE project SET value = 'ander-guid' WHERE key = 'guid'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (g_file_set_contents (text, "geen project", -1, NULL));
  {
    g_auto(CwCliResult) added = cw_test_cli ("code-add", f->path, "Na de back-up", NULL);

    g_assert_cmpint (added.status, ==, 0);
  }
  dump = cw_test_dump (f->path);

  {
    g_auto(CwCliResult) r = cw_test_cli ("restore", f->path, "7", NULL);

    cw_test_assert_cli_failure (&r, 1, f->path);
    g_assert_nonnull (strstr (r.err, "no backup number 7"));
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("restore", f->path, text, NULL);

    cw_test_assert_cli_failure (&r, 1, text);
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("restore", f->path, other, NULL);

    cw_test_assert_cli_failure (&r, 1, other);
    g_assert_nonnull (strstr (r.err, "another project"));
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("restore", missing_project, backup, NULL);

    cw_test_assert_cli_failure (&r, 1, missing_project);
    g_assert_false (g_file_test (missing_project, G_FILE_TEST_EXISTS));
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("backups", missing_project, NULL);

    cw_test_assert_cli_failure (&r, 1, missing_project);
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("restore", f->path, NULL);

    g_assert_cmpint (r.status, ==, 2);
  }

  after = cw_test_dump (f->path);
  g_assert_cmpstr (after, ==, dump);
  {
    g_autoptr(GVariant) list = cw_test_cli_json ("backups", f->path, "--json", NULL);

    g_assert_cmpuint (g_variant_n_children (list), ==, 1);
  }
  cw_test_remove_dir (other_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli-backup/list-and-json", Fixture, NULL, fixture_set_up, test_list_and_json, fixture_tear_down);
  g_test_add ("/cli-backup/keep", Fixture, NULL, fixture_set_up, test_keep, fixture_tear_down);
  g_test_add ("/cli-backup/restore", Fixture, NULL, fixture_set_up, test_restore, fixture_tear_down);
  g_test_add ("/cli-backup/failures", Fixture, NULL, fixture_set_up, test_failures, fixture_tear_down);

  return g_test_run ();
}
