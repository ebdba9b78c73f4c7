/* test-cli-privacy.c: pseudonymisation as a user drives codewerk-cli:
 * pseudonym-add / pseudonyms / pseudonym-remove (JSON, refusals with exit
 * codes and the error line, undo), pseudonym-propose, pseudonymise, the
 * exports with --pseudonymise (.qdpx unzipped, .qdc, the matrix: no real
 * string of the table in any byte, stable case ids) and pseudonym-key, on
 * copies of the example project. */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cw-import.h"
#include "cw-test-util.h"
#include "cw-zip.h"

static const struct
{
  const char *real;
  const char *pseudonym;
  const char *category;
} table[] = {
  { "Kevin", "[Persoon 1]", "person" }, { "Kevins", "[Persoon 1]s", "person" },
  { "Sanne", "[Persoon 2]", "person" }, { "Mohammed", "[Persoon 3]", "person" },
  { "Dewi", "[Persoon 4]", "person" }, { "Jordy", "[Persoon 5]", "person" },
  { "Tim", "[Persoon 6]", "person" }, { "Bram", "[Persoon 7]", "person" },
  { "Henk", "[Persoon 8]", "person" }, { "Anouk", "[Persoon 9]", "person" },
  { "Erik", "[Persoon 10]", "person" }, { "Marieke", "[Persoon 11]", "person" },
  { "El Amrani", "[Persoon 12]", "person" }, { "Pinas", "[Persoon 13]", "person" },
  { "Sandra", "[Persoon 14]", "person" }, { "Marloes", "[Persoon 15]", "person" },
  { "Zoë", "[Persoon 16]", "person" },
  { "De Brug", "[School A]", "school" }, { "Praktijkschool De Brug", "[School A]", "school" },
  { "de-brug", "school-a", "school" }, { "De Wissel", "[School B]", "school" },
  { "Almere", "[Plaats A]", "place" }, { "almere", "plaats-a", "place" },
  { "Almere Buiten", "[Plaats A]", "place" }, { "Zwolle", "[Plaats B]", "place" },
  { "zwolle", "plaats-b", "place" }, { "Lelystad", "[Plaats C]", "place" },
};

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

/* word as a whole word in data (UTF-8 neighbours decoded). */
static gboolean
contains_word (const char *data,
               gsize       len,
               const char *word)
{
  gsize n = strlen (word);

  for (const char *p = data; (p = memmem (p, len - (p - data), word, n)) != NULL; p++)
    {
      gboolean before_ok = TRUE, after_ok = TRUE;

      if (p > data)
        {
          const char *q = p - 1;
          gunichar c;

          while (q > data && p - q < 4 && ((guchar) *q & 0xC0) == 0x80)
            q--;
          c = g_utf8_get_char_validated (q, p - q);
          before_ok = c == (gunichar) -1 || c == (gunichar) -2 || !is_word_char (c);
        }
      if ((gsize) (p - data) + n < len)
        {
          gunichar c = g_utf8_get_char_validated (p + n, MIN (4, len - (p - data) - n));

          after_ok = c == (gunichar) -1 || c == (gunichar) -2 || !is_word_char (c);
        }
      if (before_ok && after_ok)
        return TRUE;
    }
  return FALSE;
}

/* How many of the table's real strings data holds. */
static guint
count_reals (const char *what,
             const char *data,
             gsize       len)
{
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (contains_word (data, len, table[i].real))
      {
        g_test_message ("%s holds “%s”", what, table[i].real);
        n++;
      }
  return n;
}

static guint
count_reals_in_file (const char *path)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_assert_no_error (error);
  return count_reals (path, data, len);
}

/* Every entry of a zip, decompressed. */
static guint
count_reals_in_zip (const char *path)
{
  g_autofree char *data = NULL;
  g_autoptr(GBytes) zip = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  zip = g_bytes_new_take (g_steal_pointer (&data), len);
  entries = cw_zip_list_entries (zip, path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, >, 1);
  for (guint i = 0; i < entries->len; i++)
    {
      g_autoptr(GBytes) entry = cw_zip_read_entry (zip, entries->pdata[i], 64 * 1024 * 1024, path, &error);

      g_assert_no_error (error);
      n += count_reals (entries->pdata[i], g_bytes_get_data (entry, NULL), g_bytes_get_size (entry));
    }
  return n;
}

static void
fill_table (const char *project)
{
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(GVariant) added = cw_test_cli_json ("pseudonym-add", project, table[i].real, table[i].pseudonym,
                                                    "--category", table[i].category, "--json", NULL);

      g_assert_cmpint (cw_test_json_int (added, "id"), >, 0);
    }
}

/* Private folders of --pseudonymise in the temporary folder. */
static guint
count_temporary_copies (void)
{
  g_autoptr(GDir) dir = g_dir_open (g_get_tmp_dir (), 0, NULL);
  guint n = 0;

  for (const char *name; dir != NULL && (name = g_dir_read_name (dir)) != NULL;)
    n += g_str_has_prefix (name, "codewerk-pseudonymised-");
  return n;
}

static void
test_table_commands (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *project = cw_test_copy_example (dir, "example.codewerk");
  g_autoptr(GVariant) list = NULL;
  g_autoptr(GVariant) first = NULL;
  g_autoptr(GVariant) added = NULL;

  added = cw_test_cli_json ("pseudonym-add", project, "Kevin", "[Persoon 1]", "--category", "person", "--json", NULL);
  g_assert_cmpint (cw_test_json_int (added, "id"), ==, 1);
  {
    g_auto(CwCliResult) r = cw_test_cli ("pseudonym-add", project, "De Brug", "[School A]", NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "2\n");
  }

  list = cw_test_cli_json ("pseudonyms", project, "--json", NULL);
  g_assert_cmpuint (g_variant_n_children (list), ==, 2);
  first = cw_test_json_at (list, 0);
  g_assert_cmpstr (cw_test_json_str (first, "real"), ==, "Kevin");
  g_assert_cmpstr (cw_test_json_str (first, "pseudonym"), ==, "[Persoon 1]");
  g_assert_cmpstr (cw_test_json_str (first, "category"), ==, "person");
  g_assert_cmpint (cw_test_json_int (first, "id"), ==, 1);
  {
    g_autoptr(GVariant) second = cw_test_json_at (list, 1);

    g_assert_true (cw_test_json_is_null (second, "category"));
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("pseudonyms", project, NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "Kevin\t[Persoon 1]\tperson\nDe Brug\t[School A]\t\n");
  }

  /* Refusals: exit 1, one error line naming the project, nothing changed. */
  {
    g_auto(CwCliResult) r = cw_test_cli ("pseudonym-add", project, "Kevin", "[Persoon 9]", NULL);

    cw_test_assert_cli_failure (&r, 1, project);
    g_assert_nonnull (strstr (r.err, "“Kevin” is already in the pseudonym table"));
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("pseudonym-add", project, " ", "[Persoon 9]", NULL);

    cw_test_assert_cli_failure (&r, 1, project);
    g_assert_nonnull (strstr (r.err, "a real name cannot be empty"));
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("pseudonym-add", project, "Sanne", "", NULL);

    cw_test_assert_cli_failure (&r, 1, project);
    g_assert_nonnull (strstr (r.err, "a pseudonym cannot be empty"));
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("pseudonym-remove", project, "Sanne", NULL);

    cw_test_assert_cli_failure (&r, 1, project);
    g_assert_nonnull (strstr (r.err, "“Sanne” is not in the pseudonym table"));
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("pseudonym-add", project, "Sanne", NULL);

    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "codewerk-cli: error: "));
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("pseudonyms", "/nonexistent/x.codewerk", NULL);

    cw_test_assert_cli_failure (&r, 1, "/nonexistent/x.codewerk");
  }
  g_clear_pointer (&list, g_variant_unref);
  list = cw_test_cli_json ("pseudonyms", project, "--json", NULL);
  g_assert_cmpuint (g_variant_n_children (list), ==, 2);

  /* Remove, undo, redo. */
  {
    g_auto(CwCliResult) r = cw_test_cli ("pseudonym-remove", project, "De Brug", NULL);
    g_auto(CwCliResult) u = { 0 };

    g_assert_cmpint (r.status, ==, 0);
    g_clear_pointer (&list, g_variant_unref);
    list = cw_test_cli_json ("pseudonyms", project, "--json", NULL);
    g_assert_cmpuint (g_variant_n_children (list), ==, 1);
    u = cw_test_cli ("undo", project, NULL);
    g_assert_cmpint (u.status, ==, 0);
    g_assert_nonnull (strstr (u.out, "Remove pseudonym for “De Brug”"));
    g_clear_pointer (&list, g_variant_unref);
    list = cw_test_cli_json ("pseudonyms", project, "--json", NULL);
    g_assert_cmpuint (g_variant_n_children (list), ==, 2);
  }
  {
    g_auto(CwCliResult) u = cw_test_cli ("undo", project, NULL);

    g_assert_cmpint (u.status, ==, 0);
    g_assert_nonnull (strstr (u.out, "Add pseudonym for “De Brug”"));
    g_clear_pointer (&list, g_variant_unref);
    list = cw_test_cli_json ("pseudonyms", project, "--json", NULL);
    g_assert_cmpuint (g_variant_n_children (list), ==, 1);
  }

  cw_test_remove_dir (dir);
}

static void
test_propose (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *project = cw_test_copy_example (dir, "example.codewerk");
  g_autoptr(GVariant) list = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GVariant) top = NULL;

  list = cw_test_cli_json ("pseudonym-propose", project, "--json", NULL);
  for (gsize i = 0; i < g_variant_n_children (list); i++)
    {
      g_autoptr(GVariant) item = cw_test_json_at (list, i);

      g_assert_nonnull (cw_test_json_str (item, "source"));
      g_assert_nonnull (cw_test_json_str (item, "pseudonym"));
      g_assert_cmpint (cw_test_json_int (item, "occurrences"), >=, 0);
      g_assert_nonnull (cw_test_json_get (item, "category"));
      g_hash_table_add (seen, g_strdup (cw_test_json_str (item, "real")));
    }
  top = cw_test_json_at (list, 0);
  g_assert_cmpstr (cw_test_json_str (top, "real"), ==, "Kevin");
  g_assert_cmpstr (cw_test_json_str (top, "pseudonym"), ==, "[Persoon 1]");
  for (const char *const *n = (const char *const[]) { "Kevin", "Sanne", "Almere", "De Brug", NULL }; *n; n++)
    g_assert_true (g_hash_table_contains (seen, *n));
  for (const char *const *n = (const char *const[]) { "Gespreksleider", "Ja", "Oké", "Interviewer", NULL }; *n; n++)
    g_assert_false (g_hash_table_contains (seen, *n));

  /* Nothing was added. */
  g_clear_pointer (&list, g_variant_unref);
  list = cw_test_cli_json ("pseudonyms", project, "--json", NULL);
  g_assert_cmpuint (g_variant_n_children (list), ==, 0);
  cw_test_remove_dir (dir);
}

static void
test_pseudonymise_and_exports (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *project = cw_test_copy_example (dir, "example.codewerk");
  g_autofree char *copy = g_build_filename (dir, "gedeeld.codewerk", NULL);
  g_autofree char *qdpx = g_build_filename (dir, "gedeeld.qdpx", NULL);
  g_autofree char *plain_qdpx = g_build_filename (dir, "echt.qdpx", NULL);
  g_autofree char *qdc = g_build_filename (dir, "codeboek.qdc", NULL);
  g_autofree char *matrix = g_build_filename (dir, "matrix.csv", NULL);
  g_autofree char *plain_matrix = g_build_filename (dir, "matrix-echt.csv", NULL);
  g_autofree char *key = g_build_filename (dir, "sleutel.csv", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint temporary = count_temporary_copies ();

  fill_table (project);
  before = cw_test_dump (project);

  {
    g_auto(CwCliResult) r = cw_test_cli ("pseudonymise", project, copy, NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "");
    g_assert_cmpstr (r.err, ==, "");
  }
  g_assert_cmpuint (count_reals_in_file (copy), ==, 0);
  {
    g_auto(CwCliResult) r = cw_test_cli ("pseudonyms", copy, NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "");
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("pseudonymise", project, copy, NULL);

    cw_test_assert_cli_failure (&r, 1, copy);
  }

  /* The exports: a sanity check that the real one does hold the names. */
  {
    g_auto(CwCliResult) r = cw_test_cli ("export", project, plain_qdpx, NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpuint (count_reals_in_zip (plain_qdpx), >, 10);
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("export", project, qdpx, "--pseudonymise", NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.err, ==, "");
    g_assert_cmpuint (count_reals_in_file (qdpx), ==, 0);
    g_assert_cmpuint (count_reals_in_zip (qdpx), ==, 0);
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("codebook-export", project, qdc, "--pseudonymise", NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpuint (count_reals_in_file (qdc), ==, 0);
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("matrix", project, plain_matrix, NULL);
    g_auto(CwCliResult) p = cw_test_cli ("matrix", project, matrix, "--pseudonymise", NULL);
    g_autofree char *real_csv = NULL;
    g_autofree char *csv = NULL;

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpint (p.status, ==, 0);
    g_assert_true (g_file_get_contents (plain_matrix, &real_csv, NULL, NULL));
    g_assert_true (g_file_get_contents (matrix, &csv, NULL, NULL));
    g_assert_cmpuint (count_reals_in_file (plain_matrix), >, 0);
    g_assert_cmpuint (count_reals_in_file (matrix), ==, 0);
    /* Case ids: stable pseudonymous ids instead of the cohort's. */
    g_assert_nonnull (strstr (real_csv, "\nD001;"));
    g_assert_null (strstr (csv, "D001"));
    g_assert_nonnull (strstr (csv, "\nC001;"));
    g_assert_nonnull (strstr (csv, "\nC024;"));
  }
  {
    /* A failed export leaves no copy behind either. */
    g_auto(CwCliResult) r = cw_test_cli ("export", project, "/nonexistent/gedeeld.qdpx", "--pseudonymise", NULL);

    cw_test_assert_cli_failure (&r, 1, "/nonexistent/gedeeld.qdpx");
  }
  g_assert_cmpuint (count_temporary_copies (), ==, temporary);

  /* The key, separately. */
  {
    g_auto(CwCliResult) r = cw_test_cli ("pseudonym-key", project, key, NULL);
    g_autofree char *csv = NULL;

    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_file_get_contents (key, &csv, NULL, NULL));
    g_assert_nonnull (strstr (csv, "real;pseudonym;category\r\n"));
    g_assert_nonnull (strstr (csv, "\r\nEl Amrani;[Persoon 12];person\r\n"));
    g_assert_nonnull (strstr (csv, "\r\nD001;C001;case id\r\n"));
    g_assert_cmpuint (count_reals_in_file (key), ==, G_N_ELEMENTS (table));
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("pseudonym-key", project, key, NULL);

    cw_test_assert_cli_failure (&r, 1, key);
  }

  /* The working project: only the stable case ids are new. */
  after = cw_test_dump (project);
  {
    g_auto(GStrv) a = g_strsplit (before, "\n", -1);
    g_auto(GStrv) b = g_strsplit (after, "\n", -1);
    g_autoptr(GString) left = g_string_new (NULL);
    g_autoptr(GString) right = g_string_new (NULL);

    for (guint i = 0; a[i] != NULL; i++)
      g_string_append_printf (left, "%s\n", a[i]);
    for (guint i = 0; b[i] != NULL; i++)
      if (!g_str_has_prefix (b[i], "case_pseudonyms") && !g_str_has_prefix (b[i], "schema case_pseudonyms") &&
          !g_str_has_prefix (b[i], "schema sqlite_autoindex_case_pseudonyms"))
        g_string_append_printf (right, "%s\n", b[i]);
    g_assert_cmpstr (left->str, ==, right->str);
  }

  cw_test_remove_dir (dir);
}

static void
test_help (void)
{
  g_auto(CwCliResult) r = cw_test_cli ("--help", NULL);

  g_assert_cmpint (r.status, ==, 0);
  for (const char *const *c = (const char *const[]) { "pseudonym-add PROJECT REAL PSEUDONYM", "pseudonyms PROJECT",
                                                      "pseudonym-remove", "pseudonym-propose", "pseudonymise PROJECT OUT.codewerk",
                                                      "pseudonym-key", "export PROJECT OUT.qdpx [--pseudonymise]",
                                                      "matrix PROJECT OUT.csv|OUT.sav [--pseudonymise]", NULL }; *c; c++)
    if (strstr (r.out, *c) == NULL)
      g_error ("--help lacks “%s”", *c);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli-privacy/table", test_table_commands);
  g_test_add_func ("/cli-privacy/propose", test_propose);
  g_test_add_func ("/cli-privacy/pseudonymise-and-exports", test_pseudonymise_and_exports);
  g_test_add_func ("/cli-privacy/help", test_help);
  return g_test_run ();
}
