/* cw-search-result.c: one search hit as a list item. */
#include "config.h"

#include "cw-search-result.h"

struct _CwSearchResult
{
  GObject      parent_instance;

  CwSearchHit *hit;
};

G_DEFINE_FINAL_TYPE (CwSearchResult, cw_search_result, G_TYPE_OBJECT)

static void
cw_search_result_finalize (GObject *object)
{
  CwSearchResult *self = CW_SEARCH_RESULT (object);

  g_clear_pointer (&self->hit, cw_search_hit_free);

  G_OBJECT_CLASS (cw_search_result_parent_class)->finalize (object);
}

static void
cw_search_result_class_init (CwSearchResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cw_search_result_finalize;
}

static void
cw_search_result_init (CwSearchResult *self)
{
}

CwSearchResult *
cw_search_result_new (CwSearchHit *hit)
{
  CwSearchResult *self;

  g_return_val_if_fail (hit != NULL, NULL);

  self = g_object_new (CW_TYPE_SEARCH_RESULT, NULL);
  self->hit = hit;
  return self;
}

const CwSearchHit *
cw_search_result_get_hit (CwSearchResult *self)
{
  g_return_val_if_fail (CW_IS_SEARCH_RESULT (self), NULL);

  return self->hit;
}

char *
cw_search_result_dup_markup (CwSearchResult *self)
{
  const char *snippet, *hit_start, *hit_end;
  glong length;
  gint64 start, end;
  g_autofree char *before = NULL;
  g_autofree char *match = NULL;
  g_autofree char *after = NULL;

  g_return_val_if_fail (CW_IS_SEARCH_RESULT (self), NULL);

  snippet = self->hit->snippet != NULL ? self->hit->snippet : "";
  length = g_utf8_strlen (snippet, -1);
  /* The offsets come from the file: clamp them rather than trust them. */
  start = CLAMP (self->hit->snippet_hit_start, 0, length);
  end = CLAMP (self->hit->snippet_hit_end, start, length);
  hit_start = g_utf8_offset_to_pointer (snippet, (glong) start);
  hit_end = g_utf8_offset_to_pointer (snippet, (glong) end);

  before = g_markup_escape_text (snippet, hit_start - snippet);
  match = g_markup_escape_text (hit_start, hit_end - hit_start);
  after = g_markup_escape_text (hit_end, -1);

  return g_strdup_printf ("%s<b>%s</b>%s", before, match, after);
}
