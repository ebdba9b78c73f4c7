/* cw-speaker-color.c: a stable colour per speaker name.
 *
 * Two variants of the GNOME palette: darker shades that keep contrast on a
 * light background, lighter ones on a dark background.
 */
#include "cw-speaker-color.h"

static const char *const light_palette[CW_SPEAKER_COLOR_N] = {
  "#1a5fb4", /* blue 5 */
  "#26a269", /* green 5 */
  "#c64600", /* orange 5 */
  "#a51d2d", /* red 5 */
  "#613583", /* purple 5 */
  "#865e3c", /* brown 3 */
  "#0e7774", /* teal */
  "#9c6d00", /* dark yellow */
};

static const char *const dark_palette[CW_SPEAKER_COLOR_N] = {
  "#99c1f1", /* blue 1 */
  "#8ff0a4", /* green 1 */
  "#ffbe6f", /* orange 1 */
  "#f66151", /* red 1 */
  "#dc8add", /* purple 1 */
  "#cdab8f", /* brown 1 */
  "#7ee0d6", /* teal */
  "#f9f06b", /* yellow 1 */
};

guint
cw_speaker_color_index (const char *speaker)
{
  guint32 hash = 2166136261u;

  /* FNV-1a on the bytes: fixed here, so a colour never changes with GLib. */
  for (const guchar *p = (const guchar *) (speaker != NULL ? speaker : ""); *p != '\0'; p++)
    {
      hash ^= *p;
      hash *= 16777619u;
    }

  return hash % CW_SPEAKER_COLOR_N;
}

const char *
cw_speaker_color_at (guint    index,
                     gboolean dark)
{
  index %= CW_SPEAKER_COLOR_N;
  return dark ? dark_palette[index] : light_palette[index];
}

const char *
cw_speaker_color (const char *speaker,
                  gboolean    dark)
{
  return cw_speaker_color_at (cw_speaker_color_index (speaker), dark);
}

GHashTable *
cw_speaker_color_assign (const char * const *speakers)
{
  GHashTable *indexes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean used[CW_SPEAKER_COLOR_N] = { FALSE };
  guint n_used = 0;

  for (guint i = 0; speakers != NULL && speakers[i] != NULL; i++)
    {
      guint index = cw_speaker_color_index (speakers[i]);

      if (g_hash_table_contains (indexes, speakers[i]))
        continue;

      /* With all colours taken, sharing one is unavoidable: keep the hash. */
      if (n_used < CW_SPEAKER_COLOR_N)
        {
          while (used[index])
            index = (index + 1) % CW_SPEAKER_COLOR_N;
          used[index] = TRUE;
          n_used++;
        }
      g_hash_table_insert (indexes, g_strdup (speakers[i]), GUINT_TO_POINTER (index + 1));
    }

  return indexes;
}
