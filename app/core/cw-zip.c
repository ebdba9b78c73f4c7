/* cw-zip.c: capped, validating reads of zip entries with libarchive. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include <archive.h>
#include <archive_entry.h>

#include "cw-import.h"
#include "cw-zip.h"

typedef struct archive CwArchive;

static void
cw_archive_free (CwArchive *archive)
{
  archive_read_free (archive);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwArchive, cw_archive_free)

gboolean
cw_zip_entry_name_is_safe (const char *name)
{
  g_auto(GStrv) parts = NULL;

  if (name == NULL || name[0] == '\0' || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  /* Absolute, Windows separators and drive letters ("C:evil") all could
   * land outside the target folder on some system. */
  if (name[0] == '/' || strchr (name, '\\') != NULL)
    return FALSE;
  if (g_ascii_isalpha (name[0]) && name[1] == ':')
    return FALSE;

  parts = g_strsplit (name, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (strcmp (parts[i], "..") == 0)
      return FALSE;

  return TRUE;
}

static const char *
entry_name (struct archive_entry *entry)
{
  const char *name = archive_entry_pathname_utf8 (entry);

  return name != NULL ? name : archive_entry_pathname (entry);
}

/* A zip without entries is only its end record (and comment). libarchive
 * does not recognise it as a zip at all. */
static gboolean
is_empty_zip (GBytes *zip)
{
  gsize size;
  const guchar *data = g_bytes_get_data (zip, &size);

  return size >= 22 && memcmp (data, "PK\005\006", 4) == 0 &&
         data[10] == 0 && data[11] == 0 &&
         size == 22 + (gsize) (data[20] | (data[21] << 8));
}

static guint32
get_u32 (const guchar *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

/* TRUE when the end record's directory lies before it and begins with a
 * directory entry. libarchive reads a directory that starts anywhere else
 * as an archive of no entries: a damaged zip would pass as an empty one.
 * Zip64 archives, whose end record only points further, are left to it. */
static gboolean
directory_is_plausible (const guchar *data,
                        gsize         size)
{
  gsize lowest = size > 22 + 65535 ? size - 22 - 65535 : 0;

  for (gsize at = size - 22 + 1; at-- > lowest;)
    {
      guint32 dir_size, dir_offset;
      guint entries;

      if (memcmp (data + at, "PK\005\006", 4) != 0)
        continue;
      entries = data[at + 10] | (data[at + 11] << 8);
      dir_size = get_u32 (data + at + 12);
      dir_offset = get_u32 (data + at + 16);
      if (entries == 0xFFFF || dir_size == 0xFFFFFFFF || dir_offset == 0xFFFFFFFF)
        return TRUE;
      if ((guint64) dir_offset + dir_size > at)
        return FALSE;
      return entries == 0 || (dir_size >= 46 && memcmp (data + dir_offset, "PK\001\002", 4) == 0);
    }
  return TRUE; /* no end record: libarchive refuses that itself */
}

/* Opens zip for reading its entries; NULL without error for an empty zip.
 * Only the seekable zip reader is enabled: it trusts the central directory
 * at the end, so a truncated archive fails here instead of yielding the
 * entries before the cut. */
static CwArchive *
open_zip (GBytes      *zip,
          const char  *filename,
          GError     **error)
{
  g_autoptr(CwArchive) archive = NULL;
  gsize size;
  const guchar *data = g_bytes_get_data (zip, &size);

  if (size < 22 || data[0] != 'P' || data[1] != 'K')
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0, _("not a zip archive"));
      return NULL;
    }
  if (is_empty_zip (zip))
    return NULL;

  if (!directory_is_plausible (data, size))
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0,
                           _("damaged or incomplete zip archive (its directory is missing or unreadable)"));
      return NULL;
    }

  archive = archive_read_new ();

  archive_read_support_format_zip_seekable (archive);
  /* The reader looks for the central directory at the end: when that is
   * missing or broken the file was usually cut short in a copy or download. */
  if (archive_read_open_memory (archive, data, size) != ARCHIVE_OK)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0,
                           _("damaged or incomplete zip archive (its directory is missing or unreadable)"));
      return NULL;
    }

  return g_steal_pointer (&archive);
}

/* Advances to the next entry: TRUE with *entry set, TRUE with *entry NULL at
 * the end, FALSE on a damaged archive. */
static gboolean
next_entry (CwArchive             *archive,
            struct archive_entry **entry,
            const char            *filename,
            GError               **error)
{
  int result = archive_read_next_header (archive, entry);

  if (result == ARCHIVE_EOF)
    {
      *entry = NULL;
      return TRUE;
    }
  if (result == ARCHIVE_OK || result == ARCHIVE_WARN)
    return TRUE;

  {
    const char *reason = archive_error_string (archive);

    cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0,
                         _("damaged zip archive (%s)"), reason ? reason : _("unreadable entry"));
  }
  *entry = NULL;
  return FALSE;
}

GPtrArray *
cw_zip_list_entries (GBytes      *zip,
                     const char  *filename,
                     GError     **error)
{
  g_autoptr(CwArchive) archive = NULL;
  g_autoptr(GPtrArray) names = NULL;
  guint n_entries = 0;

  g_return_val_if_fail (zip != NULL, NULL);
  g_return_val_if_fail (filename != NULL, NULL);

  names = g_ptr_array_new_with_free_func (g_free);
  archive = open_zip (zip, filename, error);
  if (archive == NULL)
    return is_empty_zip (zip) ? g_steal_pointer (&names) : NULL;

  for (;;)
    {
      struct archive_entry *entry;
      const char *name;

      if (!next_entry (archive, &entry, filename, error))
        return NULL;
      if (entry == NULL)
        break;

      /* Counted as they come: the end record's count may lie. */
      if (++n_entries > CW_ZIP_MAX_ENTRIES)
        {
          cw_import_set_error (error, CW_IMPORT_ERROR_TOO_LARGE, filename, 0,
                               _("the archive has too many entries (more than %d)"), CW_ZIP_MAX_ENTRIES);
          return NULL;
        }
      name = entry_name (entry);
      if (archive_entry_filetype (entry) == AE_IFREG && cw_zip_entry_name_is_safe (name))
        g_ptr_array_add (names, g_strdup (name));
    }

  return g_steal_pointer (&names);
}

gboolean
cw_zip_check_entries (GBytes      *zip,
                      const char  *filename,
                      GError     **error)
{
  g_autoptr(CwArchive) archive = NULL;
  guint n_entries = 0;

  g_return_val_if_fail (zip != NULL, FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);

  archive = open_zip (zip, filename, error);
  if (archive == NULL)
    return is_empty_zip (zip);

  for (;;)
    {
      struct archive_entry *entry;
      const char *name;

      if (!next_entry (archive, &entry, filename, error))
        return FALSE;
      if (entry == NULL)
        return TRUE;
      if (++n_entries > CW_ZIP_MAX_ENTRIES)
        {
          cw_import_set_error (error, CW_IMPORT_ERROR_TOO_LARGE, filename, 0,
                               _("the archive has too many entries (more than %d)"), CW_ZIP_MAX_ENTRIES);
          return FALSE;
        }
      name = entry_name (entry);
      if (!cw_zip_entry_name_is_safe (name))
        {
          g_autofree char *shown = name != NULL ? g_utf8_make_valid (name, -1) : g_strdup ("");

          cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0,
                               _("the archive entry %s has an unsafe name (it would land outside the folder)"),
                               shown);
          return FALSE;
        }
      if (archive_entry_filetype (entry) == AE_IFLNK)
        {
          cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0,
                               _("the archive entry %s is a symbolic link"), name);
          return FALSE;
        }
    }
}

const char *
cw_zip_find_entry (GPtrArray  *entries,
                   const char *name)
{
  g_return_val_if_fail (entries != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < entries->len; i++)
    if (strcmp (g_ptr_array_index (entries, i), name) == 0)
      return g_ptr_array_index (entries, i);

  /* Some zip tools upper-case names; the first such match wins. */
  for (guint i = 0; i < entries->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (entries, i), name) == 0)
      return g_ptr_array_index (entries, i);

  return NULL;
}

/* Reads the current entry's data, never more than cap bytes. */
static GBytes *
read_data (CwArchive   *archive,
           const char  *name,
           guint64      cap,
           const char  *filename,
           GError     **error)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  guchar chunk[32 * 1024];

  for (;;)
    {
      la_ssize_t n = archive_read_data (archive, chunk, sizeof chunk);

      if (n == 0)
        break;
      if (n < 0)
        {
          const char *reason = archive_error_string (archive);

          cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0,
                               _("damaged zip archive: cannot unpack %s (%s)"),
                               name, reason ? reason : _("read error"));
          return NULL;
        }
      /* Counted as it comes: the sizes in the headers may lie. */
      if ((guint64) buffer->len + (guint64) n > cap)
        {
          g_autofree char *limit = g_format_size (cap);

          cw_import_set_error (error, CW_IMPORT_ERROR_TOO_LARGE, filename, 0,
                               _("%s unpacks to more than %s; the archive is damaged or a decompression bomb"),
                               name, limit);
          return NULL;
        }
      g_byte_array_append (buffer, chunk, (guint) n);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

/* Looks for the entry called name, matched exactly when exact, else ignoring
 * case, and reads it. Returns FALSE with error on failure; TRUE with *bytes
 * NULL if there is no such entry. */
static gboolean
find_and_read (GBytes      *zip,
               const char  *name,
               gboolean     exact,
               guint64      cap,
               const char  *filename,
               GBytes     **bytes,
               GError     **error)
{
  g_autoptr(CwArchive) archive = open_zip (zip, filename, error);

  *bytes = NULL;
  if (archive == NULL)
    return is_empty_zip (zip);

  for (;;)
    {
      struct archive_entry *entry;
      const char *entry_path;

      if (!next_entry (archive, &entry, filename, error))
        return FALSE;
      if (entry == NULL)
        return TRUE;

      entry_path = entry_name (entry);
      if (entry_path == NULL)
        continue;
      if (exact ? strcmp (entry_path, name) != 0 : g_ascii_strcasecmp (entry_path, name) != 0)
        continue;

      if (!cw_zip_entry_name_is_safe (entry_path))
        {
          cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0,
                               _("the archive entry %s has an unsafe name"), entry_path);
          return FALSE;
        }
      if (archive_entry_filetype (entry) != AE_IFREG)
        {
          cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0,
                               _("the archive entry %s is not a regular file"), entry_path);
          return FALSE;
        }
      if (archive_entry_is_encrypted (entry))
        {
          cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, filename, 0,
                               _("the archive entry %s is password-protected"), entry_path);
          return FALSE;
        }

      *bytes = read_data (archive, entry_path, cap, filename, error);
      return *bytes != NULL;
    }
}

GBytes *
cw_zip_read_entry (GBytes      *zip,
                   const char  *name,
                   gsize        max_bytes,
                   const char  *filename,
                   GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  guint64 cap;

  g_return_val_if_fail (zip != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (filename != NULL, NULL);

  if (!cw_zip_entry_name_is_safe (name))
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0,
                           _("the archive entry %s has an unsafe name"), name);
      return NULL;
    }

  cap = MIN ((guint64) max_bytes, (guint64) CW_IMPORT_MAX_RATIO * g_bytes_get_size (zip));

  if (!find_and_read (zip, name, TRUE, cap, filename, &bytes, error))
    return NULL;
  if (bytes == NULL && !find_and_read (zip, name, FALSE, cap, filename, &bytes, error))
    return NULL;
  if (bytes == NULL)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, filename, 0,
                           _("the archive has no entry %s"), name);
      return NULL;
    }

  return g_steal_pointer (&bytes);
}
