/* Inter-coder agreement: every statistic against values worked out by hand
 * (or published), each in a comment beside the test; the units; undefined
 * cases; the project layer on a small project with UTF-8 text. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cw-agreement.h"
#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-test-util.h"

#define EPS 1e-9

static void
assert_close (double actual,
              double expected)
{
  if (isnan (expected))
    {
      if (!isnan (actual))
        g_error ("expected NAN (undefined), got %.12g", actual);
      return;
    }
  if (!(fabs (actual - expected) <= 1e-6))
    g_error ("expected %.12g, got %.12g", expected, actual);
}

/* ------------------------------------------------------------------------ */
/* Hand-made data                                                           */

typedef struct
{
  guint  coder;
  guint  code;
  guint  document;
  gint64 start;
  gint64 end;
} Iv;

#define END_IV { G_MAXUINT, 0, 0, 0, 0 }

/* n_codes codes "C0".."Cn", documents of the given lengths (ending 0 -1),
 * coders "A", "B", "C"... */
static CwAgreementData *
make_data (guint         n_coders,
           guint         n_codes,
           const gint64 *lengths,
           const Iv     *ivs)
{
  static const char *names[] = { "A", "B", "C", "D", "E", NULL };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) coders = NULL;
  CwAgreementData *data;

  g_assert_cmpuint (n_coders, <, G_N_ELEMENTS (names));
  for (guint i = 0; i < n_coders; i++)
    g_strv_builder_add (builder, names[i]);
  coders = g_strv_builder_end (builder);
  data = cw_agreement_data_new ((const char * const *) coders);
  for (guint c = 0; c < n_codes; c++)
    {
      g_autofree char *path = g_strdup_printf ("C%u", c);
      g_assert_cmpuint (cw_agreement_data_add_code (data, 100 + c, path), ==, c);
    }
  for (guint d = 0; lengths[d] >= 0; d++)
    {
      g_autofree char *name = g_strdup_printf ("doc%u.txt", d);
      g_assert_cmpuint (cw_agreement_data_add_document (data, 10 + d, name, lengths[d]), ==, d);
    }
  for (guint i = 0; ivs[i].coder != G_MAXUINT; i++)
    cw_agreement_data_add_interval (data, ivs[i].coder, ivs[i].code, ivs[i].document, ivs[i].start,
                                    ivs[i].end, 1000 + i);
  return data;
}

static CwAgreement *
compute (CwAgreementData *data,
         CwAgreementUnit  unit,
         guint            overlap)
{
  g_autoptr(GError) error = NULL;
  CwAgreement *result = cw_agreement_data_compute (data, unit, overlap, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static const CwAgreementCode *
code_at (const CwAgreement *result,
         guint              i)
{
  g_assert_cmpuint (i, <, result->codes->len);
  return &g_array_index (result->codes, CwAgreementCode, i);
}

/* ------------------------------------------------------------------------ */
/* Plain tables                                                             */

typedef struct
{
  const char *name;
  double      table[9];
  guint       n;
  double      kappa;
} CohenCase;

static void
test_cohen (void)
{
  static const CohenCase cases[] = {
    /* Textbook: both yes 20, A yes B no 5, A no B yes 10, both no 15.
     * N = 50, p_o = 35/50 = .7; A yes .5, B yes .6:
     * p_e = .5 * .6 + .5 * .4 = .5; kappa = (.7 - .5) / (1 - .5) = .4 */
    { "textbook", { 20, 5, 10, 15 }, 2, 0.4 },
    /* Perfect agreement on both categories: kappa 1. */
    { "perfect", { 7, 0, 0, 3 }, 2, 1.0 },
    /* Exactly chance: p_o = .5, p_e = .5 -> 0. */
    { "chance", { 1, 1, 1, 1 }, 2, 0.0 },
    /* Both coders always "no": p_e = 1, 0/0 -> undefined, not 1. */
    { "one category", { 0, 0, 0, 12 }, 2, NAN },
    /* Nothing at all. */
    { "empty", { 0, 0, 0, 0 }, 2, NAN },
    /* 3 x 3: diagonal 10 + 8 + 8 = 26 of N = 40, p_o = .65; rows 14,
     * 14, 12; columns 16, 12, 12: p_e = (14*16 + 14*12 + 12*12) / 1600
     * = 536 / 1600 = .335; kappa = (.65 - .335) / .665 = .473684... */
    { "3x3", { 10, 2, 2, 4, 8, 2, 2, 2, 8 }, 3, 0.315 / 0.665 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("Cohen: %s", cases[i].name);
      assert_close (cw_agreement_cohen_kappa (cases[i].table, cases[i].n), cases[i].kappa);
    }
}

/* Fleiss (1971) as on Wikipedia ("Fleiss' kappa", worked example): 10
 * subjects, 14 raters, 5 categories. P-bar = 0.378, P_e = 0.213,
 * kappa = (0.378 - 0.213) / (1 - 0.213) = 0.210. */
static void
test_fleiss (void)
{
  static const double counts[] = {
    0, 0, 0, 0, 14,
    0, 2, 6, 4, 2,
    0, 0, 3, 5, 6,
    0, 3, 9, 2, 0,
    2, 2, 8, 1, 1,
    7, 7, 0, 0, 0,
    3, 2, 6, 3, 0,
    2, 5, 3, 2, 2,
    6, 5, 2, 1, 0,
    0, 2, 2, 3, 7,
  };
  static const double same[] = { 3, 0, 3, 0 };
  static const double ragged[] = { 3, 0, 1, 1 };
  static const double weights[] = { 2, 0.5 };
  /* two units counted as 2 and 0.5 of a unit equal the table with those
   * rows repeated: rows {2,0} x2 and {1,1} x0.5 -> P-bar = (2*1 + 0.5*0)
   * / 2.5 = .8; p = (4 + .5) / 5 = .9, .1: P_e = .82; kappa = (.8 - .82)
   * / .18 = -1/9 */
  static const double weighted_counts[] = { 2, 0, 1, 1 };

  assert_close (round (cw_agreement_fleiss_kappa (counts, NULL, 10, 5) * 1000) / 1000, 0.210);
  assert_close (cw_agreement_fleiss_kappa (counts, NULL, 10, 5), 0.2099307044);
  /* Everyone always in one category: undefined. */
  assert_close (cw_agreement_fleiss_kappa (same, NULL, 2, 2), NAN);
  /* Rows with different numbers of raters: not Fleiss' kappa. */
  assert_close (cw_agreement_fleiss_kappa (ragged, NULL, 2, 2), NAN);
  assert_close (cw_agreement_fleiss_kappa (weighted_counts, weights, 2, 2), -1.0 / 9);
}

/* Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the
 * example with missing data: 4 observers, 12 units, values 1..5, nominal
 * alpha = 0.743. Unit 12 has one value: not pairable; 40 pairable values.
 * Coincidences (each pair of values in a unit weighted 1 / (m_u - 1)):
 *        1     2     3     4     5
 *   1    7    4/3   1/3   1/3    .
 *   2   4/3   10    4/3   1/3    .
 *   3   1/3   4/3    8    1/3    .
 *   4   1/3   1/3   1/3    4     .
 *   5    .     .     .     .     3
 * n_c = 9, 13, 10, 5, 3 (n = 40); off the diagonal 8;
 * sum_{c != k} n_c n_k = 1600 - (81 + 169 + 100 + 25 + 9) = 1216;
 * alpha = 1 - (n - 1) * 8 / 1216 = 1 - 312/1216 = 0.74342 */
static void
test_krippendorff_2011 (void)
{
#define M -1
  static const int data[4 * 12] = {
    /* A */ 1, 2, 3, 3, 2, 1, 4, 1, 2, M, M, M,
    /* B */ 1, 2, 3, 3, 2, 2, 4, 1, 2, 5, M, 3,
    /* C */ M, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, M,
    /* D */ 1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, M,
  };
  int shifted[4 * 12];
  double o[25] = { 0 };
  double n = 0, diagonal = 0;

  /* values 1..5 -> 0..4 */
  for (guint i = 0; i < G_N_ELEMENTS (data); i++)
    shifted[i] = data[i] == M ? M : data[i] - 1;
  cw_agreement_coincidences (shifted, 4, 12, M, 5, o);
  for (guint c = 0; c < 5; c++)
    {
      diagonal += o[c * 5 + c];
      for (guint k = 0; k < 5; k++)
        n += o[c * 5 + k];
    }
  assert_close (n, 40);
  assert_close (o[0], 7);
  assert_close (o[1], 4.0 / 3);
  assert_close (o[2], 1.0 / 3);
  assert_close (o[6], 10);
  assert_close (o[12], 8);
  assert_close (o[18], 4);
  assert_close (o[24], 3);
  assert_close (o[4], 0);
  assert_close (diagonal, 32);
  assert_close (cw_agreement_alpha_nominal (o, 5), 1.0 - 312.0 / 1216);
  assert_close (round (cw_agreement_alpha_nominal (o, 5) * 1000) / 1000, 0.743);
#undef M
}

/* ------------------------------------------------------------------------ */
/* The character unit                                                       */

/* Krippendorff et al. (2016) uα for one code as a binary variable, worked
 * from the section definitions (README): l.. = m L; l_1. = the coded
 * length summed over coders; S = sum of unit lengths squared + sum of gap
 * lengths; l_01 = sum over ordered coder pairs (i, j) of
 * |gap_i ∩ unit_j| / (m - 1); uα = 1 - l_01 (l..^2 - S) / (l.. l_0. l_1.) */
typedef struct
{
  const char *name;
  Iv          ivs[6];
  double      u_alpha;
} UAlphaCase;

static void
test_u_alpha (void)
{
  static const gint64 lengths[] = { 10, -1 };
  static const UAlphaCase cases[] = {
    /* The same unit: l_01 = 0 -> 1. */
    { "perfect", { { 0, 0, 0, 0, 5 }, { 1, 0, 0, 0, 5 }, END_IV }, 1.0 },
    /* B coded nothing: l.. = 20, l_1. = 3, l_0. = 17, S = 9 + 17 = 26,
     * l_01 = 3: 1 - 3 * 374 / (20 * 17 * 3) = 1 - 374/340 = -0.1 */
    { "one coder empty", { { 0, 0, 0, 2, 5 }, END_IV }, -0.1 },
    /* Edges shifted by one: [0,5) and [1,6). l_1. = 10, l_0. = 10,
     * S = 25 + 25 + 10 = 60, l_01 = 2: 1 - 2 * 340 / 2000 = 0.66 */
    { "shifted edges", { { 0, 0, 0, 0, 5 }, { 1, 0, 0, 1, 6 }, END_IV }, 0.66 },
    /* Adjacent intervals united: A [0,3) + [3,6) is one unit [0,6);
     * B [0,7). l_1. = 13, l_0. = 7, S = 36 + 49 + 7 = 92, l_01 = 1:
     * 1 - 308 / (20 * 7 * 13) = 1 - 308/1820 = 0.830769...
     * (without uniting, S = 9 + 9 + 49 + 7 = 74: 0.8209) */
    { "adjacent united", { { 0, 0, 0, 0, 3 }, { 0, 0, 0, 3, 6 }, { 1, 0, 0, 0, 7 }, END_IV },
      1.0 - 308.0 / 1820 },
    /* Nobody coded: e_01 = 0 -> undefined. */
    { "nobody", { END_IV }, NAN },
    /* Everyone coded everything: l_0. = 0 -> undefined. */
    { "everything", { { 0, 0, 0, 0, 10 }, { 1, 0, 0, 0, 10 }, END_IV }, NAN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CwAgreementData) data = make_data (2, 1, lengths, cases[i].ivs);
      g_autoptr(CwAgreement) result = compute (data, CW_AGREEMENT_UNIT_CHARACTER, 90);

      g_test_message ("u_alpha: %s", cases[i].name);
      assert_close (code_at (result, 0)->u_alpha, cases[i].u_alpha);
    }
}

/* Two coders, one code, one document of 10 characters: A [0,5), B [1,6).
 * Units (characters): both 4 ([1,5)), A only 1, B only 1, neither 4.
 * percent = 8/10 = 80; Cohen: p_o = .8, A .5, B .5 -> p_e = .5,
 * kappa = .6; alpha: n = 20, n_1 = n_0 = 10, o_01 = 2:
 * 1 - 19 * 2 / 100 = 0.62 */
static void
test_two_coders (void)
{
  static const gint64 lengths[] = { 10, -1 };
  static const Iv ivs[] = { { 0, 0, 0, 0, 5 }, { 1, 0, 0, 1, 6 }, END_IV };
  g_autoptr(CwAgreementData) data = make_data (2, 1, lengths, ivs);
  g_autoptr(CwAgreement) result = compute (data, CW_AGREEMENT_UNIT_CHARACTER, 90);
  const CwAgreementCode *code = code_at (result, 0);

  g_assert_cmpint (code->units, ==, 10);
  assert_close (code->percent, 80);
  assert_close (code->kappa, 0.6);
  assert_close (code->alpha, 0.62);
  assert_close (code->percent_unanimous, NAN);
  g_assert_cmpint (code->code_id, ==, 100);
  g_assert_cmpstr (code->path, ==, "C0");
  /* One code: overall is the same. */
  assert_close (result->percent, 80);
  assert_close (result->kappa, 0.6);
  assert_close (result->alpha, 0.62);
  g_assert_cmpint (result->units, ==, 10);
  g_assert_cmpint (result->codings[0], ==, 1);
  g_assert_cmpint (result->codings[1], ==, 1);
  /* One code: cuα needs two. */
  assert_close (result->cu_alpha, NAN);
  g_assert_nonnull (result->cu_alpha_reason);
}

/* Nobody used the code: every unit agrees (100 %), but kappa and alpha
 * are 0/0: undefined, not 1. No documents: no units, percent undefined. */
static void
test_undefined (void)
{
  static const gint64 lengths[] = { 10, -1 };
  static const gint64 none[] = { -1 };
  static const Iv nothing[] = { END_IV };
  g_autoptr(CwAgreementData) data = make_data (2, 1, lengths, nothing);
  g_autoptr(CwAgreementData) empty = make_data (2, 1, none, nothing);
  g_autoptr(CwAgreement) result = compute (data, CW_AGREEMENT_UNIT_CHARACTER, 90);
  g_autoptr(CwAgreement) no_units = compute (empty, CW_AGREEMENT_UNIT_CHARACTER, 90);
  g_autoptr(CwAgreement) no_segments = compute (data, CW_AGREEMENT_UNIT_SEGMENT, 90);
  g_autoptr(CwAgreement) no_documents = compute (empty, CW_AGREEMENT_UNIT_DOCUMENT, 90);

  assert_close (code_at (result, 0)->percent, 100);
  assert_close (code_at (result, 0)->kappa, NAN);
  assert_close (code_at (result, 0)->alpha, NAN);
  assert_close (code_at (result, 0)->u_alpha, NAN);
  assert_close (result->kappa, NAN);
  assert_close (result->alpha, NAN);

  assert_close (code_at (no_units, 0)->percent, NAN);
  assert_close (no_units->percent, NAN);
  g_assert_cmpint (code_at (no_units, 0)->units, ==, 0);

  assert_close (code_at (no_segments, 0)->percent, NAN);
  assert_close (no_segments->percent, NAN);
  assert_close (no_segments->kappa, NAN);
  assert_close (code_at (no_documents, 0)->percent, NAN);
}

/* Three coders, one code, 4 characters: A [0,2), B [0,3), C [1,4).
 * Per character (A B C): 0: 1 1 0, 1: 1 1 1, 2: 0 1 1, 3: 0 0 1.
 * Agreeing pairs of 3: 1, 3, 1, 1 -> mean pairwise (1/3 + 1 + 1/3 + 1/3)
 * / 4 = .5 -> 50 %; unanimous: character 1 only -> 25 %.
 * Fleiss: P-bar = .5; p_1 = 8/12, p_0 = 4/12: P_e = 5/9;
 * kappa = (1/2 - 5/9) / (4/9) = -0.125.
 * alpha: n = 12, n_1 = 8, n_0 = 4; o_01 = 1 + 0 + 1 + 1 = 3:
 * 1 - 11 * 3 / 32 = -0.03125.
 * Pairs: A-B agree on 0, 1, 3: 75 %, Cohen p_e = .5*.75 + .5*.25 = .5,
 * kappa .5; A-C agree on 1: 25 %, p_e = .5, kappa -.5; B-C agree on 1, 2:
 * 50 %, p_e = .75^2 + .25^2 = .625, kappa -1/3. Mean of 75, 25, 50 = 50. */
static void
test_three_coders (void)
{
  static const gint64 lengths[] = { 4, -1 };
  static const Iv ivs[] = { { 0, 0, 0, 0, 2 }, { 1, 0, 0, 0, 3 }, { 2, 0, 0, 1, 4 }, END_IV };
  g_autoptr(CwAgreementData) data = make_data (3, 1, lengths, ivs);
  g_autoptr(CwAgreement) result = compute (data, CW_AGREEMENT_UNIT_CHARACTER, 90);
  const CwAgreementCode *code = code_at (result, 0);
  static const struct { double percent, kappa; } pairs[] = { { 75, 0.5 }, { 25, -0.5 }, { 50, -1.0 / 3 } };

  assert_close (code->percent, 50);
  assert_close (code->percent_unanimous, 25);
  assert_close (code->kappa, -0.125);
  assert_close (code->alpha, -0.03125);
  assert_close (result->percent_unanimous, 25);
  g_assert_cmpuint (result->pairs->len, ==, 3);
  for (guint p = 0; p < 3; p++)
    {
      const CwAgreementPair *pair = &g_array_index (result->pairs, CwAgreementPair, p);

      g_assert_cmpint (pair->units, ==, 4);
      assert_close (pair->percent, pairs[p].percent);
      assert_close (pair->kappa, pairs[p].kappa);
    }
  g_assert_cmpuint (g_array_index (result->pairs, CwAgreementPair, 1).coder_a, ==, 0);
  g_assert_cmpuint (g_array_index (result->pairs, CwAgreementPair, 1).coder_b, ==, 2);
}

/* Two documents, 10 and 30 characters. Doc 1: A, B [0,5) -> 100 %,
 * kappa 1. Doc 2: A [0,2), B [5,7) -> 26/30 agree; A 2/30, B 2/30:
 * p_e = (1/15)^2 + (14/15)^2 = 197/225, kappa = (26/30 - 197/225)
 * / (28/225) = -1/14.
 * Averaged: percent (100 + 86.67) / 2 = 93.33, kappa (1 - 1/14) / 2 =
 * 0.4643. Pooled (what is reported): 40 characters, 36 agree -> 90 %;
 * both 5, A only 2, B only 2, neither 31; A and B 7/40 = .175:
 * p_e = .175^2 + .825^2 = .71125; kappa = (.9 - .71125) / .28875
 * = 0.653679... */
static void
test_pooled_not_averaged (void)
{
  static const gint64 both_lengths[] = { 10, 30, -1 };
  static const gint64 one_length[] = { 10, -1 };
  static const gint64 two_length[] = { 30, -1 };
  static const Iv both[] = {
    { 0, 0, 0, 0, 5 }, { 1, 0, 0, 0, 5 }, { 0, 0, 1, 0, 2 }, { 1, 0, 1, 5, 7 }, END_IV,
  };
  static const Iv first[] = { { 0, 0, 0, 0, 5 }, { 1, 0, 0, 0, 5 }, END_IV };
  static const Iv second[] = { { 0, 0, 0, 0, 2 }, { 1, 0, 0, 5, 7 }, END_IV };
  g_autoptr(CwAgreementData) pooled_data = make_data (2, 1, both_lengths, both);
  g_autoptr(CwAgreementData) first_data = make_data (2, 1, one_length, first);
  g_autoptr(CwAgreementData) second_data = make_data (2, 1, two_length, second);
  g_autoptr(CwAgreement) pooled = compute (pooled_data, CW_AGREEMENT_UNIT_CHARACTER, 90);
  g_autoptr(CwAgreement) one = compute (first_data, CW_AGREEMENT_UNIT_CHARACTER, 90);
  g_autoptr(CwAgreement) two = compute (second_data, CW_AGREEMENT_UNIT_CHARACTER, 90);
  double averaged_percent, averaged_kappa;

  assert_close (code_at (one, 0)->percent, 100);
  assert_close (code_at (one, 0)->kappa, 1);
  assert_close (code_at (two, 0)->percent, 2600.0 / 30);
  assert_close (code_at (two, 0)->kappa, -1.0 / 14);
  averaged_percent = (code_at (one, 0)->percent + code_at (two, 0)->percent) / 2;
  averaged_kappa = (code_at (one, 0)->kappa + code_at (two, 0)->kappa) / 2;
  assert_close (averaged_percent, 93.333333333);
  assert_close (averaged_kappa, 13.0 / 28);

  g_assert_cmpint (code_at (pooled, 0)->units, ==, 40);
  assert_close (code_at (pooled, 0)->percent, 90);
  assert_close (code_at (pooled, 0)->kappa, 0.18875 / 0.28875);
  g_assert_cmpfloat (fabs (code_at (pooled, 0)->percent - averaged_percent), >, 1);
  g_assert_cmpfloat (fabs (code_at (pooled, 0)->kappa - averaged_kappa), >, 0.1);
}

/* The same coder's overlapping or adjacent intervals are one segment:
 * A [0,30) + [30,60) + [50,100) is [0,100), which B's [0,100) matches
 * (unmatched as three pieces: the largest overlap, 50 of 100, is 50 %).
 * The codings considered are still three. */
static void
test_adjacency (void)
{
  static const gint64 lengths[] = { 200, -1 };
  static const Iv ivs[] = {
    { 0, 0, 0, 0, 30 }, { 0, 0, 0, 30, 60 }, { 0, 0, 0, 50, 100 }, { 1, 0, 0, 0, 100 }, END_IV,
  };
  g_autoptr(CwAgreementData) data = make_data (2, 1, lengths, ivs);
  g_autoptr(CwAgreement) segments = compute (data, CW_AGREEMENT_UNIT_SEGMENT, 90);
  g_autoptr(CwAgreement) characters = compute (data, CW_AGREEMENT_UNIT_CHARACTER, 90);

  g_assert_cmpint (code_at (segments, 0)->matched, ==, 2);
  g_assert_cmpint (code_at (segments, 0)->unmatched, ==, 0);
  g_assert_cmpint (segments->codings[0], ==, 3);
  g_assert_cmpint (segments->codings[1], ==, 1);
  /* Double coverage does not count twice: perfect agreement. */
  assert_close (code_at (characters, 0)->percent, 100);
  assert_close (code_at (characters, 0)->kappa, 1);
  assert_close (code_at (characters, 0)->u_alpha, 1);
}

/* Segment unit. Code C0: A [0,90), B [0,100): overlap 90, union 100,
 * exactly 90 %. Code C1: A [200,210), B [300,310): no overlap. C2 unused
 * (3 codes compared). Brennan & Prediger: chance 1/3.
 *   pct 89: C0 matched 2 -> overall 2 of 4 = 50 %,
 *           kappa = (.5 - 1/3) / (2/3) = .25
 *   pct 90: the same (90 * 100 >= 90 * 100)
 *   pct 91: nothing matched -> 0 %, kappa = (0 - 1/3) / (2/3) = -.5 */
typedef struct
{
  guint  pct;
  gint64 matched;
  double percent;
  double kappa;
} SegmentCase;

static void
test_segment_threshold (void)
{
  static const gint64 lengths[] = { 400, -1 };
  static const Iv ivs[] = {
    { 0, 0, 0, 0, 90 }, { 1, 0, 0, 0, 100 }, { 0, 1, 0, 200, 210 }, { 1, 1, 0, 300, 310 }, END_IV,
  };
  static const SegmentCase cases[] = {
    { 89, 2, 50, 0.25 },
    { 90, 2, 50, 0.25 },
    { 91, 0, 0, -0.5 },
    { 100, 0, 0, -0.5 },
    { 1, 2, 50, 0.25 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CwAgreementData) data = make_data (2, 3, lengths, ivs);
      g_autoptr(CwAgreement) result = compute (data, CW_AGREEMENT_UNIT_SEGMENT, cases[i].pct);

      g_test_message ("segment overlap %u %%", cases[i].pct);
      g_assert_cmpuint (result->overlap, ==, cases[i].pct);
      g_assert_cmpint (code_at (result, 0)->matched, ==, cases[i].matched);
      g_assert_cmpint (code_at (result, 0)->unmatched, ==, 2 - cases[i].matched);
      assert_close (code_at (result, 0)->percent, cases[i].matched * 50.0);
      g_assert_cmpint (code_at (result, 1)->matched, ==, 0);
      g_assert_cmpint (code_at (result, 1)->unmatched, ==, 2);
      assert_close (code_at (result, 1)->percent, 0);
      /* unused code: no segments, undefined */
      g_assert_cmpint (code_at (result, 2)->units, ==, 0);
      assert_close (code_at (result, 2)->percent, NAN);
      assert_close (code_at (result, 0)->kappa, NAN);
      g_assert_cmpint (result->matched, ==, cases[i].matched);
      g_assert_cmpint (result->unmatched, ==, 4 - cases[i].matched);
      assert_close (result->percent, cases[i].percent);
      assert_close (result->kappa, cases[i].kappa);
    }
}

/* Three coders, segments: A [0,10), B [0,10), C [0,5) (50 % of A's).
 * Ordered comparisons: A vs B yes, A vs C no, B vs A yes, B vs C no,
 * C vs A no, C vs B no: matched 2, unmatched 4; unanimous: no segment
 * matched by both others -> 0 %. Pairs: A-B 2 of 2, A-C 0 of 2, B-C 0.
 * With C [0,10) too, every segment matches both others: 100 %. */
static void
test_segment_three (void)
{
  static const gint64 lengths[] = { 20, -1 };
  static const Iv ivs[] = { { 0, 0, 0, 0, 10 }, { 1, 0, 0, 0, 10 }, { 2, 0, 0, 0, 5 }, END_IV };
  g_autoptr(CwAgreementData) data = make_data (3, 1, lengths, ivs);
  g_autoptr(CwAgreement) result = compute (data, CW_AGREEMENT_UNIT_SEGMENT, 90);

  g_assert_cmpint (code_at (result, 0)->matched, ==, 2);
  g_assert_cmpint (code_at (result, 0)->unmatched, ==, 4);
  assert_close (result->percent, 100.0 / 3);
  assert_close (result->percent_unanimous, 0);
  assert_close (code_at (result, 0)->percent_unanimous, 0);
  /* one code compared: chance 1/1, kappa undefined */
  assert_close (result->kappa, NAN);
  assert_close (g_array_index (result->pairs, CwAgreementPair, 0).percent, 100);
  assert_close (g_array_index (result->pairs, CwAgreementPair, 1).percent, 0);
  assert_close (g_array_index (result->pairs, CwAgreementPair, 2).percent, 0);

  {
    static const Iv same[] = { { 0, 0, 0, 0, 10 }, { 1, 0, 0, 0, 10 }, { 2, 0, 0, 0, 10 }, END_IV };
    g_autoptr(CwAgreementData) all = make_data (3, 1, lengths, same);
    g_autoptr(CwAgreement) agreed = compute (all, CW_AGREEMENT_UNIT_SEGMENT, 90);

    g_assert_cmpint (code_at (agreed, 0)->matched, ==, 6);
    assert_close (code_at (agreed, 0)->percent_unanimous, 100);
    assert_close (agreed->percent, 100);
  }
}

/* Document unit, 4 documents: A used C0 in documents 0 and 1, B in 0 and
 * 2; document 3 nobody. Agree on 0 and 3 -> 50 % (33 % if the uncoded
 * document were left out). Cohen: 1/1/1/1 -> p_e = .5, kappa 0. alpha:
 * n = 8, n_1 = n_0 = 4, o_01 = 2: 1 - 7 * 2 / 16 = 0.125. */
static void
test_document_unit (void)
{
  static const gint64 lengths[] = { 50, 50, 50, 50, -1 };
  static const Iv ivs[] = {
    { 0, 0, 0, 0, 5 }, { 0, 0, 0, 10, 20 }, { 0, 0, 1, 3, 4 }, { 1, 0, 0, 40, 50 }, { 1, 0, 2, 0, 50 }, END_IV,
  };
  g_autoptr(CwAgreementData) data = make_data (2, 1, lengths, ivs);
  g_autoptr(CwAgreement) result = compute (data, CW_AGREEMENT_UNIT_DOCUMENT, 90);

  g_assert_cmpint (code_at (result, 0)->units, ==, 4);
  assert_close (code_at (result, 0)->percent, 50);
  assert_close (code_at (result, 0)->kappa, 0);
  assert_close (code_at (result, 0)->alpha, 0.125);
  assert_close (code_at (result, 0)->u_alpha, NAN);
  assert_close (result->cu_alpha, NAN);
  g_assert_cmpint (result->n_documents, ==, 4);
}

/* cuα over codes C0 and C1 in one document of 20: A C0 [0,10), C1
 * [10,20); B C0 [0,12), C1 [12,20). Intersections (ordered pairs, m - 1
 * = 1): C0-C0 10 + 10, C0-C1 2 + 2 (A's C1 on B's C0), C1-C1 8 + 8.
 * Margins l_C0. = 22, l_C1. = 18, l.. = 40, diagonal 36.
 * sum of (unit ∩ other's valued matter)^2: A 10^2 + 10^2, B 12^2 + 8^2
 * = 408; D = 40 - 408 / 40 = 29.8;
 * D_e = (40^2 - 22^2 - 18^2) / 29.8 = 792 / 29.8; D_o = 40 - 36 = 4;
 * cuα = 1 - 4 * 29.8 / 792 = 0.849494... */
static void
test_cu_alpha (void)
{
  static const gint64 lengths[] = { 20, -1 };
  static const Iv ivs[] = {
    { 0, 0, 0, 0, 10 }, { 0, 1, 0, 10, 20 }, { 1, 0, 0, 0, 12 }, { 1, 1, 0, 12, 20 }, END_IV,
  };
  static const Iv overlapping[] = {
    { 0, 0, 0, 0, 10 }, { 0, 1, 0, 5, 20 }, { 1, 0, 0, 0, 12 }, END_IV,
  };
  static const Iv apart[] = { { 0, 0, 0, 0, 5 }, { 1, 1, 0, 10, 15 }, END_IV };
  g_autoptr(CwAgreementData) data = make_data (2, 2, lengths, ivs);
  g_autoptr(CwAgreementData) bad = make_data (2, 2, lengths, overlapping);
  g_autoptr(CwAgreementData) none = make_data (2, 2, lengths, apart);
  g_autoptr(CwAgreement) result = compute (data, CW_AGREEMENT_UNIT_CHARACTER, 90);
  g_autoptr(CwAgreement) refused = compute (bad, CW_AGREEMENT_UNIT_CHARACTER, 90);
  g_autoptr(CwAgreement) nothing = compute (none, CW_AGREEMENT_UNIT_CHARACTER, 90);

  assert_close (result->cu_alpha, 1.0 - 4 * 29.8 / 792);
  g_assert_null (result->cu_alpha_reason);

  assert_close (refused->cu_alpha, NAN);
  g_assert_nonnull (refused->cu_alpha_reason);
  g_assert_nonnull (strstr (refused->cu_alpha_reason, "overlap"));
  g_assert_nonnull (strstr (refused->cu_alpha_reason, "A"));
  /* the other statistics do not need disjoint codes */
  g_assert_false (isnan (refused->percent));

  assert_close (nothing->cu_alpha, NAN);
  g_assert_nonnull (nothing->cu_alpha_reason);
}

/* Pooled over codes: C0 as in test_two_coders (80 %, 10 units), C1
 * unused (100 %): 20 (code, character) units, 18 agree -> 90 %.
 * Cohen on the pooled table: both 4, A only 1, B only 1, neither 14:
 * p_o = .9, A = B = .25: p_e = .0625 + .5625 = .625,
 * kappa = (.9 - .625) / .375 = 0.7333... */
static void
test_overall_pooled (void)
{
  static const gint64 lengths[] = { 10, -1 };
  static const Iv ivs[] = { { 0, 0, 0, 0, 5 }, { 1, 0, 0, 1, 6 }, END_IV };
  g_autoptr(CwAgreementData) data = make_data (2, 2, lengths, ivs);
  g_autoptr(CwAgreement) result = compute (data, CW_AGREEMENT_UNIT_CHARACTER, 90);

  g_assert_cmpint (result->units, ==, 20);
  assert_close (result->percent, 90);
  assert_close (result->kappa, 0.275 / 0.375);
  assert_close (code_at (result, 1)->percent, 100);
  assert_close (code_at (result, 1)->kappa, NAN);
}

/* Data that cannot crash: intervals past the end are clipped, reversed
 * ones ignored; one coder is refused. */
static void
test_hostile_data (void)
{
  static const gint64 lengths[] = { 10, -1 };
  static const Iv ivs[] = { { 0, 0, 0, -5, 50 }, { 1, 0, 0, 8, 2 }, END_IV };
  static const char *one[] = { "A", NULL };
  g_autoptr(CwAgreementData) data = make_data (2, 1, lengths, ivs);
  g_autoptr(CwAgreement) result = compute (data, CW_AGREEMENT_UNIT_CHARACTER, 90);
  g_autoptr(CwAgreementData) lonely = cw_agreement_data_new (one);
  g_autoptr(GError) error = NULL;
  g_autoptr(CwAgreement) refused = NULL;

  /* A coded all 10, B nothing: 0 % */
  assert_close (code_at (result, 0)->percent, 0);
  g_assert_cmpint (result->codings[1], ==, 1);

  refused = cw_agreement_data_compute (lonely, CW_AGREEMENT_UNIT_CHARACTER, 90, NULL, &error);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_assert_null (refused);
  g_clear_error (&error);
  refused = cw_agreement_data_compute (data, CW_AGREEMENT_UNIT_SEGMENT, 0, NULL, &error);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  refused = cw_agreement_data_compute (data, CW_AGREEMENT_UNIT_SEGMENT, 101, NULL, &error);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
}

/* Disagreements: code C0, A [0,5), B [3,8); code C1 A [2,4) in document
 * 1. Places in document order, then by start: doc 0 [0,3) A only,
 * [5,8) B only ([3,5) both: not listed); doc 1 [2,4) A only. */
static void
test_disagreements (void)
{
  static const gint64 lengths[] = { 10, 10, -1 };
  static const Iv ivs[] = {
    { 0, 1, 1, 2, 4 }, { 0, 0, 0, 0, 5 }, { 1, 0, 0, 3, 8 }, END_IV,
  };
  g_autoptr(CwAgreementData) data = make_data (2, 2, lengths, ivs);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) places = cw_agreement_data_disagreements (data, NULL, &error);
  static const struct { gint64 document_id, code_id, start, end; gboolean a, b; gint64 id; } expected[] = {
    { 10, 100, 0, 3, TRUE, FALSE, 1001 },
    { 10, 100, 5, 8, FALSE, TRUE, 1002 },
    { 11, 101, 2, 4, TRUE, FALSE, 1000 },
  };

  g_assert_no_error (error);
  g_assert_cmpuint (places->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < places->len; i++)
    {
      const CwDisagreement *place = g_ptr_array_index (places, i);
      guint who = expected[i].a ? 0 : 1;

      g_assert_cmpint (place->document_id, ==, expected[i].document_id);
      g_assert_cmpint (place->code_id, ==, expected[i].code_id);
      g_assert_cmpint (place->start, ==, expected[i].start);
      g_assert_cmpint (place->end, ==, expected[i].end);
      g_assert_cmpint (place->coded[0], ==, expected[i].a);
      g_assert_cmpint (place->coded[1], ==, expected[i].b);
      g_assert_cmpuint (place->coding_ids[who]->len, ==, 1);
      g_assert_cmpint (g_array_index (place->coding_ids[who], gint64, 0), ==, expected[i].id);
      g_assert_cmpuint (place->coding_ids[1 - who]->len, ==, 0);
    }
}

/* The JSON has exactly the CLI.md keys, null for undefined values. */
static void
test_json (void)
{
  static const gint64 lengths[] = { 4, -1 };
  static const Iv ivs[] = { { 0, 0, 0, 0, 2 }, { 1, 0, 0, 0, 3 }, { 2, 0, 0, 1, 4 }, END_IV };
  g_autoptr(CwAgreementData) data = make_data (3, 2, lengths, ivs);
  g_autoptr(CwAgreement) result = compute (data, CW_AGREEMENT_UNIT_CHARACTER, 90);
  g_autoptr(CwAgreement) segments = compute (data, CW_AGREEMENT_UNIT_SEGMENT, 90);
  CwJson *json = cw_json_new ();
  g_autofree char *text = NULL;
  g_autoptr(GVariant) root = NULL;
  g_autoptr(GVariant) codes = NULL;
  g_autoptr(GVariant) first = NULL;
  g_autoptr(GVariant) second = NULL;
  g_autoptr(GVariant) overall = NULL;
  g_autoptr(GVariant) pairs = NULL;
  g_autoptr(GVariant) pair = NULL;
  g_autoptr(GVariant) percent = NULL;

  cw_agreement_write_json (result, json);
  text = cw_json_free_to_string (json);
  root = cw_test_parse_json (text);
  g_assert_cmpstr (cw_test_json_str (root, "unit"), ==, "character");
  codes = cw_test_json_get (root, "codes");
  g_assert_cmpuint (g_variant_n_children (codes), ==, 2);
  first = cw_test_json_at (codes, 0);
  g_assert_cmpstr (cw_test_json_str (first, "code"), ==, "C0");
  g_assert_cmpint (cw_test_json_int (first, "units"), ==, 4);
  percent = cw_test_json_get (first, "percent");
  g_assert_cmpfloat_with_epsilon (g_variant_get_double (percent), 50, EPS);
  g_assert_false (cw_test_json_is_null (first, "kappa"));
  g_assert_false (cw_test_json_is_null (first, "alpha"));
  g_assert_false (cw_test_json_is_null (first, "u_alpha"));
  g_assert_false (cw_test_json_is_null (first, "percent_unanimous"));
  second = cw_test_json_at (codes, 1);
  g_assert_true (cw_test_json_is_null (second, "kappa"));
  g_assert_true (cw_test_json_is_null (second, "alpha"));
  g_assert_true (cw_test_json_is_null (second, "u_alpha"));
  overall = cw_test_json_get (root, "overall");
  g_assert_false (cw_test_json_is_null (overall, "percent"));
  g_assert_true (cw_test_json_is_null (overall, "cu_alpha"));
  g_assert_false (cw_test_json_is_null (overall, "cu_alpha_reason"));
  g_assert_false (cw_test_json_is_null (overall, "percent_unanimous"));
  pairs = cw_test_json_get (root, "pairs");
  g_assert_cmpuint (g_variant_n_children (pairs), ==, 3);
  pair = cw_test_json_at (pairs, 0);
  g_assert_false (cw_test_json_is_null (pair, "kappa"));
  g_clear_pointer (&root, g_variant_unref);
  g_clear_pointer (&codes, g_variant_unref);
  g_clear_pointer (&first, g_variant_unref);
  g_clear_pointer (&text, g_free);

  json = cw_json_new ();
  cw_agreement_write_json (segments, json);
  text = cw_json_free_to_string (json);
  root = cw_test_parse_json (text);
  g_assert_cmpstr (cw_test_json_str (root, "unit"), ==, "segment");
  codes = cw_test_json_get (root, "codes");
  first = cw_test_json_at (codes, 0);
  g_assert_cmpint (cw_test_json_int (first, "matched"), ==, 0);
  g_assert_cmpint (cw_test_json_int (first, "unmatched"), ==, 6);
  g_assert_true (cw_test_json_is_null (first, "kappa"));
  g_assert_null (strstr (text, "u_alpha"));
  g_assert_null (strstr (text, "cu_alpha"));
}

/* The sweep against a walk over every character, on random data (2-4
 * coders, overlapping intervals): percent, kappa and alpha per code from
 * per-character values through the plain-table functions. */
static void
test_sweep_matches_walk (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240607);

  for (guint trial = 0; trial < 200; trial++)
    {
      guint m = g_rand_int_range (rand, 2, 5);
      guint n_codes = g_rand_int_range (rand, 1, 4);
      gint64 lengths[] = { g_rand_int_range (rand, 1, 80), g_rand_int_range (rand, 1, 80), -1 };
      gint64 total = lengths[0] + lengths[1];
      GArray *ivs = g_array_new (FALSE, FALSE, sizeof (Iv));
      Iv end = END_IV;
      g_autoptr(CwAgreementData) data = NULL;
      g_autoptr(CwAgreement) result = NULL;

      for (guint i = g_rand_int_range (rand, 0, 25); i > 0; i--)
        {
          Iv iv;

          iv.coder = g_rand_int_range (rand, 0, m);
          iv.code = g_rand_int_range (rand, 0, n_codes);
          iv.document = g_rand_int_range (rand, 0, 2);
          iv.start = g_rand_int_range (rand, 0, lengths[iv.document]);
          iv.end = g_rand_int_range (rand, iv.start + 1, lengths[iv.document] + 1);
          g_array_append_val (ivs, iv);
        }
      g_array_append_val (ivs, end);
      data = make_data (m, n_codes, lengths, (const Iv *) ivs->data);
      result = compute (data, CW_AGREEMENT_UNIT_CHARACTER, 90);

      for (guint c = 0; c < n_codes; c++)
        {
          /* values[coder][character of both documents] */
          g_autofree int *values = g_new0 (int, m * total);
          g_autofree double *counts = g_new0 (double, total * 2);
          double o[4] = { 0 }, table[4] = { 0 }, agreeing = 0;
          const CwAgreementCode *code = code_at (result, c);

          for (guint i = 0; i + 1 < ivs->len; i++)
            {
              const Iv *iv = &g_array_index (ivs, Iv, i);
              gint64 base = iv->document == 0 ? 0 : lengths[0];

              if (iv->code != c)
                continue;
              for (gint64 x = iv->start; x < iv->end; x++)
                values[iv->coder * total + base + x] = 1;
            }
          cw_agreement_coincidences (values, m, total, -1, 2, o);
          for (gint64 x = 0; x < total; x++)
            {
              for (guint i = 0; i < m; i++)
                {
                  counts[x * 2 + values[i * total + x]]++;
                  for (guint j = i + 1; j < m; j++)
                    agreeing += values[i * total + x] == values[j * total + x];
                }
              table[values[x] * 2 + values[total + x]]++;
            }
          assert_close (code->percent, 100.0 * agreeing / (total * m * (m - 1) / 2.0));
          assert_close (code->kappa, m == 2 ? cw_agreement_cohen_kappa (table, 2)
                                            : cw_agreement_fleiss_kappa (counts, NULL, total, 2));
          assert_close (code->alpha, cw_agreement_alpha_nominal (o, 2));
        }
      g_array_unref (ivs);
    }
}

/* ------------------------------------------------------------------------ */
/* The project layer                                                        */

static gint64
offset_of (const char *text,
           const char *needle)
{
  const char *p = strstr (text, needle);

  g_assert_nonnull (p);
  return g_utf8_pointer_to_offset (text, p);
}

static void
add_coding (CwProject  *project,
            gint64      document,
            gint64      code,
            gint64      start,
            gint64      end,
            const char *coder)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cw_project_add_coding (project, document, code, start, end, coder, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
}

/* Two coders on two documents with multi-byte characters (offsets are
 * code points); a category that is not compared; a coder with no codings;
 * unknown coder, code and document. */
static void
test_project (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) documents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwAgreementOptions) options = cw_agreement_options_new ();
  g_autoptr(CwAgreement) result = NULL;
  g_autoptr(GPtrArray) places = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  gint64 doc, doc2, werk, stage, category, length, length2, at;
  const CwAgreementCode *code;

  g_ptr_array_add (files, cw_test_write_file (dir, "één.txt",
                                              "Ëén coördinator, één café: naïef ideeën geüpdatet.\n"));
  g_ptr_array_add (files, cw_test_write_file (dir, "twee.txt", "Plain text here.\n"));
  documents = cw_project_import (project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  doc = g_array_index (documents, gint64, 0);
  doc2 = g_array_index (documents, gint64, 1);
  text = cw_project_get_text (project, doc, &error);
  g_assert_no_error (error);
  text2 = cw_project_get_text (project, doc2, &error);
  length = g_utf8_strlen (text, -1);
  length2 = g_utf8_strlen (text2, -1);
  /* multi-byte: code points are fewer than bytes */
  g_assert_cmpint (length, <, (gint64) strlen (text));

  category = cw_project_create_code (project, 0, "Thema", NULL, NULL, FALSE, &error);
  g_assert_no_error (error);
  werk = cw_project_add_code (project, "Thema/Werk", NULL, NULL, &error);
  g_assert_no_error (error);
  stage = cw_project_add_code (project, "Stage", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cw_project_ensure_coder (project, "Idle", &error), >, 0);
  g_assert_no_error (error);

  /* Werk: A "één café" and B "één café:" (one more code point) */
  at = offset_of (text, "één café");
  add_coding (project, doc, werk, at, at + 8, "Anna");
  add_coding (project, doc, werk, at, at + 9, "Bram");
  /* Stage: only Anna, in the second document */
  add_coding (project, doc2, stage, 0, 5, "Anna");

  options->coders = g_strsplit ("Anna,Bram", ",", -1);
  result = cw_project_agreement (project, options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->codes->len, ==, 2); /* the category is not compared */
  g_assert_cmpint (result->characters, ==, length + length2);
  code = code_at (result, 0);
  g_assert_cmpstr (code->path, ==, "Thema/Werk");
  g_assert_cmpint (code->code_id, ==, werk);
  g_assert_cmpint (code->units, ==, length + length2);
  /* one code point of all differs */
  assert_close (code->percent, 100.0 * (length + length2 - 1) / (length + length2));
  code = code_at (result, 1);
  g_assert_cmpstr (code->path, ==, "Stage");
  assert_close (code->percent, 100.0 * (length + length2 - 5) / (length + length2));
  g_assert_cmpint (result->codings[0], ==, 2);
  g_assert_cmpint (result->codings[1], ==, 1);
  g_clear_pointer (&result, cw_agreement_free);

  /* One document, one code: the first document alone. */
  options->document_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (options->document_ids, doc);
  options->code_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (options->code_ids, werk);
  result = cw_project_agreement (project, options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->codes->len, ==, 1);
  assert_close (code_at (result, 0)->percent, 100.0 * (length - 1) / length);
  g_clear_pointer (&result, cw_agreement_free);

  /* Segment unit: 8 of 9 code points = 88.9 %: matched at 88, not 89. */
  options->unit = CW_AGREEMENT_UNIT_SEGMENT;
  options->overlap = 88;
  result = cw_project_agreement (project, options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (code_at (result, 0)->matched, ==, 2);
  g_clear_pointer (&result, cw_agreement_free);
  options->overlap = 89;
  result = cw_project_agreement (project, options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (code_at (result, 0)->matched, ==, 0);
  g_clear_pointer (&result, cw_agreement_free);

  /* Disagreements: the one code point ":" that only Bram coded. */
  places = cw_project_list_disagreements (project, options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (places->len, ==, 1);
  {
    const CwDisagreement *place = g_ptr_array_index (places, 0);

    g_assert_cmpint (place->start, ==, at + 8);
    g_assert_cmpint (place->end, ==, at + 9);
    cw_test_assert_substring (text, place->start, place->end, ":");
    g_assert_false (place->coded[0]);
    g_assert_true (place->coded[1]);
    g_assert_cmpuint (place->coding_ids[1]->len, ==, 1);
    g_assert_cmpstr (place->document, ==, "één.txt");
    g_assert_cmpstr (place->code, ==, "Thema/Werk");
  }

  /* A coder with no codings has coded nothing: Anna vs Idle. */
  options->unit = CW_AGREEMENT_UNIT_CHARACTER;
  g_strfreev (options->coders);
  options->coders = g_strsplit ("Anna,Idle", ",", -1);
  result = cw_project_agreement (project, options, NULL, &error);
  g_assert_no_error (error);
  assert_close (code_at (result, 0)->percent, 100.0 * (length - 8) / length);
  g_assert_cmpint (result->codings[1], ==, 0);
  g_clear_pointer (&result, cw_agreement_free);

  /* Errors */
  g_strfreev (options->coders);
  options->coders = g_strsplit ("Anna,Niemand", ",", -1);
  result = cw_project_agreement (project, options, NULL, &error);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Niemand"));
  g_assert_null (result);
  g_clear_error (&error);

  g_strfreev (options->coders);
  options->coders = g_strsplit ("Anna", ",", -1);
  result = cw_project_agreement (project, options, NULL, &error);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);

  g_strfreev (options->coders);
  options->coders = g_strsplit ("Anna,Anna", ",", -1);
  result = cw_project_agreement (project, options, NULL, &error);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);

  g_strfreev (options->coders);
  options->coders = g_strsplit ("Anna,Bram", ",", -1);
  g_array_index (options->code_ids, gint64, 0) = 999999;
  result = cw_project_agreement (project, options, NULL, &error);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_array_index (options->code_ids, gint64, 0) = werk;
  g_array_index (options->document_ids, gint64, 0) = 999999;
  result = cw_project_agreement (project, options, NULL, &error);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_array_index (options->document_ids, gint64, 0) = doc;
  options->unit = CW_AGREEMENT_UNIT_SEGMENT;
  options->overlap = 101;
  result = cw_project_agreement (project, options, NULL, &error);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  (void) category;

  g_assert_finalize_object (g_steal_pointer (&project));
  cw_test_remove_dir (dir);
}

static void
test_units_strings (void)
{
  CwAgreementUnit unit = CW_AGREEMENT_UNIT_CHARACTER;

  g_assert_true (cw_agreement_unit_from_string ("segment", &unit));
  g_assert_cmpint (unit, ==, CW_AGREEMENT_UNIT_SEGMENT);
  g_assert_true (cw_agreement_unit_from_string ("document", &unit));
  g_assert_cmpint (unit, ==, CW_AGREEMENT_UNIT_DOCUMENT);
  g_assert_false (cw_agreement_unit_from_string ("word", &unit));
  g_assert_cmpstr (cw_agreement_unit_to_string (CW_AGREEMENT_UNIT_CHARACTER), ==, "character");
}


/* The intervals come in any order (the project reads them by document,
 * code, coder and start; a merge or the tests otherwise): the result is
 * the same, whether the sort goes by buckets or, with more buckets than
 * intervals, by comparison alone. */
static CwAgreementData *
order_data (guint    n_codes,
            gboolean reversed)
{
  const char *coders[] = { "Anouk", "Bram", NULL };
  CwAgreementData *data = cw_agreement_data_new (coders);
  guint64 state = 0x2545F4914F6CDD1Dull;
  const guint n = 3 * 2 * 2 * 40;
  g_autofree gint64 *starts = g_new (gint64, n);

  for (guint c = 0; c < n_codes; c++)
    {
      g_autofree char *path = g_strdup_printf ("C%u", c);
      cw_agreement_data_add_code (data, 100 + c, path);
    }
  for (guint d = 0; d < 3; d++)
    {
      g_autofree char *name = g_strdup_printf ("doc%u.txt", d);
      cw_agreement_data_add_document (data, 10 + d, name, 10000);
    }
  /* 40 overlapping intervals per coder, code and document: buckets of
   * more than a handful. */
  for (guint i = 0; i < n; i++)
    {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      starts[i] = (gint64) (state % 9800);
    }
  for (guint k = 0; k < n; k++)
    {
      guint i = reversed ? n - 1 - k : k;
      guint coder = i % 2, code = (i / 2) % 2, document = (i / 4) % 3;

      cw_agreement_data_add_interval (data, coder, code, document, starts[i],
                                      starts[i] + 20 + (gint64) (i % 170), 5000 + i);
    }
  return data;
}

static void
test_order_independent (void)
{
  CwAgreementUnit units[] = { CW_AGREEMENT_UNIT_CHARACTER, CW_AGREEMENT_UNIT_SEGMENT };

  for (guint u = 0; u < G_N_ELEMENTS (units); u++)
    {
      g_autoptr(CwAgreementData) in_order = order_data (2, FALSE);
      g_autoptr(CwAgreementData) reversed = order_data (2, TRUE);
      /* 12,000 codes x 3 documents x 2 coders: more buckets than the
       * bucket sort takes on. */
      g_autoptr(CwAgreementData) many_codes = order_data (12000, TRUE);
      g_autoptr(CwAgreement) a = compute (in_order, units[u], 50);
      g_autoptr(CwAgreement) b = compute (reversed, units[u], 50);
      g_autoptr(CwAgreement) c = compute (many_codes, units[u], 50);

      for (guint i = 0; i < 2; i++)
        {
          const CwAgreementCode *x = code_at (a, i), *y = code_at (b, i), *z = code_at (c, i);

          g_assert_cmpint (x->units, >, 0);
          g_assert_cmpint (x->units, ==, y->units);
          g_assert_cmpint (x->units, ==, z->units);
          g_assert_cmpint (x->matched, ==, y->matched);
          g_assert_cmpint (x->matched, ==, z->matched);
          g_assert_cmpint (x->unmatched, ==, y->unmatched);
          g_assert_cmpint (x->unmatched, ==, z->unmatched);
          g_assert_true (x->percent == y->percent && x->percent == z->percent);
          g_assert_true ((isnan (x->kappa) && isnan (y->kappa) && isnan (z->kappa)) ||
                         (x->kappa == y->kappa && x->kappa == z->kappa));
          g_assert_true ((isnan (x->u_alpha) && isnan (y->u_alpha) && isnan (z->u_alpha)) ||
                         (x->u_alpha == y->u_alpha && x->u_alpha == z->u_alpha));
        }
      /* Not all agreement: the intervals differ between the coders. */
      g_assert_cmpfloat (code_at (a, 0)->percent, <, 100.0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/agreement/cohen", test_cohen);
  g_test_add_func ("/agreement/order-independent", test_order_independent);
  g_test_add_func ("/agreement/fleiss", test_fleiss);
  g_test_add_func ("/agreement/krippendorff-2011", test_krippendorff_2011);
  g_test_add_func ("/agreement/u-alpha", test_u_alpha);
  g_test_add_func ("/agreement/two-coders", test_two_coders);
  g_test_add_func ("/agreement/undefined", test_undefined);
  g_test_add_func ("/agreement/three-coders", test_three_coders);
  g_test_add_func ("/agreement/pooled-not-averaged", test_pooled_not_averaged);
  g_test_add_func ("/agreement/adjacency", test_adjacency);
  g_test_add_func ("/agreement/segment-threshold", test_segment_threshold);
  g_test_add_func ("/agreement/segment-three", test_segment_three);
  g_test_add_func ("/agreement/document-unit", test_document_unit);
  g_test_add_func ("/agreement/cu-alpha", test_cu_alpha);
  g_test_add_func ("/agreement/overall-pooled", test_overall_pooled);
  g_test_add_func ("/agreement/sweep-matches-walk", test_sweep_matches_walk);
  g_test_add_func ("/agreement/hostile-data", test_hostile_data);
  g_test_add_func ("/agreement/disagreements", test_disagreements);
  g_test_add_func ("/agreement/json", test_json);
  g_test_add_func ("/agreement/units", test_units_strings);
  g_test_add_func ("/agreement/project", test_project);

  return g_test_run ();
}
