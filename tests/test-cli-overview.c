/* test-cli-overview.c: code-map, frequencies, cooccurrence and chart as a
 * user drives codewerk-cli, on a copy of the example project: the numbers
 * agree with codings, codes and crosstab; the pictures are real PNG and
 * SVG files; wrong usage and failures say so with the right exit status.
 */
#include "config.h"

#include <string.h>
#include <libxml/parser.h>

#include "cw-test-util.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = cw_test_make_dir ();
  fixture->path = cw_test_copy_example (fixture->dir, "example.codewerk");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gint64
json_int_at (GVariant *array,
             gsize     i)
{
  g_autoptr(GVariant) value = cw_test_json_at (array, i);

  return g_variant_get_int64 (value);
}

static char *
json_str_at (GVariant *array,
             gsize     i)
{
  g_autoptr(GVariant) value = cw_test_json_at (array, i);

  return g_variant_dup_string (value, NULL);
}

/* Each code's "codings" from `codes`, by path. */
static GHashTable *
codings_per_code (Fixture *fixture)
{
  g_autoptr(GVariant) codes = cw_test_cli_json ("codes", fixture->path, "--json", NULL);
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (gsize i = 0; i < g_variant_n_children (codes); i++)
    {
      g_autoptr(GVariant) code = cw_test_json_at (codes, i);

      g_hash_table_insert (table, g_strdup (cw_test_json_str (code, "path")),
                           GINT_TO_POINTER ((int) cw_test_json_int (code, "codings")));
    }
  return table;
}

static void
test_code_map (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GVariant) map = cw_test_cli_json ("code-map", fixture->path, "--json", NULL);
  g_autoptr(GVariant) documents = cw_test_json_get (map, "documents");
  g_autoptr(GVariant) codes = cw_test_json_get (map, "codes");
  g_autoptr(GVariant) counts = cw_test_json_get (map, "counts");
  g_autoptr(GVariant) lotte = NULL;
  g_autoptr(GVariant) lotte_counts = NULL;
  g_autoptr(GVariant) lotte_codings = NULL;
  g_autoptr(GHashTable) per_code = codings_per_code (fixture);
  g_auto(CwCliResult) plain = { 0 };
  guint checked = 0, lotte_total = 0;

  g_assert_true (cw_test_json_is_null (map, "coder"));
  g_assert_cmpuint (g_variant_n_children (documents), ==, g_variant_n_children (counts));
  g_assert_cmpuint (g_variant_n_children (documents), >=, 6);

  /* Column sums are the codes' codings; some cells are what `codings`
   * returns for that document and code. */
  for (gsize j = 0; j < g_variant_n_children (codes); j++)
    {
      g_autofree char *code = json_str_at (codes, j);
      gint64 sum = 0;

      for (gsize i = 0; i < g_variant_n_children (counts); i++)
        {
          g_autoptr(GVariant) row = cw_test_json_at (counts, i);
          gint64 n = json_int_at (row, j);

          g_assert_cmpuint (g_variant_n_children (row), ==, g_variant_n_children (codes));
          sum += n;
          if (j % 9 == 0)
            {
              g_autofree char *document = json_str_at (documents, i);
              g_autoptr(GVariant) codings = cw_test_cli_json ("codings", fixture->path, "--doc", document,
                                                              "--code", code, "--json", NULL);

              g_assert_cmpint (n, ==, (gint64) g_variant_n_children (codings));
              checked++;
            }
        }
      g_assert_cmpint (sum, ==, GPOINTER_TO_INT (g_hash_table_lookup (per_code, code)));
    }
  g_assert_cmpuint (checked, >, 20);

  /* One coder: everything of Lotte's, nothing else. */
  lotte = cw_test_cli_json ("code-map", fixture->path, "--coder", "Lotte", "--json", NULL);
  g_assert_cmpstr (cw_test_json_str (lotte, "coder"), ==, "Lotte");
  lotte_counts = cw_test_json_get (lotte, "counts");
  for (gsize i = 0; i < g_variant_n_children (lotte_counts); i++)
    {
      g_autoptr(GVariant) row = cw_test_json_at (lotte_counts, i);

      for (gsize j = 0; j < g_variant_n_children (row); j++)
        lotte_total += json_int_at (row, j);
    }
  lotte_codings = cw_test_cli_json ("codings", fixture->path, "--coder", "Lotte", "--json", NULL);
  g_assert_cmpuint (lotte_total, ==, g_variant_n_children (lotte_codings));
  g_assert_cmpuint (lotte_total, >, 0);

  /* Plain: a tab-separated table with a heading line. */
  plain = cw_test_cli ("code-map", fixture->path, NULL);
  g_assert_cmpint (plain.status, ==, 0);
  g_assert_true (g_str_has_prefix (plain.out, "document\t"));
  g_assert_nonnull (strstr (plain.out, "\narena-praktijkschool-de-brug.txt\t"));
}

static void
test_frequencies (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GVariant) kinds = cw_test_cli_json ("frequencies", fixture->path, "--by", "kind", "--json", NULL);
  g_autoptr(GVariant) values = cw_test_json_get (kinds, "values");
  g_autoptr(GVariant) rows = cw_test_json_get (kinds, "rows");
  g_autoptr(GVariant) by = NULL;
  g_autoptr(GVariant) crosstab = NULL;
  g_autoptr(GVariant) by_rows = NULL;
  g_autoptr(GVariant) crosstab_rows = NULL;
  g_autoptr(GHashTable) per_code = codings_per_code (fixture);
  g_autofree char *first = NULL;

  g_assert_cmpstr (cw_test_json_str (kinds, "by"), ==, "kind");
  /* The example has arena, focus group and employer interview documents. */
  first = json_str_at (values, 0);
  g_assert_cmpstr (first, ==, "arena");
  for (gsize i = 0; i < g_variant_n_children (rows); i++)
    {
      g_autoptr(GVariant) row = cw_test_json_at (rows, i);
      g_autoptr(GVariant) counts = cw_test_json_get (row, "counts");
      const char *code = cw_test_json_str (row, "code");
      gint64 sum = 0;

      for (gsize j = 0; j < g_variant_n_children (values); j++)
        {
          g_autofree char *value = json_str_at (values, j);

          sum += cw_test_json_int (counts, value);
        }
      g_assert_cmpint (sum, ==, GPOINTER_TO_INT (g_hash_table_lookup (per_code, code)));
    }

  /* By a case variable: crosstab's codings, the same values and rows. */
  by = cw_test_cli_json ("frequencies", fixture->path, "--by", "Uitkomst", "--json", NULL);
  crosstab = cw_test_cli_json ("crosstab", fixture->path, "Uitkomst", "--json", NULL);
  g_assert_cmpstr (cw_test_json_str (by, "by"), ==, "Uitkomst");
  {
    g_autoptr(GVariant) a = cw_test_json_get (by, "values");
    g_autoptr(GVariant) b = cw_test_json_get (crosstab, "values");

    g_assert_true (g_variant_equal (a, b));
  }
  by_rows = cw_test_json_get (by, "rows");
  crosstab_rows = cw_test_json_get (crosstab, "rows");
  g_assert_cmpuint (g_variant_n_children (by_rows), ==, g_variant_n_children (crosstab_rows));
  for (gsize i = 0; i < g_variant_n_children (by_rows); i++)
    {
      g_autoptr(GVariant) a = cw_test_json_at (by_rows, i);
      g_autoptr(GVariant) b = cw_test_json_at (crosstab_rows, i);
      g_autoptr(GVariant) a_counts = cw_test_json_get (a, "counts");
      g_autoptr(GVariant) b_counts = cw_test_json_get (b, "codings");

      g_assert_cmpstr (cw_test_json_str (a, "code"), ==, cw_test_json_str (b, "code"));
      g_assert_true (g_variant_equal (a_counts, b_counts));
    }
}

static void
test_cooccurrence (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GVariant) matrix = cw_test_cli_json ("cooccurrence", fixture->path, "--json", NULL);
  g_autoptr(GVariant) codes = cw_test_json_get (matrix, "codes");
  g_autoptr(GVariant) counts = cw_test_json_get (matrix, "counts");
  g_autoptr(GHashTable) per_code = codings_per_code (fixture);
  gint64 off_diagonal = 0;
  gsize n = g_variant_n_children (codes);

  g_assert_cmpuint (g_variant_n_children (counts), ==, n);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) row = cw_test_json_at (counts, i);
      g_autofree char *code = json_str_at (codes, i);

      /* The diagonal: the code's segments. */
      g_assert_cmpint (json_int_at (row, i), ==, GPOINTER_TO_INT (g_hash_table_lookup (per_code, code)));
      for (gsize j = 0; j < n; j++)
        {
          g_autoptr(GVariant) other = cw_test_json_at (counts, j);

          g_assert_cmpint (json_int_at (row, j), ==, json_int_at (other, i));
          if (i != j)
            off_diagonal += json_int_at (row, j);
        }
    }
  /* Two coders coded the same passages: codes overlap. */
  g_assert_cmpint (off_diagonal, >, 0);
}

static void
test_chart (Fixture       *fixture,
            gconstpointer  data)
{
  static const char *pictures[] = { "code-map", "kinds", "variable:Uitkomst", "cooccurrence" };
  const char *shots = g_getenv ("CODEWERK_SCREENSHOT_DIR");
  g_autofree char *shot_dir = shots != NULL ? g_strdup (shots)
                                            : g_build_filename (g_getenv ("CODEWERK_BUILD_ROOT"), "tests",
                                                                "screenshots", NULL);

  g_assert_cmpint (g_mkdir_with_parents (shot_dir, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (pictures); i++)
    {
      g_autofree char *name = g_strdelimit (g_strdup_printf ("cli-chart-%s", pictures[i]), ":", '-');
      g_autofree char *png = g_strdup_printf ("%s/%s.png", fixture->dir, name);
      g_autofree char *svg = g_strdup_printf ("%s/%s.svg", fixture->dir, name);
      g_autofree char *bytes = NULL;
      g_autofree char *shot = g_strdup_printf ("%s/%s.png", shot_dir, name);
      g_auto(CwCliResult) to_png = cw_test_cli ("chart", fixture->path, pictures[i], png, NULL);
      g_auto(CwCliResult) to_svg = cw_test_cli ("chart", fixture->path, pictures[i], svg, NULL);
      gsize length;
      xmlDocPtr doc;

      g_assert_cmpint (to_png.status, ==, 0);
      g_assert_cmpstr (to_png.err, ==, "");
      g_assert_cmpint (to_svg.status, ==, 0);
      g_assert_true (g_file_get_contents (png, &bytes, &length, NULL));
      g_assert_cmpuint (length, >, 5000);
      g_assert_cmpmem (bytes, 8, "\x89PNG\r\n\x1a\n", 8);
      g_assert_true (g_file_set_contents (shot, bytes, length, NULL));
      g_clear_pointer (&bytes, g_free);
      g_assert_true (g_file_get_contents (svg, &bytes, &length, NULL));
      doc = xmlReadMemory (bytes, (int) length, "chart.svg", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
      g_assert_nonnull (doc);
      g_assert_cmpstr ((const char *) xmlDocGetRootElement (doc)->name, ==, "svg");
      xmlFreeDoc (doc);
    }
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *nowhere = g_build_filename (fixture->dir, "no-such-folder", "map.png", NULL);
  g_autofree char *not_project = g_build_filename (fixture->dir, "notes.codewerk", NULL);
  g_autofree char *before = cw_test_dump (fixture->path);
  g_autofree char *after = NULL;
  static const char *usage[][8] = {
    { "frequencies", NULL },                                          /* no --by */
    { "frequencies", "--by", "Uitkomst", "--coder", "Lotte", NULL },  /* coder with a variable */
    { "frequencies", "--by", "kind", "--bins", "3", NULL },
    { "frequencies", "--by", "Uitkomst", "--bins", "nul", NULL },
    { "code-map", "--coder", "", NULL },
    { "chart", "taart", "out.png", NULL },
    { "chart", "code-map", "out.gif", NULL },
    { "chart", "variable:", "out.png", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (usage); i++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_auto(CwCliResult) result = { 0 };

      g_ptr_array_add (argv, (gpointer) g_getenv ("CODEWERK_CLI"));
      g_ptr_array_add (argv, (gpointer) usage[i][0]);
      g_ptr_array_add (argv, fixture->path);
      for (guint k = 1; usage[i][k] != NULL; k++)
        g_ptr_array_add (argv, (gpointer) usage[i][k]);
      g_ptr_array_add (argv, NULL);
      result.status = cw_test_run ((const char * const *) argv->pdata, &result.out, &result.err);
      g_test_message ("%s: %s", usage[i][0], result.err);
      cw_test_assert_cli_failure (&result, 2, NULL);
    }

  {
    g_auto(CwCliResult) result = cw_test_cli ("frequencies", fixture->path, "--by", "Schoenmaat", NULL);

    cw_test_assert_cli_failure (&result, 1, "Schoenmaat");
  }
  {
    g_auto(CwCliResult) result = cw_test_cli ("chart", fixture->path, "code-map", nowhere, NULL);

    cw_test_assert_cli_failure (&result, 1, "map.png");
    g_assert_false (g_file_test (nowhere, G_FILE_TEST_EXISTS));
  }
  {
    g_autoptr(GFile) file = cw_test_write_file (fixture->dir, "notes.codewerk", "not a project\n");
    g_auto(CwCliResult) result = cw_test_cli ("cooccurrence", not_project, NULL);

    cw_test_assert_cli_failure (&result, 1, "notes.codewerk");
  }

  /* Reading pictures changes nothing. */
  after = cw_test_dump (fixture->path);
  g_assert_cmpstr (before, ==, after);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli-overview/code-map", test_code_map);
  ADD ("/cli-overview/frequencies", test_frequencies);
  ADD ("/cli-overview/cooccurrence", test_cooccurrence);
  ADD ("/cli-overview/chart", test_chart);
  ADD ("/cli-overview/refusals", test_refusals);
#undef ADD
  return g_test_run ();
}
