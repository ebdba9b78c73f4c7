/* cw-import-private.h: what the importers share beyond cw-import.h. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* g_utf8_normalize (str, len, G_NORMALIZE_NFC) in linear time. GLib's is
 * quadratic in the compositions and in the marks of one call (fuzzing: a
 * 4 MiB line of "e" + U+0301 took minutes), so this hands it short pieces;
 * like Unicode's Stream-Safe Text Format (UAX #15) it puts U+034F after
 * every 30 combining marks in a row, which no real text has. NULL only
 * for invalid UTF-8. */
char *_cw_utf8_normalize_nfc (const char *str,
                              gssize      len);

G_END_DECLS
