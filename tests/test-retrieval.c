/* Retrieval of coded segments (filters, AND/OR/NOT), the co-occurrence
 * matrix and autocoding by speaker and by search hit. */
#include "config.h"

#include <string.h>

#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-history.h"
#include "cw-retrieval.h"
#include "cw-test-util.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */

static GArray *
ids (gint64 first, ...)
{
  GArray *array = g_array_new (FALSE, FALSE, sizeof (gint64));
  va_list args;

  va_start (args, first);
  for (gint64 id = first; id != 0; id = va_arg (args, gint64))
    g_array_append_val (array, id);
  va_end (args);
  return array;
}

#define IDS(...) ids (__VA_ARGS__, (gint64) 0)

static gint64
offset_of (const char *text,
           const char *needle)
{
  const char *p = strstr (text, needle);

  g_assert_nonnull (p);
  return g_utf8_pointer_to_offset (text, p);
}

static gint64
add_code (CwProject  *project,
          const char *path)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cw_project_add_code (project, path, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
add_range (CwProject  *project,
           gint64      document_id,
           gint64      code_id,
           gint64      start,
           gint64      end,
           const char *coder)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cw_project_add_coding (project, document_id, code_id, start, end, coder, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static GArray *
import_texts (CwProject   *project,
              const char  *dir,
              const char **names,
              const char **texts,
              guint        n)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  GArray *result;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (files, cw_test_write_file (dir, names[i], texts[i]));
  result = cw_project_import (project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->len, ==, n);
  return result;
}

static GPtrArray *
retrieve (CwProject              *project,
          const CwRetrievalQuery *query)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *result = cw_project_retrieve (project, query, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

typedef enum
{
  FIELD_TEXT,
  FIELD_CODE,
  FIELD_CODER,
  FIELD_SPEAKER,
  FIELD_MEMO,
  FIELD_DOCUMENT,
} Field;

/* One field of every coding, joined with '|' ("-" for NULL). */
static char *
join_field (GPtrArray *codings,
            Field      field)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < codings->len; i++)
    {
      CwCoding *coding = g_ptr_array_index (codings, i);
      const char *value = NULL;

      switch (field)
        {
        case FIELD_TEXT: value = coding->text; break;
        case FIELD_CODE: value = coding->code; break;
        case FIELD_CODER: value = coding->coder; break;
        case FIELD_SPEAKER: value = coding->speaker; break;
        case FIELD_MEMO: value = coding->memo; break;
        case FIELD_DOCUMENT: value = coding->document; break;
        default: g_assert_not_reached ();
        }
      g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", value != NULL ? value : "-");
    }
  return g_string_free (out, FALSE);
}

#define assert_field(codings, field, expected) \
  G_STMT_START { \
    g_autofree char *got_ = join_field ((codings), (field)); \
    g_assert_cmpstr (got_, ==, (expected)); \
  } G_STMT_END

/* "start-end code (coders)|..." for the hand-worked overlap cases. */
static char *
describe_ranges (GPtrArray *codings)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < codings->len; i++)
    {
      CwCoding *coding = g_ptr_array_index (codings, i);

      g_string_append_printf (out, "%s%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT " %s (%s)",
                              i > 0 ? "|" : "", coding->start, coding->end,
                              coding->code, coding->coder);
    }
  return g_string_free (out, FALSE);
}

static void
exec_sql (CwProject  *project,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (cw_project_get_path (project), &db, SQLITE_OPEN_READWRITE, NULL),
                   ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* ------------------------------------------------------------------------ */
/* Transcripts fixture                                                      */

static const char interview_source[] =
  "Interviewer: Hoe ging de stage bij de bakker?\n"
  "Kevin: De stage was zwaar. Mijn jobcoach hielp mij wel.\n"
  "Interviewer: En school?\n"
  "Kevin: School vond ik saai… maar de stage niet!\n";

static const char focus_source[] =
  "Gespreksleider: Wat vinden jullie van school?\n"
  "Sanne: Ik had geen geduld. De bakker ook niet.\n"
  "Dewi: 😀 Stage is leuk en de jobcoach is aardig.\n";

static const char extra_source[] =
  "Interviewer: Nog één vraag over de stage.\n"
  "Kevin: Ja, ga je gang.\n";

typedef struct
{
  char      *dir;
  CwProject *project;
  gint64     interview;
  gint64     focus;
  gint64     extra;
  char      *interview_text; /* as stored */
  char      *focus_text;
  gint64     stage;
  gint64     begeleiding; /* Stage/Begeleiding */
  gint64     school;
  gint64     thema;       /* a category */
  gint64     group;       /* holds focus */
} Fixture;

static gint64
code_text (Fixture    *f,
           gint64      document_id,
           const char *text,
           const char *needle,
           gint64      code_id,
           const char *coder,
           const char *memo)
{
  g_autoptr(GError) error = NULL;
  gint64 start = offset_of (text, needle);
  gint64 id = cw_project_add_coding (f->project, document_id, code_id, start,
                                     start + g_utf8_strlen (needle, -1), coder, memo, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *names[] = { "interview.txt", "focus.txt", "extra.txt" };
  const char *texts[] = { interview_source, focus_source, extra_source };
  g_autoptr(GArray) documents = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = cw_test_make_dir ();
  f->project = cw_test_new_project (f->dir);
  documents = import_texts (f->project, f->dir, names, texts, 3);
  f->interview = g_array_index (documents, gint64, 0);
  f->focus = g_array_index (documents, gint64, 1);
  f->extra = g_array_index (documents, gint64, 2);
  g_assert_true (cw_project_set_document_kind (f->project, f->interview, CW_DOCUMENT_KIND_INTERVIEW, &error));
  g_assert_true (cw_project_set_document_kind (f->project, f->focus, CW_DOCUMENT_KIND_FOCUS_GROUP, &error));
  g_assert_no_error (error);
  f->interview_text = cw_project_get_text (f->project, f->interview, &error);
  f->focus_text = cw_project_get_text (f->project, f->focus, &error);
  g_assert_no_error (error);

  f->stage = add_code (f->project, "Stage");
  f->begeleiding = add_code (f->project, "Stage/Begeleiding");
  f->school = add_code (f->project, "School");
  f->thema = cw_project_create_code (f->project, 0, "Thema", NULL, NULL, FALSE, &error);
  g_assert_no_error (error);

  f->group = cw_project_add_group (f->project, "School Noord", &error);
  g_assert_no_error (error);
  g_assert_true (cw_project_group_add_document (f->project, f->group, f->focus, &error));
  g_assert_no_error (error);

  if (data != NULL)
    return;
  code_text (f, f->interview, f->interview_text, "stage bij de bakker", f->stage, "Anna", NULL);
  code_text (f, f->interview, f->interview_text, "De stage was zwaar.", f->stage, "Anna",
             "Zwaar: lichamelijk of door de baas?");
  code_text (f, f->interview, f->interview_text, "Mijn jobcoach hielp mij wel.", f->begeleiding, "Bram", NULL);
  code_text (f, f->interview, f->interview_text, "School vond ik saai", f->school, "Bram", NULL);
  code_text (f, f->focus, f->focus_text, "Wat vinden jullie van school?", f->school, "Anna", NULL);
  code_text (f, f->focus, f->focus_text, "de jobcoach is aardig", f->begeleiding, "Anna", NULL);
  code_text (f, f->focus, f->focus_text, "😀 Stage is leuk", f->stage, "Bram", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->project);
  cw_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->interview_text);
  g_free (f->focus_text);
}

/* ------------------------------------------------------------------------ */
/* Filters                                                                  */

static void
test_filter_code (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
  g_autoptr(GPtrArray) plain = NULL;
  g_autoptr(GPtrArray) deep = NULL;
  g_autoptr(GPtrArray) leaf = NULL;
  g_autoptr(GPtrArray) bare = NULL;
  CwCoding *first;

  query->code_ids = IDS (f->stage);
  query->with_text = TRUE;
  plain = retrieve (f->project, query);
  assert_field (plain, FIELD_TEXT, "stage bij de bakker|De stage was zwaar.|😀 Stage is leuk");
  assert_field (plain, FIELD_CODE, "Stage|Stage|Stage");
  assert_field (plain, FIELD_SPEAKER, "Interviewer|Kevin|Dewi");
  assert_field (plain, FIELD_CODER, "Anna|Anna|Bram");
  assert_field (plain, FIELD_MEMO, "-|Zwaar: lichamelijk of door de baas?|-");
  assert_field (plain, FIELD_DOCUMENT, "interview.txt|interview.txt|focus.txt");

  /* Offsets are code points into the stored text, and text is exactly
   * that range (the emoji counts as one). */
  first = g_ptr_array_index (plain, 0);
  g_assert_cmpint (first->start, ==, offset_of (f->interview_text, "stage bij"));
  g_assert_cmpint (first->document_id, ==, f->interview);
  g_assert_cmpint (first->code_id, ==, f->stage);
  g_assert_nonnull (first->guid);
  g_assert_nonnull (first->color);
  g_assert_nonnull (first->created_at);
  g_assert_null (first->case_id);
  for (guint i = 0; i < plain->len; i++)
    {
      CwCoding *coding = g_ptr_array_index (plain, i);

      cw_test_assert_substring (coding->document_id == f->interview ? f->interview_text : f->focus_text,
                                coding->start, coding->end, coding->text);
    }

  /* With sub-codes, a code stands for its descendants too. */
  query->include_subcodes = TRUE;
  deep = retrieve (f->project, query);
  assert_field (deep, FIELD_TEXT,
                "stage bij de bakker|De stage was zwaar.|Mijn jobcoach hielp mij wel.|"
                "😀 Stage is leuk|de jobcoach is aardig");
  assert_field (deep, FIELD_CODE, "Stage|Stage|Stage/Begeleiding|Stage|Stage/Begeleiding");

  g_array_index (query->code_ids, gint64, 0) = f->begeleiding;
  leaf = retrieve (f->project, query);
  assert_field (leaf, FIELD_TEXT, "Mijn jobcoach hielp mij wel.|de jobcoach is aardig");

  /* Without with_text no text is read. */
  query->with_text = FALSE;
  bare = retrieve (f->project, query);
  assert_field (bare, FIELD_TEXT, "-|-");
}

static void
test_filter_each (Fixture       *f,
                  gconstpointer  data)
{
  struct
  {
    const char *what;
    const char *expected;
  } cases[] = {
    { "all", "stage bij de bakker|De stage was zwaar.|Mijn jobcoach hielp mij wel.|School vond ik saai|"
             "Wat vinden jullie van school?|😀 Stage is leuk|de jobcoach is aardig" },
    { "document", "Wat vinden jullie van school?|😀 Stage is leuk|de jobcoach is aardig" },
    { "documents", "stage bij de bakker|De stage was zwaar.|Mijn jobcoach hielp mij wel.|School vond ik saai|"
                   "Wat vinden jullie van school?|😀 Stage is leuk|de jobcoach is aardig" },
    { "kind", "stage bij de bakker|De stage was zwaar.|Mijn jobcoach hielp mij wel.|School vond ik saai" },
    { "other kind", "" },
    { "group", "Wat vinden jullie van school?|😀 Stage is leuk|de jobcoach is aardig" },
    { "coder", "Mijn jobcoach hielp mij wel.|School vond ik saai|😀 Stage is leuk" },
    { "unknown coder", "" },
    { "speaker", "De stage was zwaar.|Mijn jobcoach hielp mij wel.|School vond ik saai" },
    { "speaker case", "De stage was zwaar.|Mijn jobcoach hielp mij wel.|School vond ik saai" },
    { "silent speaker", "" },
    { "code", "School vond ik saai|Wat vinden jullie van school?" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
      g_autoptr(GPtrArray) result = NULL;
      const char *what = cases[i].what;

      query->with_text = TRUE;
      if (g_str_equal (what, "document"))
        query->document_ids = IDS (f->focus);
      else if (g_str_equal (what, "documents"))
        query->document_ids = IDS (f->focus, f->interview);
      else if (g_str_equal (what, "kind"))
        query->kind = CW_DOCUMENT_KIND_INTERVIEW;
      else if (g_str_equal (what, "other kind"))
        query->kind = CW_DOCUMENT_KIND_ARENA;
      else if (g_str_equal (what, "group"))
        query->group_id = f->group;
      else if (g_str_equal (what, "coder"))
        query->coder = g_strdup ("Bram");
      else if (g_str_equal (what, "unknown coder"))
        query->coder = g_strdup ("Carla");
      else if (g_str_equal (what, "speaker"))
        query->speaker = g_strdup ("Kevin");
      else if (g_str_equal (what, "speaker case"))
        query->speaker = g_strdup ("KEVIN ");
      else if (g_str_equal (what, "silent speaker"))
        query->speaker = g_strdup ("Sanne");
      else if (g_str_equal (what, "code"))
        query->code_ids = IDS (f->school);

      g_test_message ("filter %s", what);
      result = retrieve (f->project, query);
      assert_field (result, FIELD_TEXT, cases[i].expected);
    }
}

static void
test_filter_combined (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) third = NULL;
  g_autoptr(GPtrArray) roles = NULL;

  /* Code with sub-codes, coder and kind together. */
  query->with_text = TRUE;
  query->code_ids = IDS (f->stage);
  query->include_subcodes = TRUE;
  query->coder = g_strdup ("Anna");
  query->kind = CW_DOCUMENT_KIND_FOCUS_GROUP;
  first = retrieve (f->project, query);
  assert_field (first, FIELD_TEXT, "de jobcoach is aardig");
  assert_field (first, FIELD_SPEAKER, "Dewi");

  /* Group, coder and speaker. */
  g_clear_pointer (&query->code_ids, g_array_unref);
  query->kind = -1;
  query->group_id = f->group;
  g_free (query->coder);
  query->coder = g_strdup ("Bram");
  query->speaker = g_strdup ("Dewi");
  second = retrieve (f->project, query);
  assert_field (second, FIELD_TEXT, "😀 Stage is leuk");

  /* Document, coder and two codes (OR) without sub-codes. */
  query->group_id = 0;
  g_clear_pointer (&query->speaker, g_free);
  g_free (query->coder);
  query->coder = g_strdup ("Anna");
  query->document_ids = IDS (f->interview);
  query->code_ids = IDS (f->school, f->stage);
  query->include_subcodes = FALSE;
  third = retrieve (f->project, query);
  assert_field (third, FIELD_TEXT, "stage bij de bakker|De stage was zwaar.");

  /* Speakers match by role too (across documents, case-insensitively). */
  exec_sql (f->project, "UPDATE speakers SET role = 'jongere' WHERE name IN ('Kevin', 'Dewi', 'Sanne')");
  cw_retrieval_query_free (g_steal_pointer (&query));
  query = cw_retrieval_query_new ();
  query->with_text = TRUE;
  query->speaker = g_strdup ("Jongere");
  roles = retrieve (f->project, query);
  assert_field (roles, FIELD_TEXT,
                "De stage was zwaar.|Mijn jobcoach hielp mij wel.|School vond ik saai|"
                "😀 Stage is leuk|de jobcoach is aardig");
  assert_field (roles, FIELD_SPEAKER, "Kevin|Kevin|Kevin|Dewi|Dewi");
}

static void
test_filter_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *result;

  query->code_ids = IDS (f->stage + 1000);
  result = cw_project_retrieve (f->project, query, NULL, &error);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_assert_null (result);
  g_clear_error (&error);

  g_clear_pointer (&query->code_ids, g_array_unref);
  query->kind = CW_N_DOCUMENT_KINDS;
  result = cw_project_retrieve (f->project, query, NULL, &error);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_assert_null (result);
  g_clear_error (&error);

  query->kind = -1;
  g_cancellable_cancel (cancellable);
  result = cw_project_retrieve (f->project, query, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (result);
}

/* A segment that starts on a "Name:" label belongs to that name's turn;
 * one that lies inside a label belongs to no turn. */
static void
test_speaker_of_label (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
  g_autoptr(GPtrArray) result = NULL;
  gint64 label = offset_of (f->interview_text, "Kevin: De stage");

  add_range (f->project, f->interview, f->school, label, label + 15, "Anna");
  add_range (f->project, f->interview, f->school, label, label + 5, "Anna");
  query->code_ids = IDS (f->school);
  query->document_ids = IDS (f->interview);
  query->with_text = TRUE;
  result = retrieve (f->project, query);
  assert_field (result, FIELD_TEXT, "Kevin|Kevin: De stage|School vond ik saai");
  assert_field (result, FIELD_SPEAKER, "-|Kevin|Kevin");
}

/* Texts are read only as far as their segments reach, a few KiB at a
 * time: segments deep in long texts, after many multi-byte characters
 * (some cut by the pieces' edges), overlapping and back to back, come out
 * exactly as the stored text has them, in a second document too. */
static void
test_long_texts (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GArray) documents = NULL;
  g_autoptr(GString) first = g_string_new (NULL);
  g_autoptr(GString) second = g_string_new (NULL);
  const char *names[] = { "lang.txt", "kort.txt" };
  const char *texts[2];
  gint64 code = add_code (project, "Stage");
  guint expected = 0;

  /* Lines of uneven length, so that é (2 bytes), € (3) and 😀 (4) fall on
   * every byte position of a piece's edge. */
  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (first, "Regel %u: één café kost €%u%s\n", i, i % 97, i % 7 == 0 ? " 😀" : "");
  for (guint i = 0; i < 40; i++)
    g_string_append_printf (second, "Zin %u met één ë.\n", i);
  texts[0] = first->str;
  texts[1] = second->str;
  documents = import_texts (project, dir, names, texts, 2);

  for (guint d = 0; d < 2; d++)
    {
      gint64 document = g_array_index (documents, gint64, d);
      g_autofree char *text = cw_project_get_text (project, document, NULL);
      gint64 length = g_utf8_strlen (text, -1);
      /* From the start, deep in, overlapping, spanning pieces, the end. */
      gint64 ranges[][2] = {
        { 0, 5 }, { length / 3, length / 3 + 40 }, { length / 3 + 10, length / 3 + 20 },
        { length / 2, length / 2 + 9000 }, { length / 2 + 1, length / 2 + 2 },
        { length - 30, length - 1 }, { length - 7, length },
      };

      for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
        if (ranges[r][1] <= length)
          {
            add_range (project, document, code, ranges[r][0], ranges[r][1], "Anna");
            expected++;
          }
    }

  query->code_ids = IDS (code);
  query->with_text = TRUE;
  result = retrieve (project, query);
  g_assert_cmpuint (result->len, ==, expected);
  for (guint i = 0; i < result->len; i++)
    {
      CwCoding *coding = g_ptr_array_index (result, i);
      g_autofree char *text = cw_project_get_text (project, coding->document_id, NULL);
      g_autofree char *want = g_utf8_substring (text, (glong) coding->start, (glong) coding->end);

      g_assert_cmpstr (coding->text, ==, want);
    }
  /* The last segment of the long text ends with it. */
  {
    CwCoding *last = g_ptr_array_index (result, 6);
    g_autofree char *text = cw_project_get_text (project, last->document_id, NULL);

    g_assert_cmpuint (strlen (last->text), >=, 7);
    g_assert_true (g_str_has_suffix (text, last->text));
  }

  g_clear_object (&project);
  cw_test_remove_dir (dir);
}

/* ------------------------------------------------------------------------ */
/* AND / OR / NOT on hand-worked ranges                                     */

static const char letters[] = "abcdefghijklmnopqrstuvwxyz";

typedef struct
{
  char      *dir;
  CwProject *project;
  GArray    *documents; /* l1 .. l8 */
  gint64     a, ax, b, c; /* ax: A/x */
} Letters;

static void
letters_set_up (Letters       *l,
                gconstpointer  data)
{
  const char *names[] = { "l1.txt", "l2.txt", "l3.txt", "l4.txt", "l5.txt", "l6.txt", "l7.txt", "l8.txt" };
  const char *texts[G_N_ELEMENTS (names)];

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    texts[i] = letters;
  l->dir = cw_test_make_dir ();
  l->project = cw_test_new_project (l->dir);
  l->documents = import_texts (l->project, l->dir, names, texts, G_N_ELEMENTS (names));
  l->a = add_code (l->project, "A");
  l->ax = add_code (l->project, "A/x");
  l->b = add_code (l->project, "B");
  l->c = add_code (l->project, "C");
}

static void
letters_tear_down (Letters       *l,
                   gconstpointer  data)
{
  g_assert_finalize_object (l->project);
  g_array_unref (l->documents);
  cw_test_remove_dir (l->dir);
  g_free (l->dir);
}

#define DOC(l, n) g_array_index ((l)->documents, gint64, (n) - 1)

static char *
combine (Letters   *l,
         CwCombine  how,
         gboolean   subcodes,
         int        document, /* 0: all */
         GArray    *codes)
{
  g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
  g_autoptr(GPtrArray) result = NULL;

  query->combine = how;
  query->include_subcodes = subcodes;
  query->code_ids = codes;
  query->with_text = TRUE;
  if (document > 0)
    query->document_ids = IDS (DOC (l, document));
  result = retrieve (l->project, query);
  for (guint i = 0; i < result->len; i++)
    {
      CwCoding *coding = g_ptr_array_index (result, i);

      cw_test_assert_substring (letters, coding->start, coding->end, coding->text);
      if (how == CW_COMBINE_AND)
        {
          g_assert_cmpint (coding->code_id, ==, 0);
          g_assert_cmpint (coding->id, ==, 0);
          g_assert_null (coding->memo);
        }
    }
  return describe_ranges (result);
}

#define assert_combine(l, how, subcodes, document, codes, expected) \
  G_STMT_START { \
    g_autofree char *got_ = combine ((l), (how), (subcodes), (document), (codes)); \
    g_assert_cmpstr (got_, ==, (expected)); \
  } G_STMT_END

static void
test_combine_and (Letters       *l,
                  gconstpointer  data)
{
  /* l1: adjacent segments share no character. */
  add_range (l->project, DOC (l, 1), l->a, 0, 5, "Anna");
  add_range (l->project, DOC (l, 1), l->b, 5, 9, "Anna");
  assert_combine (l, CW_COMBINE_AND, FALSE, 1, IDS (l->a, l->b), "");

  /* l2: two regions; coders of the segments taking part. */
  add_range (l->project, DOC (l, 2), l->a, 0, 10, "Anna");
  add_range (l->project, DOC (l, 2), l->b, 2, 4, "Bram");
  add_range (l->project, DOC (l, 2), l->b, 6, 12, "Anna");
  assert_combine (l, CW_COMBINE_AND, FALSE, 2, IDS (l->a, l->b),
                  "2-4 A & B (Anna, Bram)|6-10 A & B (Anna)");
  assert_combine (l, CW_COMBINE_AND, FALSE, 2, IDS (l->b, l->a),
                  "2-4 B & A (Anna, Bram)|6-10 B & A (Anna)");

  /* l3: nested. */
  add_range (l->project, DOC (l, 3), l->a, 0, 20, "Anna");
  add_range (l->project, DOC (l, 3), l->b, 5, 10, "Bram");
  assert_combine (l, CW_COMBINE_AND, FALSE, 3, IDS (l->a, l->b), "5-10 A & B (Anna, Bram)");

  /* l4: three codes. */
  add_range (l->project, DOC (l, 4), l->a, 0, 10, "Anna");
  add_range (l->project, DOC (l, 4), l->b, 3, 15, "Anna");
  add_range (l->project, DOC (l, 4), l->c, 8, 20, "Bram");
  add_range (l->project, DOC (l, 4), l->c, 1, 2, "Anna");
  assert_combine (l, CW_COMBINE_AND, FALSE, 4, IDS (l->a, l->b, l->c), "8-10 A & B & C (Anna, Bram)");
  assert_combine (l, CW_COMBINE_AND, FALSE, 4, IDS (l->a, l->c),
                  "1-2 A & C (Anna)|8-10 A & C (Anna, Bram)");

  /* l5: two touching segments of A cover B's whole range: one maximal
   * region. */
  add_range (l->project, DOC (l, 5), l->a, 0, 5, "Anna");
  add_range (l->project, DOC (l, 5), l->a, 5, 10, "Bram");
  add_range (l->project, DOC (l, 5), l->b, 0, 10, "Anna");
  assert_combine (l, CW_COMBINE_AND, FALSE, 5, IDS (l->a, l->b), "0-10 A & B (Anna, Bram)");

  /* l7: a sub-code's segment counts for A only with sub-codes. */
  add_range (l->project, DOC (l, 7), l->ax, 3, 6, "Anna");
  add_range (l->project, DOC (l, 7), l->b, 5, 9, "Anna");
  assert_combine (l, CW_COMBINE_AND, FALSE, 7, IDS (l->a, l->b), "");
  assert_combine (l, CW_COMBINE_AND, TRUE, 7, IDS (l->a, l->b), "5-6 A & B (Anna)");

  /* l8: the same offsets in another document never overlap. */
  add_range (l->project, DOC (l, 8), l->c, 5, 10, "Anna");
  assert_combine (l, CW_COMBINE_AND, FALSE, 0, IDS (l->a, l->b),
                  "2-4 A & B (Anna, Bram)|6-10 A & B (Anna)|5-10 A & B (Anna, Bram)|"
                  "3-10 A & B (Anna)|0-10 A & B (Anna, Bram)");
  assert_combine (l, CW_COMBINE_AND, FALSE, 8, IDS (l->a, l->c), "");
}

static void
test_combine_or_not (Letters       *l,
                     gconstpointer  data)
{
  g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
  g_autoptr(GPtrArray) result = NULL;

  add_range (l->project, DOC (l, 1), l->a, 0, 5, "Anna");
  add_range (l->project, DOC (l, 1), l->b, 5, 9, "Anna");
  add_range (l->project, DOC (l, 5), l->a, 0, 5, "Anna");
  add_range (l->project, DOC (l, 5), l->a, 5, 10, "Bram");
  add_range (l->project, DOC (l, 5), l->b, 0, 10, "Anna");
  add_range (l->project, DOC (l, 5), l->c, 2, 3, "Anna");

  /* OR: the union list, by start then end, not merged. */
  assert_combine (l, CW_COMBINE_OR, FALSE, 1, IDS (l->a, l->b), "0-5 A (Anna)|5-9 B (Anna)");
  assert_combine (l, CW_COMBINE_OR, FALSE, 5, IDS (l->a, l->b),
                  "0-5 A (Anna)|0-10 B (Anna)|5-10 A (Bram)");
  assert_combine (l, CW_COMBINE_OR, FALSE, 0, IDS (l->b, l->a, l->b),
                  "0-5 A (Anna)|5-9 B (Anna)|0-5 A (Anna)|0-10 B (Anna)|5-10 A (Bram)");

  /* NOT: A's segments overlapping no B (adjacent ones do not overlap). */
  assert_combine (l, CW_COMBINE_NOT, FALSE, 1, IDS (l->a, l->b), "0-5 A (Anna)");
  assert_combine (l, CW_COMBINE_NOT, FALSE, 5, IDS (l->a, l->b), "");
  assert_combine (l, CW_COMBINE_NOT, FALSE, 5, IDS (l->a, l->c), "5-10 A (Bram)");
  assert_combine (l, CW_COMBINE_NOT, FALSE, 5, IDS (l->b, l->c), "");
  assert_combine (l, CW_COMBINE_NOT, FALSE, 5, IDS (l->c, l->a), "");

  /* l6: NOT A (B, C). */
  add_range (l->project, DOC (l, 6), l->a, 0, 3, "Anna");
  add_range (l->project, DOC (l, 6), l->a, 4, 6, "Anna");
  add_range (l->project, DOC (l, 6), l->a, 10, 12, "Anna");
  add_range (l->project, DOC (l, 6), l->b, 5, 8, "Anna");
  add_range (l->project, DOC (l, 6), l->c, 12, 14, "Anna");
  assert_combine (l, CW_COMBINE_NOT, FALSE, 6, IDS (l->a, l->b, l->c), "0-3 A (Anna)|10-12 A (Anna)");
  assert_combine (l, CW_COMBINE_NOT, FALSE, 6, IDS (l->a, l->c), "0-3 A (Anna)|4-6 A (Anna)|10-12 A (Anna)");

  /* NOT with sub-codes: A/x's segment stands for A. */
  add_range (l->project, DOC (l, 7), l->ax, 3, 6, "Anna");
  add_range (l->project, DOC (l, 7), l->c, 20, 22, "Anna");
  assert_combine (l, CW_COMBINE_NOT, FALSE, 7, IDS (l->a, l->c), "");
  assert_combine (l, CW_COMBINE_NOT, TRUE, 7, IDS (l->a, l->c), "3-6 A/x (Anna)");

  /* NOT keeps the codings themselves: ids and guids. */
  query->combine = CW_COMBINE_NOT;
  query->code_ids = IDS (l->a, l->b);
  query->document_ids = IDS (DOC (l, 1));
  result = retrieve (l->project, query);
  g_assert_cmpuint (result->len, ==, 1);
  g_assert_cmpint (((CwCoding *) result->pdata[0])->id, >, 0);
  g_assert_cmpint (((CwCoding *) result->pdata[0])->code_id, ==, l->a);
  g_assert_nonnull (((CwCoding *) result->pdata[0])->guid);
}

/* ------------------------------------------------------------------------ */
/* Co-occurrence                                                            */

static CwCooccurrence *
cooccurrence (CwProject              *project,
              const CwRetrievalQuery *filter)
{
  g_autoptr(GError) error = NULL;
  CwCooccurrence *matrix = cw_project_cooccurrence (project, filter, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (matrix);
  return matrix;
}

static void
assert_matrix (CwCooccurrence *matrix,
               const gint64   *codes,
               const guint    *counts,
               guint           n)
{
  g_assert_cmpuint (matrix->code_ids->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (g_array_index (matrix->code_ids, gint64, i), ==, codes[i]);
  for (guint i = 0; i < n * n; i++)
    {
      if (matrix->counts[i] != counts[i])
        g_test_message ("cell (%u, %u)", i / n, i % n);
      g_assert_cmpuint (matrix->counts[i], ==, counts[i]);
    }
}

static void
test_cooccurrence (Letters       *l,
                   gconstpointer  data)
{
  g_autoptr(CwRetrievalQuery) filter = cw_retrieval_query_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 thema, ta, tb;

  /* A fresh codebook under a category: Thema (not codable) > A, B; C. */
  thema = cw_project_create_code (l->project, 0, "Thema", NULL, NULL, FALSE, &error);
  g_assert_no_error (error);
  ta = add_code (l->project, "Thema/TA");
  tb = add_code (l->project, "Thema/TB");
  g_assert_true (cw_project_move_code (l->project, thema, 0, 0, &error));
  g_assert_no_error (error);

  /* l1: TA [0,10) overlaps TB [5,15) and TB [8,9); C [20,25) overlaps TA
   * [24,26). l2: TA and C on [0,5); TB [5,6) only touches them. */
  add_range (l->project, DOC (l, 1), ta, 0, 10, "Anna");
  add_range (l->project, DOC (l, 1), tb, 5, 15, "Anna");
  add_range (l->project, DOC (l, 1), tb, 8, 9, "Bram");
  add_range (l->project, DOC (l, 1), l->c, 20, 25, "Anna");
  add_range (l->project, DOC (l, 1), ta, 24, 26, "Anna");
  add_range (l->project, DOC (l, 2), ta, 0, 5, "Anna");
  add_range (l->project, DOC (l, 2), l->c, 0, 5, "Anna");
  add_range (l->project, DOC (l, 2), tb, 5, 6, "Anna");

  {
    /* Every codable code, in codebook order (Thema is a category; A, A/x,
     * B have no codings here). */
    g_autoptr(CwCooccurrence) all = cooccurrence (l->project, filter);
    gint64 codes[] = { ta, tb, l->a, l->ax, l->b, l->c };
    guint counts[] = {
      3, 2, 0, 0, 0, 2,
      2, 3, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0,
      2, 0, 0, 0, 0, 2,
    };

    assert_matrix (all, codes, counts, G_N_ELEMENTS (codes));
  }
  {
    /* The order of code_ids is kept. */
    g_autoptr(CwCooccurrence) some = NULL;
    gint64 codes[] = { l->c, ta, tb };
    guint counts[] = {
      2, 2, 0,
      2, 3, 2,
      0, 2, 3,
    };

    filter->code_ids = IDS (l->c, ta, tb);
    some = cooccurrence (l->project, filter);
    assert_matrix (some, codes, counts, G_N_ELEMENTS (codes));
  }
  {
    /* One document. */
    g_autoptr(CwCooccurrence) one = NULL;
    gint64 codes[] = { l->c, ta, tb };
    guint counts[] = {
      1, 1, 0,
      1, 1, 0,
      0, 0, 1,
    };

    filter->document_ids = IDS (DOC (l, 2));
    one = cooccurrence (l->project, filter);
    assert_matrix (one, codes, counts, G_N_ELEMENTS (codes));
    g_clear_pointer (&filter->document_ids, g_array_unref);
  }
  {
    /* One coder. */
    g_autoptr(CwCooccurrence) anna = NULL;
    gint64 codes[] = { l->c, ta, tb };
    guint counts[] = {
      2, 2, 0,
      2, 3, 1,
      0, 1, 2,
    };

    filter->coder = g_strdup ("Anna");
    anna = cooccurrence (l->project, filter);
    assert_matrix (anna, codes, counts, G_N_ELEMENTS (codes));
    g_clear_pointer (&filter->coder, g_free);
  }
  {
    /* The category with its sub-codes against C. */
    g_autoptr(CwCooccurrence) deep = NULL;
    gint64 codes[] = { thema, l->c };
    guint counts[] = {
      6, 2,
      2, 2,
    };

    g_clear_pointer (&filter->code_ids, g_array_unref);
    filter->code_ids = IDS (thema, l->c);
    filter->include_subcodes = TRUE;
    deep = cooccurrence (l->project, filter);
    assert_matrix (deep, codes, counts, G_N_ELEMENTS (codes));
  }

  g_cancellable_cancel (cancellable);
  g_assert_null (cw_project_cooccurrence (l->project, filter, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ------------------------------------------------------------------------ */
/* Autocoding                                                               */

static gint64
count_codings (CwProject *project,
               gint64     code_id)
{
  g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
  g_autoptr(GPtrArray) result = NULL;

  query->code_ids = IDS (code_id);
  result = retrieve (project, query);
  return result->len;
}

static char *
coded_texts (CwProject *project,
             gint64     code_id,
             gint64     document_id)
{
  g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
  g_autoptr(GPtrArray) result = NULL;

  query->code_ids = IDS (code_id);
  if (document_id > 0)
    query->document_ids = IDS (document_id);
  query->with_text = TRUE;
  result = retrieve (project, query);
  return join_field (result, FIELD_TEXT);
}

#define assert_coded(project, code, document, expected) \
  G_STMT_START { \
    g_autofree char *got_ = coded_texts ((project), (code), (document)); \
    g_assert_cmpstr (got_, ==, (expected)); \
  } G_STMT_END

static void
test_autocode_speaker (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
  g_autoptr(GPtrArray) result = NULL;
  gint64 jongere = add_code (f->project, "Jongere");
  gint64 vraag = add_code (f->project, "Vraag");
  gint64 begeleider = add_code (f->project, "Begeleider");
  gint64 n;

  /* One document, by name. */
  n = cw_project_autocode_speaker (f->project, "Kevin", f->interview, jongere, "Bram", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 2);
  assert_coded (f->project, jongere, 0,
                "De stage was zwaar. Mijn jobcoach hielp mij wel.|School vond ik saai… maar de stage niet!");

  /* Again: nothing new, and no empty undo step. */
  n = cw_project_autocode_speaker (f->project, "kevin", f->interview, jongere, "Bram", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpint (count_codings (f->project, jongere), ==, 2);

  /* Every document, by name; the default coder. */
  n = cw_project_autocode_speaker (f->project, "INTERVIEWER", 0, vraag, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 3);
  assert_coded (f->project, vraag, 0,
                "Hoe ging de stage bij de bakker?|En school?|Nog één vraag over de stage.");
  query->code_ids = IDS (vraag);
  result = retrieve (f->project, query);
  assert_field (result, FIELD_CODER, "Codeur|Codeur|Codeur");
  assert_field (result, FIELD_SPEAKER, "Interviewer|Interviewer|Interviewer");

  /* Every document, by role (the role is set by the cohort issue's
   * speaker table; here by SQL). */
  exec_sql (f->project,
            "UPDATE speakers SET role = 'Begeleider' WHERE name = 'Gespreksleider' OR"
            " (name = 'Interviewer' AND document_id = (SELECT id FROM documents WHERE name = 'interview.txt'))");
  n = cw_project_autocode_speaker (f->project, "begeleider", 0, begeleider, "Anna", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 3);
  assert_coded (f->project, begeleider, 0,
                "Hoe ging de stage bij de bakker?|En school?|Wat vinden jullie van school?");

  /* Mistakes are errors, not silence. */
  g_assert_cmpint (cw_project_autocode_speaker (f->project, "Kevn", 0, jongere, NULL, NULL, &error), ==, -1);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (cw_project_autocode_speaker (f->project, "Sanne", f->interview, jongere, NULL, NULL, &error),
                   ==, -1);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (cw_project_autocode_speaker (f->project, "Kevin", 0, f->thema, NULL, NULL, &error), ==, -1);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (cw_project_autocode_speaker (f->project, " ", 0, jongere, NULL, NULL, &error), ==, -1);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (cw_project_autocode_speaker (f->project, "Kevin", 0, jongere + 1000, NULL, NULL, &error), ==, -1);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (count_codings (f->project, jongere), ==, 2);
}

static void
test_autocode_search_scopes (Fixture       *f,
                             gconstpointer  data)
{
  struct
  {
    CwAutocodeScope  scope;
    const char      *expected[3];
  } cases[] = {
    { CW_AUTOCODE_HIT, { "stage", "stage", "stage" } },
    { CW_AUTOCODE_SENTENCE, { "Hoe ging de stage bij de bakker?", "De stage was zwaar.", "maar de stage niet!" } },
    { CW_AUTOCODE_TURN, { "Hoe ging de stage bij de bakker?", "De stage was zwaar. Mijn jobcoach hielp mij wel.",
                          "School vond ik saai… maar de stage niet!" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
      g_autoptr(GPtrArray) result = NULL;
      g_autofree char *name = g_strdup_printf ("Scope %u", i);
      gint64 code = add_code (f->project, name);
      gint64 n;

      n = cw_project_autocode_search (f->project, "stage", cases[i].scope, f->interview, code, "Anna",
                                      NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, ==, 3);

      query->code_ids = IDS (code);
      result = retrieve (f->project, query);
      g_assert_cmpuint (result->len, ==, 3);
      for (guint k = 0; k < 3; k++)
        {
          CwCoding *coding = g_ptr_array_index (result, k);

          g_assert_cmpint (coding->document_id, ==, f->interview);
          g_assert_cmpstr (coding->coder, ==, "Anna");
          cw_test_assert_substring (f->interview_text, coding->start, coding->end, cases[i].expected[k]);
        }

      /* Idempotent. */
      n = cw_project_autocode_search (f->project, "stage", cases[i].scope, f->interview, code, "Anna",
                                      NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, ==, 0);
      g_assert_cmpint (count_codings (f->project, code), ==, 3);
    }
}

static void
test_autocode_search_more (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 jobcoach = add_code (f->project, "Jobcoach");
  gint64 labels = add_code (f->project, "Labels");
  gint64 n;

  /* Every document; a turn with two hits is one coding. */
  n = cw_project_autocode_search (f->project, "jobcoach OR geduld", CW_AUTOCODE_TURN, 0, jobcoach, NULL,
                                  NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 3);
  assert_coded (f->project, jobcoach, 0,
                "De stage was zwaar. Mijn jobcoach hielp mij wel.|"
                "Ik had geen geduld. De bakker ook niet.|😀 Stage is leuk en de jobcoach is aardig.");

  /* A hit in a speaker label is in no turn: its line is coded. */
  n = cw_project_autocode_search (f->project, "kevin", CW_AUTOCODE_TURN, f->interview, labels, NULL,
                                  NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 2);
  assert_coded (f->project, labels, 0,
                "Kevin: De stage was zwaar. Mijn jobcoach hielp mij wel.|"
                "Kevin: School vond ik saai… maar de stage niet!");

  /* No hits: nothing, no error. */
  n = cw_project_autocode_search (f->project, "fietsenmaker", CW_AUTOCODE_HIT, 0, labels, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 0);

  /* A category is refused; so are an unknown code and a cancelled run. */
  g_assert_cmpint (cw_project_autocode_search (f->project, "stage", CW_AUTOCODE_HIT, 0, f->thema, NULL,
                                               NULL, &error), ==, -1);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (cw_project_autocode_search (f->project, "stage", CW_AUTOCODE_HIT, 0, labels + 1000, NULL,
                                               NULL, &error), ==, -1);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_cancellable_cancel (cancellable);
  g_assert_cmpint (cw_project_autocode_search (f->project, "stage", CW_AUTOCODE_SENTENCE, 0, labels, NULL,
                                               cancellable, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (count_codings (f->project, labels), ==, 2);
}

static void
test_autocode_undo (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  gint64 code = add_code (f->project, "Ongedaan");
  gint64 n;

  n = cw_project_autocode_search (f->project, "stage", CW_AUTOCODE_SENTENCE, 0, code, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 5);
  n = cw_project_autocode_speaker (f->project, "Sanne", 0, code, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 1);
  g_assert_cmpint (count_codings (f->project, code), ==, 6);

  /* Each autocode is one step. */
  g_assert_true (cw_project_can_undo (f->project));
  label = cw_project_get_undo_label (f->project);
  g_assert_nonnull (strstr (label, "Sanne"));
  g_assert_true (cw_project_undo (f->project, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_codings (f->project, code), ==, 5);
  g_assert_true (cw_project_undo (f->project, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_codings (f->project, code), ==, 0);

  g_assert_true (cw_project_redo (f->project, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_codings (f->project, code), ==, 5);

  /* An autocode that adds nothing leaves the redo step alone. */
  n = cw_project_autocode_search (f->project, "stage", CW_AUTOCODE_SENTENCE, 0, code, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 0);
  g_assert_true (cw_project_can_redo (f->project));
  g_assert_true (cw_project_redo (f->project, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_codings (f->project, code), ==, 6);
}

/* Sentence (and line) expansion, one document per case. */
typedef struct
{
  CwAutocodeScope scope;
  const char *text;
  const char *query;
  const char *expected; /* the coded sentences, '|'-joined */
} SentenceCase;

#define S CW_AUTOCODE_SENTENCE
#define T CW_AUTOCODE_TURN
static const SentenceCase sentence_cases[] = {
  /* Abbreviations are not special: "bijv." ends a sentence. */
  { S, "Dat is bijv. niet zo. Echt niet.", "niet", "niet zo.|Echt niet." },
  /* "…" ends a sentence; the line end ends the last one. */
  { S, "Nou… ik weet het niet", "weet", "ik weet het niet" },
  /* A hit at the start and at the end of the text. */
  { S, "Stage is leuk. Maar zwaar.", "stage", "Stage is leuk." },
  { S, "Het was leuk. Ik zeg stage", "stage", "Ik zeg stage" },
  { S, "Einde van de tekst.", "tekst", "Einde van de tekst." },
  /* Multi-byte characters before and in the sentence. */
  { S, "Ça va 😀 très bien! Échec? Nee.", "echec", "Échec?" },
  { S, "Ça va 😀 très bien! Échec? Nee.", "bien", "Ça va 😀 très bien!" },
  /* Runs of sentence ends belong to the sentence. */
  { S, "Wat?! Echt waar...", "echt", "Echt waar..." },
  { S, "Wat?! Echt waar...", "wat", "Wat?!" },
  /* Lines bound sentences. */
  { S, "Eerste regel zonder punt\nTweede regel hier.", "regel", "Eerste regel zonder punt|Tweede regel hier." },
  /* Leading spaces are skipped. */
  { S, "Ja.    Dan gaan we.", "dan", "Dan gaan we." },
  /* Two hits in one sentence: one coding. */
  { S, "Niet leuk, niet goed. Wel warm.", "niet", "Niet leuk, niet goed." },
  /* In a transcript the sentence stays inside the turn: no label. */
  { S, "Kevin: Ik vind 😀 het leuk. Echt.\nSanne: Ik ook… denk ik.\n", "leuk OR denk", "Ik vind 😀 het leuk.|denk ik." },
  /* Outside any turn, TURN codes the line: leading and trailing blanks
   * dropped, no sentence ends. */
  { T, "Eerste alinea. Over stage!\n\nTweede alinea, ook stage. En meer", "stage",
    "Eerste alinea. Over stage!|Tweede alinea, ook stage. En meer" },
  { T, "stage", "stage", "stage" },
  { T, "Eerst.\n  Tweede regel over stage  \nDerde.", "stage", "Tweede regel over stage" },
  { S, "Eerst.\n  Geen punt na stage  \nDerde.", "stage", "Geen punt na stage" },
};

static void
test_autocode_sentences (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  CwProject *project = cw_test_new_project (dir);
  const char *names[G_N_ELEMENTS (sentence_cases)];
  const char *texts[G_N_ELEMENTS (sentence_cases)];
  g_autoptr(GPtrArray) name_store = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) documents = NULL;
  gint64 code = add_code (project, "Zin");

  for (guint i = 0; i < G_N_ELEMENTS (sentence_cases); i++)
    {
      char *name = g_strdup_printf ("case%02u.txt", i);

      g_ptr_array_add (name_store, name);
      names[i] = name;
      texts[i] = sentence_cases[i].text;
    }
  documents = import_texts (project, dir, names, texts, G_N_ELEMENTS (sentence_cases));

  for (guint i = 0; i < G_N_ELEMENTS (sentence_cases); i++)
    {
      const SentenceCase *c = &sentence_cases[i];
      gint64 document = g_array_index (documents, gint64, i);
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) expected = g_strsplit (c->expected, "|", -1);
      gint64 n;

      g_test_message ("case %u (%s): %s", i, c->scope == S ? "sentence" : "turn", c->text);
      n = cw_project_autocode_search (project, c->query, c->scope, document, code, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, ==, g_strv_length (expected));
      assert_coded (project, code, document, c->expected);
    }

  g_assert_finalize_object (project);
  cw_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn, data) \
  g_test_add (path, Fixture, data, fixture_set_up, fn, fixture_tear_down)
#define ADD_LETTERS(path, fn) \
  g_test_add (path, Letters, NULL, letters_set_up, fn, letters_tear_down)

  ADD ("/retrieval/filter/code", test_filter_code, NULL);
  ADD ("/retrieval/filter/each", test_filter_each, NULL);
  ADD ("/retrieval/filter/combined", test_filter_combined, NULL);
  ADD ("/retrieval/filter/errors", test_filter_errors, NULL);
  ADD ("/retrieval/speaker-of-label", test_speaker_of_label, NULL);
  ADD_LETTERS ("/retrieval/combine/and", test_combine_and);
  ADD_LETTERS ("/retrieval/combine/or-not", test_combine_or_not);
  ADD_LETTERS ("/retrieval/cooccurrence", test_cooccurrence);
  ADD ("/retrieval/autocode/speaker", test_autocode_speaker, "empty");
  ADD ("/retrieval/autocode/search-scopes", test_autocode_search_scopes, "empty");
  ADD ("/retrieval/autocode/search-more", test_autocode_search_more, "empty");
  ADD ("/retrieval/autocode/undo", test_autocode_undo, "empty");
  g_test_add_func ("/retrieval/autocode/sentences", test_autocode_sentences);
  g_test_add_func ("/retrieval/long-texts", test_long_texts);

  return g_test_run ();
}
