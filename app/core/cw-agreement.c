/* cw-agreement.c: inter-coder agreement (see cw-agreement.h).
 *
 * Each coder's intervals of one code in one document are sorted and united
 * into disjoint segments; then a sweep over the segment boundaries of all
 * coders yields maximal runs over which the set of coders is constant.
 * Every statistic is a sum over those runs weighted by their length, so the
 * cost grows with the number of codings, not with the number of characters.
 * The formulas and their sources are in the README ("Inter-coder
 * agreement").
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "cw-agreement.h"
#include "cw-codebook-private.h"
#include "cw-project-private.h"

/* ------------------------------------------------------------------------ */
/* Plain tables                                                             */

double
cw_agreement_cohen_kappa (const double *table,
                          guint         n_categories)
{
  g_autofree double *rows = g_new0 (double, n_categories);
  g_autofree double *columns = g_new0 (double, n_categories);
  double n = 0, off = 0, chance_off = 0;

  g_return_val_if_fail (table != NULL || n_categories == 0, NAN);

  for (guint a = 0; a < n_categories; a++)
    for (guint b = 0; b < n_categories; b++)
      {
        double v = table[a * n_categories + b];

        rows[a] += v;
        columns[b] += v;
        n += v;
        if (a != b)
          off += v;
      }
  /* As disagreements: 1 - p_e is a sum of products that is exactly 0 when
   * both coders used one and the same category, and kappa is undefined. */
  for (guint a = 0; a < n_categories; a++)
    for (guint b = 0; b < n_categories; b++)
      if (a != b)
        chance_off += rows[a] * columns[b];
  if (n <= 0 || chance_off <= 0)
    return NAN;
  return 1.0 - (off / n) / (chance_off / (n * n));
}

double
cw_agreement_fleiss_kappa (const double *counts,
                           const double *weights,
                           guint         n_units,
                           guint         n_categories)
{
  g_autofree double *totals = g_new0 (double, n_categories);
  double raters = -1, units = 0, observed_off = 0, expected_off = 0, all = 0;

  g_return_val_if_fail (counts != NULL || n_units == 0, NAN);

  for (guint i = 0; i < n_units; i++)
    {
      const double *row = counts + (gsize) i * n_categories;
      double w = weights != NULL ? weights[i] : 1.0;
      double sum = 0, pairs_off = 0;

      if (w == 0)
        continue;
      for (guint j = 0; j < n_categories; j++)
        sum += row[j];
      if (raters < 0)
        raters = sum;
      else if (sum != raters)
        return NAN; /* Fleiss' kappa needs the same raters for every unit */
      for (guint j = 0; j < n_categories; j++)
        {
          totals[j] += w * row[j];
          pairs_off += row[j] * (sum - row[j]);
        }
      observed_off += w * pairs_off;
      units += w;
    }
  if (units <= 0 || raters < 2)
    return NAN;
  /* 1 - P-bar and 1 - P_e, each as a sum over pairs of different
   * categories (exactly 0 when only one category occurs). */
  observed_off /= units * raters * (raters - 1);
  for (guint j = 0; j < n_categories; j++)
    all += totals[j];
  for (guint j = 0; j < n_categories; j++)
    expected_off += totals[j] * (all - totals[j]);
  if (expected_off <= 0)
    return NAN;
  expected_off /= all * all;
  return 1.0 - observed_off / expected_off;
}

void
cw_agreement_coincidences (const int *data,
                           guint      n_coders,
                           guint      n_units,
                           int        missing,
                           guint      n_values,
                           double    *o)
{
  g_return_if_fail (data != NULL || n_coders * n_units == 0);
  g_return_if_fail (o != NULL);

  for (guint u = 0; u < n_units; u++)
    {
      guint paired = 0;

      /* Values outside 0..n_values-1 count as missing. */
      for (guint i = 0; i < n_coders; i++)
        {
          int v = data[(gsize) i * n_units + u];

          if (v != missing && v >= 0 && (guint) v < n_values)
            paired++;
        }
      if (paired < 2)
        continue; /* a unit with one value has nothing to pair */
      for (guint i = 0; i < n_coders; i++)
        for (guint j = 0; j < n_coders; j++)
          {
            int a = data[(gsize) i * n_units + u];
            int b = data[(gsize) j * n_units + u];

            if (i == j || a == missing || b == missing || a < 0 || b < 0 ||
                (guint) a >= n_values || (guint) b >= n_values)
              continue;
            o[a * n_values + b] += 1.0 / (paired - 1);
          }
    }
}

double
cw_agreement_alpha_nominal (const double *o,
                            guint         n_values)
{
  g_autofree double *margins = g_new0 (double, n_values);
  double n = 0, observed_off = 0, expected_off = 0;

  g_return_val_if_fail (o != NULL || n_values == 0, NAN);

  for (guint c = 0; c < n_values; c++)
    for (guint k = 0; k < n_values; k++)
      {
        margins[c] += o[c * n_values + k];
        if (c != k)
          observed_off += o[c * n_values + k];
      }
  for (guint c = 0; c < n_values; c++)
    n += margins[c];
  for (guint c = 0; c < n_values; c++)
    expected_off += margins[c] * (n - margins[c]);
  if (n <= 1 || expected_off <= 0)
    return NAN;
  return 1.0 - (n - 1) * observed_off / expected_off;
}

/* ------------------------------------------------------------------------ */
/* Units and results                                                        */

static const char *unit_names[] = { "character", "segment", "document" };

const char *
cw_agreement_unit_to_string (CwAgreementUnit unit)
{
  g_return_val_if_fail ((guint) unit < G_N_ELEMENTS (unit_names), NULL);
  return unit_names[unit];
}

gboolean
cw_agreement_unit_from_string (const char      *string,
                               CwAgreementUnit *unit)
{
  for (guint i = 0; string != NULL && i < G_N_ELEMENTS (unit_names); i++)
    if (strcmp (string, unit_names[i]) == 0)
      {
        if (unit != NULL)
          *unit = (CwAgreementUnit) i;
        return TRUE;
      }
  return FALSE;
}

static void
clear_code (gpointer data)
{
  CwAgreementCode *code = data;

  g_clear_pointer (&code->path, g_free);
}

void
cw_agreement_free (CwAgreement *agreement)
{
  if (agreement == NULL)
    return;
  g_strfreev (agreement->coders);
  g_free (agreement->codings);
  g_clear_pointer (&agreement->codes, g_array_unref);
  g_clear_pointer (&agreement->pairs, g_array_unref);
  g_free (agreement->cu_alpha_reason);
  g_free (agreement);
}

void
cw_disagreement_free (CwDisagreement *disagreement)
{
  if (disagreement == NULL)
    return;
  g_free (disagreement->document);
  g_free (disagreement->code);
  g_free (disagreement->coded);
  for (guint i = 0; disagreement->coding_ids != NULL && i < disagreement->n_coders; i++)
    g_clear_pointer (&disagreement->coding_ids[i], g_array_unref);
  g_free (disagreement->coding_ids);
  g_free (disagreement);
}

/* ------------------------------------------------------------------------ */
/* The data                                                                 */

typedef struct
{
  guint  coder;
  guint  code;
  guint  document;
  gint64 start;
  gint64 end;
  gint64 id;
} Raw;

/* A coder's united stretch of one code in one document; raw_first and
 * raw_n name the (sorted) intervals it was made of. */
typedef struct
{
  guint  coder;
  guint  code;
  guint  document;
  gint64 start;
  gint64 end;
  guint  raw_first;
  guint  raw_n;
} Seg;

struct _CwAgreementData
{
  GStrv      coders;
  guint      n_coders;
  gint64    *codings;     /* per coder */
  GArray    *code_ids;    /* gint64 */
  GPtrArray *code_paths;
  GArray    *doc_ids;     /* gint64 */
  GPtrArray *doc_names;
  GArray    *doc_lengths; /* gint64 */
  GArray    *raw;         /* Raw */
  GArray    *segs;        /* Seg by code, document, coder, start; NULL until united */
};

CwAgreementData *
cw_agreement_data_new (const char * const *coders)
{
  CwAgreementData *data;

  g_return_val_if_fail (coders != NULL, NULL);

  data = g_new0 (CwAgreementData, 1);
  data->coders = g_strdupv ((char **) coders);
  data->n_coders = g_strv_length (data->coders);
  data->codings = g_new0 (gint64, MAX (data->n_coders, 1));
  data->code_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  data->code_paths = g_ptr_array_new_with_free_func (g_free);
  data->doc_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  data->doc_names = g_ptr_array_new_with_free_func (g_free);
  data->doc_lengths = g_array_new (FALSE, FALSE, sizeof (gint64));
  data->raw = g_array_new (FALSE, FALSE, sizeof (Raw));
  return data;
}

void
cw_agreement_data_free (CwAgreementData *data)
{
  if (data == NULL)
    return;
  g_strfreev (data->coders);
  g_free (data->codings);
  g_array_unref (data->code_ids);
  g_ptr_array_unref (data->code_paths);
  g_array_unref (data->doc_ids);
  g_ptr_array_unref (data->doc_names);
  g_array_unref (data->doc_lengths);
  g_array_unref (data->raw);
  g_clear_pointer (&data->segs, g_array_unref);
  g_free (data);
}

guint
cw_agreement_data_add_code (CwAgreementData *data,
                            gint64           code_id,
                            const char      *path)
{
  g_return_val_if_fail (data != NULL, 0);

  g_array_append_val (data->code_ids, code_id);
  g_ptr_array_add (data->code_paths, g_strdup (path != NULL ? path : ""));
  g_clear_pointer (&data->segs, g_array_unref);
  return data->code_ids->len - 1;
}

guint
cw_agreement_data_add_document (CwAgreementData *data,
                                gint64           document_id,
                                const char      *name,
                                gint64           length)
{
  g_return_val_if_fail (data != NULL, 0);

  length = MAX (length, 0);
  g_array_append_val (data->doc_ids, document_id);
  g_ptr_array_add (data->doc_names, g_strdup (name != NULL ? name : ""));
  g_array_append_val (data->doc_lengths, length);
  g_clear_pointer (&data->segs, g_array_unref);
  return data->doc_ids->len - 1;
}

void
cw_agreement_data_add_interval (CwAgreementData *data,
                                guint            coder,
                                guint            code,
                                guint            document,
                                gint64           start,
                                gint64           end,
                                gint64           coding_id)
{
  Raw raw;
  gint64 length;

  g_return_if_fail (data != NULL);
  g_return_if_fail (coder < data->n_coders);
  g_return_if_fail (code < data->code_ids->len);
  g_return_if_fail (document < data->doc_ids->len);

  data->codings[coder]++;
  length = g_array_index (data->doc_lengths, gint64, document);
  start = CLAMP (start, 0, length);
  end = CLAMP (end, 0, length);
  if (start >= end)
    return;
  raw = (Raw) { coder, code, document, start, end, coding_id };
  g_array_append_val (data->raw, raw);
  g_clear_pointer (&data->segs, g_array_unref);
}

static int
compare_raw (gconstpointer a,
             gconstpointer b)
{
  const Raw *x = a, *y = b;

  if (x->code != y->code)
    return x->code < y->code ? -1 : 1;
  if (x->document != y->document)
    return x->document < y->document ? -1 : 1;
  if (x->coder != y->coder)
    return x->coder < y->coder ? -1 : 1;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;
  return (x->id > y->id) - (x->id < y->id);
}

static int
compare_raw_data (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  return compare_raw (a, b);
}

/* Sorts the intervals as compare_raw does: distributed to their (code,
 * document, coder) buckets in one pass, and only within a bucket compared
 * (a comparison sort of 200,000 intervals was a fifth of the agreement's
 * work, and grew faster than the codings). With more buckets than the
 * intervals make worth it, one comparison sort. */
static void
sort_raw (CwAgreementData *data)
{
  GArray *raw = data->raw;
  guint64 n_docs = data->doc_ids->len;
  guint64 n_coders = data->n_coders;
  guint64 n_buckets = (guint64) data->code_ids->len * n_docs * n_coders;
  g_autofree guint *first = NULL;
  g_autofree guint *next = NULL;
  g_autofree Raw *sorted = NULL;
  const Raw *in = (const Raw *) raw->data;

  if (raw->len < 2)
    return;
  if (n_buckets == 0 || n_buckets > 4 * (guint64) raw->len + 65536)
    {
      g_array_sort (raw, compare_raw);
      return;
    }

#define BUCKET(r) ((((guint64) (r)->code * n_docs) + (r)->document) * n_coders + (r)->coder)
  first = g_new0 (guint, n_buckets + 1);
  for (guint i = 0; i < raw->len; i++)
    first[BUCKET (&in[i]) + 1]++;
  for (guint64 b = 0; b < n_buckets; b++)
    first[b + 1] += first[b];
  next = g_memdup2 (first, (n_buckets + 1) * sizeof (guint));
  sorted = g_new (Raw, raw->len);
  for (guint i = 0; i < raw->len; i++)
    sorted[next[BUCKET (&in[i])]++] = in[i];
#undef BUCKET

  for (guint64 b = 0; b < n_buckets; b++)
    {
      Raw *run = sorted + first[b];
      guint n = first[b + 1] - first[b];

      if (n > 16)
        g_qsort_with_data (run, (gint) n, sizeof (Raw), compare_raw_data, NULL);
      else
        /* Mostly in order already (the codings come by document, code,
         * coder and start): insertion sort. */
        for (guint i = 1; i < n; i++)
          {
            Raw x = run[i];
            guint j = i;

            for (; j > 0 && compare_raw (&run[j - 1], &x) > 0; j--)
              run[j] = run[j - 1];
            run[j] = x;
          }
    }
  memcpy (raw->data, sorted, (gsize) raw->len * sizeof (Raw));
}

/* Sorts the intervals and unites each coder's overlapping or adjacent ones
 * of a code in a document. */
static void
unite (CwAgreementData *data)
{
  const Raw *raw;

  if (data->segs != NULL)
    return;
  sort_raw (data);
  raw = (const Raw *) data->raw->data;
  data->segs = g_array_sized_new (FALSE, FALSE, sizeof (Seg), data->raw->len);
  for (guint i = 0; i < data->raw->len;)
    {
      Seg seg = { raw[i].coder, raw[i].code, raw[i].document, raw[i].start, raw[i].end, i, 1 };

      for (i++; i < data->raw->len; i++)
        {
          if (raw[i].coder != seg.coder || raw[i].code != seg.code ||
              raw[i].document != seg.document || raw[i].start > seg.end)
            break;
          seg.end = MAX (seg.end, raw[i].end);
          seg.raw_n++;
        }
      g_array_append_val (data->segs, seg);
    }
}

/* ------------------------------------------------------------------------ */
/* The sweep                                                                */

/* Walks the boundaries of segs[0..n) (sorted by coder, then start; each
 * coder's disjoint) and stops on every run [run_start, run_end) that at
 * least one coder covers; during a run, at[i] is the segment coder i is
 * inside (bit i of mask set). */
typedef struct
{
  const Seg *segs;
  guint      n_coders;
  guint      next[CW_AGREEMENT_MAX_CODERS];  /* coder's next segment to open or close */
  guint      stop[CW_AGREEMENT_MAX_CODERS];
  guint      at[CW_AGREEMENT_MAX_CODERS];
  guint64    mask;
  gint64     pos;
  gboolean   pending;
  gint64     run_start;
  gint64     run_end;
} Sweep;

static void
sweep_init (Sweep     *sweep,
            const Seg *segs,
            guint      n,
            guint      n_coders)
{
  guint i = 0;

  sweep->segs = segs;
  sweep->n_coders = n_coders;
  sweep->mask = 0;
  sweep->pos = G_MININT64;
  sweep->pending = FALSE;
  for (guint c = 0; c < n_coders; c++)
    {
      sweep->next[c] = i;
      while (i < n && segs[i].coder == c)
        i++;
      sweep->stop[c] = i;
    }
}

static inline gint64
sweep_boundary (const Sweep *sweep,
                guint        c)
{
  const Seg *seg;

  if (sweep->next[c] >= sweep->stop[c])
    return G_MAXINT64;
  seg = &sweep->segs[sweep->next[c]];
  return (sweep->mask >> c) & 1 ? seg->end : seg->start;
}

static void
sweep_apply (Sweep  *sweep,
             gint64  pos)
{
  for (guint c = 0; c < sweep->n_coders; c++)
    if (sweep_boundary (sweep, c) == pos)
      {
        if ((sweep->mask >> c) & 1)
          {
            sweep->mask &= ~(G_GUINT64_CONSTANT (1) << c);
            sweep->next[c]++;
          }
        else
          {
            sweep->mask |= G_GUINT64_CONSTANT (1) << c;
            sweep->at[c] = sweep->next[c];
          }
      }
}

static gboolean
sweep_next (Sweep *sweep)
{
  if (sweep->pending)
    {
      sweep_apply (sweep, sweep->pos);
      sweep->pending = FALSE;
    }
  for (;;)
    {
      gint64 next = G_MAXINT64;

      for (guint c = 0; c < sweep->n_coders; c++)
        next = MIN (next, sweep_boundary (sweep, c));
      if (next == G_MAXINT64)
        return FALSE;
      if (sweep->mask != 0 && next > sweep->pos)
        {
          sweep->run_start = sweep->pos;
          sweep->run_end = next;
          sweep->pos = next;
          sweep->pending = TRUE;
          return TRUE;
        }
      sweep_apply (sweep, next);
      sweep->pos = next;
    }
}

/* The end of the group of segments starting at first that share a code
 * and a document. */
static guint
group_end (const Seg *segs,
           guint      n,
           guint      first)
{
  guint i = first + 1;

  while (i < n && segs[i].code == segs[first].code && segs[i].document == segs[first].document)
    i++;
  return i;
}

static guint
n_pairs (guint n_coders)
{
  return n_coders * (n_coders - 1) / 2;
}

/* ------------------------------------------------------------------------ */
/* Tallies: the character and document units                                */

/* Units by how many coders coded them (tally[k], k = 0..m), and per pair
 * of coders the 2 x 2 table (cell bit_a * 2 + bit_b). */
typedef struct
{
  guint   m;
  double *tally;  /* m + 1 */
  double *pairs;  /* n_pairs * 4 */
} Tally;

static void
tally_init (Tally *t,
            guint  m)
{
  t->m = m;
  t->tally = g_new0 (double, m + 1);
  t->pairs = g_new0 (double, n_pairs (m) * 4);
}

static void
tally_clear (Tally *t)
{
  g_clear_pointer (&t->tally, g_free);
  g_clear_pointer (&t->pairs, g_free);
}

static void
tally_reset (Tally *t)
{
  memset (t->tally, 0, sizeof (double) * (t->m + 1));
  memset (t->pairs, 0, sizeof (double) * n_pairs (t->m) * 4);
}

static void
tally_add (Tally   *t,
           guint64  mask,
           double   weight)
{
  guint p = 0;

  t->tally[__builtin_popcountll (mask)] += weight;
  for (guint a = 0; a < t->m; a++)
    for (guint b = a + 1; b < t->m; b++, p++)
      t->pairs[p * 4 + ((mask >> a) & 1) * 2 + ((mask >> b) & 1)] += weight;
}

/* Units nobody coded: what the runs did not cover. */
static void
tally_fill (Tally  *t,
            double  units)
{
  double covered = 0;

  for (guint k = 1; k <= t->m; k++)
    covered += t->tally[k];
  t->tally[0] = units - covered;
  for (guint p = 0; p < n_pairs (t->m); p++)
    t->pairs[p * 4] = units - t->pairs[p * 4 + 1] - t->pairs[p * 4 + 2] - t->pairs[p * 4 + 3];
}

static void
tally_sum (Tally       *into,
           const Tally *t)
{
  for (guint k = 0; k <= t->m; k++)
    into->tally[k] += t->tally[k];
  for (guint p = 0; p < n_pairs (t->m) * 4; p++)
    into->pairs[p] += t->pairs[p];
}

typedef struct
{
  double percent;
  double unanimous;
  double kappa;
  double alpha;
} Stats;

/* Percent (mean pairwise), unanimous, Cohen or Fleiss, alpha: binary
 * values (coded or not) over units. */
static Stats
tally_stats (const Tally *t)
{
  Stats s = { NAN, NAN, NAN, NAN };
  guint m = t->m;
  double units = 0, agreeing_pairs = 0;
  g_autofree double *counts = g_new (double, (m + 1) * 2);
  double o[4] = { 0, 0, 0, 0 };

  for (guint k = 0; k <= m; k++)
    {
      double w = t->tally[k];

      units += w;
      agreeing_pairs += w * ((double) k * (k - 1) + (double) (m - k) * (m - k - 1));
      counts[k * 2] = m - k;
      counts[k * 2 + 1] = k;
      o[0] += w * (double) (m - k) * (m - k - 1) / (m - 1);
      o[1] += w * (double) k * (m - k) / (m - 1);
      o[2] += w * (double) k * (m - k) / (m - 1);
      o[3] += w * (double) k * (k - 1) / (m - 1);
    }
  if (units <= 0)
    return s;
  s.percent = 100.0 * agreeing_pairs / ((double) m * (m - 1) * units);
  if (m > 2)
    s.unanimous = 100.0 * (t->tally[0] + t->tally[m]) / units;
  s.kappa = m == 2 ? cw_agreement_cohen_kappa (t->pairs, 2)
                   : cw_agreement_fleiss_kappa (counts, t->tally, m + 1, 2);
  s.alpha = cw_agreement_alpha_nominal (o, 2);
  return s;
}

static Stats
pair_stats (const double *cells)
{
  Stats s = { NAN, NAN, NAN, NAN };
  double units = cells[0] + cells[1] + cells[2] + cells[3];

  if (units > 0)
    s.percent = 100.0 * (cells[0] + cells[3]) / units;
  s.kappa = cw_agreement_cohen_kappa (cells, 2);
  return s;
}

/* Krippendorff et al. (2016) uα for one code as a binary variable on the
 * continuum of every document (README): the code's segments are the
 * valued sections, the rest gaps. */
static double
u_alpha (guint         m,
         double        length,
         double        valued,
         double        valued_squares,
         const Tally  *t)
{
  double all = m * length;
  double gaps = all - valued;
  double off = 0;

  for (guint k = 1; k < m; k++)
    off += t->tally[k] * (double) k * (m - k);
  off /= m - 1;
  if (gaps <= 0 || valued <= 0)
    return NAN;
  /* 1 - l_01 / e_01, e_01 = l.. l_0. l_1. / (l..^2 - sum l^2 (units)
   * - sum l (gaps)). */
  return 1.0 - off * (all * all - valued_squares - gaps) / (all * gaps * valued);
}

/* ------------------------------------------------------------------------ */
/* cuα                                                                      */

static int
compare_seg_by_document (gconstpointer a,
                         gconstpointer b)
{
  const Seg *x = a, *y = b;

  if (x->document != y->document)
    return x->document < y->document ? -1 : 1;
  if (x->coder != y->coder)
    return x->coder < y->coder ? -1 : 1;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;
  return (x->code > y->code) - (x->code < y->code);
}

/* The codes as values of one variable, on the intersections of the coders'
 * valued matter (Krippendorff et al. 2016, cuα). Needs each coder's
 * segments of the compared codes not to overlap. */
static double
cu_alpha (CwAgreementData  *data,
          char            **reason)
{
  g_autoptr(GArray) segs = NULL;
  g_autofree double *margins = NULL;
  const Seg *s;
  guint m = data->n_coders, n_codes = data->code_ids->len, used = 0;
  double diagonal = 0, squares = 0, all = 0, margin_squares = 0, expected;

  if (n_codes < 2)
    {
      *reason = g_strdup (_("fewer than two codes compared"));
      return NAN;
    }
  segs = g_array_copy (data->segs);
  g_array_sort (segs, compare_seg_by_document);
  s = (const Seg *) segs->data;
  for (guint i = 1; i < segs->len; i++)
    if (s[i].document == s[i - 1].document && s[i].coder == s[i - 1].coder &&
        s[i].start < s[i - 1].end)
      {
        /* Translators: coder, code, code, document. */
        *reason = g_strdup_printf (_("%s’s codings of “%s” and “%s” overlap in “%s”"),
                                   data->coders[s[i].coder],
                                   (const char *) g_ptr_array_index (data->code_paths, s[i - 1].code),
                                   (const char *) g_ptr_array_index (data->code_paths, s[i].code),
                                   (const char *) g_ptr_array_index (data->doc_names, s[i].document));
        return NAN;
      }

  margins = g_new0 (double, n_codes);
  for (guint first = 0; first < segs->len;)
    {
      guint end = first + 1;
      Sweep sweep;

      while (end < segs->len && s[end].document == s[first].document)
        end++;
      sweep_init (&sweep, s + first, end - first, m);
      while (sweep_next (&sweep))
        {
          double len = sweep.run_end - sweep.run_start;
          guint valued = __builtin_popcountll (sweep.mask);

          if (valued < 2)
            continue;
          for (guint i = 0; i < m; i++)
            {
              if (!((sweep.mask >> i) & 1))
                continue;
              margins[s[first + sweep.at[i]].code] += len * (valued - 1);
              for (guint j = 0; j < m; j++)
                if (j != i && ((sweep.mask >> j) & 1) &&
                    s[first + sweep.at[i]].code == s[first + sweep.at[j]].code)
                  diagonal += len;
            }
        }

      /* Each unit g's share of the margins, y_g = sum over the other
       * coders j of |g ∩ j's valued matter| / (m - 1); squares sums
       * (y_g (m - 1))^2, the unit paired with itself (README). */
      sweep_init (&sweep, s + first, end - first, m);
      for (guint i = 0; i < m; i++)
        {
          guint from[CW_AGREEMENT_MAX_CODERS];

          for (guint j = 0; j < m; j++)
            from[j] = sweep.next[j];
          for (guint g = sweep.next[i]; g < sweep.stop[i]; g++)
            {
              const Seg *x = &s[first + g];
              double y = 0;

              for (guint j = 0; j < m; j++)
                {
                  if (j == i)
                    continue;
                  while (from[j] < sweep.stop[j] && s[first + from[j]].end <= x->start)
                    from[j]++;
                  for (guint h = from[j]; h < sweep.stop[j] && s[first + h].start < x->end; h++)
                    y += MIN (s[first + h].end, x->end) - MAX (s[first + h].start, x->start);
                }
              squares += y * y;
            }
        }
      first = end;
    }

  for (guint c = 0; c < n_codes; c++)
    {
      margins[c] /= m - 1;
      all += margins[c];
      margin_squares += margins[c] * margins[c];
      used += margins[c] > 0;
    }
  diagonal /= m - 1;
  if (all <= 0)
    {
      *reason = g_strdup (_("no coder’s codings intersect another coder’s"));
      return NAN;
    }
  if (used < 2)
    {
      *reason = g_strdup (_("the coders’ codings intersect in one code only"));
      return NAN;
    }
  /* D_e = (l..^2 - sum_c l_c.^2) / (l.. - sum_g y_g^2 / l..) */
  expected = all - squares / ((double) (m - 1) * (m - 1) * all);
  if (expected <= 0)
    {
      *reason = g_strdup (_("no expected disagreement"));
      return NAN;
    }
  expected = (all * all - margin_squares) / expected;
  return 1.0 - (all - diagonal) / expected;
}

/* ------------------------------------------------------------------------ */
/* Segments (MAXQDA)                                                        */

/* Whether segment x is matched by one of ys[0..n) (sorted, disjoint):
 * overlap * 100 >= pct * union, in integers. *from skips ys that end
 * before x (x's are sorted too). */
static gboolean
segment_matched (const Seg *x,
                 const Seg *ys,
                 guint      n,
                 guint     *from,
                 guint      pct)
{
  while (*from < n && ys[*from].end <= x->start)
    (*from)++;
  for (guint h = *from; h < n && ys[h].start < x->end; h++)
    {
      gint64 overlap = MIN (ys[h].end, x->end) - MAX (ys[h].start, x->start);
      gint64 whole = (x->end - x->start) + (ys[h].end - ys[h].start) - overlap;

      if (overlap > 0 && overlap * 100 >= (gint64) pct * whole)
        return TRUE;
    }
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Compute                                                                  */

static CwAgreement *
agreement_new (CwAgreementData *data,
               CwAgreementUnit  unit,
               guint            overlap)
{
  CwAgreement *result = g_new0 (CwAgreement, 1);
  guint m = data->n_coders;

  result->unit = unit;
  result->overlap = overlap;
  result->coders = g_strdupv (data->coders);
  result->n_coders = m;
  result->codings = g_memdup2 (data->codings, sizeof (gint64) * MAX (m, 1));
  result->n_documents = data->doc_ids->len;
  for (guint d = 0; d < data->doc_lengths->len; d++)
    result->characters += g_array_index (data->doc_lengths, gint64, d);
  result->codes = g_array_sized_new (FALSE, TRUE, sizeof (CwAgreementCode), data->code_ids->len);
  g_array_set_clear_func (result->codes, clear_code);
  for (guint c = 0; c < data->code_ids->len; c++)
    {
      CwAgreementCode code = {
        .code_id = g_array_index (data->code_ids, gint64, c),
        .path = g_strdup (g_ptr_array_index (data->code_paths, c)),
        .percent = NAN, .percent_unanimous = NAN, .kappa = NAN, .alpha = NAN, .u_alpha = NAN,
      };
      g_array_append_val (result->codes, code);
    }
  result->percent = result->percent_unanimous = result->kappa = result->alpha = NAN;
  result->cu_alpha = NAN;
  result->pairs = g_array_new (FALSE, TRUE, sizeof (CwAgreementPair));
  for (guint a = 0; a < m; a++)
    for (guint b = a + 1; b < m; b++)
      {
        CwAgreementPair pair = { a, b, 0, NAN, NAN };
        g_array_append_val (result->pairs, pair);
      }
  return result;
}

static gboolean
check_data (CwAgreementData  *data,
            guint             overlap,
            CwAgreementUnit   unit,
            GError          **error)
{
  if (data->n_coders < 2 || data->n_coders > CW_AGREEMENT_MAX_CODERS)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("agreement needs 2 to %d coders, not %u"), CW_AGREEMENT_MAX_CODERS, data->n_coders);
      return FALSE;
    }
  if (unit == CW_AGREEMENT_UNIT_SEGMENT && (overlap < 1 || overlap > 100))
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("the overlap must be 1 to 100 percent, not %u"), overlap);
      return FALSE;
    }
  if ((guint) unit > CW_AGREEMENT_UNIT_DOCUMENT)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("no agreement unit numbered %d"), (int) unit);
      return FALSE;
    }
  return TRUE;
}

static void
fill_from_tallies (CwAgreement *result,
                   Tally       *overall)
{
  Stats s = tally_stats (overall);

  result->percent = s.percent;
  result->percent_unanimous = s.unanimous;
  result->kappa = s.kappa;
  result->alpha = s.alpha;
  for (guint p = 0; p < result->pairs->len; p++)
    {
      CwAgreementPair *pair = &g_array_index (result->pairs, CwAgreementPair, p);
      const double *cells = overall->pairs + p * 4;
      Stats ps = pair_stats (cells);

      pair->units = (gint64) (cells[0] + cells[1] + cells[2] + cells[3]);
      pair->percent = ps.percent;
      pair->kappa = ps.kappa;
    }
}

static gboolean
compute_tallied (CwAgreementData  *data,
                 CwAgreement      *result,
                 GCancellable     *cancellable,
                 GError          **error)
{
  const Seg *segs = (const Seg *) data->segs->data;
  guint n = data->segs->len, m = data->n_coders;
  gboolean by_document = result->unit == CW_AGREEMENT_UNIT_DOCUMENT;
  double units = by_document ? (double) result->n_documents : (double) result->characters;
  Tally code, overall;
  guint first = 0;

  tally_init (&code, m);
  tally_init (&overall, m);
  for (guint c = 0; c < data->code_ids->len; c++)
    {
      CwAgreementCode *out = &g_array_index (result->codes, CwAgreementCode, c);
      double valued = 0, valued_squares = 0;
      Stats s;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          tally_clear (&code);
          tally_clear (&overall);
          return FALSE;
        }
      tally_reset (&code);
      while (first < n && segs[first].code == c)
        {
          guint end = group_end (segs, n, first);

          if (by_document)
            {
              guint64 mask = 0;

              for (guint i = first; i < end; i++)
                mask |= G_GUINT64_CONSTANT (1) << segs[i].coder;
              tally_add (&code, mask, 1);
            }
          else
            {
              Sweep sweep;

              for (guint i = first; i < end; i++)
                {
                  double len = segs[i].end - segs[i].start;

                  valued += len;
                  valued_squares += len * len;
                }
              sweep_init (&sweep, segs + first, end - first, m);
              while (sweep_next (&sweep))
                tally_add (&code, sweep.mask, sweep.run_end - sweep.run_start);
            }
          first = end;
        }
      tally_fill (&code, units);
      tally_sum (&overall, &code);
      s = tally_stats (&code);
      out->units = (gint64) units;
      out->percent = s.percent;
      out->percent_unanimous = s.unanimous;
      out->kappa = s.kappa;
      out->alpha = s.alpha;
      if (!by_document)
        out->u_alpha = u_alpha (m, units, valued, valued_squares, &code);
    }
  result->units = (gint64) units * data->code_ids->len;
  fill_from_tallies (result, &overall);
  tally_clear (&code);
  tally_clear (&overall);

  if (!by_document)
    result->cu_alpha = cu_alpha (data, &result->cu_alpha_reason);
  return TRUE;
}

/* Brennan & Prediger (1981): chance agreement 1 / number of codes. */
static double
brennan_prediger (double percent,
                  guint  n_codes)
{
  double chance;

  if (isnan (percent) || n_codes < 2)
    return NAN;
  chance = 1.0 / n_codes;
  return (percent / 100.0 - chance) / (1.0 - chance);
}

static gboolean
compute_segments (CwAgreementData  *data,
                  CwAgreement      *result,
                  GCancellable     *cancellable,
                  GError          **error)
{
  const Seg *segs = (const Seg *) data->segs->data;
  guint n = data->segs->len, m = data->n_coders, n_codes = data->code_ids->len;
  g_autofree gint64 *pair_matched = g_new0 (gint64, n_pairs (m) + 1);
  g_autofree gint64 *pair_unmatched = g_new0 (gint64, n_pairs (m) + 1);
  /* per code, then [n_codes] for all: segments matched by every other
   * coder, and segments */
  g_autofree gint64 *unanimous = g_new0 (gint64, n_codes + 1);
  g_autofree gint64 *segments = g_new0 (gint64, n_codes + 1);

  for (guint first = 0; first < n;)
    {
      guint end = group_end (segs, n, first);
      CwAgreementCode *out = &g_array_index (result->codes, CwAgreementCode, segs[first].code);
      Sweep ranges;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      /* (the sweep's set-up finds each coder's range in the group) */
      sweep_init (&ranges, segs + first, end - first, m);
      for (guint i = 0; i < m; i++)
        {
          guint from[CW_AGREEMENT_MAX_CODERS];

          for (guint j = 0; j < m; j++)
            from[j] = ranges.next[j];
          for (guint x = ranges.next[i]; x < ranges.stop[i]; x++)
            {
              gboolean by_all = TRUE;

              for (guint j = 0; j < m; j++)
                {
                  guint a = MIN (i, j), b = MAX (i, j), p;
                  gboolean matched;

                  if (j == i)
                    continue;
                  /* index of pair (a, b) in the a < b order */
                  p = a * m - a * (a + 1) / 2 + (b - a - 1);
                  matched = segment_matched (segs + first + x, segs + first, ranges.stop[j], &from[j],
                                             result->overlap);
                  if (matched)
                    {
                      out->matched++;
                      pair_matched[p]++;
                    }
                  else
                    {
                      out->unmatched++;
                      pair_unmatched[p]++;
                      by_all = FALSE;
                    }
                }
              unanimous[segs[first].code] += by_all;
              segments[segs[first].code]++;
            }
        }
      first = end;
    }

  for (guint c = 0; c < n_codes; c++)
    {
      CwAgreementCode *out = &g_array_index (result->codes, CwAgreementCode, c);

      out->units = out->matched + out->unmatched;
      if (out->units > 0)
        out->percent = 100.0 * out->matched / out->units;
      if (m > 2 && segments[c] > 0)
        out->percent_unanimous = 100.0 * unanimous[c] / segments[c];
      unanimous[n_codes] += unanimous[c];
      segments[n_codes] += segments[c];
      result->matched += out->matched;
      result->unmatched += out->unmatched;
    }
  result->units = result->matched + result->unmatched;
  if (result->units > 0)
    result->percent = 100.0 * result->matched / result->units;
  if (m > 2 && segments[n_codes] > 0)
    result->percent_unanimous = 100.0 * unanimous[n_codes] / segments[n_codes];
  result->kappa = brennan_prediger (result->percent, n_codes);
  for (guint p = 0; p < result->pairs->len; p++)
    {
      CwAgreementPair *pair = &g_array_index (result->pairs, CwAgreementPair, p);

      pair->units = pair_matched[p] + pair_unmatched[p];
      if (pair->units > 0)
        pair->percent = 100.0 * pair_matched[p] / pair->units;
      pair->kappa = brennan_prediger (pair->percent, n_codes);
    }
  return TRUE;
}

CwAgreement *
cw_agreement_data_compute (CwAgreementData  *data,
                           CwAgreementUnit   unit,
                           guint             overlap,
                           GCancellable     *cancellable,
                           GError          **error)
{
  g_autoptr(CwAgreement) result = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_data (data, overlap, unit, error))
    return NULL;
  unite (data);
  result = agreement_new (data, unit, overlap);
  if (unit == CW_AGREEMENT_UNIT_SEGMENT)
    {
      if (!compute_segments (data, result, cancellable, error))
        return NULL;
    }
  else if (!compute_tallied (data, result, cancellable, error))
    return NULL;
  return g_steal_pointer (&result);
}

/* ------------------------------------------------------------------------ */
/* Disagreements                                                            */

/* By place; g_ptr_array_sort is stable, so the codes keep their order. */
static int
compare_disagreements (gconstpointer a,
                       gconstpointer b)
{
  const CwDisagreement *x = *(CwDisagreement * const *) a;
  const CwDisagreement *y = *(CwDisagreement * const *) b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return (x->end > y->end) - (x->end < y->end);
}

GPtrArray *
cw_agreement_data_disagreements (CwAgreementData  *data,
                                 GCancellable     *cancellable,
                                 GError          **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_disagreement_free);
  g_autoptr(GPtrArray) by_document = NULL;
  const Seg *segs;
  const Raw *raw;
  guint n, m;
  guint64 everyone;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_data (data, CW_AGREEMENT_DEFAULT_OVERLAP, CW_AGREEMENT_UNIT_CHARACTER, error))
    return NULL;
  unite (data);
  segs = (const Seg *) data->segs->data;
  raw = (const Raw *) data->raw->data;
  n = data->segs->len;
  m = data->n_coders;
  everyone = m == 64 ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << m) - 1;

  /* One list per document, filled code by code, then sorted by place. */
  by_document = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint d = 0; d < data->doc_ids->len; d++)
    g_ptr_array_add (by_document, g_ptr_array_new_with_free_func ((GDestroyNotify) cw_disagreement_free));

  for (guint first = 0; first < n;)
    {
      guint end = group_end (segs, n, first);
      Sweep sweep;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      sweep_init (&sweep, segs + first, end - first, m);
      while (sweep_next (&sweep))
        {
          CwDisagreement *place;

          if (sweep.mask == everyone)
            continue;
          place = g_new0 (CwDisagreement, 1);
          place->document_id = g_array_index (data->doc_ids, gint64, segs[first].document);
          place->document = g_strdup (g_ptr_array_index (data->doc_names, segs[first].document));
          place->code_id = g_array_index (data->code_ids, gint64, segs[first].code);
          place->code = g_strdup (g_ptr_array_index (data->code_paths, segs[first].code));
          place->start = sweep.run_start;
          place->end = sweep.run_end;
          place->n_coders = m;
          place->coded = g_new0 (gboolean, m);
          place->coding_ids = g_new0 (GArray *, m);
          for (guint i = 0; i < m; i++)
            {
              place->coding_ids[i] = g_array_new (FALSE, FALSE, sizeof (gint64));
              if (!((sweep.mask >> i) & 1))
                continue;
              place->coded[i] = TRUE;
              {
                const Seg *seg = &segs[first + sweep.at[i]];

                for (guint r = seg->raw_first; r < seg->raw_first + seg->raw_n; r++)
                  if (raw[r].start < place->end && raw[r].end > place->start && raw[r].id != 0)
                    g_array_append_val (place->coding_ids[i], raw[r].id);
              }
            }
          g_ptr_array_add (g_ptr_array_index (by_document, segs[first].document), place);
        }
      first = end;
    }

  for (guint d = 0; d < by_document->len; d++)
    {
      GPtrArray *places = g_ptr_array_index (by_document, d);

      g_ptr_array_sort (places, compare_disagreements);
      for (guint i = 0; i < places->len; i++)
        {
          g_ptr_array_add (result, places->pdata[i]);
          places->pdata[i] = NULL;
        }
    }
  return g_steal_pointer (&result);
}

/* ------------------------------------------------------------------------ */
/* The project layer                                                        */

CwAgreementOptions *
cw_agreement_options_new (void)
{
  CwAgreementOptions *options = g_new0 (CwAgreementOptions, 1);

  options->unit = CW_AGREEMENT_UNIT_CHARACTER;
  options->overlap = CW_AGREEMENT_DEFAULT_OVERLAP;
  return options;
}

void
cw_agreement_options_free (CwAgreementOptions *options)
{
  if (options == NULL)
    return;
  g_strfreev (options->coders);
  g_clear_pointer (&options->code_ids, g_array_unref);
  g_clear_pointer (&options->document_ids, g_array_unref);
  g_free (options);
}

static gint64 *
int64_key (gint64 value)
{
  return g_memdup2 (&value, sizeof value);
}

/* Loads what the options select into a CwAgreementData. */
static CwAgreementData *
load_data (CwProject                 *self,
           const CwAgreementOptions  *options,
           GCancellable              *cancellable,
           GError                   **error)
{
  g_autoptr(CwAgreementData) data = NULL;
  g_autoptr(GHashTable) coder_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) code_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) document_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) wanted = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint n_coders;
  int rc;

  n_coders = options->coders != NULL ? g_strv_length (options->coders) : 0;
  if (n_coders < 2)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: agreement needs at least two coders"), cw_project_get_path (self));
      return NULL;
    }
  if (n_coders > CW_AGREEMENT_MAX_CODERS)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: agreement compares at most %d coders"), cw_project_get_path (self),
                   CW_AGREEMENT_MAX_CODERS);
      return NULL;
    }
  if ((guint) options->unit > CW_AGREEMENT_UNIT_DOCUMENT)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: no agreement unit numbered %d"), cw_project_get_path (self), (int) options->unit);
      return NULL;
    }
  if (options->overlap > 100)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: the overlap must be 1 to 100 percent, not %u"), cw_project_get_path (self),
                   options->overlap);
      return NULL;
    }

  /* Coders */
  for (guint i = 0; i < n_coders; i++)
    for (guint j = 0; j < i; j++)
      if (g_strcmp0 (options->coders[i], options->coders[j]) == 0)
        {
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                       _("%s: coder “%s” named twice"), cw_project_get_path (self), options->coders[i]);
          return NULL;
        }
  data = cw_agreement_data_new ((const char * const *) options->coders);
  for (guint i = 0; i < n_coders; i++)
    {
      g_autoptr(sqlite3_stmt) lookup = _cw_project_prepare (self, "SELECT id FROM coders WHERE name = ?1",
                                                             error);

      if (lookup == NULL)
        return NULL;
      sqlite3_bind_text (lookup, 1, options->coders[i], -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (lookup);
      if (rc == SQLITE_DONE)
        {
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                       _("%s: no coder named “%s”"), cw_project_get_path (self), options->coders[i]);
          return NULL;
        }
      if (rc != SQLITE_ROW)
        {
          _cw_project_set_db_error (self, error, _("cannot read the coders"));
          return NULL;
        }
      g_hash_table_insert (coder_index, int64_key (sqlite3_column_int64 (lookup, 0)), GUINT_TO_POINTER (i));
    }

  /* Codes: every codable one in codebook order, or the chosen ones. */
  codes = _cw_project_list_codes_uncounted (self, error);
  if (codes == NULL)
    return NULL;
  if (options->code_ids == NULL || options->code_ids->len == 0)
    {
      for (guint i = 0; i < codes->len; i++)
        {
          const CwCode *code = g_ptr_array_index (codes, i);

          if (code->codable)
            g_hash_table_insert (code_index, int64_key (code->id),
                                 GUINT_TO_POINTER (cw_agreement_data_add_code (data, code->id, code->path)));
        }
    }
  else
    {
      g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);

      for (guint i = 0; i < codes->len; i++)
        {
          CwCode *code = g_ptr_array_index (codes, i);
          g_hash_table_insert (by_id, &code->id, code);
        }
      for (guint i = 0; i < options->code_ids->len; i++)
        {
          gint64 id = g_array_index (options->code_ids, gint64, i);
          const CwCode *code = g_hash_table_lookup (by_id, &id);

          if (code == NULL)
            {
              g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                           _("%s: no code with id %lld"), cw_project_get_path (self), (long long) id);
              return NULL;
            }
          if (!g_hash_table_contains (code_index, &id))
            g_hash_table_insert (code_index, int64_key (id),
                                 GUINT_TO_POINTER (cw_agreement_data_add_code (data, id, code->path)));
        }
    }

  /* Documents, in the project's order. */
  documents = cw_project_list_documents_brief (self, error);
  if (documents == NULL)
    return NULL;
  if (options->document_ids != NULL && options->document_ids->len > 0)
    {
      wanted = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      for (guint i = 0; i < options->document_ids->len; i++)
        g_hash_table_add (wanted, int64_key (g_array_index (options->document_ids, gint64, i)));
    }
  for (guint i = 0; i < documents->len; i++)
    {
      const CwDocumentInfo *info = g_ptr_array_index (documents, i);

      if (wanted != NULL && !g_hash_table_remove (wanted, &info->id))
        continue;
      g_hash_table_insert (document_index, int64_key (info->id),
                           GUINT_TO_POINTER (cw_agreement_data_add_document (data, info->id, info->name,
                                                                             info->characters)));
    }
  if (wanted != NULL && g_hash_table_size (wanted) > 0)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, wanted);
      g_hash_table_iter_next (&iter, &key, NULL);
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("%s: no document with id %lld"), cw_project_get_path (self),
                   (long long) *(gint64 *) key);
      return NULL;
    }

  /* Codings: read once, selected here (cheaper than a statement per
   * selection, and the statement stays cached). */
  stmt = _cw_project_prepare (self, "SELECT id, document_id, code_id, coder_id, start, end FROM codings", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 document_id = sqlite3_column_int64 (stmt, 1);
      gint64 code_id = sqlite3_column_int64 (stmt, 2);
      gint64 coder_id = sqlite3_column_int64 (stmt, 3);
      gpointer coder, code, document;

      if (!g_hash_table_lookup_extended (coder_index, &coder_id, NULL, &coder) ||
          !g_hash_table_lookup_extended (code_index, &code_id, NULL, &code) ||
          !g_hash_table_lookup_extended (document_index, &document_id, NULL, &document))
        continue;
      cw_agreement_data_add_interval (data, GPOINTER_TO_UINT (coder), GPOINTER_TO_UINT (code),
                                      GPOINTER_TO_UINT (document), sqlite3_column_int64 (stmt, 4),
                                      sqlite3_column_int64 (stmt, 5), sqlite3_column_int64 (stmt, 0));
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the codings"));
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return g_steal_pointer (&data);
}

CwAgreement *
cw_project_agreement (CwProject                 *self,
                      const CwAgreementOptions  *options,
                      GCancellable              *cancellable,
                      GError                   **error)
{
  g_autoptr(CwAgreementData) data = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options->unit == CW_AGREEMENT_UNIT_SEGMENT && options->overlap == 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: the overlap must be 1 to 100 percent, not 0"), cw_project_get_path (self));
      return NULL;
    }
  data = load_data (self, options, cancellable, error);
  if (data == NULL)
    return NULL;
  return cw_agreement_data_compute (data, options->unit, options->overlap, cancellable, error);
}

GPtrArray *
cw_project_list_disagreements (CwProject                 *self,
                               const CwAgreementOptions  *options,
                               GCancellable              *cancellable,
                               GError                   **error)
{
  g_autoptr(CwAgreementData) data = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = load_data (self, options, cancellable, error);
  if (data == NULL)
    return NULL;
  return cw_agreement_data_disagreements (data, cancellable, error);
}

/* ------------------------------------------------------------------------ */
/* JSON                                                                     */

void
cw_agreement_write_json (const CwAgreement *agreement,
                         CwJson            *json)
{
  gboolean many = agreement->n_coders > 2;
  gboolean character = agreement->unit == CW_AGREEMENT_UNIT_CHARACTER;
  gboolean segment = agreement->unit == CW_AGREEMENT_UNIT_SEGMENT;

  g_return_if_fail (agreement != NULL && json != NULL);

  cw_json_begin_object (json);
  cw_json_key (json, "unit");
  cw_json_string (json, cw_agreement_unit_to_string (agreement->unit));
  if (segment)
    {
      cw_json_key (json, "overlap");
      cw_json_int (json, agreement->overlap);
    }
  cw_json_key (json, "coders");
  cw_json_begin_array (json);
  for (guint i = 0; i < agreement->n_coders; i++)
    cw_json_string (json, agreement->coders[i]);
  cw_json_end_array (json);
  cw_json_key (json, "codings");
  cw_json_begin_object (json);
  for (guint i = 0; i < agreement->n_coders; i++)
    {
      cw_json_key (json, agreement->coders[i]);
      cw_json_int (json, agreement->codings[i]);
    }
  cw_json_end_object (json);
  cw_json_key (json, "documents");
  cw_json_int (json, agreement->n_documents);

  cw_json_key (json, "codes");
  cw_json_begin_array (json);
  for (guint c = 0; c < agreement->codes->len; c++)
    {
      const CwAgreementCode *code = &g_array_index (agreement->codes, CwAgreementCode, c);

      cw_json_begin_object (json);
      cw_json_key (json, "code");
      cw_json_string (json, code->path);
      cw_json_key (json, "units");
      cw_json_int (json, code->units);
      cw_json_key (json, "percent");
      cw_json_double (json, code->percent);
      if (many)
        {
          cw_json_key (json, "percent_unanimous");
          cw_json_double (json, code->percent_unanimous);
        }
      cw_json_key (json, "kappa");
      cw_json_double (json, code->kappa);
      cw_json_key (json, "alpha");
      cw_json_double (json, code->alpha);
      if (character)
        {
          cw_json_key (json, "u_alpha");
          cw_json_double (json, code->u_alpha);
        }
      if (segment)
        {
          cw_json_key (json, "matched");
          cw_json_int (json, code->matched);
          cw_json_key (json, "unmatched");
          cw_json_int (json, code->unmatched);
        }
      cw_json_end_object (json);
    }
  cw_json_end_array (json);

  cw_json_key (json, "overall");
  cw_json_begin_object (json);
  cw_json_key (json, "units");
  cw_json_int (json, agreement->units);
  cw_json_key (json, "percent");
  cw_json_double (json, agreement->percent);
  if (many)
    {
      cw_json_key (json, "percent_unanimous");
      cw_json_double (json, agreement->percent_unanimous);
    }
  cw_json_key (json, "kappa");
  cw_json_double (json, agreement->kappa);
  cw_json_key (json, "alpha");
  cw_json_double (json, agreement->alpha);
  if (character)
    {
      cw_json_key (json, "cu_alpha");
      cw_json_double (json, agreement->cu_alpha);
      cw_json_key (json, "cu_alpha_reason");
      cw_json_string (json, agreement->cu_alpha_reason);
    }
  if (segment)
    {
      cw_json_key (json, "matched");
      cw_json_int (json, agreement->matched);
      cw_json_key (json, "unmatched");
      cw_json_int (json, agreement->unmatched);
    }
  cw_json_end_object (json);

  if (many)
    {
      cw_json_key (json, "pairs");
      cw_json_begin_array (json);
      for (guint p = 0; p < agreement->pairs->len; p++)
        {
          const CwAgreementPair *pair = &g_array_index (agreement->pairs, CwAgreementPair, p);

          cw_json_begin_object (json);
          cw_json_key (json, "coders");
          cw_json_begin_array (json);
          cw_json_string (json, agreement->coders[pair->coder_a]);
          cw_json_string (json, agreement->coders[pair->coder_b]);
          cw_json_end_array (json);
          cw_json_key (json, "units");
          cw_json_int (json, pair->units);
          cw_json_key (json, "percent");
          cw_json_double (json, pair->percent);
          cw_json_key (json, "kappa");
          cw_json_double (json, pair->kappa);
          cw_json_end_object (json);
        }
      cw_json_end_array (json);
    }
  cw_json_end_object (json);
}
