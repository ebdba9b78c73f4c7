/* The CLI's JSON writer: output must be valid JSON whatever the strings. */
#include <glib.h>
#include <locale.h>
#include <math.h>

#include "cw-json.h"

static void
test_escaping (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "", "\"\"" },
    { "plain", "\"plain\"" },
    { "quote \" and \\ backslash", "\"quote \\\" and \\\\ backslash\"" },
    { "line\nbreak\ttab\rcr", "\"line\\nbreak\\ttab\\rcr\"" },
    { "\x01\x1f", "\"\\u0001\\u001f\"" },
    { "ideeën 😀", "\"ideeën 😀\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) s = g_string_new (NULL);

      cw_json_escape (s, cases[i].in);
      g_assert_cmpstr (s->str, ==, cases[i].out);
    }
}

static void
test_structure (void)
{
  CwJson *json = cw_json_new ();
  g_autofree char *text = NULL;

  cw_json_begin_array (json);
  cw_json_begin_object (json);
  cw_json_key (json, "id");
  cw_json_int (json, 3);
  cw_json_key (json, "name");
  cw_json_string (json, "a.txt");
  cw_json_key (json, "speakers");
  cw_json_begin_array (json);
  cw_json_string (json, "I");
  cw_json_string (json, "R");
  cw_json_end_array (json);
  cw_json_key (json, "time");
  cw_json_null (json);
  cw_json_key (json, "none");
  cw_json_string (json, NULL);
  cw_json_end_object (json);
  cw_json_begin_object (json);
  cw_json_end_object (json);
  cw_json_double (json, 2.5);
  cw_json_double (json, 3);
  cw_json_double (json, 0.0 / 0.0);
  cw_json_bool (json, TRUE);
  cw_json_end_array (json);

  text = cw_json_free_to_string (json);
  g_assert_cmpstr (text, ==,
                   "[{\"id\":3,\"name\":\"a.txt\",\"speakers\":[\"I\",\"R\"],\"time\":null,\"none\":null},"
                   "{},2.5,3.0,null,true]");
}

static char *
json_of_double (double value)
{
  CwJson *json = cw_json_new ();

  cw_json_double (json, value);
  return cw_json_free_to_string (json);
}

/* The shortest text that reads back as the same double, in JSON syntax. */
static const struct { double in; const char *out; } doubles[] = {
  { 6.8, "6.8" },
  { 0.1, "0.1" },
  { 0.1 + 0.2, "0.30000000000000004" },
  { 1e-7, "1e-07" },
  { 123456789.125, "123456789.125" },
  { -0.5, "-0.5" },
  { 1e300, "1e+300" },
  { 1.0 / 3.0, "0.3333333333333333" },
  { 2.0 / 3.0, "0.6666666666666666" },
  { 5e-324, "4.94065645841247e-324" },
  { 1.7976931348623157e308, "1.7976931348623157e+308" },
  { 3, "3.0" },
  { -42, "-42.0" },
  { 0, "0.0" },
  { 2015, "2015.0" },
  { 1e15, "1e+15" },
  { 123456789012345.0, "123456789012345.0" },
};

static void
check_doubles (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (doubles); i++)
    {
      g_autofree char *text = json_of_double (doubles[i].in);

      g_assert_cmpstr (text, ==, doubles[i].out);
      g_assert_cmpfloat (g_ascii_strtod (text, NULL), ==, doubles[i].in);
    }
}

static void
test_doubles (void)
{
  g_autofree char *nan = json_of_double (NAN);
  g_autofree char *inf = json_of_double (INFINITY);
  g_autofree char *minus_inf = json_of_double (-INFINITY);

  check_doubles ();
  g_assert_cmpstr (nan, ==, "null");
  g_assert_cmpstr (inf, ==, "null");
  g_assert_cmpstr (minus_inf, ==, "null");
}

/* A locale with a decimal comma must not leak into the JSON. */
static void
test_doubles_locale (void)
{
  static const char *const locales[] = { "nl_NL.UTF-8", "nl_NL.utf8", "de_DE.UTF-8", "fr_FR.UTF-8" };
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  gboolean found = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (locales) && !found; i++)
    found = setlocale (LC_NUMERIC, locales[i]) != NULL;
  if (!found)
    {
      g_test_skip ("no locale with a decimal comma is installed");
      return;
    }
  check_doubles ();
  setlocale (LC_NUMERIC, saved);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/escaping", test_escaping);
  g_test_add_func ("/json/structure", test_structure);
  g_test_add_func ("/json/doubles", test_doubles);
  g_test_add_func ("/json/doubles-locale", test_doubles_locale);
  return g_test_run ();
}
