/* test-cli-crypt.c: encrypt, decrypt and merging encrypted copies, as a
 * user drives codewerk-cli: the passphrase from $CODEWERK_PASSPHRASE or a
 * prompt on a terminal (a pseudo-terminal here: asked twice, not echoed),
 * never from an argument; without either, exit 2. Wrong passphrases and
 * changed files exit 1 and write nothing; a failed merge leaves the
 * project as it was; no decrypted copy is left in the temporary folder. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "cw-test-util.h"

#define PASSPHRASE "zomer-2017-almere"

typedef struct
{
  char *dir;
  char *tmp;      /* TMPDIR of the CLI */
  char *project;  /* a copy of the example */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = cw_test_make_dir ();
  f->tmp = g_build_filename (f->dir, "tmp", NULL);
  g_assert_cmpint (g_mkdir (f->tmp, 0700), ==, 0);
  f->project = cw_test_copy_example (f->dir, "example.codewerk");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cw_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->tmp);
  g_free (f->project);
}

static char **
cli_environment (Fixture    *f,
                 const char *passphrase)
{
  char **env = g_get_environ ();

  env = g_environ_setenv (env, "TMPDIR", f->tmp, TRUE);
  if (passphrase != NULL)
    env = g_environ_setenv (env, "CODEWERK_PASSPHRASE", passphrase, TRUE);
  else
    env = g_environ_unsetenv (env, "CODEWERK_PASSPHRASE");
  return env;
}

/* Runs codewerk-cli with stdin from /dev/null (as in a script) and the
 * passphrase (NULL: none) in its environment. */
static CwCliResult
run (Fixture    *f,
     const char *passphrase,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = cli_environment (f, passphrase);
  g_autoptr(GError) error = NULL;
  CwCliResult result = { 0 };
  const char *arg;
  va_list ap;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) g_getenv ("CODEWERK_CLI"));
  va_start (ap, passphrase);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
                &result.out, &result.err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  result.status = WEXITSTATUS (status);
  return result;
}

static void
assert_success (const CwCliResult *result)
{
  if (result->status != 0)
    g_error ("codewerk-cli failed (%d): %s", result->status, result->err);
  g_assert_cmpstr (result->err, ==, "");
}

static char *
path_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static void
write_bytes (const char *path,
             const void *data,
             gsize       len)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, data, len, &error));
  g_assert_no_error (error);
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* Nothing decrypted (or any snapshot) left in the CLI's TMPDIR. */
static void
assert_tmp_empty (Fixture *f)
{
  g_assert_cmpuint (count_entries (f->tmp), ==, 0);
}

static char *
encrypt_example (Fixture    *f,
                 const char *project,
                 const char *name)
{
  char *out = path_in (f, name);
  g_auto(CwCliResult) r = run (f, PASSPHRASE, "encrypt", project, out, NULL);

  assert_success (&r);
  g_assert_cmpstr (r.out, ==, "");
  return out;
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *enc = encrypt_example (f, f->project, "example.codewerk-enc");
  g_autofree char *restored = path_in (f, "restored.codewerk");
  g_autofree char *dump = cw_test_dump (f->project);
  g_autofree char *dump_restored = NULL;
  g_autoptr(GBytes) sealed = read_bytes (enc);
  g_auto(CwCliResult) r = { 0 };
  g_autoptr(GVariant) documents = NULL;

  g_assert_null (memmem (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), "Mohammed", 8));
  g_assert_null (memmem (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), "Lelystad", 8));
  assert_tmp_empty (f);

  r = run (f, PASSPHRASE, "decrypt", enc, restored, NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==, "");
  dump_restored = cw_test_dump (restored);
  g_assert_cmpstr (dump_restored, ==, dump);
  /* The restored copy works as a project. */
  documents = cw_test_cli_json ("documents", restored, "--json", NULL);
  g_assert_cmpuint (g_variant_n_children (documents), ==, 6);
  assert_tmp_empty (f);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *enc = encrypt_example (f, f->project, "example.codewerk-enc");
  g_autofree char *changed = path_in (f, "changed.codewerk-enc");
  g_autofree char *restored = path_in (f, "restored.codewerk");
  g_autofree char *other = path_in (f, "other.codewerk-enc");
  g_autoptr(GBytes) sealed = read_bytes (enc);
  gsize size = g_bytes_get_size (sealed);
  guint files = count_entries (f->dir);
  static const gsize flips[] = { 30, 100, 200000, 0 /* the last byte */ };

  /* A wrong passphrase. */
  {
    g_auto(CwCliResult) r = run (f, "zomer-2017-almeer", "decrypt", enc, restored, NULL);

    cw_test_assert_cli_failure (&r, 1, enc);
    g_assert_nonnull (strstr (r.err, "wrong passphrase"));
  }
  /* One byte changed, anywhere. */
  for (guint i = 0; i < G_N_ELEMENTS (flips); i++)
    {
      g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (sealed, NULL), size);
      gsize at = flips[i] != 0 ? flips[i] : size - 1;
      g_auto(CwCliResult) r = { 0 };

      g_assert_cmpuint (at, <, size);
      copy[at] ^= 0x20;
      write_bytes (changed, copy, size);
      r = run (f, PASSPHRASE, "decrypt", changed, restored, NULL);
      cw_test_assert_cli_failure (&r, 1, changed);
    }
  /* Cut short, and extended. */
  {
    g_auto(CwCliResult) r = { 0 };
    g_autofree guint8 *longer = g_malloc0 (size + 1);

    write_bytes (changed, g_bytes_get_data (sealed, NULL), size - 100);
    r = run (f, PASSPHRASE, "decrypt", changed, restored, NULL);
    cw_test_assert_cli_failure (&r, 1, changed);
    cw_cli_result_clear (&r);

    memcpy (longer, g_bytes_get_data (sealed, NULL), size);
    write_bytes (changed, longer, size + 1);
    r = run (f, PASSPHRASE, "decrypt", changed, restored, NULL);
    cw_test_assert_cli_failure (&r, 1, changed);
  }
  /* Not an encrypted copy: said before any passphrase is needed. */
  {
    g_auto(CwCliResult) r = run (f, NULL, "decrypt", f->project, restored, NULL);

    cw_test_assert_cli_failure (&r, 1, f->project);
    g_assert_nonnull (strstr (r.err, "not an encrypted copy"));
  }
  /* Never over an existing file. */
  {
    g_auto(CwCliResult) r = run (f, PASSPHRASE, "decrypt", enc, f->project, NULL);

    cw_test_assert_cli_failure (&r, 1, f->project);
    cw_cli_result_clear (&r);
    r = run (f, PASSPHRASE, "encrypt", f->project, enc, NULL);
    cw_test_assert_cli_failure (&r, 1, enc);
  }
  /* Too short, or empty. */
  {
    g_auto(CwCliResult) r = run (f, "1234567", "encrypt", f->project, other, NULL);

    cw_test_assert_cli_failure (&r, 1, other);
    g_assert_nonnull (strstr (r.err, "at least 8"));
    cw_cli_result_clear (&r);
    r = run (f, "", "encrypt", f->project, other, NULL);
    cw_test_assert_cli_failure (&r, 1, other);
  }

  g_unlink (changed);
  g_assert_false (g_file_test (restored, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_entries (f->dir), ==, files);
  {
    g_autoptr(GBytes) after = read_bytes (enc);

    g_assert_true (g_bytes_equal (after, sealed));
  }
  assert_tmp_empty (f);
}

/* There is no passphrase option; without the variable or a terminal the
 * command is wrong usage (exit 2) and writes nothing. */
static void
test_no_passphrase_argument (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *enc = encrypt_example (f, f->project, "example.codewerk-enc");
  g_autofree char *out = path_in (f, "out.codewerk-enc");
  g_autofree char *restored = path_in (f, "restored.codewerk");
  guint files = count_entries (f->dir);

  {
    g_auto(CwCliResult) r = run (f, NULL, "encrypt", f->project, out, "--passphrase", PASSPHRASE, NULL);

    cw_test_assert_cli_failure (&r, 2, "--passphrase");
    cw_cli_result_clear (&r);
    r = run (f, NULL, "encrypt", f->project, out, "--passphrase=" PASSPHRASE, NULL);
    cw_test_assert_cli_failure (&r, 2, "--passphrase");
    cw_cli_result_clear (&r);
    r = run (f, NULL, "encrypt", f->project, out, PASSPHRASE, NULL);
    cw_test_assert_cli_failure (&r, 2, "fewer arguments");
    cw_cli_result_clear (&r);
    r = run (f, NULL, "decrypt", enc, restored, "--passphrase", PASSPHRASE, NULL);
    cw_test_assert_cli_failure (&r, 2, "--passphrase");
  }
  /* No variable, input not a terminal. */
  {
    g_auto(CwCliResult) r = run (f, NULL, "encrypt", f->project, out, NULL);

    cw_test_assert_cli_failure (&r, 2, "CODEWERK_PASSPHRASE");
    g_assert_nonnull (strstr (r.err, "Usage: codewerk-cli encrypt"));
    cw_cli_result_clear (&r);
    r = run (f, NULL, "decrypt", enc, restored, NULL);
    cw_test_assert_cli_failure (&r, 2, "CODEWERK_PASSPHRASE");
  }
  g_assert_cmpuint (count_entries (f->dir), ==, files);
  assert_tmp_empty (f);
}

static void
test_merge (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *anna = cw_test_copy_example (f->dir, "anna.codewerk");
  g_autofree char *enc = NULL;
  g_autofree char *dump_before = NULL;
  g_autoptr(GVariant) json = NULL;
  g_autoptr(GVariant) files = NULL;
  g_autoptr(GVariant) code = NULL;
  g_autoptr(GVariant) codings = NULL;

  /* Anna codes a fragment with a new code in her copy and sends it encrypted. */
  code = cw_test_cli_json ("code-add", anna, "Versleuteld/Nieuw", "--json", NULL);
  codings = cw_test_cli_json ("code", anna, "1", "0", "20", "Versleuteld/Nieuw", "--coder", "Anna", "--json", NULL);
  enc = encrypt_example (f, anna, "anna.codewerk-enc");
  g_unlink (anna);

  /* A wrong passphrase: exit 1, the project exactly as it was. */
  dump_before = cw_test_dump (f->project);
  {
    g_auto(CwCliResult) r = run (f, "zomer-2017-almeer", "merge", f->project, enc, NULL);
    g_autofree char *dump_after = cw_test_dump (f->project);

    cw_test_assert_cli_failure (&r, 1, enc);
    g_assert_null (strstr (r.err, f->tmp));
    g_assert_cmpstr (dump_after, ==, dump_before);
    cw_cli_result_clear (&r);
    /* Nor without a passphrase at all (exit 2). */
    r = run (f, NULL, "merge", f->project, enc, NULL);
    cw_test_assert_cli_failure (&r, 2, "CODEWERK_PASSPHRASE");
    g_free (dump_after);
    dump_after = cw_test_dump (f->project);
    g_assert_cmpstr (dump_after, ==, dump_before);
  }
  assert_tmp_empty (f);

  /* The right one: her code and coding arrive; the result names her file. */
  {
    g_auto(CwCliResult) r = run (f, PASSPHRASE, "merge", f->project, enc, "--json", NULL);

    assert_success (&r);
    json = cw_test_parse_json (r.out);
  }
  g_assert_cmpint (cw_test_json_int (json, "codes"), ==, 2); /* Versleuteld and its child */
  g_assert_cmpint (cw_test_json_int (json, "codings_added"), ==, 1);
  g_assert_cmpint (cw_test_json_int (json, "documents"), ==, 0);
  files = cw_test_json_get (json, "files");
  g_assert_cmpuint (g_variant_n_children (files), ==, 1);
  {
    g_autoptr(GVariant) first = cw_test_json_at (files, 0);

    g_assert_cmpstr (g_variant_get_string (first, NULL), ==, enc);
  }
  {
    g_autoptr(GVariant) merged = cw_test_cli_json ("codings", f->project, "--code", "Versleuteld/Nieuw",
                                                   "--json", NULL);
    g_autoptr(GVariant) coding = NULL;

    g_assert_cmpuint (g_variant_n_children (merged), ==, 1);
    coding = cw_test_json_at (merged, 0);
    g_assert_cmpstr (cw_test_json_str (coding, "coder"), ==, "Anna");
    g_assert_cmpint (cw_test_json_int (coding, "end"), ==, 20);
  }
  assert_tmp_empty (f);

  /* Again, with a plain copy beside it: nothing more is added. */
  {
    g_autofree char *plain = cw_test_copy_example (f->dir, "plain.codewerk");
    g_auto(CwCliResult) r = run (f, PASSPHRASE, "merge", f->project, plain, enc, "--json", NULL);
    g_autoptr(GVariant) again = NULL;

    assert_success (&r);
    again = cw_test_parse_json (r.out);
    g_assert_cmpint (cw_test_json_int (again, "codings_added"), ==, 0);
    g_assert_cmpint (cw_test_json_int (again, "codes"), ==, 0);
  }
  assert_tmp_empty (f);
}

/* Talking to codewerk-cli on a pseudo-terminal: each time the output so
 * far contains prompts[i], answers[i] is typed. Returns the exit status;
 * *transcript is everything the terminal showed. */
static int
run_on_terminal (Fixture            *f,
                 const char * const *args,
                 const char * const *prompts,
                 const char * const *answers,
                 char              **transcript)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = cli_environment (f, NULL);
  GString *seen = g_string_new (NULL);
  guint next = 0;
  gsize from = 0;
  int master, status = 0;
  pid_t pid;

  g_ptr_array_add (argv, (gpointer) g_getenv ("CODEWERK_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  pid = forkpty (&master, NULL, NULL, NULL);
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      execve (argv->pdata[0], (char **) argv->pdata, env);
      _exit (127);
    }

  for (;;)
    {
      struct pollfd pfd = { master, POLLIN, 0 };
      char buffer[512];
      gssize n;
      int ready = poll (&pfd, 1, 30000);

      if (ready < 0 && errno == EINTR)
        continue;
      if (ready == 0)
        {
          kill (pid, SIGKILL);
          g_error ("codewerk-cli is stuck; the terminal shows «%s»", seen->str);
        }
      n = read (master, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break; /* EIO: the program closed the terminal */
      g_string_append_len (seen, buffer, n);
      if (prompts[next] != NULL && strstr (seen->str + from, prompts[next]) != NULL)
        {
          g_autofree char *line = g_strconcat (answers[next], "\n", NULL);

          g_assert_cmpint (write (master, line, strlen (line)), ==, (gssize) strlen (line));
          /* The next prompt is looked for after this one. */
          from = seen->len;
          next++;
        }
    }
  close (master);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  *transcript = g_string_free (seen, FALSE);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
test_prompt (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *out = path_in (f, "prompted.codewerk-enc");
  g_autofree char *restored = path_in (f, "restored.codewerk");
  g_autofree char *dump = cw_test_dump (f->project);

  /* Asked twice; what is typed is not shown. */
  {
    const char *args[] = { "encrypt", f->project, out, NULL };
    const char *prompts[] = { "New passphrase for", "Repeat the passphrase", NULL };
    const char *answers[] = { "geheim-wachtwoord", "geheim-wachtwoord", NULL };
    g_autofree char *transcript = NULL;

    g_assert_cmpint (run_on_terminal (f, args, prompts, answers, &transcript), ==, 0);
    g_assert_nonnull (strstr (transcript, out));
    g_assert_nonnull (strstr (transcript, "Repeat the passphrase"));
    g_assert_null (strstr (transcript, "geheim"));
  }
  /* The copy opens with that passphrase. */
  {
    g_auto(CwCliResult) r = run (f, "geheim-wachtwoord", "decrypt", out, restored, NULL);
    g_autofree char *dump_restored = NULL;

    assert_success (&r);
    dump_restored = cw_test_dump (restored);
    g_assert_cmpstr (dump_restored, ==, dump);
    g_unlink (restored);
  }
  /* decrypt asks once. */
  {
    const char *args[] = { "decrypt", out, restored, NULL };
    const char *prompts[] = { "Passphrase for", NULL };
    const char *answers[] = { "geheim-wachtwoord", NULL };
    g_autofree char *transcript = NULL;

    g_assert_cmpint (run_on_terminal (f, args, prompts, answers, &transcript), ==, 0);
    g_assert_null (strstr (transcript, "geheim"));
    g_assert_true (g_file_test (restored, G_FILE_TEST_EXISTS));
    g_unlink (restored);
  }
  g_unlink (out);

  /* Two different answers: nothing written. */
  {
    const char *args[] = { "encrypt", f->project, out, NULL };
    const char *prompts[] = { "New passphrase for", "Repeat the passphrase", NULL };
    const char *answers[] = { "geheim-wachtwoord", "geheim-wachtwoort", NULL };
    g_autofree char *transcript = NULL;

    g_assert_cmpint (run_on_terminal (f, args, prompts, answers, &transcript), ==, 1);
    g_assert_nonnull (strstr (transcript, "differ"));
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  }
  /* Too short: said at once, not asked again. */
  {
    const char *args[] = { "encrypt", f->project, out, NULL };
    const char *prompts[] = { "New passphrase for", NULL };
    const char *answers[] = { "kort", NULL };
    g_autofree char *transcript = NULL;

    g_assert_cmpint (run_on_terminal (f, args, prompts, answers, &transcript), ==, 1);
    g_assert_nonnull (strstr (transcript, "at least 8"));
    g_assert_null (strstr (transcript, "Repeat"));
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  }
  assert_tmp_empty (f);
}

static void
add (const char *path,
     void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* The tests choose the passphrase themselves. */
  g_unsetenv ("CODEWERK_PASSPHRASE");
  add ("/cli-crypt/round-trip", test_round_trip);
  add ("/cli-crypt/refused", test_refused);
  add ("/cli-crypt/no-passphrase-argument", test_no_passphrase_argument);
  add ("/cli-crypt/merge", test_merge);
  add ("/cli-crypt/prompt", test_prompt);
  return g_test_run ();
}
