/* cw-text-blob-private.h: a document's text read as far as it is needed.
 *
 * SQLite's incremental blob reader reads a long text's overflow pages only
 * as far as asked, so a walk that stops before the end of a text (the
 * last hit of a search, a code's last segment) does not read the rest.
 * The bytes are the stored ones: only a UTF-8 database stores UTF-8, so
 * callers check PRAGMA encoding first and otherwise read the text whole.
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct
{
  sqlite3_blob *blob;      /* documents.text, moved from row to row */
  char         *buffer;    /* the part read so far, NUL-terminated */
  gsize         allocated;
  gsize         total;     /* the text's bytes */
  gsize         have;      /* how many of them buffer holds */
} CwTextBlob;

/* Moves to the text of document id, nothing of it read yet; FALSE when it
 * cannot be read this way (no such row, no text), the handle then closed. */
gboolean _cw_text_blob_open  (CwTextBlob *tb,
                              sqlite3    *db,
                              gint64      id);
/* Reads the text up to byte upto at least (or its end): an SQLite code.
 * buffer stays where _cw_text_blob_open put it. */
int      _cw_text_blob_read  (CwTextBlob *tb,
                              gsize       upto);
void     _cw_text_blob_clear (CwTextBlob *tb);

G_END_DECLS
