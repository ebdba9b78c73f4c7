/* test-hostile.c: every file of the hostile corpus (tests/data/hostile,
 * generated into the build folder; MANIFEST.tsv lists them) fed to
 * codewerk-cli as a user would, on a fresh copy of the example project.
 *
 * Each must be refused with exit status 1, nothing on stdout and one line
 * "codewerk-cli: error: FILE[:LINE]: reason" on stderr (FILE as given),
 * and must leave everything as it was: the project's .dump, the input file
 * (when it posed as a project or an encrypted copy), no new project, no
 * file anywhere outside, nothing escaping to /tmp; within 60 s and, outside
 * ASan builds, 200 MiB of memory. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "cw-test-util.h"

#if defined(__SANITIZE_ADDRESS__)
#define CW_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CW_TEST_ASAN 1
#endif
#endif

#define TIME_LIMIT_SECONDS 60
#define MEMORY_LIMIT_KIB   (200 * 1024)
#define ESCAPE_MARKER      "codewerk-hostile-escape"

typedef struct
{
  char *name;
  char *command;
  guint line;    /* 0: the error names no line */
  char *reason;  /* NULL: any */
} Entry;

static char *corpus_dir;
static GPtrArray *entries;

static void
entry_free (Entry *entry)
{
  g_free (entry->name);
  g_free (entry->command);
  g_free (entry->reason);
  g_free (entry);
}

static gboolean
load_manifest (GError **error)
{
  g_autofree char *path = g_build_filename (corpus_dir, "MANIFEST.tsv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      Entry *entry;

      if (lines[i][0] == '\0')
        continue;
      fields = g_strsplit (lines[i], "\t", -1);
      if (g_strv_length (fields) != 4)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%u: not NAME, COMMAND, LINE, REASON", path,
                       i + 1);
          return FALSE;
        }
      entry = g_new0 (Entry, 1);
      entry->name = g_strdup (fields[0]);
      entry->command = g_strdup (fields[1]);
      entry->line = strcmp (fields[2], "-") == 0 ? 0 : (guint) g_ascii_strtoull (fields[2], NULL, 10);
      entry->reason = strcmp (fields[3], "-") == 0 ? NULL : g_strdup (fields[3]);
      g_ptr_array_add (entries, entry);
    }
  return TRUE;
}

/* ---- what the file system holds ---- */

/* Every path under dir (relative to it), sorted, one per line. */
static void
list_tree (const char *dir,
           const char *prefix,
           GPtrArray  *out)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *relative = prefix != NULL ? g_build_filename (prefix, name, NULL) : g_strdup (name);
      GStatBuf info;

      g_ptr_array_add (out, g_strdup (relative));
      if (g_lstat (path, &info) == 0 && S_ISDIR (info.st_mode))
        list_tree (path, relative, out);
    }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static char *
tree_listing (const char *dir)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);

  list_tree (dir, NULL, names);
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (out, "%s\n", (char *) names->pdata[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Names in dir (not below it) that carry the escape marker. */
static char *
escaped_names (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (strstr (name, ESCAPE_MARKER) != NULL)
      g_ptr_array_add (names, g_strdup (name));
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (out, "%s\n", (char *) names->pdata[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A checksum of a regular file's bytes; NULL for anything else (a device,
 * a pipe or a folder is never read). */
static char *
file_checksum (const char *path)
{
  g_autoptr(GChecksum) checksum = NULL;
  GStatBuf info;
  guchar buffer[65536];
  gssize n;
  int fd;

  if (g_lstat (path, &info) != 0 || !S_ISREG (info.st_mode))
    return NULL;
  fd = g_open (path, O_RDONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    g_checksum_update (checksum, buffer, n);
  g_assert_cmpint (n, ==, 0);
  close (fd);
  return g_strdup_printf ("%s %" G_GINT64_FORMAT, g_checksum_get_string (checksum), (gint64) info.st_size);
}

/* `sqlite3 -readonly PROJECT .dump`: equal dumps, equal projects. */
static char *
sqlite_dump (const char *project)
{
  g_autofree char *sqlite3 = g_find_program_in_path ("sqlite3");
  const char *argv[] = { sqlite3, "-bail", "-readonly", project, ".dump", NULL };
  g_autofree char *err = NULL;
  char *out = NULL;
  int status;

  g_assert_nonnull (sqlite3);
  status = cw_test_run (argv, &out, &err);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_nonnull (strstr (out, "CREATE TABLE"));
  return out;
}

/* The path from `from` (an absolute folder without symlinks) to `to`
 * (absolute), as a user in `from` might type it. */
static char *
relative_path (const char *from,
               const char *to)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = from; *p != '\0'; p++)
    if (*p == '/' && p[1] != '\0')
      g_string_append (out, "../");
  g_string_append (out, to + 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- running codewerk-cli ---- */

typedef struct
{
  int     status;   /* as from waitpid */
  long    maxrss_kib;
  double  seconds;
  gboolean timed_out;
  char   *out;
  char   *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

static char *
read_all (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* Runs argv in cwd with stdin from /dev/null, killed after the time limit. */
static void
run_cli (const char * const *argv,
         const char         *cwd,
         Run                *run)
{
  g_autofree char *io_dir = cw_test_make_dir ();
  g_autofree char *out_path = g_build_filename (io_dir, "stdout", NULL);
  g_autofree char *err_path = g_build_filename (io_dir, "stderr", NULL);
  gint64 start = g_get_monotonic_time ();
  struct rusage usage;
  pid_t pid;

  memset (run, 0, sizeof *run);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      int in = open ("/dev/null", O_RDONLY);
      int out = open (out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
      int err = open (err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

      if (in < 0 || out < 0 || err < 0 || chdir (cwd) != 0 ||
          dup2 (in, 0) < 0 || dup2 (out, 1) < 0 || dup2 (err, 2) < 0)
        _exit (125);
      execv (argv[0], (char **) argv);
      _exit (126);
    }

  for (;;)
    {
      pid_t done = wait4 (pid, &run->status, WNOHANG, &usage);

      g_assert_cmpint (done, >=, 0);
      if (done == pid)
        break;
      if (g_get_monotonic_time () - start > TIME_LIMIT_SECONDS * G_USEC_PER_SEC)
        {
          kill (pid, SIGKILL);
          g_assert_cmpint (wait4 (pid, &run->status, 0, &usage), ==, pid);
          run->timed_out = TRUE;
          break;
        }
      g_usleep (5000);
    }
  run->seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  run->maxrss_kib = usage.ru_maxrss;
  run->out = read_all (out_path);
  run->err = read_all (err_path);
  cw_test_remove_dir (io_dir);
}

static gboolean
command_reads_input_as_project (const char *command)
{
  return strcmp (command, "open") == 0 || strcmp (command, "merge") == 0 || strcmp (command, "decrypt") == 0;
}

static gboolean
command_makes_project (const char *command)
{
  return strcmp (command, "import-project") == 0 || strcmp (command, "decrypt") == 0;
}

/* The error line, checked as the contract says. */
static void
assert_error_line (const Entry *entry,
                   const char  *file,
                   const Run   *run)
{
  g_autofree char *prefix = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *wanted = NULL;
  const char *newline = strchr (run->err, '\n');

  if (newline == NULL || newline[1] != '\0')
    {
      g_test_fail_printf ("%s: stderr is not exactly one line:\n%s", entry->name, run->err);
      return;
    }
  if (entry->line > 0)
    prefix = g_strdup_printf ("codewerk-cli: error: %s:%u: ", file, entry->line);
  else
    prefix = g_strdup_printf ("codewerk-cli: error: %s: ", file);
  if (!g_str_has_prefix (run->err, prefix))
    {
      g_test_fail_printf ("%s: the error line does not start with \"%s\":\n%s", entry->name, prefix, run->err);
      return;
    }
  if (entry->reason != NULL)
    {
      reason = g_utf8_casefold (run->err + strlen (prefix), -1);
      wanted = g_utf8_casefold (entry->reason, -1);
      if (strstr (reason, wanted) == NULL)
        g_test_fail_printf ("%s: the reason does not say \"%s\":\n%s", entry->name, entry->reason, run->err);
    }
}

/* Feeds input (the file of entry) to codewerk-cli and checks the refusal. */
static void
check_refusal (const Entry *entry,
               const char  *input)
{
  g_autofree char *tmp = cw_test_make_dir ();
  g_autofree char *real_tmp = realpath (tmp, NULL);
  g_autofree char *work = g_build_filename (real_tmp, "work", NULL);
  g_autofree char *project = NULL;
  g_autofree char *new_project = g_build_filename (real_tmp, "new.codewerk", NULL);
  g_autofree char *input_arg = NULL;
  g_autofree char *dump_before = NULL, *dump_after = NULL;
  g_autofree char *tree_before = NULL, *tree_after = NULL;
  g_autofree char *corpus_before = NULL, *corpus_after = NULL;
  g_autofree char *escapes_before = NULL, *escapes_after = NULL;
  g_autofree char *input_before = NULL, *input_after = NULL;
  const char *cli = g_getenv ("CODEWERK_CLI");
  const char *argv[6] = { cli };
  g_auto(GStrv) allowed = NULL;
  Run run;

  g_assert_nonnull (cli);
  g_assert_nonnull (real_tmp);
  g_assert_cmpint (g_mkdir (work, 0755), ==, 0);
  project = cw_test_copy_example (real_tmp, "project.codewerk");
  /* The paths as a user in the work folder types them. */
  input_arg = relative_path (work, input);

  if (strcmp (entry->command, "open") == 0)
    argv[1] = "documents", argv[2] = input_arg;
  else if (strcmp (entry->command, "import-project") == 0)
    argv[1] = "import-project", argv[2] = "../new.codewerk", argv[3] = input_arg;
  else if (strcmp (entry->command, "decrypt") == 0)
    argv[1] = "decrypt", argv[2] = input_arg, argv[3] = "../new.codewerk";
  else if (strcmp (entry->command, "import") == 0 || strcmp (entry->command, "cases-import") == 0 ||
           strcmp (entry->command, "codebook-import") == 0 || strcmp (entry->command, "merge") == 0)
    argv[1] = entry->command, argv[2] = "../project.codewerk", argv[3] = input_arg;
  else
    g_error ("%s: unknown command %s in MANIFEST.tsv", entry->name, entry->command);

  dump_before = sqlite_dump (project);
  tree_before = tree_listing (real_tmp);
  corpus_before = tree_listing (corpus_dir);
  escapes_before = escaped_names (g_get_tmp_dir ());
  input_before = file_checksum (input);

  run_cli (argv, work, &run);

  if (run.timed_out)
    g_test_fail_printf ("%s: codewerk-cli %s still ran after %d s", entry->name, entry->command, TIME_LIMIT_SECONDS);
  else if (!WIFEXITED (run.status) || WEXITSTATUS (run.status) != 1)
    g_test_fail_printf ("%s: codewerk-cli %s %s (status %d, signal %d), stderr:\n%s", entry->name, entry->command,
             WIFEXITED (run.status) ? "did not exit with 1" : "was killed", WIFEXITED (run.status) ?
             WEXITSTATUS (run.status) : -1, WIFSIGNALED (run.status) ? WTERMSIG (run.status) : 0, run.err);
  g_assert_cmpstr (run.out, ==, "");
  assert_error_line (entry, input_arg, &run);
#ifndef CW_TEST_ASAN
  if (run.maxrss_kib > MEMORY_LIMIT_KIB)
    g_test_fail_printf ("%s: codewerk-cli used %ld MiB at its peak (limit %d MiB)", entry->name, run.maxrss_kib / 1024,
             MEMORY_LIMIT_KIB / 1024);
#endif
  g_test_message ("%s: %.2f s, %ld MiB: %s", entry->name, run.seconds, run.maxrss_kib / 1024, run.err);

  /* Nothing changed. */
  dump_after = sqlite_dump (project);
  g_assert_cmpstr (dump_after, ==, dump_before);
  if (command_reads_input_as_project (entry->command))
    {
      input_after = file_checksum (input);
      g_assert_cmpstr (input_after, ==, input_before);
    }
  if (command_makes_project (entry->command))
    g_assert_false (g_file_test (new_project, G_FILE_TEST_EXISTS));
  /* Nothing new in the temporary folder but the project's -wal and -shm
   * (which the .dump above read), nothing beside the corpus, nothing in /tmp. */
  tree_after = tree_listing (real_tmp);
  allowed = g_strsplit (tree_after, "\n", -1);
  for (guint i = 0; allowed[i] != NULL; i++)
    if (allowed[i][0] != '\0' && strstr (tree_before, allowed[i]) == NULL &&
        strcmp (allowed[i], "project.codewerk-wal") != 0 && strcmp (allowed[i], "project.codewerk-shm") != 0)
      g_test_fail_printf ("%s: a file appeared: %s/%s", entry->name, real_tmp, allowed[i]);
  g_assert_cmpstr (strstr (tree_after, ESCAPE_MARKER), ==, NULL);
  corpus_after = tree_listing (corpus_dir);
  g_assert_cmpstr (corpus_after, ==, corpus_before);
  escapes_after = escaped_names (g_get_tmp_dir ());
  g_assert_cmpstr (escapes_after, ==, escapes_before);

  run_clear (&run);
  cw_test_remove_dir (real_tmp);
}

static void
test_entry (gconstpointer data)
{
  const Entry *entry = data;
  g_autofree char *input = g_build_filename (corpus_dir, entry->name, NULL);

  check_refusal (entry, input);
}

/* A real project damaged: the example cut to half its length, or with
 * every page after the first overwritten (so any read meets garbage). */
static void
test_damaged_example (gconstpointer data)
{
  const Entry *entry = data;
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *input = cw_test_copy_example (dir, entry->name);
  g_autofree char *bytes = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (input, &bytes, &length, NULL));
  g_assert_cmpuint (length, >, 8 * 4096);
  if (strstr (entry->name, "cut-short") != NULL)
    length /= 2;
  else
    for (gsize i = 4096; i < length; i++)
      bytes[i] = (char) (i * 7 + 13);
  g_assert_true (g_file_set_contents (input, bytes, length, NULL));
  check_refusal (entry, input);
  cw_test_remove_dir (dir);
}

/* A file name with a newline in it: the error is still one line. */
static void
test_newline_in_name (void)
{
  g_autofree char *tmp = cw_test_make_dir ();
  g_autofree char *project = cw_test_copy_example (tmp, "project.codewerk");
  g_autofree char *name = g_build_filename (tmp, "twee\nregels.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(CwCliResult) result = { 0 };
  g_autofree char *dump_before = sqlite_dump (project);
  g_autofree char *dump_after = NULL;

  g_assert_true (g_file_set_contents (name, "tekst\0binair", 12, &error));
  g_assert_no_error (error);
  result = cw_test_cli ("import", project, name, NULL);
  /* One line, the name's newline shown as a space. */
  cw_test_assert_cli_failure (&result, 1, "binary");
  g_assert_nonnull (strstr (result.err, "twee regels.txt"));
  dump_after = sqlite_dump (project);
  g_assert_cmpstr (dump_after, ==, dump_before);
  cw_test_remove_dir (tmp);
}

/* The corpus is there and holds both halves. */
static void
test_manifest (void)
{
  guint text = 0, archive = 0;

  g_assert_cmpuint (entries->len, >, 100);
  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *entry = entries->pdata[i];
      g_autofree char *path = g_build_filename (corpus_dir, entry->name, NULL);
      GStatBuf info;

      g_assert_cmpint (g_lstat (path, &info), ==, 0);
      if (g_str_has_suffix (entry->name, ".docx") || g_str_has_suffix (entry->name, ".odt") ||
          g_str_has_suffix (entry->name, ".qdpx") || g_str_has_suffix (entry->name, ".qdc"))
        archive++;
      else
        text++;
    }
  g_assert_cmpuint (text, >, 50);
  g_test_message ("%u text-half and %u archive-half entries", text, archive);
}

/* Damaged copies of the example project, made by the test itself. */
static Entry damaged[] = {
  { "example-cut-short-open.codewerk", "open", 0, "damaged" },
  { "example-cut-short-merge.codewerk", "merge", 0, "damaged" },
  { "example-garbage-pages-open.codewerk", "open", 0, "damaged" },
  { "example-garbage-pages-merge.codewerk", "merge", 0, "damaged" },
};

int
main (int   argc,
      char *argv[])
{
  const char *dir = g_getenv ("CODEWERK_HOSTILE_DIR");
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  /* Every entry is tried and every failure reported in one run. */
  g_test_set_nonfatal_assertions ();
  /* The children must not prompt for a passphrase (decrypt). */
  g_setenv ("CODEWERK_PASSPHRASE", "niet het goede wachtwoord", TRUE);

  corpus_dir = dir != NULL ? g_strdup (dir)
                           : g_build_filename (g_getenv ("CODEWERK_BUILD_ROOT"), "tests", "data", "hostile", NULL);
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  if (!load_manifest (&error))
    g_error ("the hostile corpus: %s", error->message);

  g_test_add_func ("/hostile/manifest", test_manifest);
  g_test_add_func ("/hostile/newline-in-name", test_newline_in_name);
  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *entry = entries->pdata[i];
      g_autofree char *path = g_strdup_printf ("/hostile/%s", entry->name);

      g_test_add_data_func (path, entry, test_entry);
    }
  for (guint i = 0; i < G_N_ELEMENTS (damaged); i++)
    {
      g_autofree char *path = g_strdup_printf ("/hostile/%s", damaged[i].name);

      g_test_add_data_func (path, &damaged[i], test_damaged_example);
    }
  status = g_test_run ();
  g_ptr_array_unref (entries);
  g_free (corpus_dir);
  return status;
}
