/* cw-player-bar.h: the recording of the document shown, under its
 * transcript: play and pause, position, skip, speed; or why it cannot play
 * (the file moved, or GStreamer cannot decode it).
 *
 * Properties: "position" (double, seconds; read-only), "playing"
 * (read-only), "state" (CwPlayerState; read-only). Signals:
 * "locate-requested" (the Locate… button of a missing recording).
 */
#pragma once

#include <gtk/gtk.h>

#include "cw-media.h"

G_BEGIN_DECLS

typedef enum
{
  CW_PLAYER_NONE,    /* no recording: the bar is hidden */
  CW_PLAYER_LOADING, /* a file, not yet opened by the media backend */
  CW_PLAYER_READY,   /* playable */
  CW_PLAYER_MISSING, /* the file is not where it was */
  CW_PLAYER_ERROR,   /* the backend cannot play it (codec, damaged file) */
} CwPlayerState;

#define CW_PLAYER_MIN_SPEED 0.5
#define CW_PLAYER_MAX_SPEED 2.0
#define CW_PLAYER_SPEED_STEP 0.25
/* What F3 and F5 skip, in seconds. */
#define CW_PLAYER_SKIP 5.0

#define CW_TYPE_PLAYER_BAR (cw_player_bar_get_type ())
G_DECLARE_FINAL_TYPE (CwPlayerBar, cw_player_bar, CW, PLAYER_BAR, GtkWidget)

GtkWidget     *cw_player_bar_new            (void);
/* Shows recording (copied; NULL hides the bar). The same file as before
 * keeps its stream, position and speed. */
void           cw_player_bar_set_recording  (CwPlayerBar       *self,
                                             const CwRecording *recording);
CwPlayerState  cw_player_bar_get_state      (CwPlayerBar       *self);
/* The document the recording belongs to, 0 when none. */
gint64         cw_player_bar_get_document_id (CwPlayerBar      *self);
/* Seconds from the recording's start; -1 when there is no stream. */
double         cw_player_bar_get_position   (CwPlayerBar       *self);
gboolean       cw_player_bar_get_playing    (CwPlayerBar       *self);
void           cw_player_bar_toggle_playing (CwPlayerBar       *self);
void           cw_player_bar_pause          (CwPlayerBar       *self);
/* Seeks to seconds and plays (waits for the stream to open if needed). */
void           cw_player_bar_play_from      (CwPlayerBar       *self,
                                             double             seconds);
/* Seeks without changing play or pause. */
void           cw_player_bar_seek           (CwPlayerBar       *self,
                                             double             seconds);
/* Seeks by delta seconds (negative: back), clamped to the recording. */
void           cw_player_bar_skip           (CwPlayerBar       *self,
                                             double             delta);
/* Playback speed, 0.5 to 2 in steps of 0.25. */
double         cw_player_bar_get_speed      (CwPlayerBar       *self);
void           cw_player_bar_set_speed      (CwPlayerBar       *self,
                                             double             speed);
/* FALSE when the media backend has no way to change the speed. */
gboolean       cw_player_bar_can_change_speed (CwPlayerBar     *self);
/* What the bar says when it cannot play (missing or error state), NULL
 * otherwise. */
const char    *cw_player_bar_get_message    (CwPlayerBar       *self);
GtkMediaStream *cw_player_bar_get_stream    (CwPlayerBar       *self);
/* "1:05", "12:34", "1:02:03": a position for people. */
char          *cw_player_bar_format_time    (double             seconds);

G_END_DECLS
