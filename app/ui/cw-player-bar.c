/* cw-player-bar.c: the recording of the document shown.
 *
 * Playback is GTK's own: a GtkMediaFile, which on Debian is GStreamer
 * (libgtk-4-media-gstreamer). Without an audio device GStreamer's
 * autoaudiosink falls back to a fake sink, so the position still runs (in
 * CI under Xvfb too). A file GStreamer cannot decode ends in the stream's
 * error, which the bar shows in words instead of the controls.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cw-player-bar.h"

struct _CwPlayerBar
{
  GtkWidget       parent_instance;

  /* template */
  GtkWidget      *box;
  GtkPicture     *video;
  GtkStack       *stack;
  GtkButton      *play_button;
  GtkLabel       *elapsed_label;
  GtkScale       *scale;
  GtkAdjustment  *adjustment;
  GtkLabel       *total_label;
  GtkDropDown    *speed_dropdown;
  GtkLabel       *problem_label;
  GtkButton      *locate_button;

  /* owned */
  CwRecording    *recording;
  GtkMediaStream *stream;
  char           *message;
  CwPlayerState   state;
  double          speed;
  double          pending_seek;  /* seconds; < 0: none (a seek before the stream opened) */
  double          seek_target;   /* seconds; < 0: no seek under way */
  gboolean        speed_supported;
  gboolean        updating;      /* the bar itself sets the scale or the dropdown */
};

enum {
  PROP_0,
  PROP_POSITION,
  PROP_PLAYING,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  LOCATE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CwPlayerBar, cw_player_bar, GTK_TYPE_WIDGET)

#define N_SPEEDS 7 /* 0.5 to 2 in steps of 0.25 */

static CwRecording *
recording_copy (const CwRecording *recording)
{
  CwRecording *copy = g_new0 (CwRecording, 1);

  copy->document_id = recording->document_id;
  copy->stored_path = g_strdup (recording->stored_path);
  copy->resolved_path = g_strdup (recording->resolved_path);
  copy->original_path = g_strdup (recording->original_path);
  copy->kind = recording->kind;
  copy->content_type = g_strdup (recording->content_type);
  return copy;
}

char *
cw_player_bar_format_time (double seconds)
{
  guint64 total;

  if (seconds < 0 || !isfinite (seconds))
    seconds = 0;
  total = (guint64) seconds;
  if (total >= 3600)
    return g_strdup_printf ("%u:%02u:%02u", (guint) (total / 3600), (guint) (total / 60 % 60), (guint) (total % 60));
  return g_strdup_printf ("%u:%02u", (guint) (total / 60), (guint) (total % 60));
}

static char *
recording_name (const CwRecording *recording)
{
  const char *path = recording->resolved_path != NULL ? recording->resolved_path : recording->stored_path;

  return g_path_get_basename (path != NULL ? path : "");
}

/* GTK 4.8's GtkMediaStream has no playback rate. Its GStreamer backend,
 * GtkGstMediaFile, plays through a GstPlayer (GstPlay in later GTK) that
 * has a "rate" property, held in the first field after the GtkMediaFile
 * instance. It is used only when the types say that is what it is; else
 * the speed stays at 1x and the speed control is off. */
static GObject *
backend_player (GtkMediaStream *stream)
{
  GTypeQuery query;
  gpointer candidate = NULL;
  const char *const names[] = { "GstPlayer", "GstPlay" };

  if (stream == NULL || g_strcmp0 (G_OBJECT_TYPE_NAME (stream), "GtkGstMediaFile") != 0)
    return NULL;
  g_type_query (G_OBJECT_TYPE (stream), &query);
  if (query.instance_size < sizeof (GtkMediaFile) + sizeof (gpointer))
    return NULL;
  memcpy (&candidate, (const char *) stream + sizeof (GtkMediaFile), sizeof candidate);
  if (candidate == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GType type = g_type_from_name (names[i]);

      if (type != 0 && G_TYPE_CHECK_INSTANCE_TYPE (candidate, type) &&
          g_object_class_find_property (G_OBJECT_GET_CLASS (candidate), "rate") != NULL)
        return candidate;
    }
  return NULL;
}

static void
apply_speed (CwPlayerBar *self)
{
  GObject *player = backend_player (self->stream);

  self->speed_supported = player != NULL;
  if (player != NULL)
    g_object_set (player, "rate", self->speed, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->speed_dropdown),
                            self->speed_supported || self->stream == NULL);
  if (!self->speed_supported && self->stream != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->speed_dropdown),
                                 _("This media backend cannot change the playback speed"));
}

double
cw_player_bar_get_position (CwPlayerBar *self)
{
  g_return_val_if_fail (CW_IS_PLAYER_BAR (self), -1);

  if (self->stream == NULL || self->state == CW_PLAYER_ERROR)
    return -1;
  if (self->seek_target >= 0)
    return self->seek_target;
  if (self->pending_seek >= 0)
    return self->pending_seek;
  return gtk_media_stream_get_timestamp (self->stream) / (double) G_USEC_PER_SEC;
}

static double
duration (CwPlayerBar *self)
{
  if (self->stream == NULL)
    return 0;
  return MAX (gtk_media_stream_get_duration (self->stream), 0) / (double) G_USEC_PER_SEC;
}

static void
update_actions (CwPlayerBar *self)
{
  gboolean usable = self->stream != NULL &&
                    (self->state == CW_PLAYER_READY || self->state == CW_PLAYER_LOADING);
  gboolean playing = usable && gtk_media_stream_get_playing (self->stream);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.play-pause", usable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.skip-back", self->state == CW_PLAYER_READY);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.skip-forward", self->state == CW_PLAYER_READY);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scale), self->state == CW_PLAYER_READY);

  gtk_button_set_icon_name (self->play_button,
                            playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), playing ? _("Pause (F4)") : _("Play (F4)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, playing ? _("Pause") : _("Play"),
                                  -1);
}

static void
update_position (CwPlayerBar *self)
{
  double position = MAX (cw_player_bar_get_position (self), 0);
  g_autofree char *elapsed = cw_player_bar_format_time (position);

  gtk_label_set_text (self->elapsed_label, elapsed);
  self->updating = TRUE;
  gtk_adjustment_set_value (self->adjustment, position);
  self->updating = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

static void
update_duration (CwPlayerBar *self)
{
  double total = duration (self);
  g_autofree char *text = cw_player_bar_format_time (total);

  gtk_label_set_text (self->total_label, text);
  gtk_adjustment_set_upper (self->adjustment, MAX (total, 1));
}

static void
set_state (CwPlayerBar   *self,
           CwPlayerState  state)
{
  gtk_widget_set_visible (GTK_WIDGET (self), state != CW_PLAYER_NONE);
  gtk_stack_set_visible_child_name (self->stack,
                                    state == CW_PLAYER_MISSING || state == CW_PLAYER_ERROR ? "problem" : "player");
  gtk_widget_set_visible (GTK_WIDGET (self->locate_button), state == CW_PLAYER_MISSING);
  gtk_label_set_text (self->problem_label, self->message != NULL ? self->message : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->problem_label), self->message);

  if (self->state == state)
    {
      update_actions (self);
      return;
    }
  self->state = state;
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* GStreamer's message names the element first ("Error from element
 * /GstPlayBin:playbin/…: Could not demultiplex stream.") and adds debug
 * lines: the reason for people is the plain sentence. */
static char *
error_reason (const GError *error)
{
  g_auto(GStrv) lines = g_strsplit (error->message, "\n", -1);
  const char *reason = lines[0];

  if (g_str_has_prefix (reason, "Error from element") && lines[1] != NULL && lines[1][0] != '\0')
    reason = lines[1];
  return g_strstrip (g_strdup (reason));
}

static gboolean
needs_libav (const CwRecording *recording,
             const char        *reason)
{
  static const char *const types[] = { "audio/mp4", "video/mp4", "audio/x-m4a", "audio/aac",
                                       "video/quicktime", "video/x-matroska", "video/webm", NULL };
  g_autofree char *lower = g_ascii_strdown (reason, -1);

  if (recording->content_type != NULL && g_strv_contains (types, recording->content_type))
    return TRUE;
  return strstr (lower, "plug-in") != NULL || strstr (lower, "plugin") != NULL ||
         strstr (lower, "decoder") != NULL || strstr (lower, "codec") != NULL;
}

static void
stream_error_cb (CwPlayerBar *self)
{
  const GError *error = gtk_media_stream_get_error (self->stream);
  g_autofree char *name = NULL;
  g_autofree char *reason = NULL;

  if (error == NULL)
    return;

  name = recording_name (self->recording);
  reason = error_reason (error);
  g_free (self->message);
  if (needs_libav (self->recording, reason))
    /* Translators: a recording's file name, GStreamer's reason (in its own
     * words), then what to install. */
    self->message = g_strdup_printf (_("Cannot play “%s”: %s Install gstreamer1.0-libav for AAC and MP4, gstreamer1.0-plugins-good for the others."),
                                     name, reason);
  else
    /* Translators: a recording's file name, then GStreamer's reason. */
    self->message = g_strdup_printf (_("Cannot play “%s”: %s"), name, reason);
  self->seek_target = self->pending_seek = -1;
  gtk_widget_set_visible (GTK_WIDGET (self->video), FALSE);
  set_state (self, CW_PLAYER_ERROR);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

static void
stream_prepared_cb (CwPlayerBar *self)
{
  if (!gtk_media_stream_is_prepared (self->stream) || gtk_media_stream_get_error (self->stream) != NULL)
    return;

  update_duration (self);
  apply_speed (self);
  if (gtk_media_stream_has_video (self->stream))
    {
      gtk_picture_set_paintable (self->video, GDK_PAINTABLE (self->stream));
      gtk_widget_set_visible (GTK_WIDGET (self->video), TRUE);
    }
  set_state (self, CW_PLAYER_READY);
  if (self->pending_seek >= 0)
    {
      double seconds = self->pending_seek;

      self->pending_seek = -1;
      cw_player_bar_seek (self, seconds);
    }
  update_position (self);
}

static void
stream_timestamp_cb (CwPlayerBar *self)
{
  if (self->seek_target >= 0 && !gtk_media_stream_is_seeking (self->stream))
    self->seek_target = -1;
  update_position (self);
}

static void
stream_seeking_cb (CwPlayerBar *self)
{
  if (!gtk_media_stream_is_seeking (self->stream) && self->seek_target >= 0)
    {
      self->seek_target = -1;
      update_position (self);
    }
}

static void
stream_playing_cb (CwPlayerBar *self)
{
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

static void
clear_stream (CwPlayerBar *self)
{
  if (self->stream == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->stream, self);
  gtk_media_stream_pause (self->stream);
  gtk_picture_set_paintable (self->video, NULL);
  g_clear_object (&self->stream);
}

void
cw_player_bar_set_recording (CwPlayerBar       *self,
                             const CwRecording *recording)
{
  g_autofree char *name = NULL;

  g_return_if_fail (CW_IS_PLAYER_BAR (self));

  /* The same file for the same document: keep playing where it was (a
   * ::changed for an unrelated edit reads the recording again). */
  if (recording != NULL && self->recording != NULL &&
      recording->document_id == self->recording->document_id &&
      g_strcmp0 (recording->resolved_path, self->recording->resolved_path) == 0 &&
      g_strcmp0 (recording->stored_path, self->recording->stored_path) == 0)
    return;

  clear_stream (self);
  g_clear_pointer (&self->recording, cw_recording_free);
  g_clear_pointer (&self->message, g_free);
  self->pending_seek = self->seek_target = -1;
  gtk_widget_set_visible (GTK_WIDGET (self->video), FALSE);
  gtk_adjustment_set_upper (self->adjustment, 1);
  gtk_adjustment_set_value (self->adjustment, 0);
  gtk_label_set_text (self->elapsed_label, "0:00");
  gtk_label_set_text (self->total_label, "0:00");

  if (recording == NULL)
    {
      set_state (self, CW_PLAYER_NONE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
      return;
    }

  self->recording = recording_copy (recording);
  name = recording_name (recording);
  /* The file's name where the pointer rests on the position. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->scale),
                               recording->resolved_path != NULL ? recording->resolved_path : recording->stored_path);

  if (recording->resolved_path == NULL)
    {
      /* Translators: the file name of a recording that is not where it was. */
      self->message = g_strdup_printf (_("Recording not found: %s"), name);
      set_state (self, CW_PLAYER_MISSING);
    }
  else
    {
      self->stream = gtk_media_file_new_for_filename (recording->resolved_path);
      g_signal_connect_swapped (self->stream, "notify::error", G_CALLBACK (stream_error_cb), self);
      g_signal_connect_swapped (self->stream, "notify::prepared", G_CALLBACK (stream_prepared_cb), self);
      g_signal_connect_swapped (self->stream, "notify::duration", G_CALLBACK (update_duration), self);
      g_signal_connect_swapped (self->stream, "notify::timestamp", G_CALLBACK (stream_timestamp_cb), self);
      g_signal_connect_swapped (self->stream, "notify::seeking", G_CALLBACK (stream_seeking_cb), self);
      g_signal_connect_swapped (self->stream, "notify::playing", G_CALLBACK (stream_playing_cb), self);
      set_state (self, CW_PLAYER_LOADING);
      /* Opening happens on the main loop; it may have failed already. */
      if (gtk_media_stream_get_error (self->stream) != NULL)
        stream_error_cb (self);
      else if (gtk_media_stream_is_prepared (self->stream))
        stream_prepared_cb (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

CwPlayerState
cw_player_bar_get_state (CwPlayerBar *self)
{
  g_return_val_if_fail (CW_IS_PLAYER_BAR (self), CW_PLAYER_NONE);

  return self->state;
}

gint64
cw_player_bar_get_document_id (CwPlayerBar *self)
{
  g_return_val_if_fail (CW_IS_PLAYER_BAR (self), 0);

  return self->recording != NULL ? self->recording->document_id : 0;
}

gboolean
cw_player_bar_get_playing (CwPlayerBar *self)
{
  g_return_val_if_fail (CW_IS_PLAYER_BAR (self), FALSE);

  return self->stream != NULL && self->state != CW_PLAYER_ERROR && gtk_media_stream_get_playing (self->stream);
}

void
cw_player_bar_pause (CwPlayerBar *self)
{
  g_return_if_fail (CW_IS_PLAYER_BAR (self));

  if (self->stream != NULL)
    gtk_media_stream_pause (self->stream);
}

void
cw_player_bar_toggle_playing (CwPlayerBar *self)
{
  g_return_if_fail (CW_IS_PLAYER_BAR (self));

  if (self->stream == NULL || self->state == CW_PLAYER_ERROR)
    return;
  if (gtk_media_stream_get_playing (self->stream))
    {
      gtk_media_stream_pause (self->stream);
      return;
    }
  /* At the end, play means from the start again. */
  if (gtk_media_stream_get_ended (self->stream))
    cw_player_bar_seek (self, 0);
  gtk_media_stream_play (self->stream);
}

void
cw_player_bar_seek (CwPlayerBar *self,
                    double       seconds)
{
  double total;

  g_return_if_fail (CW_IS_PLAYER_BAR (self));

  if (self->stream == NULL || self->state == CW_PLAYER_ERROR)
    return;

  seconds = MAX (seconds, 0);
  if (self->state != CW_PLAYER_READY)
    {
      /* Not open yet: seek once it is. */
      self->pending_seek = seconds;
      update_position (self);
      return;
    }

  total = duration (self);
  if (total > 0)
    seconds = MIN (seconds, total);
  if (!gtk_media_stream_is_seekable (self->stream))
    return;
  self->seek_target = seconds;
  gtk_media_stream_seek (self->stream, (gint64) (seconds * G_USEC_PER_SEC));
  update_position (self);
}

void
cw_player_bar_play_from (CwPlayerBar *self,
                         double       seconds)
{
  g_return_if_fail (CW_IS_PLAYER_BAR (self));

  if (self->stream == NULL || self->state == CW_PLAYER_ERROR)
    return;
  cw_player_bar_seek (self, seconds);
  gtk_media_stream_play (self->stream);
}

void
cw_player_bar_skip (CwPlayerBar *self,
                    double       delta)
{
  double position;

  g_return_if_fail (CW_IS_PLAYER_BAR (self));

  position = cw_player_bar_get_position (self);
  if (position < 0)
    return;
  cw_player_bar_seek (self, position + delta);
}

double
cw_player_bar_get_speed (CwPlayerBar *self)
{
  g_return_val_if_fail (CW_IS_PLAYER_BAR (self), 1.0);

  return self->speed;
}

void
cw_player_bar_set_speed (CwPlayerBar *self,
                         double       speed)
{
  g_return_if_fail (CW_IS_PLAYER_BAR (self));

  /* To the nearest step, within range. */
  speed = CLAMP (speed, CW_PLAYER_MIN_SPEED, CW_PLAYER_MAX_SPEED);
  speed = CW_PLAYER_MIN_SPEED + CW_PLAYER_SPEED_STEP * (guint) ((speed - CW_PLAYER_MIN_SPEED) / CW_PLAYER_SPEED_STEP + 0.5);
  self->speed = speed;

  self->updating = TRUE;
  gtk_drop_down_set_selected (self->speed_dropdown,
                              (guint) ((speed - CW_PLAYER_MIN_SPEED) / CW_PLAYER_SPEED_STEP + 0.5));
  self->updating = FALSE;
  if (self->stream != NULL && self->state == CW_PLAYER_READY)
    apply_speed (self);
}

gboolean
cw_player_bar_can_change_speed (CwPlayerBar *self)
{
  g_return_val_if_fail (CW_IS_PLAYER_BAR (self), FALSE);

  return self->speed_supported;
}

const char *
cw_player_bar_get_message (CwPlayerBar *self)
{
  g_return_val_if_fail (CW_IS_PLAYER_BAR (self), NULL);

  return self->state == CW_PLAYER_MISSING || self->state == CW_PLAYER_ERROR ? self->message : NULL;
}

GtkMediaStream *
cw_player_bar_get_stream (CwPlayerBar *self)
{
  g_return_val_if_fail (CW_IS_PLAYER_BAR (self), NULL);

  return self->stream;
}

/* Template callbacks and actions */

static gboolean
scale_change_value_cb (CwPlayerBar   *self,
                       GtkScrollType  scroll,
                       double         value,
                       GtkRange      *range)
{
  if (!self->updating)
    cw_player_bar_seek (self, value);
  return TRUE;
}

static void
speed_selected_cb (CwPlayerBar *self)
{
  guint selected = gtk_drop_down_get_selected (self->speed_dropdown);

  if (self->updating || selected == GTK_INVALID_LIST_POSITION)
    return;
  cw_player_bar_set_speed (self, CW_PLAYER_MIN_SPEED + CW_PLAYER_SPEED_STEP * selected);
}

static void
locate_clicked_cb (CwPlayerBar *self)
{
  g_signal_emit (self, signals[LOCATE_REQUESTED], 0);
}

static void
play_pause_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  cw_player_bar_toggle_playing (CW_PLAYER_BAR (widget));
}

static void
skip_back_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  cw_player_bar_skip (CW_PLAYER_BAR (widget), -CW_PLAYER_SKIP);
}

static void
skip_forward_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  cw_player_bar_skip (CW_PLAYER_BAR (widget), CW_PLAYER_SKIP);
}

static void
cw_player_bar_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CwPlayerBar *self = CW_PLAYER_BAR (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      g_value_set_double (value, cw_player_bar_get_position (self));
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, cw_player_bar_get_playing (self));
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_player_bar_dispose (GObject *object)
{
  CwPlayerBar *self = CW_PLAYER_BAR (object);

  clear_stream (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_PLAYER_BAR);

  G_OBJECT_CLASS (cw_player_bar_parent_class)->dispose (object);
}

static void
cw_player_bar_finalize (GObject *object)
{
  CwPlayerBar *self = CW_PLAYER_BAR (object);

  g_clear_pointer (&self->recording, cw_recording_free);
  g_free (self->message);

  G_OBJECT_CLASS (cw_player_bar_parent_class)->finalize (object);
}

static void
cw_player_bar_class_init (CwPlayerBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_player_bar_dispose;
  object_class->finalize = cw_player_bar_finalize;
  object_class->get_property = cw_player_bar_get_property;

  /* Where the recording is, in seconds; -1 without a stream. Follows the
   * stream, and jumps at once on a seek. */
  properties[PROP_POSITION] =
    g_param_spec_double ("position", NULL, NULL, -1, G_MAXDOUBLE, -1,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* A CwPlayerState. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, CW_PLAYER_NONE, CW_PLAYER_ERROR, CW_PLAYER_NONE,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CwPlayerBar::locate-requested:
   *
   * The user wants to say where a missing recording is now.
   */
  signals[LOCATE_REQUESTED] =
    g_signal_new ("locate-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cw-player-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, CwPlayerBar, box);
  gtk_widget_class_bind_template_child (widget_class, CwPlayerBar, video);
  gtk_widget_class_bind_template_child (widget_class, CwPlayerBar, stack);
  gtk_widget_class_bind_template_child (widget_class, CwPlayerBar, play_button);
  gtk_widget_class_bind_template_child (widget_class, CwPlayerBar, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, CwPlayerBar, scale);
  gtk_widget_class_bind_template_child (widget_class, CwPlayerBar, adjustment);
  gtk_widget_class_bind_template_child (widget_class, CwPlayerBar, total_label);
  gtk_widget_class_bind_template_child (widget_class, CwPlayerBar, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CwPlayerBar, problem_label);
  gtk_widget_class_bind_template_child (widget_class, CwPlayerBar, locate_button);
  gtk_widget_class_bind_template_callback (widget_class, scale_change_value_cb);
  gtk_widget_class_bind_template_callback (widget_class, speed_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, locate_clicked_cb);

  gtk_widget_class_install_action (widget_class, "player.play-pause", NULL, play_pause_action);
  gtk_widget_class_install_action (widget_class, "player.skip-back", NULL, skip_back_action);
  gtk_widget_class_install_action (widget_class, "player.skip-forward", NULL, skip_forward_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "playerbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cw_player_bar_init (CwPlayerBar *self)
{
  g_autoptr(GtkStringList) speeds = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_SPEEDS; i++)
    {
      /* Translators: a playback speed, as in "0.75×" (the decimal sign is
       * the locale's). */
      g_autofree char *label = g_strdup_printf (_("%g×"), CW_PLAYER_MIN_SPEED + CW_PLAYER_SPEED_STEP * i);

      gtk_string_list_append (speeds, label);
    }
  gtk_drop_down_set_model (self->speed_dropdown, G_LIST_MODEL (speeds));

  self->state = CW_PLAYER_NONE;
  self->pending_seek = self->seek_target = -1;
  cw_player_bar_set_speed (self, 1.0);
  set_state (self, CW_PLAYER_NONE);
}

GtkWidget *
cw_player_bar_new (void)
{
  return g_object_new (CW_TYPE_PLAYER_BAR, NULL);
}
