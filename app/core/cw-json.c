/* cw-json.c: a small streaming JSON writer.
 *
 * The CLI's output is a contract read by R and Python scripts, so the
 * writer only produces valid JSON: commas and nesting are tracked here,
 * never by the callers. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cw-json.h"

struct _CwJson
{
  GString *out;
  /* One entry per open container: TRUE once it holds a value. */
  GArray  *has_value;
  gboolean after_key;
};

CwJson *
cw_json_new (void)
{
  CwJson *json = g_new0 (CwJson, 1);

  json->out = g_string_new (NULL);
  json->has_value = g_array_new (FALSE, FALSE, sizeof (gboolean));
  return json;
}

void
cw_json_free (CwJson *json)
{
  if (json == NULL)
    return;
  g_string_free (json->out, TRUE);
  g_array_unref (json->has_value);
  g_free (json);
}

char *
cw_json_free_to_string (CwJson *json)
{
  char *result = g_string_free (g_steal_pointer (&json->out), FALSE);

  g_array_unref (json->has_value);
  g_free (json);
  return result;
}

static void
before_value (CwJson *json)
{
  if (json->after_key)
    {
      json->after_key = FALSE;
      return;
    }
  if (json->has_value->len > 0)
    {
      gboolean *has = &g_array_index (json->has_value, gboolean, json->has_value->len - 1);

      if (*has)
        g_string_append_c (json->out, ',');
      *has = TRUE;
    }
}

void
cw_json_key (CwJson     *json,
             const char *key)
{
  before_value (json);
  cw_json_escape (json->out, key);
  g_string_append_c (json->out, ':');
  json->after_key = TRUE;
}

static void
begin (CwJson *json,
       char    c)
{
  gboolean none = FALSE;

  before_value (json);
  g_string_append_c (json->out, c);
  g_array_append_val (json->has_value, none);
}

static void
end (CwJson *json,
     char    c)
{
  g_return_if_fail (json->has_value->len > 0);
  g_array_set_size (json->has_value, json->has_value->len - 1);
  g_string_append_c (json->out, c);
}

void cw_json_begin_object (CwJson *json) { begin (json, '{'); }
void cw_json_end_object (CwJson *json) { end (json, '}'); }
void cw_json_begin_array (CwJson *json) { begin (json, '['); }
void cw_json_end_array (CwJson *json) { end (json, ']'); }

void
cw_json_escape (GString    *string,
                const char *value)
{
  g_string_append_c (string, '"');
  for (const guchar *p = (const guchar *) value; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (string, "\\\""); break;
        case '\\': g_string_append (string, "\\\\"); break;
        case '\n': g_string_append (string, "\\n"); break;
        case '\r': g_string_append (string, "\\r"); break;
        case '\t': g_string_append (string, "\\t"); break;
        case '\b': g_string_append (string, "\\b"); break;
        case '\f': g_string_append (string, "\\f"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (string, "\\u%04x", *p);
          else
            g_string_append_c (string, *p);
        }
    }
  g_string_append_c (string, '"');
}

void
cw_json_string (CwJson     *json,
                const char *value)
{
  if (value == NULL)
    {
      cw_json_null (json);
      return;
    }
  before_value (json);
  cw_json_escape (json->out, value);
}

void
cw_json_int (CwJson *json,
             gint64  value)
{
  before_value (json);
  g_string_append_printf (json->out, "%" G_GINT64_FORMAT, value);
}

void
cw_json_double (CwJson *json,
                double  value)
{
  static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      cw_json_null (json);
      return;
    }
  before_value (json);
  /* Whole numbers keep a ".0" (a double, not an int); others get the
   * shortest of 15 to 17 significant digits that reads back as the same
   * double (6.8, not 6.7999999999999998). g_ascii_*: a '.' in any locale. */
  if (value == floor (value) && fabs (value) < 1e15)
    {
      g_string_append (json->out, g_ascii_formatd (buffer, sizeof buffer, "%.1f", value));
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buffer, sizeof buffer, formats[i], value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (json->out, buffer);
}

void
cw_json_bool (CwJson   *json,
              gboolean  value)
{
  before_value (json);
  g_string_append (json->out, value ? "true" : "false");
}

void
cw_json_null (CwJson *json)
{
  before_value (json);
  g_string_append (json->out, "null");
}
