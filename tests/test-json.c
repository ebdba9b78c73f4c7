/* The CLI's JSON writer: output must be valid JSON whatever the strings. */
#include <glib.h>

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/escaping", test_escaping);
  g_test_add_func ("/json/structure", test_structure);
  return g_test_run ();
}
