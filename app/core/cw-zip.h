/* cw-zip.h: reading single entries from a zip archive held in memory.
 *
 * Used by the .docx/.odt importers and meant for .qdpx as well. Every read
 * is capped (decompression bombs), corrupt or truncated archives are refused,
 * and entries whose names could escape a folder are never handed out.
 * Errors are in the CW_IMPORT_ERROR domain and read "FILE: reason".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE if name is a relative path that stays inside the folder it would be
 * extracted to: not empty, valid UTF-8, no leading '/', no drive letter, no
 * backslash, no ".." component. */
gboolean   cw_zip_entry_name_is_safe (const char  *name);

/* More entries than the classic zip format holds without Zip64: no office
 * file or REFI-QDA export has that many, and each costs a name in memory. */
#define CW_ZIP_MAX_ENTRIES 65535

/* Names (UTF-8, char *) of the regular files in zip, in archive order. Entries
 * that can never be read (directories, symlinks, unsafe names) are left out.
 * An archive of more than CW_ZIP_MAX_ENTRIES entries is refused with
 * CW_IMPORT_ERROR_TOO_LARGE. filename is only used in error messages. */
GPtrArray *cw_zip_list_entries       (GBytes      *zip,
                                      const char  *filename,
                                      GError     **error);

/* Refuses (CW_IMPORT_ERROR_CORRUPT) an archive with any entry that would
 * land outside the folder it is extracted to (an unsafe name) or that is a
 * symbolic link, whether or not it is ever read: such a file was made to
 * attack, not exported by a program. */
gboolean   cw_zip_check_entries      (GBytes      *zip,
                                      const char  *filename,
                                      GError     **error);

/* The name in entries (as from cw_zip_list_entries()) that matches name:
 * exactly, else ignoring ASCII case; NULL if none. */
const char *cw_zip_find_entry        (GPtrArray   *entries,
                                      const char  *name);

/* The decompressed contents of the entry called name (an exact match first,
 * else the first match ignoring ASCII case). Reading stops with
 * CW_IMPORT_ERROR_TOO_LARGE past max_bytes or past CW_IMPORT_MAX_RATIO times
 * the archive's size, whatever the entry's header claims. A missing entry is
 * CW_IMPORT_ERROR_UNSUPPORTED; a broken archive, an unsafe name or a symlink
 * CW_IMPORT_ERROR_CORRUPT. */
GBytes    *cw_zip_read_entry         (GBytes      *zip,
                                      const char  *name,
                                      gsize        max_bytes,
                                      const char  *filename,
                                      GError     **error);

G_END_DECLS
