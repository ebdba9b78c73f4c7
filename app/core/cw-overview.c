/* cw-overview.c: the numbers behind the overview pictures.
 *
 * Each picture reuses the query that already answers it: the code map and
 * the kinds count the segments of cw_project_retrieve (one pass, no text),
 * the variable picture is cw_project_crosstab's codings, the co-occurrence
 * cw_project_cooccurrence. What is added here is the shape: one labelled
 * table, codes in codebook order, so the drawing and the CLI need one
 * path for all four.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cw-overview.h"
#include "cw-cases.h"
#include "cw-codebook-private.h"

void
cw_overview_free (CwOverview *overview)
{
  if (overview == NULL)
    return;
  g_free (overview->by);
  g_free (overview->coder);
  g_clear_pointer (&overview->rows, g_ptr_array_unref);
  g_clear_pointer (&overview->row_ids, g_array_unref);
  g_clear_pointer (&overview->columns, g_ptr_array_unref);
  g_clear_pointer (&overview->column_ids, g_array_unref);
  g_clear_pointer (&overview->colors, g_ptr_array_unref);
  g_free (overview->counts);
  g_free (overview);
}

guint
cw_overview_count (const CwOverview *overview,
                   guint             row,
                   guint             column)
{
  g_return_val_if_fail (overview != NULL, 0);
  g_return_val_if_fail (row < overview->rows->len && column < overview->columns->len, 0);

  return overview->counts[(gsize) row * overview->columns->len + column];
}

static CwOverview *
overview_new (CwOverviewType  type,
              const char     *by,
              const char     *coder)
{
  CwOverview *overview = g_new0 (CwOverview, 1);

  overview->type = type;
  overview->by = g_strdup (by);
  overview->coder = g_strdup (coder);
  overview->rows = g_ptr_array_new_with_free_func (g_free);
  overview->row_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  overview->columns = g_ptr_array_new_with_free_func (g_free);
  overview->column_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  overview->colors = g_ptr_array_new_with_free_func (g_free);
  return overview;
}

static void
allocate_counts (CwOverview *overview)
{
  overview->counts = g_new0 (guint, MAX ((gsize) overview->rows->len * overview->columns->len, 1));
}

static void
find_max (CwOverview *overview)
{
  overview->max = 0;
  for (guint i = 0; i < overview->rows->len; i++)
    for (guint j = 0; j < overview->columns->len; j++)
      {
        if (overview->type == CW_OVERVIEW_COOCCURRENCE && i == j)
          continue;
        overview->max = MAX (overview->max, overview->counts[(gsize) i * overview->columns->len + j]);
      }
}

/* The codable codes in codebook order (categories have no codings), with
 * index: &code id -> position + 1. */
static GPtrArray *
codable_codes (CwProject   *self,
               GHashTable **index,
               GError     **error)
{
  g_autoptr(GPtrArray) all = _cw_project_list_codes_uncounted (self, error);
  g_autoptr(GPtrArray) codable = NULL;

  if (all == NULL)
    return NULL;
  codable = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_code_free);
  for (guint i = 0; i < all->len; i++)
    {
      CwCode *code = g_ptr_array_index (all, i);

      if (code->codable)
        g_ptr_array_add (codable, cw_code_copy (code));
    }
  if (index != NULL)
    {
      *index = g_hash_table_new (g_int64_hash, g_int64_equal);
      for (guint i = 0; i < codable->len; i++)
        g_hash_table_insert (*index, &((CwCode *) g_ptr_array_index (codable, i))->id, GUINT_TO_POINTER (i + 1));
    }
  return g_steal_pointer (&codable);
}

static void
add_code (GPtrArray    *labels,
          GArray       *ids,
          GPtrArray    *colors,
          const CwCode *code)
{
  g_ptr_array_add (labels, g_strdup (code->path));
  g_array_append_val (ids, code->id);
  g_ptr_array_add (colors, g_strdup (code->color != NULL ? code->color : "#888888"));
}

/* Every segment (one per coding) of the coder, text left out. */
static GPtrArray *
all_segments (CwProject     *self,
              const char    *coder,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();

  query->coder = g_strdup (coder);
  query->with_text = FALSE;
  return cw_project_retrieve (self, query, cancellable, error);
}

CwOverview *
cw_project_code_map (CwProject     *self,
                     const char    *coder,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(CwOverview) overview = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GHashTable) code_index = NULL;
  g_autoptr(GHashTable) document_index = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) segments = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((documents = cw_project_list_documents_brief (self, error)) == NULL ||
      (codes = codable_codes (self, &code_index, error)) == NULL ||
      (segments = all_segments (self, coder, cancellable, error)) == NULL)
    return NULL;

  overview = overview_new (CW_OVERVIEW_CODE_MAP, NULL, coder);
  for (guint i = 0; i < documents->len; i++)
    {
      CwDocumentInfo *info = g_ptr_array_index (documents, i);

      g_ptr_array_add (overview->rows, g_strdup (info->name));
      g_array_append_val (overview->row_ids, info->id);
      g_hash_table_insert (document_index, &info->id, GUINT_TO_POINTER (i + 1));
    }
  for (guint j = 0; j < codes->len; j++)
    add_code (overview->columns, overview->column_ids, overview->colors, g_ptr_array_index (codes, j));
  allocate_counts (overview);

  for (guint k = 0; k < segments->len; k++)
    {
      const CwCoding *coding = g_ptr_array_index (segments, k);
      guint row = GPOINTER_TO_UINT (g_hash_table_lookup (document_index, &coding->document_id));
      guint column = GPOINTER_TO_UINT (g_hash_table_lookup (code_index, &coding->code_id));

      if (row > 0 && column > 0)
        overview->counts[(gsize) (row - 1) * codes->len + column - 1]++;
    }
  find_max (overview);
  return g_steal_pointer (&overview);
}

/* The kinds' order in the pictures: as the document list groups them. */
static const CwDocumentKind kind_order[] = {
  CW_DOCUMENT_KIND_ARENA,
  CW_DOCUMENT_KIND_FOCUS_GROUP,
  CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW,
  CW_DOCUMENT_KIND_INTERVIEW,
  CW_DOCUMENT_KIND_OTHER,
};

CwOverview *
cw_project_frequencies_by_kind (CwProject     *self,
                                const char    *coder,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_autoptr(CwOverview) overview = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GHashTable) code_index = NULL;
  g_autoptr(GHashTable) kind_of = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) segments = NULL;
  guint column_of[CW_N_DOCUMENT_KINDS] = { 0 };
  gboolean present[CW_N_DOCUMENT_KINDS] = { FALSE };

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((documents = cw_project_list_documents_brief (self, error)) == NULL ||
      (codes = codable_codes (self, &code_index, error)) == NULL ||
      (segments = all_segments (self, coder, cancellable, error)) == NULL)
    return NULL;

  for (guint i = 0; i < documents->len; i++)
    {
      CwDocumentInfo *info = g_ptr_array_index (documents, i);

      if ((guint) info->kind < CW_N_DOCUMENT_KINDS)
        {
          present[info->kind] = TRUE;
          g_hash_table_insert (kind_of, &info->id, GUINT_TO_POINTER (info->kind + 1));
        }
    }

  overview = overview_new (CW_OVERVIEW_KINDS, "kind", coder);
  for (guint i = 0; i < codes->len; i++)
    add_code (overview->rows, overview->row_ids, overview->colors, g_ptr_array_index (codes, i));
  /* Only kinds the project has: an empty column says nothing. */
  for (guint k = 0; k < G_N_ELEMENTS (kind_order); k++)
    if (present[kind_order[k]])
      {
        gint64 id = kind_order[k];

        g_ptr_array_add (overview->columns, g_strdup (cw_document_kind_to_string (kind_order[k])));
        g_array_append_val (overview->column_ids, id);
        column_of[kind_order[k]] = overview->columns->len;
      }
  allocate_counts (overview);

  for (guint k = 0; k < segments->len; k++)
    {
      const CwCoding *coding = g_ptr_array_index (segments, k);
      guint kind = GPOINTER_TO_UINT (g_hash_table_lookup (kind_of, &coding->document_id));
      guint row = GPOINTER_TO_UINT (g_hash_table_lookup (code_index, &coding->code_id));

      if (kind > 0 && row > 0 && column_of[kind - 1] > 0)
        overview->counts[(gsize) (row - 1) * overview->columns->len + column_of[kind - 1] - 1]++;
    }
  find_max (overview);
  return g_steal_pointer (&overview);
}

CwOverview *
cw_project_frequencies_by_variable (CwProject   *self,
                                    const char  *variable,
                                    guint        bins,
                                    GError     **error)
{
  g_autoptr(CwOverview) overview = NULL;
  g_autoptr(CwCrosstab) crosstab = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GHashTable) by_path = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_values;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  g_return_val_if_fail (variable != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((crosstab = cw_project_crosstab (self, variable, bins, error)) == NULL ||
      (codes = codable_codes (self, NULL, error)) == NULL)
    return NULL;
  for (guint i = 0; i < codes->len; i++)
    {
      CwCode *code = g_ptr_array_index (codes, i);

      g_hash_table_insert (by_path, code->path, code);
    }

  /* The crosstab names the variable as stored ("iq" finds "IQ"). */
  overview = overview_new (CW_OVERVIEW_VARIABLE, crosstab->variable, NULL);
  n_values = g_strv_length (crosstab->values);
  for (guint j = 0; j < n_values; j++)
    {
      gint64 id = j;

      g_ptr_array_add (overview->columns, g_strdup (crosstab->values[j]));
      g_array_append_val (overview->column_ids, id);
    }
  for (guint i = 0; i < crosstab->codes->len; i++)
    {
      const char *path = g_ptr_array_index (crosstab->codes, i);
      CwCode *code = g_hash_table_lookup (by_path, path);
      gint64 id = code != NULL ? code->id : 0;

      g_ptr_array_add (overview->rows, g_strdup (path));
      g_array_append_val (overview->row_ids, id);
      g_ptr_array_add (overview->colors, g_strdup (code != NULL && code->color != NULL ? code->color : "#888888"));
    }
  allocate_counts (overview);
  if (crosstab->codings != NULL)
    memcpy (overview->counts, crosstab->codings, sizeof (guint) * crosstab->codes->len * n_values);
  find_max (overview);
  return g_steal_pointer (&overview);
}

CwOverview *
cw_project_code_cooccurrence (CwProject     *self,
                              const char    *coder,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(CwOverview) overview = NULL;
  g_autoptr(CwRetrievalQuery) filter = cw_retrieval_query_new ();
  g_autoptr(CwCooccurrence) matrix = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GHashTable) code_index = NULL;
  guint n;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  filter->coder = g_strdup (coder);
  if ((codes = codable_codes (self, &code_index, error)) == NULL ||
      (matrix = cw_project_cooccurrence (self, filter, cancellable, error)) == NULL)
    return NULL;

  overview = overview_new (CW_OVERVIEW_COOCCURRENCE, NULL, coder);
  n = matrix->code_ids->len;
  for (guint i = 0; i < n; i++)
    {
      gint64 id = g_array_index (matrix->code_ids, gint64, i);
      guint at = GPOINTER_TO_UINT (g_hash_table_lookup (code_index, &id));
      const CwCode *code = at > 0 ? g_ptr_array_index (codes, at - 1) : NULL;

      /* Another connection (a second window) deleted it in between. */
      if (code == NULL)
        {
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                       _("%s: the codebook changed while it was read; try again"), cw_project_get_path (self));
          return NULL;
        }
      add_code (overview->rows, overview->row_ids, overview->colors, code);
      g_ptr_array_add (overview->columns, g_strdup (code->path));
      g_array_append_val (overview->column_ids, id);
    }
  allocate_counts (overview);
  memcpy (overview->counts, matrix->counts, sizeof (guint) * n * n);
  find_max (overview);
  return g_steal_pointer (&overview);
}
