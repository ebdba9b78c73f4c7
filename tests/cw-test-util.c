#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "cw-test-util.h"

char *
cw_test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("codewerk-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
cw_test_remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        cw_test_remove_dir (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

GFile *
cw_test_write_bytes (const char *dir,
                     const char *name,
                     const void *data,
                     gsize       len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

GFile *
cw_test_write_file (const char *dir,
                    const char *name,
                    const char *content)
{
  return cw_test_write_bytes (dir, name, content, strlen (content));
}

CwProject *
cw_test_new_project (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "test.codewerk", NULL);
  g_autoptr(GError) error = NULL;
  CwProject *project = cw_project_create (path, "Test", &error);

  g_assert_no_error (error);
  return project;
}

gint64
cw_test_sql_int (sqlite3    *db,
                 const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

const char *
cw_test_sql_text (sqlite3    *db,
                  const char *sql)
{
  static char *last;
  sqlite3_stmt *stmt = NULL;

  g_clear_pointer (&last, g_free);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  last = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return last;
}

char *
cw_test_dump (const char *path)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db;
  sqlite3_stmt *stmt;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name, sql FROM sqlite_master ORDER BY name", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      const char *sql = (const char *) sqlite3_column_text (stmt, 1);

      g_string_append_printf (out, "schema %s: %s\n", name, sql ? sql : "");
      if (sql != NULL && g_str_has_prefix (sql, "CREATE TABLE"))
        g_ptr_array_add (tables, g_strdup (name));
    }
  sqlite3_finalize (stmt);

  for (guint i = 0; i < tables->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY 1", (char *) tables->pdata[i]);

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_string_append_printf (out, "%s:", (char *) tables->pdata[i]);
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const unsigned char *v = sqlite3_column_text (stmt, c);
              g_string_append_printf (out, " [%s]", v ? (const char *) v : "NULL");
            }
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

void
cw_test_assert_substring (const char *text,
                          gint64      start,
                          gint64      end,
                          const char *expected)
{
  const char *from, *to;
  g_autofree char *got = NULL;

  g_assert_cmpint (start, >=, 0);
  g_assert_cmpint (end, >=, start);
  g_assert_cmpint (end, <=, g_utf8_strlen (text, -1));
  from = g_utf8_offset_to_pointer (text, start);
  to = g_utf8_offset_to_pointer (text, end);
  got = g_strndup (from, to - from);
  g_assert_cmpstr (got, ==, expected);
}

int
cw_test_run (const char * const *argv,
             char              **out,
             char              **err)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return 128 + WTERMSIG (status);
}

void
cw_cli_result_clear (CwCliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

static CwCliResult
run_cli (const char *first,
         va_list     ap)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  CwCliResult result = { 0 };

  g_ptr_array_add (argv, (gpointer) g_getenv ("CODEWERK_CLI"));
  g_assert_nonnull (argv->pdata[0]);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  g_ptr_array_add (argv, NULL);
  result.status = cw_test_run ((const char * const *) argv->pdata, &result.out, &result.err);
  return result;
}

CwCliResult
cw_test_cli (const char *first,
             ...)
{
  CwCliResult result;
  va_list ap;

  va_start (ap, first);
  result = run_cli (first, ap);
  va_end (ap);
  return result;
}

GVariant *
cw_test_cli_json (const char *first,
                  ...)
{
  g_auto(CwCliResult) result = { 0 };
  va_list ap;

  va_start (ap, first);
  result = run_cli (first, ap);
  va_end (ap);
  if (result.status != 0)
    g_error ("codewerk-cli %s failed (%d): %s", first, result.status, result.err);
  g_assert_cmpstr (result.err, ==, "");
  return cw_test_parse_json (result.out);
}

void
cw_test_assert_cli_failure (const CwCliResult *result,
                            int                status,
                            const char        *names)
{
  g_assert_cmpint (result->status, ==, status);
  g_assert_cmpstr (result->out, ==, "");
  g_assert_true (g_str_has_prefix (result->err, "codewerk-cli: error: "));
  if (status == 1)
    g_assert_true (strchr (result->err, '\n') == result->err + strlen (result->err) - 1);
  if (names != NULL && strstr (result->err, names) == NULL)
    g_error ("error «%s» does not name «%s»", result->err, names);
}

char *
cw_test_copy_example (const char *dir,
                      const char *name)
{
  g_autofree char *example = g_build_filename (g_getenv ("CODEWERK_BUILD_ROOT"), "examples",
                                               "example.codewerk", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) source = g_file_new_for_path (example);
  g_autoptr(GFile) copy = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_test (example, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_copy (source, copy, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

typedef struct
{
  const char *p;
  const char *start;
} JsonReader;

static void
json_fail (JsonReader *r,
           const char *what)
{
  g_error ("invalid JSON at byte %ld (%s): %.40s", (long) (r->p - r->start), what, r->p);
}

static void
json_ws (JsonReader *r)
{
  while (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t')
    r->p++;
}

static GVariant *json_value (JsonReader *r);

static char *
json_string (JsonReader *r)
{
  GString *s = g_string_new (NULL);

  if (*r->p != '"')
    json_fail (r, "expected a string");
  r->p++;
  for (;;)
    {
      guchar c = *r->p;

      if (c == '\0')
        json_fail (r, "unterminated string");
      if (c < 0x20)
        json_fail (r, "control character in string");
      r->p++;
      if (c == '"')
        break;
      if (c != '\\')
        {
          g_string_append_c (s, c);
          continue;
        }
      c = *r->p++;
      switch (c)
        {
        case '"': g_string_append_c (s, '"'); break;
        case '\\': g_string_append_c (s, '\\'); break;
        case '/': g_string_append_c (s, '/'); break;
        case 'b': g_string_append_c (s, '\b'); break;
        case 'f': g_string_append_c (s, '\f'); break;
        case 'n': g_string_append_c (s, '\n'); break;
        case 'r': g_string_append_c (s, '\r'); break;
        case 't': g_string_append_c (s, '\t'); break;
        case 'u':
          {
            gunichar u = 0;

            for (int i = 0; i < 4; i++)
              {
                int d = g_ascii_xdigit_value (*r->p++);
                if (d < 0)
                  json_fail (r, "bad \\u escape");
                u = u * 16 + d;
              }
            if (u >= 0xD800 && u < 0xDC00 && r->p[0] == '\\' && r->p[1] == 'u')
              {
                gunichar low = 0;

                r->p += 2;
                for (int i = 0; i < 4; i++)
                  {
                    int d = g_ascii_xdigit_value (*r->p++);
                    if (d < 0)
                      json_fail (r, "bad \\u escape");
                    low = low * 16 + d;
                  }
                u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
              }
            g_string_append_unichar (s, u);
          }
          break;
        default:
          json_fail (r, "bad escape");
        }
    }
  if (!g_utf8_validate (s->str, s->len, NULL))
    json_fail (r, "string is not UTF-8");
  return g_string_free (s, FALSE);
}

static GVariant *
json_value (JsonReader *r)
{
  json_ws (r);
  if (*r->p == '{')
    {
      GVariantBuilder b;

      g_variant_builder_init (&b, G_VARIANT_TYPE ("a{sv}"));
      r->p++;
      json_ws (r);
      if (*r->p == '}')
        r->p++;
      else
        for (;;)
          {
            g_autofree char *key = NULL;

            json_ws (r);
            key = json_string (r);
            json_ws (r);
            if (*r->p++ != ':')
              json_fail (r, "expected ':'");
            g_variant_builder_add (&b, "{sv}", key, json_value (r));
            json_ws (r);
            if (*r->p == ',')
              {
                r->p++;
                continue;
              }
            if (*r->p++ != '}')
              json_fail (r, "expected '}'");
            break;
          }
      return g_variant_builder_end (&b);
    }
  if (*r->p == '[')
    {
      GVariantBuilder b;

      g_variant_builder_init (&b, G_VARIANT_TYPE ("av"));
      r->p++;
      json_ws (r);
      if (*r->p == ']')
        r->p++;
      else
        for (;;)
          {
            g_variant_builder_add (&b, "v", json_value (r));
            json_ws (r);
            if (*r->p == ',')
              {
                r->p++;
                continue;
              }
            if (*r->p++ != ']')
              json_fail (r, "expected ']'");
            break;
          }
      return g_variant_builder_end (&b);
    }
  if (*r->p == '"')
    {
      char *s = json_string (r);
      return g_variant_new_take_string (s);
    }
  if (strncmp (r->p, "true", 4) == 0)
    {
      r->p += 4;
      return g_variant_new_boolean (TRUE);
    }
  if (strncmp (r->p, "false", 5) == 0)
    {
      r->p += 5;
      return g_variant_new_boolean (FALSE);
    }
  if (strncmp (r->p, "null", 4) == 0)
    {
      r->p += 4;
      return g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL);
    }
  if (*r->p == '-' || g_ascii_isdigit (*r->p))
    {
      const char *s = r->p;
      gboolean real = FALSE;

      if (*r->p == '-')
        r->p++;
      if (!g_ascii_isdigit (*r->p))
        json_fail (r, "bad number");
      while (g_ascii_isdigit (*r->p) || *r->p == '.' || *r->p == 'e' || *r->p == 'E' ||
             *r->p == '+' || (*r->p == '-' && (r->p[-1] == 'e' || r->p[-1] == 'E')))
        {
          if (!g_ascii_isdigit (*r->p))
            real = TRUE;
          r->p++;
        }
      if (real)
        return g_variant_new_double (g_ascii_strtod (s, NULL));
      return g_variant_new_int64 (g_ascii_strtoll (s, NULL, 10));
    }
  json_fail (r, "unexpected character");
  return NULL;
}

GVariant *
cw_test_parse_json (const char *text)
{
  JsonReader r = { text, text };
  GVariant *value;

  g_assert_nonnull (text);
  value = g_variant_ref_sink (json_value (&r));
  json_ws (&r);
  if (*r.p != '\0')
    json_fail (&r, "trailing text after the value");
  return value;
}

GVariant *
cw_test_json_get (GVariant   *object,
                  const char *key)
{
  GVariant *value = g_variant_lookup_value (object, key, NULL);

  if (value == NULL)
    g_error ("JSON object has no key '%s': %s", key, g_variant_print (object, FALSE));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *inner = g_variant_get_variant (value);
      g_variant_unref (value);
      value = inner;
    }
  return value;
}

gint64
cw_test_json_int (GVariant   *object,
                  const char *key)
{
  g_autoptr(GVariant) value = cw_test_json_get (object, key);

  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64));
  return g_variant_get_int64 (value);
}

const char *
cw_test_json_str (GVariant   *object,
                  const char *key)
{
  g_autoptr(GVariant) value = cw_test_json_get (object, key);

  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING));
  /* The string lives as long as the object does. */
  return g_variant_get_string (value, NULL);
}

gboolean
cw_test_json_is_null (GVariant   *object,
                      const char *key)
{
  g_autoptr(GVariant) value = cw_test_json_get (object, key);

  return g_variant_is_of_type (value, G_VARIANT_TYPE ("mv")) && g_variant_n_children (value) == 0;
}

GVariant *
cw_test_json_at (GVariant *array,
                 gsize     i)
{
  g_autoptr(GVariant) boxed = NULL;

  g_assert_true (g_variant_is_of_type (array, G_VARIANT_TYPE ("av")));
  g_assert_cmpuint (i, <, g_variant_n_children (array));
  boxed = g_variant_get_child_value (array, i);
  return g_variant_get_variant (boxed);
}
