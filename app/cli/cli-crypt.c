/* codewerk-cli: encrypted copies (cw-crypt.h): encrypt, decrypt, the
 * passphrase prompt, and decrypting the encrypted inputs of merge.
 *
 * A passphrase comes from $CODEWERK_PASSPHRASE or from the terminal
 * (/dev/tty, echo off), never from an argument: arguments are visible to
 * every user in ps and stay in shell histories. Without either the command
 * is refused as wrong usage (exit 2) instead of waiting on a pipe. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "cli-private.h"
#include "cw-crypt.h"
#include "cw-merge.h"

#define MAX_PASSPHRASE 1024

/* Passphrases live in sodium_malloc'd memory, wiped when freed. */
void
passphrase_free (char *passphrase)
{
  if (passphrase != NULL)
    sodium_free (passphrase);
}

static char *
passphrase_new (void)
{
  char *buffer;

  if (sodium_init () < 0 || (buffer = sodium_malloc (MAX_PASSPHRASE + 1)) == NULL)
    g_error ("out of memory");
  buffer[0] = '\0';
  return buffer;
}

/* The terminal being prompted, for the signal handler: Ctrl-C at the prompt
 * must not leave the terminal without echo. */
static int prompt_fd = -1;
static struct termios prompt_saved;

static void
restore_terminal_and_die (int sig)
{
  if (prompt_fd >= 0)
    tcsetattr (prompt_fd, TCSAFLUSH, &prompt_saved);
  signal (sig, SIG_DFL);
  raise (sig);
}

static const int prompt_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

/* Asks once on the terminal fd with echo off. FALSE on end of input or a
 * line longer than MAX_PASSPHRASE bytes. */
static gboolean
prompt_line (int         fd,
             const char *prompt,
             char       *buffer)
{
  struct sigaction action = { 0 }, old_actions[G_N_ELEMENTS (prompt_signals)];
  struct termios quiet;
  gboolean echo_off, ended = FALSE, too_long = FALSE;
  gsize len = 0;

  echo_off = tcgetattr (fd, &prompt_saved) == 0;
  if (echo_off)
    {
      prompt_fd = fd;
      action.sa_handler = restore_terminal_and_die;
      sigemptyset (&action.sa_mask);
      for (guint i = 0; i < G_N_ELEMENTS (prompt_signals); i++)
        sigaction (prompt_signals[i], &action, &old_actions[i]);
      quiet = prompt_saved;
      quiet.c_lflag &= ~(tcflag_t) (ECHO | ECHOE | ECHOK | ECHONL);
      tcsetattr (fd, TCSAFLUSH, &quiet);
    }

  if (write (fd, prompt, strlen (prompt)) < 0)
    ended = TRUE;
  while (!ended)
    {
      char c;
      gssize n = read (fd, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          ended = TRUE;
          len = 0;
          break;
        }
      if (c == '\n')
        break;
      if (len < MAX_PASSPHRASE)
        buffer[len++] = c;
      else
        too_long = TRUE;
      sodium_memzero (&c, sizeof c);
    }
  if (len > 0 && buffer[len - 1] == '\r')
    len--;
  buffer[len] = '\0';

  if (echo_off)
    {
      tcsetattr (fd, TCSAFLUSH, &prompt_saved);
      for (guint i = 0; i < G_N_ELEMENTS (prompt_signals); i++)
        sigaction (prompt_signals[i], &old_actions[i], NULL);
      prompt_fd = -1;
    }
  /* Enter was not echoed. */
  if (write (fd, "\n", 1) < 0)
    ended = TRUE;
  return !ended && !too_long;
}

/* The passphrase for file: $CODEWERK_PASSPHRASE, else asked on the
 * terminal (twice when confirm, for a new copy). NULL after printing the
 * error; *status is then the exit status. Free with passphrase_free. */
char *
read_passphrase (const char *file,
                 gboolean    confirm,
                 int        *status)
{
  const char *from_env = g_getenv ("CODEWERK_PASSPHRASE");
  g_autofree char *prompt = NULL;
  char *passphrase = passphrase_new ();
  char *again = NULL;
  GError *error = NULL;
  int fd;

  if (from_env != NULL)
    {
      if (strlen (from_env) > MAX_PASSPHRASE)
        {
          passphrase_free (passphrase);
          *status = usage_error (_("CODEWERK_PASSPHRASE is longer than %d bytes"), MAX_PASSPHRASE);
          return NULL;
        }
      strcpy (passphrase, from_env);
      return passphrase;
    }

  /* A script with its input redirected gets an error, not a prompt on a
   * terminal it may not have. */
  fd = isatty (STDIN_FILENO) ? g_open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC, 0) : -1;
  if (fd < 0)
    {
      passphrase_free (passphrase);
      *status = usage_error (_("no passphrase: set CODEWERK_PASSPHRASE or run the command in a terminal to be asked (a passphrase is never taken from the command line)"));
      return NULL;
    }

  prompt = g_strdup_printf (confirm ? _("New passphrase for %s: ") : _("Passphrase for %s: "), file);
  if (!prompt_line (fd, prompt, passphrase))
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("%s: no passphrase was entered (or it was longer than %d bytes)"), file, MAX_PASSPHRASE);
      goto failed;
    }
  if (confirm)
    {
      /* A short one is refused before asking again. */
      if (!cw_crypt_check_passphrase (passphrase, &error))
        {
          g_prefix_error (&error, "%s: ", file);
          goto failed;
        }
      again = passphrase_new ();
      if (!prompt_line (fd, _("Repeat the passphrase: "), again) || strcmp (again, passphrase) != 0)
        {
          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("%s: the two passphrases differ; nothing was written"), file);
          goto failed;
        }
      passphrase_free (again);
    }
  close (fd);
  return passphrase;

failed:
  close (fd);
  passphrase_free (again);
  passphrase_free (passphrase);
  *status = fail (error);
  return NULL;
}

static gboolean
refuse_existing (const char *path,
                 int        *status)
{
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return FALSE;
  *status = fail (g_error_new (G_IO_ERROR, G_IO_ERROR_EXISTS,
                               _("%s: the file already exists; choose another name"), path));
  return TRUE;
}

static int
cmd_encrypt (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  const char *out = g_ptr_array_index (args->positional, 1);
  char *passphrase;
  GError *error = NULL;
  gboolean ok;
  int status;

  project = open_project (args, &error);
  if (project == NULL)
    return fail (error);
  /* Say it before asking for a passphrase. */
  if (refuse_existing (out, &status))
    return status;
  passphrase = read_passphrase (out, TRUE, &status);
  if (passphrase == NULL)
    return status;
  ok = cw_project_write_encrypted (project, out, passphrase, NULL, &error);
  passphrase_free (passphrase);
  if (!ok)
    {
      if (g_error_matches (error, CW_CRYPT_ERROR, CW_CRYPT_ERROR_WEAK_PASSPHRASE))
        g_prefix_error (&error, "%s: ", out);
      return fail (error);
    }
  return EXIT_SUCCESS;
}

static int
cmd_decrypt (Args *args)
{
  const char *in = g_ptr_array_index (args->positional, 0);
  const char *out = g_ptr_array_index (args->positional, 1);
  char *passphrase;
  GError *error = NULL;
  gboolean ok;
  int status;

  if (!cw_crypt_check_file (in, &error))
    return fail (error);
  if (refuse_existing (out, &status))
    return status;
  passphrase = read_passphrase (in, FALSE, &status);
  if (passphrase == NULL)
    return status;
  ok = cw_crypt_decrypt_file (in, out, passphrase, NULL, &error);
  passphrase_free (passphrase);
  if (!ok)
    return fail (error);
  return EXIT_SUCCESS;
}

/* Merge */

struct _CliDecrypted
{
  char      *dir;        /* private temporary directory, or NULL */
  GPtrArray *originals;  /* the paths as given */
  GPtrArray *paths;      /* what to merge, NULL-terminated */
};

void
cli_decrypted_free (CliDecrypted *self)
{
  for (guint i = 0; i < self->paths->len; i++)
    {
      const char *path = self->paths->pdata[i];

      if (self->dir != NULL && path != NULL && g_str_has_prefix (path, self->dir))
        {
          static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };
          g_autofree char *subdir = g_path_get_dirname (path);

          for (guint s = 0; s < G_N_ELEMENTS (suffixes); s++)
            {
              g_autofree char *file = g_strconcat (path, suffixes[s], NULL);

              g_unlink (file);
            }
          g_rmdir (subdir);
        }
    }
  if (self->dir != NULL)
    g_rmdir (self->dir);
  g_free (self->dir);
  g_ptr_array_unref (self->originals);
  g_ptr_array_unref (self->paths);
  g_free (self);
}

/* Decrypts every encrypted file among paths (NULL-terminated) into a
 * private temporary directory (0700), each under its own name so the undo
 * step and conflicts read as the user's file. NULL after printing the
 * error, with *status set; nothing is left behind then. */
CliDecrypted *
cli_decrypt_inputs (const char * const *paths,
                    int                *status)
{
  g_autoptr(CliDecrypted) self = g_new0 (CliDecrypted, 1);
  char *passphrase = NULL;

  self->originals = g_ptr_array_new_with_free_func (g_free);
  self->paths = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; paths[i] != NULL; i++)
    {
      GError *error = NULL;
      g_autofree char *subdir = NULL;
      g_autofree char *name = NULL;
      g_autofree char *plain = NULL;
      gboolean ok;

      g_ptr_array_add (self->originals, g_strdup (paths[i]));
      if (!cw_crypt_is_encrypted (paths[i]))
        {
          g_ptr_array_add (self->paths, g_strdup (paths[i]));
          continue;
        }
      if (!cw_crypt_check_file (paths[i], &error))
        {
          *status = fail (error);
          return NULL;
        }
      if (self->dir == NULL && !(self->dir = g_dir_make_tmp ("codewerk-merge-XXXXXX", &error)))
        {
          *status = fail (error);
          return NULL;
        }
      /* One folder per input: two coders may both send "project.codewerk-enc". */
      subdir = g_strdup_printf ("%s/%u", self->dir, i);
      name = g_path_get_basename (paths[i]);
      plain = g_build_filename (subdir, name, NULL);
      if (g_mkdir (subdir, 0700) != 0)
        {
          int saved = errno;

          *status = fail (g_error_new (G_IO_ERROR, g_io_error_from_errno (saved),
                                       "%s: %s", subdir, g_strerror (saved)));
          return NULL;
        }
      /* The path is recorded before decrypting, so a failure cleans up. */
      g_ptr_array_add (self->paths, g_strdup (plain));

      /* $CODEWERK_PASSPHRASE serves every file; at the terminal each file
       * is asked for, since coders may have chosen their own. */
      if (passphrase == NULL || g_getenv ("CODEWERK_PASSPHRASE") == NULL)
        {
          passphrase_free (passphrase);
          passphrase = read_passphrase (paths[i], FALSE, status);
          if (passphrase == NULL)
            return NULL;
        }
      ok = cw_crypt_decrypt_file (paths[i], plain, passphrase, NULL, &error);
      if (!ok)
        {
          passphrase_free (passphrase);
          *status = fail (error);
          return NULL;
        }
    }
  passphrase_free (passphrase);
  g_ptr_array_add (self->paths, NULL);
  return g_steal_pointer (&self);
}

const char * const *
cli_decrypted_paths (CliDecrypted *self)
{
  return (const char * const *) self->paths->pdata;
}

/* text with a decrypted file's path at its start replaced by the
 * original's, or NULL when it names none. */
static char *
original_name (CliDecrypted *self,
               const char   *text)
{
  for (guint i = 0; i < self->originals->len; i++)
    {
      const char *plain = self->paths->pdata[i];
      const char *original = self->originals->pdata[i];

      if (strcmp (plain, original) != 0 && g_str_has_prefix (text, plain))
        return g_strconcat (original, text + strlen (plain), NULL);
    }
  return NULL;
}

void
cli_decrypted_fix_error (CliDecrypted *self,
                         GError       *error)
{
  char *message = original_name (self, error->message);

  if (message != NULL)
    {
      g_free (error->message);
      error->message = message;
    }
}

static void
fix_string (CliDecrypted  *self,
            char         **text)
{
  char *fixed = *text != NULL ? original_name (self, *text) : NULL;

  if (fixed != NULL)
    {
      g_free (*text);
      *text = fixed;
    }
}

/* The result names the files as the user gave them. */
void
cli_decrypted_fix_result (CliDecrypted  *self,
                          CwMergeResult *result)
{
  for (guint i = 0; result->files != NULL && result->files[i] != NULL; i++)
    fix_string (self, &result->files[i]);
  for (guint i = 0; i < result->conflicts->len; i++)
    fix_string (self, &((CwMergeConflict *) result->conflicts->pdata[i])->file);
  for (guint i = 0; result->warnings != NULL && i < result->warnings->len; i++)
    fix_string (self, (char **) &result->warnings->pdata[i]);
}

static const OptionSpec no_options[] = { { NULL } };

static const Command commands[] = {
  { "encrypt", "PROJECT OUT",
    N_("Write an encrypted copy of the project to OUT (by convention NAME.codewerk-enc), for sending to other coders or archiving: a snapshot sealed with a key derived from a passphrase (Argon2id, then XChaCha20-Poly1305). The passphrase is read from $CODEWERK_PASSPHRASE or asked twice on the terminal, never taken from the command line, never stored; at least 8 characters. Refuses to overwrite OUT."),
    2, 2, no_options, cmd_encrypt },
  { "decrypt", "IN OUT.codewerk",
    N_("Restore the project in an encrypted copy IN to a new project file OUT.codewerk (refuses to overwrite). The passphrase is read from $CODEWERK_PASSPHRASE or asked on the terminal. A wrong passphrase, or a copy that was changed, cut short or extended, is refused (exit 1) and nothing is written. merge takes encrypted copies directly."),
    2, 2, no_options, cmd_decrypt },
};

const CommandTable cli_crypt_commands = { commands, G_N_ELEMENTS (commands) };
