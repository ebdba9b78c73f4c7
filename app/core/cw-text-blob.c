/* cw-text-blob.c: a document's text read as far as it is needed. */
#include "config.h"

#include "cw-text-blob-private.h"

gboolean
_cw_text_blob_open (CwTextBlob *tb,
                    sqlite3    *db,
                    gint64      id)
{
  int rc = tb->blob != NULL ? sqlite3_blob_reopen (tb->blob, id)
                            : sqlite3_blob_open (db, "main", "documents", "text", id, 0, &tb->blob);

  if (rc != SQLITE_OK)
    {
      /* A handle that failed to move is of no further use. */
      g_clear_pointer (&tb->blob, sqlite3_blob_close);
      return FALSE;
    }
  tb->total = (gsize) sqlite3_blob_bytes (tb->blob);
  tb->have = 0;
  /* Room for the whole text at once: the buffer never moves while a text
   * is read, so pointers into it stay good. */
  if (tb->allocated < tb->total + 1)
    {
      g_free (tb->buffer);
      tb->allocated = MAX (tb->total + 1, 2 * tb->allocated);
      tb->buffer = g_malloc (tb->allocated);
    }
  tb->buffer[0] = '\0';
  return TRUE;
}

int
_cw_text_blob_read (CwTextBlob *tb,
                    gsize       upto)
{
  int rc;

  g_return_val_if_fail (tb->blob != NULL, SQLITE_MISUSE);
  upto = MIN (upto, tb->total);
  if (upto <= tb->have)
    return SQLITE_OK;
  rc = sqlite3_blob_read (tb->blob, tb->buffer + tb->have, (int) (upto - tb->have), (int) tb->have);
  if (rc != SQLITE_OK)
    return rc;
  tb->have = upto;
  tb->buffer[upto] = '\0';
  return SQLITE_OK;
}

void
_cw_text_blob_clear (CwTextBlob *tb)
{
  g_clear_pointer (&tb->blob, sqlite3_blob_close);
  g_clear_pointer (&tb->buffer, g_free);
  tb->allocated = tb->total = tb->have = 0;
}
