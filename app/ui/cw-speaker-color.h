/* cw-speaker-color.h: a stable colour per speaker name. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CW_SPEAKER_COLOR_N 8

/* Index into the palette for a speaker: the same name always gets the same
 * colour, in every document and every run. */
guint       cw_speaker_color_index (const char *speaker);
/* "#rrggbb" for the speaker's palette entry, dark for a dark background. */
const char *cw_speaker_color       (const char *speaker,
                                    gboolean    dark);
const char *cw_speaker_color_at    (guint       index,
                                    gboolean    dark);
/* Indexes for a document's speakers (in order of appearance): each starts at
 * its hashed index and moves on to the next free entry, so speakers of one
 * document differ while there are colours left. Returns name -> index + 1
 * (GUINT_TO_POINTER). */
GHashTable *cw_speaker_color_assign (const char * const *speakers);

G_END_DECLS
