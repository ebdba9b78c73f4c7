/* codewerk-cli: the overview pictures' numbers (cw-overview.h) and the
 * pictures themselves (cw-overview-chart.h, Cairo and Pango: no display
 * needed). */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cli-private.h"
#include "cw-overview.h"
#include "cw-overview-chart.h"

/* ASan builds: fontconfig 2.14 loses a few bytes while it parses its own
 * configuration (no frame of ours on the stack); the leak check of the
 * core and CLI tests would report it for every picture. */
#if defined(__SANITIZE_ADDRESS__)
const char *__lsan_default_suppressions (void);
const char *
__lsan_default_suppressions (void)
{
  return "leak:libfontconfig.so\n";
}

/* Quietly: stderr carries the CLI's own messages only. */
const char *__lsan_default_options (void);
const char *
__lsan_default_options (void)
{
  return "print_suppressions=0";
}
#endif

static void
json_strings (CwJson    *json,
              const char *key,
              GPtrArray *strings)
{
  cw_json_key (json, key);
  cw_json_begin_array (json);
  for (guint i = 0; i < strings->len; i++)
    cw_json_string (json, g_ptr_array_index (strings, i));
  cw_json_end_array (json);
}

static void
json_counts (CwJson           *json,
             const CwOverview *overview)
{
  cw_json_key (json, "counts");
  cw_json_begin_array (json);
  for (guint i = 0; i < overview->rows->len; i++)
    {
      cw_json_begin_array (json);
      for (guint j = 0; j < overview->columns->len; j++)
        cw_json_int (json, cw_overview_count (overview, i, j));
      cw_json_end_array (json);
    }
  cw_json_end_array (json);
}

/* Tab-separated, a heading line first; first_heading names the rows. */
static void
print_table (const CwOverview *overview,
             const char       *first_heading)
{
  g_print ("%s", first_heading);
  for (guint j = 0; j < overview->columns->len; j++)
    g_print ("\t%s", (const char *) g_ptr_array_index (overview->columns, j));
  g_print ("\n");
  for (guint i = 0; i < overview->rows->len; i++)
    {
      g_print ("%s", (const char *) g_ptr_array_index (overview->rows, i));
      for (guint j = 0; j < overview->columns->len; j++)
        g_print ("\t%u", cw_overview_count (overview, i, j));
      g_print ("\n");
    }
}

static const char *
coder_option (Args *args)
{
  return option (args, "coder");
}

static int
cmd_code_map (Args *args)
{
  static const char *names[] = { "coder", NULL };
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwOverview) overview = NULL;
  GError *error = NULL;

  if (!check_names (args, names))
    return EXIT_USAGE;
  project = open_project (args, &error);
  if (project == NULL || !(overview = cw_project_code_map (project, coder_option (args), NULL, &error)))
    return fail (error);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_object (json);
      cw_json_key (json, "coder");
      cw_json_string (json, overview->coder);
      json_strings (json, "documents", overview->rows);
      json_strings (json, "codes", overview->columns);
      json_counts (json, overview);
      cw_json_end_object (json);
      print_json (json);
      return EXIT_SUCCESS;
    }
  print_table (overview, _("document"));
  return EXIT_SUCCESS;
}

/* --by kind, else a variable; --bins only for a variable, --coder only for
 * kinds (the crosstab counts every coder). */
static CwOverview *
frequencies (Args       *args,
             CwProject  *project,
             const char *by,
             guint       bins,
             GError    **error)
{
  if (g_strcmp0 (by, "kind") == 0)
    return cw_project_frequencies_by_kind (project, coder_option (args), NULL, error);
  return cw_project_frequencies_by_variable (project, by, bins, error);
}

static gboolean
parse_bins (Args  *args,
            guint *bins)
{
  const char *text = option (args, "bins");
  gint64 value = 0;

  *bins = 0;
  if (text == NULL)
    return TRUE;
  if (!parse_integer (text, &value) || value < 1 || value > 1000)
    {
      usage_error (_("--bins needs a whole number from 1 to 1000, not '%s'"), text);
      return FALSE;
    }
  *bins = (guint) value;
  return TRUE;
}

static gboolean
check_by (Args       *args,
          const char *by)
{
  if (by == NULL || *by == '\0')
    {
      usage_error (_("say what to count by: --by kind or --by VARIABLE"));
      return FALSE;
    }
  if (g_strcmp0 (by, "kind") != 0 && option (args, "coder") != NULL)
    {
      usage_error (_("--coder goes with --by kind only: a case variable's counts are every coder's"));
      return FALSE;
    }
  if (g_strcmp0 (by, "kind") == 0 && option (args, "bins") != NULL)
    {
      usage_error (_("--bins goes with --by VARIABLE only"));
      return FALSE;
    }
  return TRUE;
}

static int
cmd_frequencies (Args *args)
{
  static const char *names[] = { "coder", NULL };
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwOverview) overview = NULL;
  const char *by = option (args, "by");
  GError *error = NULL;
  guint bins;

  if (!check_names (args, names) || !check_by (args, by) || !parse_bins (args, &bins))
    return EXIT_USAGE;
  project = open_project (args, &error);
  if (project == NULL || !(overview = frequencies (args, project, by, bins, &error)))
    return fail (error);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_object (json);
      cw_json_key (json, "by");
      cw_json_string (json, overview->by);
      cw_json_key (json, "coder");
      cw_json_string (json, overview->coder);
      json_strings (json, "values", overview->columns);
      cw_json_key (json, "rows");
      cw_json_begin_array (json);
      for (guint i = 0; i < overview->rows->len; i++)
        {
          cw_json_begin_object (json);
          cw_json_key (json, "code");
          cw_json_string (json, g_ptr_array_index (overview->rows, i));
          cw_json_key (json, "counts");
          cw_json_begin_object (json);
          for (guint j = 0; j < overview->columns->len; j++)
            {
              cw_json_key (json, g_ptr_array_index (overview->columns, j));
              cw_json_int (json, cw_overview_count (overview, i, j));
            }
          cw_json_end_object (json);
          cw_json_end_object (json);
        }
      cw_json_end_array (json);
      cw_json_end_object (json);
      print_json (json);
      return EXIT_SUCCESS;
    }
  print_table (overview, _("code"));
  return EXIT_SUCCESS;
}

static int
cmd_cooccurrence (Args *args)
{
  static const char *names[] = { "coder", NULL };
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwOverview) overview = NULL;
  GError *error = NULL;

  if (!check_names (args, names))
    return EXIT_USAGE;
  project = open_project (args, &error);
  if (project == NULL || !(overview = cw_project_code_cooccurrence (project, coder_option (args), NULL, &error)))
    return fail (error);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_object (json);
      cw_json_key (json, "coder");
      cw_json_string (json, overview->coder);
      json_strings (json, "codes", overview->rows);
      json_counts (json, overview);
      cw_json_end_object (json);
      print_json (json);
      return EXIT_SUCCESS;
    }
  print_table (overview, _("code"));
  return EXIT_SUCCESS;
}

static int
cmd_chart (Args *args)
{
  static const char *names[] = { "coder", NULL };
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwOverview) overview = NULL;
  const char *picture = g_ptr_array_index (args->positional, 1);
  const char *out = g_ptr_array_index (args->positional, 2);
  const char *coder = coder_option (args);
  g_autofree char *lower = g_ascii_strdown (out, -1);
  GError *error = NULL;
  guint bins;

  if (!check_names (args, names) || !parse_bins (args, &bins))
    return EXIT_USAGE;
  if (!g_str_has_suffix (lower, ".png") && !g_str_has_suffix (lower, ".svg"))
    return usage_error (_("OUT is a .png or .svg file, not '%s'"), out);
  if (strcmp (picture, "code-map") != 0 && strcmp (picture, "kinds") != 0 &&
      strcmp (picture, "cooccurrence") != 0 && !(g_str_has_prefix (picture, "variable:") && picture[9] != '\0'))
    return usage_error (_("unknown picture '%s' (use code-map, kinds, variable:NAME or cooccurrence)"), picture);
  if (g_str_has_prefix (picture, "variable:") && coder != NULL)
    return usage_error (_("--coder goes with code-map, kinds and cooccurrence: a case variable's counts are every coder's"));

  project = open_project (args, &error);
  if (project == NULL)
    return fail (error);
  if (strcmp (picture, "code-map") == 0)
    overview = cw_project_code_map (project, coder, NULL, &error);
  else if (strcmp (picture, "kinds") == 0)
    overview = cw_project_frequencies_by_kind (project, coder, NULL, &error);
  else if (strcmp (picture, "cooccurrence") == 0)
    overview = cw_project_code_cooccurrence (project, coder, NULL, &error);
  else
    overview = cw_project_frequencies_by_variable (project, picture + 9, bins, &error);
  if (overview == NULL || !cw_chart_write (overview, NULL, out, &error))
    return fail (error);
  return EXIT_SUCCESS;
}

static const OptionSpec coder_options[] = { { "json", FALSE }, { "coder", TRUE }, { NULL } };
static const OptionSpec frequencies_options[] = {
  { "json", FALSE }, { "by", TRUE }, { "coder", TRUE }, { "bins", TRUE }, { NULL }
};
static const OptionSpec chart_options[] = { { "coder", TRUE }, { "bins", TRUE }, { NULL } };

static const Command commands[] = {
  { "code-map", "PROJECT [--coder NAME] [--json]",
    N_("Count the codings of every code in every document (the code map: documents as rows, codable codes as columns in codebook order), of every coder or of one."),
    1, 1, coder_options, cmd_code_map },
  { "frequencies", "PROJECT --by kind|VARIABLE [--coder NAME] [--bins N] [--json]",
    N_("Count the codings of every code per document kind (only kinds the project has documents of; --coder counts one coder's), or per value of a case variable as crosstab does (value labels, bins; a coding counts for its case, codings without a case are not counted)."),
    1, 1, frequencies_options, cmd_frequencies },
  { "cooccurrence", "PROJECT [--coder NAME] [--json]",
    N_("Count how often the segments of two codes overlap, for every pair of codable codes; the diagonal holds the number of segments of the code itself."),
    1, 1, coder_options, cmd_cooccurrence },
  { "chart", "PROJECT code-map|kinds|variable:NAME|cooccurrence OUT.png|OUT.svg [--coder NAME] [--bins N]",
    N_("Draw an overview picture as the window shows it (light colours) and write it as PNG or SVG; no display is needed."),
    3, 3, chart_options, cmd_chart },
};

const CommandTable cli_overview_commands = { commands, G_N_ELEMENTS (commands) };
