/* The codebook: paths, names, colours, positions, move, merge, delete, and
 * (under /codebook/undo/) undo and redo of every edit of codebook, codings,
 * memos and groups. */
#include "config.h"

#include <string.h>

#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-history.h"
#include "cw-test-util.h"

typedef struct
{
  char      *dir;
  CwProject *project;
  gint64     doc;   /* interview.txt */
  gint64     doc2;  /* arena.txt */
} Fixture;

static const char interview_text[] =
  "Interviewer: Hoe ging je stage bij de bakker?\n"
  "Kevin: Die stage is mislukt. Ik kwam steeds te laat en de jobcoach belde niet.\n"
  "Interviewer: En nu?\n"
  "Kevin: Nu werk ik bij een hovenier, dat gaat goed.\n";

static const char arena_text[] =
  "Gespreksleider: Wat zijn jullie ideeën over stage?\n"
  "Sanne: Ik had geen ideeën.\n";

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = cw_test_make_dir ();
  fixture->project = cw_test_new_project (fixture->dir);
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "interview.txt", interview_text));
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "arena.txt", arena_text));
  ids = cw_project_import (fixture->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  fixture->doc = g_array_index (ids, gint64, 0);
  fixture->doc2 = g_array_index (ids, gint64, 1);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->project);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

static gint64
add (CwProject  *project,
     const char *path)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cw_project_add_code (project, path, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
lookup (CwProject  *project,
        const char *path)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cw_project_lookup_code (project, path, &error);

  g_assert_no_error (error);
  return id;
}

static gint64
coding (CwProject  *project,
        gint64      doc,
        gint64      code,
        gint64      start,
        gint64      end,
        const char *coder)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cw_project_add_coding (project, doc, code, start, end, coder, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static CwCode *
get (CwProject *project,
     gint64     id)
{
  g_autoptr(GError) error = NULL;
  CwCode *code = cw_project_get_code (project, id, &error);

  g_assert_no_error (error);
  return code;
}

/* The codebook as "path@position" lines in list order, checking on the
 * way that every sibling list is numbered 0..n-1. */
static char *
outline (CwProject *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = cw_project_list_codes (project, &error);
  g_autoptr(GHashTable) next = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < codes->len; i++)
    {
      const CwCode *code = g_ptr_array_index (codes, i);
      int expected = GPOINTER_TO_INT (g_hash_table_lookup (next, &code->parent_id));

      g_assert_cmpint (code->position, ==, expected);
      g_hash_table_insert (next, g_memdup2 (&code->parent_id, sizeof (gint64)), GINT_TO_POINTER (expected + 1));
      if (out->len > 0)
        g_string_append_c (out, '|');
      g_string_append (out, code->path);
    }
  return g_string_free (out, FALSE);
}

static void
assert_outline (CwProject  *project,
                const char *expected)
{
  g_autofree char *got = outline (project);

  g_assert_cmpstr (got, ==, expected);
}

/* Colours */

/* A colour as stored: "#rrggbb". */
static void
assert_color (const char *color)
{
  g_autofree char *normal = cw_code_normalize_color (color);

  g_assert_cmpstr (normal, ==, color);
}

typedef struct
{
  const char *input;
  const char *expected; /* NULL: refused */
} ColorCase;

static const ColorCase color_cases[] = {
  { "#4e79a7", "#4e79a7" },
  { "#4E79A7", "#4e79a7" },
  { "#AbC", "#aabbcc" },
  { "#fff", "#ffffff" },
  { " #123456 ", "#123456" },
  { "4e79a7", NULL },
  { "#4e79a", NULL },
  { "#4e79a7ff", NULL },
  { "#ggg", NULL },
  { "#12 456", NULL },
  { "red", NULL },
  { "", NULL },
  { "#", NULL },
};

static void
test_color_normalize (void)
{
  g_assert_null (cw_code_normalize_color (NULL));
  for (guint i = 0; i < G_N_ELEMENTS (color_cases); i++)
    {
      g_autofree char *got = cw_code_normalize_color (color_cases[i].input);

      if (g_strcmp0 (got, color_cases[i].expected) != 0)
        g_error ("colour «%s»: expected %s, got %s", color_cases[i].input,
                 color_cases[i].expected ? color_cases[i].expected : "NULL", got ? got : "NULL");
    }
}

static void
test_color_edit (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCode) code = NULL;
  gint64 id;

  id = cw_project_add_code (fixture->project, "Stage", "#E15759", NULL, &error);
  g_assert_no_error (error);
  code = get (fixture->project, id);
  g_assert_cmpstr (code->color, ==, "#e15759");
  g_clear_pointer (&code, cw_code_free);

  g_assert_true (cw_project_set_code_color (fixture->project, id, "#0F0", &error));
  g_assert_no_error (error);
  code = get (fixture->project, id);
  g_assert_cmpstr (code->color, ==, "#00ff00");
  g_clear_pointer (&code, cw_code_free);

  /* A bad colour changes nothing and says what was wrong. */
  g_assert_false (cw_project_set_code_color (fixture->project, id, "groen", &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "groen"));
  g_clear_error (&error);
  code = get (fixture->project, id);
  g_assert_cmpstr (code->color, ==, "#00ff00");

  g_assert_cmpint (cw_project_add_code (fixture->project, "Werk", "blauw", NULL, &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (cw_project_lookup_code (fixture->project, "Werk", NULL), ==, 0);

  g_assert_false (cw_project_set_code_color (fixture->project, 9999, "#000000", &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
}

static void
test_color_palette (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCode) first = NULL;
  g_autoptr(CwCode) thirteenth = NULL;
  gint64 taken;

  /* A code with the palette's first colour given explicitly: the next
   * code without a colour skips it. */
  taken = cw_project_add_code (fixture->project, "Eigen", "#4E79A7", NULL, &error);
  g_assert_no_error (error);
  g_hash_table_add (seen, g_strdup ("#4e79a7"));
  for (guint i = 0; i < 11; i++)
    {
      g_autofree char *name = g_strdup_printf ("Code %u", i);
      g_autoptr(CwCode) code = get (fixture->project, add (fixture->project, name));

      assert_color (code->color);
      /* Twelve codes, twelve different colours. */
      g_assert_false (g_hash_table_contains (seen, code->color));
      g_hash_table_add (seen, g_strdup (code->color));
    }
  /* All taken: the palette again, still a real colour. */
  thirteenth = get (fixture->project, add (fixture->project, "Code 12"));
  g_assert_true (g_hash_table_contains (seen, thirteenth->color));
  first = get (fixture->project, taken);
  g_assert_cmpstr (first->color, ==, "#4e79a7");
}

/* Names and paths */

typedef struct
{
  const char *name;
  int         error; /* -1: accepted */
} NameCase;

static const NameCase name_cases[] = {
  { "Stage", -1 },
  { "", CW_PROJECT_ERROR_INVALID },
  { "   ", CW_PROJECT_ERROR_INVALID },
  { "\t\n", CW_PROJECT_ERROR_INVALID },
  { "Stage/Mislukt", CW_PROJECT_ERROR_INVALID },
  { "/", CW_PROJECT_ERROR_INVALID },
  { "Twee\nregels", CW_PROJECT_ERROR_INVALID },
  { "Bel\a", CW_PROJECT_ERROR_INVALID },
  { "\xff\xfe", CW_PROJECT_ERROR_INVALID },
  { "  Stage  ", CW_PROJECT_ERROR_EXISTS }, /* trimmed: the same as the first */
  { "stage", -1 },                          /* names compare exactly */
  { "Überstunden & zo", -1 },
};

static void
test_names (Fixture       *fixture,
            gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (name_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 id = cw_project_create_code (fixture->project, 0, name_cases[i].name, NULL, NULL, TRUE, &error);

      if (name_cases[i].error < 0)
        {
          g_assert_no_error (error);
          g_assert_cmpint (id, >, 0);
        }
      else
        {
          g_assert_error (error, CW_PROJECT_ERROR, name_cases[i].error);
          g_assert_cmpint (id, ==, 0);
        }
    }
  assert_outline (fixture->project, "Stage|stage|Überstunden & zo");
}

static void
test_add_missing_parents (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCode) leaf = NULL;
  g_autoptr(CwCode) parent = NULL;
  gint64 id, stage, mislukt, other;

  id = cw_project_add_code (fixture->project, "Stage/Mislukte stage/Te laat", "#123", "Komt te laat op stage.", &error);
  g_assert_no_error (error);
  assert_outline (fixture->project, "Stage|Stage/Mislukte stage|Stage/Mislukte stage/Te laat");

  stage = lookup (fixture->project, "Stage");
  mislukt = lookup (fixture->project, "Stage/Mislukte stage");
  g_assert_cmpint (lookup (fixture->project, "Stage/Mislukte stage/Te laat"), ==, id);
  /* Spaces around the levels do not matter. */
  g_assert_cmpint (lookup (fixture->project, " Stage / Mislukte stage "), ==, mislukt);

  leaf = get (fixture->project, id);
  g_assert_cmpstr (leaf->name, ==, "Te laat");
  g_assert_cmpstr (leaf->path, ==, "Stage/Mislukte stage/Te laat");
  g_assert_cmpstr (leaf->color, ==, "#112233");
  g_assert_cmpstr (leaf->description, ==, "Komt te laat op stage.");
  g_assert_cmpint (leaf->parent_id, ==, mislukt);
  g_assert_cmpuint (leaf->depth, ==, 2);
  g_assert_true (leaf->codable);
  g_assert_nonnull (leaf->guid);

  /* Parents made on the way are plain codable codes with a palette colour
   * and no description. */
  parent = get (fixture->project, stage);
  g_assert_true (parent->codable);
  g_assert_null (parent->description);
  g_assert_cmpint (parent->parent_id, ==, 0);
  g_assert_cmpuint (parent->depth, ==, 0);
  assert_color (parent->color);
  g_assert_cmpstr (parent->color, !=, leaf->color);

  /* The whole path again: refused, naming the path. */
  g_assert_cmpint (cw_project_add_code (fixture->project, "Stage/Mislukte stage", NULL, NULL, &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==, "code 'Stage/Mislukte stage' already exists");
  g_clear_error (&error);

  /* A new leaf under existing parents adds one code, last among its
   * siblings. */
  other = cw_project_add_code (fixture->project, "Stage / Geslaagde stage", NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&leaf, cw_code_free);
  leaf = get (fixture->project, other);
  g_assert_cmpint (leaf->position, ==, 1);
  assert_outline (fixture->project,
                  "Stage|Stage/Mislukte stage|Stage/Mislukte stage/Te laat|Stage/Geslaagde stage");

  /* Bad paths. */
  g_assert_cmpint (cw_project_add_code (fixture->project, "Stage//Leeg", NULL, NULL, &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (cw_project_add_code (fixture->project, "", NULL, NULL, &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (cw_project_add_code (fixture->project, "Werk/", NULL, NULL, &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  /* Nothing half-made by the refused paths. */
  g_assert_cmpint (cw_project_lookup_code (fixture->project, "Werk", NULL), ==, 0);
  assert_outline (fixture->project,
                  "Stage|Stage/Mislukte stage|Stage/Mislukte stage/Te laat|Stage/Geslaagde stage");
}

static void
test_lookup (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  add (fixture->project, "Werk/Hovenier");
  g_assert_cmpint (cw_project_lookup_code (fixture->project, "Werk/Bakker", &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Werk/Bakker"));
  g_clear_error (&error);
  g_assert_cmpint (cw_project_lookup_code (fixture->project, "Hovenier", &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (cw_project_lookup_code (fixture->project, "werk/hovenier", &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (cw_project_lookup_code (fixture->project, "", &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (cw_project_get_code (fixture->project, 4242, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
}

static void
test_duplicates (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 stage, werk;

  stage = cw_project_create_code (fixture->project, 0, "Stage", NULL, NULL, TRUE, &error);
  g_assert_no_error (error);
  /* Top level: parent_id is NULL there, which UNIQUE would not catch. */
  g_assert_cmpint (cw_project_create_code (fixture->project, 0, "Stage", NULL, NULL, TRUE, &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==, "code 'Stage' already exists");
  g_clear_error (&error);

  cw_project_create_code (fixture->project, stage, "Mislukte stage", NULL, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cw_project_create_code (fixture->project, stage, "Mislukte stage", NULL, NULL, TRUE, &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==, "code 'Stage/Mislukte stage' already exists");
  g_clear_error (&error);

  /* The same name under another parent is another code. */
  werk = cw_project_create_code (fixture->project, 0, "Werk", NULL, NULL, TRUE, &error);
  g_assert_no_error (error);
  cw_project_create_code (fixture->project, werk, "Mislukte stage", NULL, NULL, TRUE, &error);
  g_assert_no_error (error);

  /* A missing parent. */
  g_assert_cmpint (cw_project_create_code (fixture->project, 777, "Wees", NULL, NULL, TRUE, &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  assert_outline (fixture->project, "Stage|Stage/Mislukte stage|Werk|Werk/Mislukte stage");
}

static void
test_rename (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 stage = add (fixture->project, "Stage/Mislukt");
  gint64 werk = add (fixture->project, "Werk");
  g_autoptr(CwCode) child = NULL;

  stage = lookup (fixture->project, "Stage");
  g_assert_true (cw_project_rename_code (fixture->project, stage, "  Stages ", &error));
  g_assert_no_error (error);
  /* Children's paths follow. */
  child = get (fixture->project, lookup (fixture->project, "Stages/Mislukt"));
  g_assert_cmpstr (child->path, ==, "Stages/Mislukt");

  g_assert_false (cw_project_rename_code (fixture->project, werk, "Stages", &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==, "code 'Stages' already exists");
  g_clear_error (&error);

  g_assert_false (cw_project_rename_code (fixture->project, werk, "Werk/Baan", &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cw_project_rename_code (fixture->project, werk, " ", &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cw_project_rename_code (fixture->project, 999, "Niets", &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Its own name again is fine (and no change). */
  g_assert_true (cw_project_rename_code (fixture->project, werk, "Werk", &error));
  g_assert_no_error (error);
  assert_outline (fixture->project, "Stages|Stages/Mislukt|Werk");
}

static void
test_description (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCode) code = NULL;
  const char *text = "Definitie: de stage is voortijdig beëindigd.\nWanneer: ...\nVoorbeeld: \"ik ben gestopt\"";
  gint64 id = add (fixture->project, "Mislukte stage");

  g_assert_true (cw_project_set_code_description (fixture->project, id, text, &error));
  g_assert_no_error (error);
  code = get (fixture->project, id);
  g_assert_cmpstr (code->description, ==, text);
  g_clear_pointer (&code, cw_code_free);

  /* Empty means none. */
  g_assert_true (cw_project_set_code_description (fixture->project, id, "  ", &error));
  g_assert_no_error (error);
  code = get (fixture->project, id);
  g_assert_null (code->description);
  g_clear_pointer (&code, cw_code_free);

  g_assert_true (cw_project_set_code_description (fixture->project, id, "Kort.", &error));
  g_assert_true (cw_project_set_code_description (fixture->project, id, NULL, &error));
  g_assert_no_error (error);
  code = get (fixture->project, id);
  g_assert_null (code->description);
}

static void
test_codable (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCode) code = NULL;
  gint64 category, child;

  category = cw_project_create_code (fixture->project, 0, "Begeleiding", NULL, NULL, FALSE, &error);
  g_assert_no_error (error);
  code = get (fixture->project, category);
  g_assert_false (code->codable);
  g_clear_pointer (&code, cw_code_free);

  /* A category cannot be applied. */
  g_assert_cmpint (cw_project_add_coding (fixture->project, fixture->doc, category, 0, 5, "Anna", NULL, &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "'Begeleiding' is a category and cannot be applied");
  g_clear_error (&error);

  /* Its children can. */
  child = add (fixture->project, "Begeleiding/Jobcoach");
  coding (fixture->project, fixture->doc, child, 0, 5, "Anna");

  /* Made codable, it can be applied; with codings it cannot become a
   * category again. */
  g_assert_true (cw_project_set_code_codable (fixture->project, category, TRUE, &error));
  g_assert_no_error (error);
  coding (fixture->project, fixture->doc, category, 0, 5, "Anna");
  g_assert_false (cw_project_set_code_codable (fixture->project, category, FALSE, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Begeleiding"));
  g_clear_error (&error);
  code = get (fixture->project, category);
  g_assert_true (code->codable);
  g_clear_pointer (&code, cw_code_free);

  /* Without codings it can. */
  g_assert_false (cw_project_set_code_codable (fixture->project, child, FALSE, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  child = add (fixture->project, "Begeleiding/Ouders");
  g_assert_true (cw_project_set_code_codable (fixture->project, child, FALSE, &error));
  g_assert_no_error (error);
  code = get (fixture->project, child);
  g_assert_false (code->codable);
}

/* Moving */

static void
test_move (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 a, b, c, a1, a2, a3, b1;

  a1 = add (fixture->project, "A/A1");
  a2 = add (fixture->project, "A/A2");
  a3 = add (fixture->project, "A/A3");
  b1 = add (fixture->project, "B/B1");
  c = add (fixture->project, "C");
  a = lookup (fixture->project, "A");
  b = lookup (fixture->project, "B");
  assert_outline (fixture->project, "A|A/A1|A/A2|A/A3|B|B/B1|C");

  /* Reorder among siblings: the position is the place in the result. */
  g_assert_true (cw_project_move_code (fixture->project, a1, a, 2, &error));
  g_assert_no_error (error);
  assert_outline (fixture->project, "A|A/A2|A/A3|A/A1|B|B/B1|C");
  g_assert_true (cw_project_move_code (fixture->project, a1, a, 0, &error));
  assert_outline (fixture->project, "A|A/A1|A/A2|A/A3|B|B/B1|C");
  g_assert_true (cw_project_move_code (fixture->project, c, 0, 0, &error));
  assert_outline (fixture->project, "C|A|A/A1|A/A2|A/A3|B|B/B1");
  /* Where it is already: nothing happens. */
  g_assert_true (cw_project_move_code (fixture->project, c, 0, 0, &error));
  g_assert_no_error (error);

  /* Re-parent: old and new siblings stay numbered without gaps. */
  g_assert_true (cw_project_move_code (fixture->project, a2, b, 0, &error));
  g_assert_no_error (error);
  assert_outline (fixture->project, "C|A|A/A1|A/A3|B|B/A2|B/B1");
  /* -1 and beyond the end: last. */
  g_assert_true (cw_project_move_code (fixture->project, a3, b, -1, &error));
  assert_outline (fixture->project, "C|A|A/A1|B|B/A2|B/B1|B/A3");
  g_assert_true (cw_project_move_code (fixture->project, b1, c, 99, &error));
  assert_outline (fixture->project, "C|C/B1|A|A/A1|B|B/A2|B/A3");
  /* Subtrees move whole; to the top level with 0. */
  g_assert_true (cw_project_move_code (fixture->project, b, c, 0, &error));
  assert_outline (fixture->project, "C|C/B|C/B/A2|C/B/A3|C/B1|A|A/A1");
  g_assert_true (cw_project_move_code (fixture->project, b, 0, 1, &error));
  g_assert_no_error (error);
  assert_outline (fixture->project, "C|C/B1|B|B/A2|B/A3|A|A/A1");

  /* Cycles refused. */
  g_assert_false (cw_project_move_code (fixture->project, b, b, 0, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cw_project_move_code (fixture->project, b, a2, 0, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "'B'"));
  g_clear_error (&error);

  /* A name clash among the new siblings refused. */
  add (fixture->project, "A/A2");
  g_assert_false (cw_project_move_code (fixture->project, a2, a, 0, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==, "code 'A/A2' already exists");
  g_clear_error (&error);

  /* Missing code or parent. */
  g_assert_false (cw_project_move_code (fixture->project, 999, 0, 0, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cw_project_move_code (fixture->project, a2, 999, 0, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  assert_outline (fixture->project, "C|C/B1|B|B/A2|B/A3|A|A/A1|A/A2");
}

/* Listing */

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  gint64 late = add (fixture->project, "Stage/Mislukt/Te laat");
  gint64 werk = add (fixture->project, "Werk");
  gint64 stage = lookup (fixture->project, "Stage");
  const CwCode *code;

  add (fixture->project, "Stage/Geslaagd");
  coding (fixture->project, fixture->doc, late, 50, 60, "Anna");
  coding (fixture->project, fixture->doc, late, 61, 70, "Anna");
  coding (fixture->project, fixture->doc2, late, 0, 5, "Bram");
  coding (fixture->project, fixture->doc, werk, 0, 5, "Anna");
  /* Created last, listed first: order is by position, not by id. */
  g_assert_true (cw_project_move_code (fixture->project, werk, 0, 0, &error));

  codes = cw_project_list_codes (fixture->project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (codes->len, ==, 5);
  code = g_ptr_array_index (codes, 0);
  g_assert_cmpstr (code->path, ==, "Werk");
  g_assert_cmpuint (code->n_codings, ==, 1);
  code = g_ptr_array_index (codes, 1);
  g_assert_cmpint (code->id, ==, stage);
  g_assert_cmpuint (code->depth, ==, 0);
  g_assert_cmpuint (code->n_codings, ==, 0);
  code = g_ptr_array_index (codes, 3);
  g_assert_cmpstr (code->path, ==, "Stage/Mislukt/Te laat");
  g_assert_cmpstr (code->name, ==, "Te laat");
  g_assert_cmpuint (code->depth, ==, 2);
  /* Only the code's own codings count. */
  g_assert_cmpuint (code->n_codings, ==, 3);
  code = g_ptr_array_index (codes, 2);
  g_assert_cmpuint (code->n_codings, ==, 0);
  code = g_ptr_array_index (codes, 4);
  g_assert_cmpstr (code->path, ==, "Stage/Geslaagd");
  g_assert_cmpint (code->position, ==, 1);

  /* get_code agrees with the list. */
  {
    g_autoptr(CwCode) one = get (fixture->project, late);
    g_autoptr(CwCode) copy = cw_code_copy (one);

    g_assert_cmpstr (copy->path, ==, "Stage/Mislukt/Te laat");
    g_assert_cmpuint (copy->n_codings, ==, 3);
    g_assert_cmpuint (copy->depth, ==, 2);
  }
}

/* Thousands of codes and 20,000 codings list in one pass. */
static void
test_list_large (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "test.codewerk", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt;
  guint total = 0;
  gint64 coder;

  coder = cw_project_ensure_coder (fixture->project, "Anna", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO codes (id, guid, parent_id, name, position, created_at)"
                                           " VALUES (?1, ?1, ?2, ?3, ?4, 'x')", -1, &stmt, NULL), ==, SQLITE_OK);
  /* 50 categories of 59 codes: 3000 codes, inserted children first in
   * reverse so the ids say nothing about the order. */
  for (int i = 3000; i >= 1; i--)
    {
      g_autofree char *name = g_strdup_printf ("c%d", i);
      int parent = (i - 1) % 60 == 0 ? 0 : i - (i - 1) % 60;

      sqlite3_bind_int (stmt, 1, i);
      if (parent > 0)
        sqlite3_bind_int (stmt, 2, parent);
      else
        sqlite3_bind_null (stmt, 2);
      sqlite3_bind_text (stmt, 3, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 4, parent > 0 ? (i - 1) % 60 - 1 : (i - 1) / 60);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO codings (guid, document_id, code_id, coder_id, start, end, created_at)"
                                           " VALUES (?1, ?2, ?3, ?4, ?5, ?5 + 1, 'x')", -1, &stmt, NULL), ==, SQLITE_OK);
  for (int i = 0; i < 20000; i++)
    {
      char guid[32];

      g_snprintf (guid, sizeof guid, "g%d", i);
      sqlite3_bind_text (stmt, 1, guid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, fixture->doc);
      sqlite3_bind_int (stmt, 3, 1 + i % 3000);
      sqlite3_bind_int64 (stmt, 4, coder);
      sqlite3_bind_int (stmt, 5, i / 3000);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  codes = cw_project_list_codes (fixture->project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (codes->len, ==, 3000);
  for (guint i = 0; i < codes->len; i++)
    {
      const CwCode *code = g_ptr_array_index (codes, i);
      g_autofree char *name = g_strdup_printf ("c%u", i + 1);

      /* Depth first by position gives back the numbering. */
      g_assert_cmpstr (code->name, ==, name);
      g_assert_cmpuint (code->depth, ==, i % 60 == 0 ? 0 : 1);
      total += code->n_codings;
    }
  g_assert_cmpuint (total, ==, 20000);
}

/* Merging */

static gint64
memo (CwProject    *project,
      CwMemoTarget  target,
      gint64        target_id,
      const char   *text)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cw_project_add_memo (project, target, target_id, NULL, text, "Anna", &error);

  g_assert_no_error (error);
  return id;
}

static void
test_merge (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codings = NULL;
  g_autoptr(GPtrArray) memos = NULL;
  g_autoptr(CwCode) target_code = NULL;
  gint64 source, target, dup_source, dup_target, other_coder, moved, shared_memo;
  gint64 s_child, t_child, s_grandchild;

  source = add (fixture->project, "Begeleiding/Jobcoach");
  target = add (fixture->project, "Begeleiding/Coach");
  s_child = add (fixture->project, "Begeleiding/Jobcoach/Belt niet");
  s_grandchild = add (fixture->project, "Begeleiding/Jobcoach/Belt niet/Nooit");
  add (fixture->project, "Begeleiding/Jobcoach/Helpt");
  t_child = add (fixture->project, "Begeleiding/Coach/Belt niet");
  add (fixture->project, "Begeleiding/Coach/Belt niet/Soms");

  /* Same document, coder and range on both: collapses. */
  dup_source = coding (fixture->project, fixture->doc, source, 10, 20, "Anna");
  dup_target = coding (fixture->project, fixture->doc, target, 10, 20, "Anna");
  /* Same range by another coder, and another range: both move. */
  other_coder = coding (fixture->project, fixture->doc, source, 10, 20, "Bram");
  moved = coding (fixture->project, fixture->doc2, source, 0, 8, "Anna");
  coding (fixture->project, fixture->doc, s_child, 30, 40, "Anna");
  coding (fixture->project, fixture->doc, t_child, 30, 40, "Anna");
  coding (fixture->project, fixture->doc, s_grandchild, 41, 45, "Anna");

  shared_memo = memo (fixture->project, CW_MEMO_CODING, dup_source, "memo op de dubbele");
  memo (fixture->project, CW_MEMO_CODE, source, "over jobcoaches");
  memo (fixture->project, CW_MEMO_CODE, s_child, "over bellen");

  g_assert_true (cw_project_merge_codes (fixture->project, source, target, &error));
  g_assert_no_error (error);

  /* Same-named children merged, the rest moved, the source gone. */
  assert_outline (fixture->project,
                  "Begeleiding|Begeleiding/Coach|Begeleiding/Coach/Belt niet|Begeleiding/Coach/Belt niet/Soms"
                  "|Begeleiding/Coach/Belt niet/Nooit|Begeleiding/Coach/Helpt");
  g_assert_null (cw_project_get_code (fixture->project, source, NULL));
  g_assert_null (cw_project_get_code (fixture->project, s_child, NULL));

  target_code = get (fixture->project, target);
  g_assert_cmpuint (target_code->n_codings, ==, 3);
  g_clear_pointer (&target_code, cw_code_free);
  target_code = get (fixture->project, t_child);
  /* Belt niet 30-40 by Anna on both sides: one. */
  g_assert_cmpuint (target_code->n_codings, ==, 1);

  g_assert_null (cw_project_get_coding (fixture->project, dup_source, NULL));
  {
    g_autoptr(CwCoding) kept = cw_project_get_coding (fixture->project, dup_target, &error);
    g_autoptr(CwCoding) other = cw_project_get_coding (fixture->project, other_coder, &error);
    g_autoptr(CwCoding) elsewhere = cw_project_get_coding (fixture->project, moved, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (kept->memo, ==, "memo op de dubbele");
    g_assert_cmpint (other->code_id, ==, target);
    g_assert_cmpstr (other->code, ==, "Begeleiding/Coach");
    g_assert_cmpint (elsewhere->code_id, ==, target);
  }

  /* Memos moved: the duplicate's to the surviving coding, the code's to
   * the target code. */
  memos = cw_project_list_memos (fixture->project, CW_MEMO_CODING, dup_target, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (memos->len, ==, 1);
  g_assert_cmpint (((CwMemo *) g_ptr_array_index (memos, 0))->id, ==, shared_memo);
  g_clear_pointer (&memos, g_ptr_array_unref);
  memos = cw_project_list_memos (fixture->project, CW_MEMO_CODE, target, &error);
  g_assert_cmpuint (memos->len, ==, 1);
  g_assert_cmpstr (((CwMemo *) g_ptr_array_index (memos, 0))->text, ==, "over jobcoaches");
  g_clear_pointer (&memos, g_ptr_array_unref);
  memos = cw_project_list_memos (fixture->project, CW_MEMO_CODE, t_child, &error);
  g_assert_cmpuint (memos->len, ==, 1);
  g_assert_cmpstr (((CwMemo *) g_ptr_array_index (memos, 0))->text, ==, "over bellen");

  codings = cw_project_list_document_codings (fixture->project, fixture->doc, &error);
  g_assert_no_error (error);
  /* 10-20 Anna, 10-20 Bram, 30-40 Anna (Belt niet), 41-45 (Nooit). */
  g_assert_cmpuint (codings->len, ==, 4);
}

static void
test_merge_refused (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 parent = add (fixture->project, "Werk/Hovenier/Groen");
  gint64 child = lookup (fixture->project, "Werk/Hovenier");
  gint64 category;

  parent = lookup (fixture->project, "Werk");
  g_assert_false (cw_project_merge_codes (fixture->project, parent, parent, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cw_project_merge_codes (fixture->project, parent, child, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "cannot merge code 'Werk' into its own sub-code 'Werk/Hovenier'");
  g_clear_error (&error);
  g_assert_false (cw_project_merge_codes (fixture->project, parent, 999, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Codings cannot land on a category; nothing is half done. */
  category = cw_project_create_code (fixture->project, 0, "Categorie", NULL, NULL, FALSE, &error);
  g_assert_no_error (error);
  coding (fixture->project, fixture->doc, child, 0, 4, "Anna");
  before = outline (fixture->project);
  g_assert_false (cw_project_merge_codes (fixture->project, child, category, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "'Categorie' is a category"));
  g_clear_error (&error);
  after = outline (fixture->project);
  g_assert_cmpstr (before, ==, after);
}

static void
test_merge_child_into_parent (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCode) code = NULL;
  gint64 child = add (fixture->project, "Werk/Werk/Werk");
  gint64 middle = lookup (fixture->project, "Werk/Werk");
  gint64 top = lookup (fixture->project, "Werk");

  add (fixture->project, "Werk/Ander");
  coding (fixture->project, fixture->doc, child, 0, 4, "Anna");
  coding (fixture->project, fixture->doc, middle, 0, 4, "Anna");
  coding (fixture->project, fixture->doc, middle, 5, 9, "Anna");

  /* Werk/Werk into Werk: its child Werk/Werk/Werk has the name of
   * the source itself, which is a child of the target. */
  g_assert_true (cw_project_merge_codes (fixture->project, middle, top, &error));
  g_assert_no_error (error);
  assert_outline (fixture->project, "Werk|Werk/Ander");
  code = get (fixture->project, top);
  /* 0-4 three times collapses to one, 5-9 stays: nothing lost. */
  g_assert_cmpuint (code->n_codings, ==, 2);
}

/* Deleting */

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "test.codewerk", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) coders = NULL;
  sqlite3 *db;
  gint64 leaf = add (fixture->project, "A/B/C");
  gint64 b = lookup (fixture->project, "A/B");
  gint64 keep = add (fixture->project, "A/D");
  gint64 c1;

  add (fixture->project, "A/E");
  c1 = coding (fixture->project, fixture->doc, leaf, 0, 4, "Anna");
  coding (fixture->project, fixture->doc, b, 0, 4, "Anna");
  coding (fixture->project, fixture->doc, keep, 0, 4, "Bram");
  memo (fixture->project, CW_MEMO_CODING, c1, "weg");
  memo (fixture->project, CW_MEMO_CODE, leaf, "ook weg");
  memo (fixture->project, CW_MEMO_CODE, keep, "blijft");

  g_assert_true (cw_project_delete_code (fixture->project, b, &error));
  g_assert_no_error (error);
  assert_outline (fixture->project, "A|A/D|A/E");
  g_assert_null (cw_project_get_code (fixture->project, leaf, NULL));

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM codings"), ==, 1);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM memos"), ==, 1);
  g_assert_cmpstr (cw_test_sql_text (db, "SELECT text FROM memos"), ==, "blijft");
  sqlite3_close (db);
  /* Coders stay: they did other work, and their names are history. */
  coders = cw_project_list_coders (fixture->project, &error);
  g_assert_cmpuint (g_strv_length (coders), ==, 2);

  g_assert_false (cw_project_delete_code (fixture->project, b, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
}

/* Undo and redo (cw-history.c): every edit is one step. */

typedef struct
{
  gint64 doc;
  gint64 doc2;
  gint64 stage;     /* Stage */
  gint64 mislukt;   /* Stage/Mislukt */
  gint64 geslaagd;  /* Stage/Geslaagd */
  gint64 werk;      /* Werk, with codings */
  gint64 category;  /* Begeleiding, a category */
  gint64 coding;    /* Mislukt 10-20 by Anna, with a memo */
  gint64 memo;      /* on coding */
  gint64 group;     /* "School A" with doc */
} UndoState;

typedef void (*UndoEdit) (CwProject *project, UndoState *state);

static void
edit_add_code (CwProject *project, UndoState *s)
{
  g_assert_cmpint (cw_project_add_code (project, "Nieuw/Onder/Blad", "#abc", "Uitleg", NULL), >, 0);
}

static void
edit_create_code (CwProject *project, UndoState *s)
{
  g_assert_cmpint (cw_project_create_code (project, s->stage, "Afgebroken", NULL, NULL, FALSE, NULL), >, 0);
}

static void
edit_rename (CwProject *project, UndoState *s)
{
  g_assert_true (cw_project_rename_code (project, s->stage, "Stages", NULL));
}

static void
edit_color (CwProject *project, UndoState *s)
{
  g_assert_true (cw_project_set_code_color (project, s->werk, "#010203", NULL));
}

static void
edit_description (CwProject *project, UndoState *s)
{
  g_assert_true (cw_project_set_code_description (project, s->werk, "Betaald werk.", NULL));
}

static void
edit_codable (CwProject *project, UndoState *s)
{
  g_assert_true (cw_project_set_code_codable (project, s->category, TRUE, NULL));
}

static void
edit_move (CwProject *project, UndoState *s)
{
  g_assert_true (cw_project_move_code (project, s->mislukt, s->werk, 0, NULL));
}

static void
edit_reorder (CwProject *project, UndoState *s)
{
  g_assert_true (cw_project_move_code (project, s->geslaagd, s->stage, 0, NULL));
}

static void
edit_merge (CwProject *project, UndoState *s)
{
  g_assert_true (cw_project_merge_codes (project, s->mislukt, s->werk, NULL));
}

static void
edit_delete (CwProject *project, UndoState *s)
{
  g_assert_true (cw_project_delete_code (project, s->stage, NULL));
}

static void
edit_add_coding (CwProject *project, UndoState *s)
{
  g_assert_cmpint (cw_project_add_coding (project, s->doc, s->geslaagd, 3, 9, "Nieuwe codeur", "waarom", NULL), >, 0);
}

static void
edit_remove_coding (CwProject *project, UndoState *s)
{
  g_assert_true (cw_project_remove_coding (project, s->coding, NULL));
}

static void
edit_add_memo (CwProject *project, UndoState *s)
{
  g_assert_cmpint (cw_project_add_memo (project, CW_MEMO_DOCUMENT, s->doc, "Titel", "Tekst", "Anna", NULL), >, 0);
}

static void
edit_update_memo (CwProject *project, UndoState *s)
{
  g_assert_true (cw_project_update_memo (project, s->memo, "Nieuwe titel", "Nieuwe tekst", NULL));
}

static void
edit_delete_memo (CwProject *project, UndoState *s)
{
  g_assert_true (cw_project_delete_memo (project, s->memo, NULL));
}

static void
edit_add_group (CwProject *project, UndoState *s)
{
  g_assert_cmpint (cw_project_add_group (project, "Regio Noord", NULL), >, 0);
}

static void
edit_rename_group (CwProject *project, UndoState *s)
{
  g_assert_true (cw_project_rename_group (project, s->group, "School B", NULL));
}

static void
edit_delete_group (CwProject *project, UndoState *s)
{
  g_assert_true (cw_project_delete_group (project, s->group, NULL));
}

static void
edit_group_add (CwProject *project, UndoState *s)
{
  g_assert_true (cw_project_group_add_document (project, s->group, s->doc2, NULL));
}

static void
edit_group_remove (CwProject *project, UndoState *s)
{
  g_assert_true (cw_project_group_remove_document (project, s->group, s->doc, NULL));
}

typedef struct
{
  const char *name;
  UndoEdit    edit;
} UndoCase;

static const UndoCase undo_cases[] = {
  { "add-code", edit_add_code },
  { "create-code", edit_create_code },
  { "rename-code", edit_rename },
  { "recolour-code", edit_color },
  { "describe-code", edit_description },
  { "codable", edit_codable },
  { "move-code", edit_move },
  { "reorder-code", edit_reorder },
  { "merge-codes", edit_merge },
  { "delete-code", edit_delete },
  { "add-coding", edit_add_coding },
  { "remove-coding", edit_remove_coding },
  { "add-memo", edit_add_memo },
  { "update-memo", edit_update_memo },
  { "delete-memo", edit_delete_memo },
  { "add-group", edit_add_group },
  { "rename-group", edit_rename_group },
  { "delete-group", edit_delete_group },
  { "group-add-document", edit_group_add },
  { "group-remove-document", edit_group_remove },
};

/* The undoable data: without the history's own tables, and without coders,
 * which (like documents) are not part of the history: a coder made by an
 * edit stays after its undo. */
static char *
dump_data (const char *path)
{
  static const char * const tables[] = {
    "codes", "codings", "memos", "document_groups", "document_group_members",
  };
  GString *out = g_string_new (NULL);
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1, 2", tables[i]);
      sqlite3_stmt *stmt;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_string_append_printf (out, "%s:", tables[i]);
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

static void
count_changed (guint *changed)
{
  (*changed)++;
}

static void
test_undo (Fixture       *fixture,
           gconstpointer  data)
{
  const UndoCase *c = data;
  g_autofree char *path = g_build_filename (fixture->dir, "test.codewerk", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *redone = NULL;
  g_autofree char *label = NULL;
  UndoState s = { 0 };
  guint changed = 0;
  gulong handler;

  s.doc = fixture->doc;
  s.doc2 = fixture->doc2;
  s.mislukt = add (fixture->project, "Stage/Mislukt");
  s.geslaagd = add (fixture->project, "Stage/Geslaagd");
  s.stage = lookup (fixture->project, "Stage");
  s.werk = add (fixture->project, "Werk");
  s.category = cw_project_create_code (fixture->project, 0, "Begeleiding", NULL, NULL, FALSE, &error);
  g_assert_no_error (error);
  add (fixture->project, "Begeleiding/Jobcoach");
  s.coding = cw_project_add_coding (fixture->project, fixture->doc, s.mislukt, 10, 20, "Anna", "eerste memo", &error);
  g_assert_no_error (error);
  coding (fixture->project, fixture->doc, s.werk, 10, 20, "Anna");
  coding (fixture->project, fixture->doc, s.werk, 15, 30, "Bram");
  coding (fixture->project, fixture->doc2, s.mislukt, 0, 6, "Bram");
  {
    g_autoptr(GPtrArray) memos = cw_project_list_memos (fixture->project, CW_MEMO_CODING, s.coding, &error);

    g_assert_cmpuint (memos->len, ==, 1);
    s.memo = ((CwMemo *) g_ptr_array_index (memos, 0))->id;
  }
  s.group = cw_project_add_group (fixture->project, "School A", &error);
  g_assert_no_error (error);
  g_assert_true (cw_project_group_add_document (fixture->project, s.group, s.doc, &error));

  before = dump_data (path);
  handler = g_signal_connect_swapped (fixture->project, "changed", G_CALLBACK (count_changed), &changed);
  c->edit (fixture->project, &s);
  after = dump_data (path);
  g_assert_cmpstr (before, !=, after);
  /* One edit, one commit, one signal. */
  g_assert_cmpuint (changed, ==, 1);

  g_assert_true (cw_project_can_undo (fixture->project));
  label = cw_project_get_undo_label (fixture->project);
  g_assert_nonnull (label);
  g_assert_cmpstr (label, !=, "");

  g_assert_true (cw_project_undo (fixture->project, &error));
  g_assert_no_error (error);
  undone = dump_data (path);
  g_assert_cmpstr (undone, ==, before);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_true (cw_project_can_redo (fixture->project));

  g_assert_true (cw_project_redo (fixture->project, &error));
  g_assert_no_error (error);
  redone = dump_data (path);
  g_assert_cmpstr (redone, ==, after);
  g_assert_cmpuint (changed, ==, 3);
  g_signal_handler_disconnect (fixture->project, handler);
}

/* An edit that changes nothing leaves no step behind. */
static void
test_undo_no_empty_steps (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  gint64 werk = add (fixture->project, "Werk");
  gint64 id = coding (fixture->project, fixture->doc, werk, 0, 5, "Anna");

  label = cw_project_get_undo_label (fixture->project);
  g_assert_cmpint (cw_project_add_coding (fixture->project, fixture->doc, werk, 0, 5, "Anna", NULL, &error), ==, id);
  g_assert_true (cw_project_rename_code (fixture->project, werk, "Werk", &error));
  g_assert_true (cw_project_move_code (fixture->project, werk, 0, 0, &error));
  g_assert_no_error (error);
  /* The coding is still the last step: one undo removes it. */
  g_assert_true (cw_project_undo (fixture->project, &error));
  g_assert_no_error (error);
  g_assert_null (cw_project_get_coding (fixture->project, id, NULL));
  {
    g_autoptr(CwCode) code = get (fixture->project, werk);

    g_assert_cmpstr (code->name, ==, "Werk");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/codebook/color/normalize", test_color_normalize);
  g_test_add ("/codebook/color/edit", Fixture, NULL, fixture_set_up, test_color_edit, fixture_tear_down);
  g_test_add ("/codebook/color/palette", Fixture, NULL, fixture_set_up, test_color_palette, fixture_tear_down);
  g_test_add ("/codebook/names", Fixture, NULL, fixture_set_up, test_names, fixture_tear_down);
  g_test_add ("/codebook/add/missing-parents", Fixture, NULL, fixture_set_up, test_add_missing_parents, fixture_tear_down);
  g_test_add ("/codebook/lookup", Fixture, NULL, fixture_set_up, test_lookup, fixture_tear_down);
  g_test_add ("/codebook/duplicates", Fixture, NULL, fixture_set_up, test_duplicates, fixture_tear_down);
  g_test_add ("/codebook/rename", Fixture, NULL, fixture_set_up, test_rename, fixture_tear_down);
  g_test_add ("/codebook/description", Fixture, NULL, fixture_set_up, test_description, fixture_tear_down);
  g_test_add ("/codebook/codable", Fixture, NULL, fixture_set_up, test_codable, fixture_tear_down);
  g_test_add ("/codebook/move", Fixture, NULL, fixture_set_up, test_move, fixture_tear_down);
  g_test_add ("/codebook/list", Fixture, NULL, fixture_set_up, test_list, fixture_tear_down);
  g_test_add ("/codebook/list/large", Fixture, NULL, fixture_set_up, test_list_large, fixture_tear_down);
  g_test_add ("/codebook/merge", Fixture, NULL, fixture_set_up, test_merge, fixture_tear_down);
  g_test_add ("/codebook/merge/refused", Fixture, NULL, fixture_set_up, test_merge_refused, fixture_tear_down);
  g_test_add ("/codebook/merge/child-into-parent", Fixture, NULL, fixture_set_up, test_merge_child_into_parent, fixture_tear_down);
  g_test_add ("/codebook/delete", Fixture, NULL, fixture_set_up, test_delete, fixture_tear_down);

  for (guint i = 0; i < G_N_ELEMENTS (undo_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/codebook/undo/%s", undo_cases[i].name);

      g_test_add (name, Fixture, &undo_cases[i], fixture_set_up, test_undo, fixture_tear_down);
    }
  g_test_add ("/codebook/undo/no-empty-steps", Fixture, NULL, fixture_set_up, test_undo_no_empty_steps, fixture_tear_down);

  return g_test_run ();
}
