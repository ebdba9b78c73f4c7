/* fuzz-common.c: what the libFuzzer targets share (see fuzz-common.h). */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>

#include "cw-import-private.h"
#include <gio/gio.h>
#include <sanitizer/lsan_interface.h>

#include "fuzz-common.h"

#define MAX_ENTRIES 64

/* Warnings and criticals are bugs: abort, so that libFuzzer keeps the
 * input (a G_BREAKPOINT's SIGTRAP would not be caught). */
static GLogWriterOutput
fatal_writer (GLogLevelFlags   log_level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  g_autofree char *line = NULL;

  if (!(log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)))
    return G_LOG_WRITER_HANDLED;
  line = g_log_writer_format_fields (log_level, fields, n_fields, FALSE);
  fprintf (stderr, "%s\n", line);
  abort ();
}

static char *temp_dir;

static void
remove_tree (const char *path)
{
  GStatBuf info;

  if (g_lstat (path, &info) == 0 && S_ISDIR (info.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
remove_temp_dir (void)
{
  if (temp_dir != NULL)
    remove_tree (temp_dir);
  g_clear_pointer (&temp_dir, g_free);
}

void
cw_fuzz_init (void)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_log_set_writer_func (fatal_writer, NULL, NULL);
  xmlInitParser ();
  /* GIO scans its modules once per process, at the first GFile, and keeps
   * them where LeakSanitizer cannot see them: a "leak" at exit that no
   * input caused. Done here, with LeakSanitizer looking away. */
  __lsan_disable ();
  g_object_unref (g_file_new_for_path ("/"));
  __lsan_enable ();
}

void
cw_fuzz_check_outcome (gconstpointer  result,
                       const GError  *error)
{
  if ((result == NULL) == (error == NULL))
    {
      fprintf (stderr, "fuzz: %s\n", result == NULL ? "no result and no error" : "a result and an error");
      abort ();
    }
  if (error != NULL && (error->message == NULL || error->message[0] == '\0' ||
                        !g_utf8_validate (error->message, -1, NULL) || strchr (error->message, '\n') != NULL))
    {
      g_autofree char *shown = g_strescape (error->message != NULL ? error->message : "(null)", NULL);

      fprintf (stderr, "fuzz: an error message that is empty, invalid UTF-8 or more than one line: \"%s\"\n", shown);
      abort ();
    }
}

static la_ssize_t
write_to_array (struct archive *archive,
                void           *user_data,
                const void     *buffer,
                size_t          length)
{
  g_byte_array_append (user_data, buffer, (guint) length);
  return (la_ssize_t) length;
}

/* FALSE when the archive cannot go on. */
static gboolean
add_entry (struct archive *archive,
           const char     *line,
           gsize           line_len,
           const guint8   *contents,
           gsize           length)
{
  g_autofree char *name = g_strndup (line, line_len);
  struct archive_entry *entry = archive_entry_new ();
  char *arrow = strstr (name, " -> ");
  gsize name_len;
  int rc;

  archive_entry_set_mtime (entry, 1700000000, 0);
  if (arrow != NULL)
    {
      *arrow = '\0';
      archive_entry_set_filetype (entry, AE_IFLNK);
      archive_entry_set_perm (entry, 0777);
      archive_entry_set_symlink (entry, arrow + 4);
      length = 0;
    }
  else if ((name_len = strlen (name)) > 0 && name[name_len - 1] == '/')
    {
      archive_entry_set_filetype (entry, AE_IFDIR);
      archive_entry_set_perm (entry, 0755);
      length = 0;
    }
  else
    {
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      archive_entry_set_size (entry, (la_int64_t) length);
    }
  archive_entry_set_pathname (entry, name);

  rc = archive_write_header (archive, entry);
  archive_entry_free (entry);
  if (rc == ARCHIVE_FATAL)
    return FALSE;
  if (rc < ARCHIVE_WARN)
    return TRUE; /* this entry refused (an empty name): go on without it */
  for (gsize done = 0; done < length;)
    {
      la_ssize_t n = archive_write_data (archive, contents + done, length - done);

      if (n <= 0)
        return FALSE;
      done += (gsize) n;
    }
  return archive_write_finish_entry (archive) != ARCHIVE_FATAL;
}

/* memmem() without _GNU_SOURCE. */
static const guint8 *
find_bytes (const guint8 *p,
            const guint8 *end,
            const char   *needle,
            gsize         needle_len)
{
  for (; (gsize) (end - p) >= needle_len; p++)
    {
      p = memchr (p, needle[0], (gsize) (end - p) - needle_len + 1);
      if (p == NULL)
        return NULL;
      if (memcmp (p, needle, needle_len) == 0)
        return p;
    }
  return NULL;
}

GBytes *
cw_fuzz_zip_new (const guint8 *data,
                 gsize         size,
                 const char   *main_name)
{
  static const char separator[] = "\n@@ ";
  g_autoptr(GByteArray) buffer = NULL;
  struct archive *archive;
  const guint8 *p = data, *end = data + size;
  const char *name = main_name;
  gsize name_len = strlen (main_name);
  gboolean ok = TRUE;

  if (size >= 2 && data[0] == 'P' && data[1] == 'K')
    return g_bytes_new (data, size);

  buffer = g_byte_array_new ();
  archive = archive_write_new ();
  if (archive_write_set_format_zip (archive) != ARCHIVE_OK ||
      archive_write_set_options (archive, "zip:compression=store") != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block (archive, 1) != ARCHIVE_OK ||
      archive_write_open (archive, buffer, NULL, write_to_array, NULL) != ARCHIVE_OK)
    g_error ("fuzz: cannot write a zip: %s", archive_error_string (archive));

  for (guint n = 0; ok && n < MAX_ENTRIES; n++)
    {
      const guint8 *next = find_bytes (p, end, separator, strlen (separator));
      const guint8 *stop = next != NULL ? next : end;
      const guint8 *line_end;

      ok = add_entry (archive, name, name_len, p, (gsize) (stop - p));
      if (next == NULL)
        break;
      name = (const char *) next + strlen (separator);
      line_end = memchr (name, '\n', (gsize) (end - (const guint8 *) name));
      if (line_end == NULL)
        line_end = end;
      name_len = (gsize) (line_end - (const guint8 *) name);
      p = line_end < end ? line_end + 1 : end;
    }
  if (archive_write_close (archive) != ARCHIVE_OK)
    ok = FALSE;
  archive_write_free (archive);
  if (!ok)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

const char *
cw_fuzz_temp_dir (void)
{
  if (temp_dir == NULL)
    {
      /* tmpfs: the project targets fsync on every run. */
      const char *base = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir ();

      temp_dir = g_build_filename (base, "cw-fuzz-XXXXXX", NULL);
      if (g_mkdtemp (temp_dir) == NULL)
        g_error ("fuzz: cannot make a folder in %s", base);
      atexit (remove_temp_dir);
    }
  return temp_dir;
}

void
cw_fuzz_clean_dir (const char         *dir,
                   const char * const *keep)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = NULL;

      if (keep != NULL && g_strv_contains (keep, name))
        continue;
      path = g_build_filename (dir, name, NULL);
      remove_tree (path);
    }
}

static G_NORETURN void
broken (const char *what)
{
  fprintf (stderr, "fuzz: %s\n", what);
  abort ();
}

void
cw_fuzz_check_document (const CwParsedDocument *document)
{
  g_autofree char *nfc = NULL;
  gint64 previous_end = 0;

  if (document == NULL)
    return;
  if (document->text == NULL || !g_utf8_validate (document->text, -1, NULL))
    broken ("document text is not valid UTF-8");
  if (g_utf8_strlen (document->text, -1) != document->characters)
    broken ("document characters is not the text's length in code points");
  /* GLib's NFC is quadratic on long texts (see _cw_utf8_normalize_nfc),
   * so it checks the short ones and the fast one the rest. */
  if (strlen (document->text) <= 65536)
    nfc = g_utf8_normalize (document->text, -1, G_NORMALIZE_NFC);
  else
    nfc = _cw_utf8_normalize_nfc (document->text, -1);
  if (nfc == NULL || strcmp (nfc, document->text) != 0)
    broken ("document text is not NFC");
  if (strchr (document->text, '\r') != NULL)
    broken ("document text has a CR");
  for (guint i = 0; document->turns != NULL && i < document->turns->len; i++)
    {
      const CwTurn *turn = document->turns->pdata[i];

      if (turn->start < previous_end || turn->end < turn->start || turn->end > document->characters)
        broken ("a turn out of order, overlapping or outside the text");
      if (turn->speaker != NULL && !g_utf8_validate (turn->speaker, -1, NULL))
        broken ("a turn's speaker is not valid UTF-8");
      previous_end = turn->end;
    }
}

void
cw_fuzz_check_strings (GPtrArray *strings)
{
  for (guint i = 0; strings != NULL && i < strings->len; i++)
    if (!g_utf8_validate (strings->pdata[i], -1, NULL))
      broken ("a warning is not valid UTF-8");
}
