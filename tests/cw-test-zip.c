/* cw-test-zip.c: writing zip archives in memory for the importer tests. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>

#include "cw-test-zip.h"

static la_ssize_t
write_to_array (struct archive *archive,
                void           *user_data,
                const void     *buffer,
                size_t          length)
{
  g_byte_array_append (user_data, buffer, (guint) length);
  return (la_ssize_t) length;
}

GBytes *
cw_test_zip_new (const CwTestZipEntry *entries,
                 guint                 n_entries,
                 gboolean              store)
{
  GByteArray *buffer = g_byte_array_new ();
  struct archive *archive = archive_write_new ();

  g_assert_cmpint (archive_write_set_format_zip (archive), ==, ARCHIVE_OK);
  if (store)
    g_assert_cmpint (archive_write_set_options (archive, "zip:compression=store"), ==, ARCHIVE_OK);
  /* Whole blocks would pad the archive with zeros after its end. */
  g_assert_cmpint (archive_write_set_bytes_in_last_block (archive, 1), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open (archive, buffer, NULL, write_to_array, NULL), ==, ARCHIVE_OK);

  for (guint i = 0; i < n_entries; i++)
    {
      const CwTestZipEntry *e = &entries[i];
      struct archive_entry *entry = archive_entry_new ();
      gsize length = 0;

      archive_entry_set_pathname_utf8 (entry, e->name);
      archive_entry_set_mtime (entry, 1700000000, 0);
      if (e->symlink)
        {
          archive_entry_set_filetype (entry, AE_IFLNK);
          archive_entry_set_perm (entry, 0777);
          archive_entry_set_symlink (entry, e->data);
        }
      else if (e->data == NULL)
        {
          archive_entry_set_filetype (entry, AE_IFDIR);
          archive_entry_set_perm (entry, 0755);
        }
      else
        {
          length = e->length < 0 ? strlen (e->data) : (gsize) e->length;
          archive_entry_set_filetype (entry, AE_IFREG);
          archive_entry_set_perm (entry, 0644);
          archive_entry_set_size (entry, (la_int64_t) length);
        }

      g_assert_cmpint (archive_write_header (archive, entry), ==, ARCHIVE_OK);
      /* Written in pieces: archive_write_data may take less than offered. */
      for (gsize done = 0; done < length;)
        {
          la_ssize_t n = archive_write_data (archive, e->data + done, MIN (length - done, 1024 * 1024));

          g_assert_cmpint (n, >, 0);
          done += (gsize) n;
        }
      archive_entry_free (entry);
    }

  g_assert_cmpint (archive_write_close (archive), ==, ARCHIVE_OK);
  archive_write_free (archive);

  return g_byte_array_free_to_bytes (buffer);
}

GBytes *
cw_test_zip_build (const char *first_name,
                   ...)
{
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (CwTestZipEntry));
  va_list args;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      CwTestZipEntry entry = { name, va_arg (args, const char *), -1, FALSE };

      g_array_append_val (entries, entry);
    }
  va_end (args);

  return cw_test_zip_new ((CwTestZipEntry *) (void *) entries->data, entries->len, FALSE);
}
