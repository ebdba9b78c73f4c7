/* cw-bench-agreement: the agreement issue's speed figure.
 *
 *   cw-bench-agreement [--runs N] [--project WORK_DIR] [--json FILE]
 *   cw-bench-agreement --open P.codewerk [--runs N]
 *
 * With --open: cw_project_agreement (Anouk and Bram, character unit) on an
 * existing project, such as tests/bench/run-suite's; one JSON line out.
 *
 * Generates, deterministically, 30 codes x 200 documents of 35,000
 * characters (7 M) and 20,000 codings by two coders: the second coder
 * reuses most of the first's segments, some with shifted edges, some with
 * another code, some new. Times, as the median (and best) of N runs (5):
 *   - the pure layer (sort, unite, sweep) for each unit, and the
 *     disagreement list, each from fresh data;
 *   - with --project: the same codings in a project file (documents
 *     imported from generated text), cw_project_agreement end to end,
 *     reading the codings from SQLite included.
 * The target (issue 7): under 0.05 s for the character unit in a release
 * build.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "cw-agreement.h"
#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-project-private.h"

#define N_CODES 30
#define N_DOCUMENTS 200
#define DOCUMENT_LENGTH 35000

static guint64 state;

static guint64
next_random (void)
{
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

static gint64
random_below (gint64 n)
{
  return n > 0 ? (gint64) (next_random () % (guint64) n) : 0;
}

typedef struct
{
  guint  coder;
  guint  code;
  guint  document;
  gint64 start;
  gint64 end;
} Coding;

/* 20,000 codings: pairs as in cw-bench-coding (60 % the same segment,
 * 25 % shifted edges, 10 % another code, 5 % elsewhere). */
static GArray *
generate (gint64 n_codings)
{
  GArray *codings = g_array_new (FALSE, FALSE, sizeof (Coding));

  state = 0x9E3779B97F4A7C15ull;
  for (gint64 i = 0; i < n_codings / 2; i++)
    {
      guint document = (guint) random_below (N_DOCUMENTS);
      gint64 start = random_below (DOCUMENT_LENGTH - 400);
      gint64 end = start + 20 + random_below (300);
      guint code = (guint) random_below (N_CODES);
      int roll = (int) random_below (100);
      Coding a = { 0, code, document, start, end };
      Coding b = { 1, code, document, start, end };

      if (roll < 60)
        ;
      else if (roll < 85)
        {
          b.start = MAX (0, b.start - random_below (15));
          b.end = MIN (DOCUMENT_LENGTH, b.end + random_below (15));
        }
      else if (roll < 95)
        b.code = (guint) random_below (N_CODES);
      else
        {
          b.start = random_below (DOCUMENT_LENGTH - 200);
          b.end = b.start + 30;
        }
      g_array_append_val (codings, a);
      g_array_append_val (codings, b);
    }
  return codings;
}

static CwAgreementData *
make_data (GArray *codings)
{
  static const char *coders[] = { "Anouk", "Bram", NULL };
  CwAgreementData *data = cw_agreement_data_new (coders);

  for (guint c = 0; c < N_CODES; c++)
    {
      g_autofree char *path = g_strdup_printf ("Thema/Code %u", c + 1);
      cw_agreement_data_add_code (data, c + 1, path);
    }
  for (guint d = 0; d < N_DOCUMENTS; d++)
    {
      g_autofree char *name = g_strdup_printf ("interview-%03u.txt", d + 1);
      cw_agreement_data_add_document (data, d + 1, name, DOCUMENT_LENGTH);
    }
  for (guint i = 0; i < codings->len; i++)
    {
      const Coding *c = &g_array_index (codings, Coding, i);
      cw_agreement_data_add_interval (data, c->coder, c->code, c->document, c->start, c->end, i + 1);
    }
  return data;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

typedef struct
{
  const char *name;
  double      best;
  double      median;
} Figure;

static Figure
summarise (const char *name,
           GArray     *ms)
{
  Figure figure = { name, 0, 0 };

  g_array_sort (ms, compare_double);
  figure.best = g_array_index (ms, double, 0);
  figure.median = g_array_index (ms, double, ms->len / 2);
  return figure;
}

/* Times one unit (or, with unit < 0, the disagreement list) on fresh
 * data each run. */
static Figure
time_pure (const char *name,
           GArray     *codings,
           int         unit,
           guint       runs,
           double     *check)
{
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint run = 0; run < runs; run++)
    {
      g_autoptr(CwAgreementData) data = make_data (codings);
      g_autoptr(GError) error = NULL;
      gint64 t0 = g_get_monotonic_time ();
      double elapsed;

      if (unit < 0)
        {
          g_autoptr(GPtrArray) places = cw_agreement_data_disagreements (data, NULL, &error);

          if (places == NULL)
            g_error ("%s", error->message);
          elapsed = (g_get_monotonic_time () - t0) / 1000.0;
          *check = places->len;
        }
      else
        {
          g_autoptr(CwAgreement) result = cw_agreement_data_compute (data, unit, 90, NULL, &error);

          if (result == NULL)
            g_error ("%s", error->message);
          elapsed = (g_get_monotonic_time () - t0) / 1000.0;
          *check = result->percent;
        }
      g_array_append_val (ms, elapsed);
    }
  return summarise (name, ms);
}

/* A project with the same documents (generated words) and codings. */
static CwProject *
build_project (const char *work_dir,
               GArray     *codings)
{
  static const char *words[] = {
    "ik", "werk", "stage", "school", "jobcoach", "begeleiding", "thuis", "ideeën", "één",
    "coördinator", "geëvalueerd", "baan", "contract", "uitkering", "leerbedrijf", "mentor",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) documents = NULL;
  g_autofree char *corpus = g_build_filename (work_dir, "agreement-corpus", NULL);
  g_autofree char *path = g_build_filename (work_dir, "agreement-bench.codewerk", NULL);
  gint64 code_ids[N_CODES];
  sqlite3_stmt *insert;
  CwProject *project;

  g_mkdir_with_parents (corpus, 0755);
  state = 0x2545F4914F6CDD1Dull;
  for (guint d = 0; d < N_DOCUMENTS; d++)
    {
      g_autofree char *name = g_strdup_printf ("interview-%03u.txt", d + 1);
      g_autofree char *file = g_build_filename (corpus, name, NULL);
      g_autoptr(GString) text = g_string_new (NULL);
      glong length = 0;

      /* exactly DOCUMENT_LENGTH code points, no trailing space */
      while (length < DOCUMENT_LENGTH)
        {
          const char *word = words[random_below (G_N_ELEMENTS (words))];
          glong n = g_utf8_strlen (word, -1);

          if (length + n + 1 > DOCUMENT_LENGTH)
            {
              for (; length < DOCUMENT_LENGTH; length++)
                g_string_append_c (text, 'x');
              break;
            }
          g_string_append (text, word);
          g_string_append_c (text, length + n + 1 == DOCUMENT_LENGTH ? 'x' : ' ');
          length += n + 1;
        }
      if (!g_file_set_contents (file, text->str, text->len, &error))
        g_error ("%s", error->message);
      g_ptr_array_add (files, g_file_new_for_path (file));
    }
  g_unlink (path);
  project = cw_project_create (path, "Agreement benchmark", &error);
  if (project == NULL)
    g_error ("%s", error->message);
  documents = cw_project_import (project, files, CW_DOCUMENT_KIND_INTERVIEW, NULL, NULL, NULL, &error);
  if (documents == NULL)
    g_error ("%s", error->message);
  for (guint c = 0; c < N_CODES; c++)
    {
      g_autofree char *code_path = g_strdup_printf ("Thema/Code %u", c + 1);

      code_ids[c] = cw_project_add_code (project, code_path, NULL, NULL, &error);
      if (code_ids[c] == 0)
        g_error ("%s", error->message);
    }
  if (cw_project_ensure_coder (project, "Anouk", &error) == 0 ||
      cw_project_ensure_coder (project, "Bram", &error) == 0 ||
      !_cw_project_begin (project, &error))
    g_error ("%s", error->message);
  insert = _cw_project_prepare (project,
                                "INSERT OR IGNORE INTO codings (guid, document_id, code_id, coder_id, start, end, created_at)"
                                " VALUES (?1, ?2, ?3, (SELECT id FROM coders WHERE name = ?4), ?5, ?6, 'now')",
                                &error);
  if (insert == NULL)
    g_error ("%s", error->message);
  for (guint i = 0; i < codings->len; i++)
    {
      const Coding *c = &g_array_index (codings, Coding, i);
      g_autofree char *guid = g_uuid_string_random ();

      sqlite3_bind_text (insert, 1, guid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (insert, 2, g_array_index (documents, gint64, c->document));
      sqlite3_bind_int64 (insert, 3, code_ids[c->code]);
      sqlite3_bind_text (insert, 4, c->coder == 0 ? "Anouk" : "Bram", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 5, c->start);
      sqlite3_bind_int64 (insert, 6, c->end);
      if (sqlite3_step (insert) != SQLITE_DONE)
        g_error ("insert failed");
      sqlite3_reset (insert);
    }
  _cw_statement_release (insert);
  if (!_cw_project_commit (project, &error))
    g_error ("%s", error->message);
  return project;
}

/* cw_project_agreement end to end on an existing project, after one run
 * that warms the page cache. */
static int
time_open_project (const char *path,
                   gint64      runs)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = cw_project_open (path, &error);
  g_autoptr(CwAgreementOptions) options = cw_agreement_options_new ();
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  double percent = 0, cu_alpha = 0;
  char cu_alpha_text[G_ASCII_DTOSTR_BUF_SIZE];
  Figure figure;

  if (project == NULL)
    {
      g_printerr ("cw-bench-agreement: %s\n", error->message);
      return 1;
    }
  options->coders = g_strsplit ("Anouk,Bram", ",", -1);
  options->unit = CW_AGREEMENT_UNIT_CHARACTER;
  for (gint64 run = 0; run <= runs; run++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(CwAgreement) result = cw_project_agreement (project, options, NULL, &error);
      double elapsed = (g_get_monotonic_time () - t0) / 1000.0;

      if (result == NULL)
        {
          g_printerr ("cw-bench-agreement: %s\n", error->message);
          return 1;
        }
      percent = result->percent;
      cu_alpha = result->cu_alpha;
      if (run > 0)
        g_array_append_val (ms, elapsed);
    }
  figure = summarise ("agreement", ms);
  g_ascii_formatd (cu_alpha_text, sizeof cu_alpha_text, "%.4f", cu_alpha);
  g_print ("{\"job\":\"agreement\",\"unit\":\"character\",\"runs\":%" G_GINT64_FORMAT ",\"ms\":%.3f,\"best_ms\":%.3f,"
           "\"percent\":%.3f,\"cu_alpha\":%s}\n", runs, figure.median, figure.best, percent,
           isnan (cu_alpha) ? "null" : cu_alpha_text);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) codings = NULL;
  g_autofree char *project_dir = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *open_path = NULL;
  gint64 runs = 5, n_codings = 20000;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT64, &runs, "runs per figure (5)", "N" },
    { "codings", 0, 0, G_OPTION_ARG_INT64, &n_codings, "codings by the two coders (20000)", "N" },
    { "project", 0, 0, G_OPTION_ARG_FILENAME, &project_dir, "also time the project layer in DIR", "DIR" },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json_path, "write the figures as JSON", "FILE" },
    { "open", 0, 0, G_OPTION_ARG_FILENAME, &open_path, "only time an existing project (one JSON line)", "P" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  Figure figures[6];
  guint n_figures = 0;
  double check[6] = { 0 };
  g_autoptr(GString) out = g_string_new (NULL);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 1 || runs < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "usage: cw-bench-agreement [--runs N] [--project DIR]");
      return 2;
    }

  if (open_path != NULL)
    return time_open_project (open_path, runs);

  codings = generate (n_codings);
  figures[n_figures] = time_pure ("character unit (pure)", codings, CW_AGREEMENT_UNIT_CHARACTER, runs, &check[n_figures]);
  n_figures++;
  figures[n_figures] = time_pure ("segment unit (pure)", codings, CW_AGREEMENT_UNIT_SEGMENT, runs, &check[n_figures]);
  n_figures++;
  figures[n_figures] = time_pure ("document unit (pure)", codings, CW_AGREEMENT_UNIT_DOCUMENT, runs, &check[n_figures]);
  n_figures++;
  figures[n_figures] = time_pure ("disagreement list (pure)", codings, -1, runs, &check[n_figures]);
  n_figures++;

  if (project_dir != NULL)
    {
      g_autoptr(CwProject) project = build_project (project_dir, codings);
      g_autoptr(CwAgreementOptions) options = cw_agreement_options_new ();
      g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));

      options->coders = g_strsplit ("Anouk,Bram", ",", -1);
      for (gint64 run = 0; run < runs + 1; run++)
        {
          gint64 t0 = g_get_monotonic_time ();
          g_autoptr(CwAgreement) result = cw_project_agreement (project, options, NULL, &error);
          double elapsed = (g_get_monotonic_time () - t0) / 1000.0;

          if (result == NULL)
            g_error ("%s", error->message);
          check[n_figures] = result->percent;
          if (run > 0) /* the first run warms the page cache */
            g_array_append_val (ms, elapsed);
        }
      figures[n_figures] = summarise ("character unit (project, from SQLite)", ms);
      n_figures++;
    }

  g_print ("30 codes x 200 documents x %d characters (%.1f M), 2 coders, %" G_GINT64_FORMAT
           " codings; %" G_GINT64_FORMAT " runs\n\n",
           DOCUMENT_LENGTH, N_DOCUMENTS * (double) DOCUMENT_LENGTH / 1e6, n_codings, runs);
  g_print ("| figure | median ms | best ms | check |\n| --- | ---: | ---: | ---: |\n");
  for (guint i = 0; i < n_figures; i++)
    g_print ("| %s | %.2f | %.2f | %.4g |\n", figures[i].name, figures[i].median, figures[i].best, check[i]);

  if (json_path != NULL)
    {
      g_string_append (out, "{");
      for (guint i = 0; i < n_figures; i++)
        g_string_append_printf (out, "%s\"%s\": {\"median_ms\": %.3f, \"best_ms\": %.3f}", i ? ", " : "",
                                figures[i].name, figures[i].median, figures[i].best);
      g_string_append (out, "}\n");
      if (!g_file_set_contents (json_path, out->str, out->len, &error))
        g_error ("%s", error->message);
    }
  return 0;
}
