/* REFI-QDA export: .qdc and .qdpx as other QDA programs will read them.
 * Both files are validated against the REFI schemas (CODEWERK_REFI_XSD_DIR),
 * then read back with libxml2 to check what a user would see there: the
 * tree, the merged selections, the coders, memos, cases and groups. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-project-private.h"
#include "cw-refi.h"
#include "cw-test-util.h"
#include "cw-zip.h"

#define NS_PROJECT  "urn:QDA-XML:project:1.0"
#define NS_CODEBOOK "urn:QDA-XML:codebook:1.0"

/* Text with an emoji (outside the BMP), diacritics and several lines. */
static const char interview[] =
  "Interviewer: Hoe ging de stage bij de bakkerij?\n"
  "Deelnemer: Goed hoor 😀, de jobcoach kwam elke week.\n"
  "Interviewer: En nu?\n"
  "Deelnemer: Ik werk er nu drie dagen, met een vaste collega.\n";

static const char second[] =
  "Interviewer: Wat vond je van school?\n"
  "Deelnemer: Niet zo leuk, maar de mentor hielp wel.\n";

typedef struct
{
  char      *dir;
  CwProject *project;
  gint64     doc;
  gint64     doc2;
  gint64     category;
  gint64     jobcoach;
  gint64     collega;
  gint64     coding_a;   /* Anouk, jobcoach, on the shared range */
  gint64     coding_b;   /* Bram, collega, on the same range */
  gint64     coding_c;   /* Anouk, elsewhere */
} Fixture;

static char *
xsd_path (const char *name)
{
  const char *dir = g_getenv ("CODEWERK_REFI_XSD_DIR");

  g_assert_nonnull (dir);
  return g_build_filename (dir, name, NULL);
}

static void
schema_error (void        *data,
              xmlErrorPtr  error)
{
  g_string_append_printf (data, "line %d: %s", error->line, error->message);
}

/* Validates the document against the schema; fails the test with the
 * validator's messages. */
static void
assert_valid (xmlDocPtr   doc,
              const char *xsd_name)
{
  g_autofree char *path = xsd_path (xsd_name);
  xmlSchemaParserCtxtPtr parser = xmlSchemaNewParserCtxt (path);
  xmlSchemaPtr schema = xmlSchemaParse (parser);
  xmlSchemaValidCtxtPtr valid;
  g_autoptr(GString) messages = g_string_new (NULL);
  int rc;

  g_assert_nonnull (schema);
  valid = xmlSchemaNewValidCtxt (schema);
  xmlSchemaSetValidStructuredErrors (valid, schema_error, messages);
  rc = xmlSchemaValidateDoc (valid, doc);
  if (rc != 0)
    g_error ("not valid against %s (%d): %s", xsd_name, rc, messages->str);
  xmlSchemaFreeValidCtxt (valid);
  xmlSchemaFree (schema);
  xmlSchemaFreeParserCtxt (parser);
}

static xmlDocPtr
parse (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  xmlDocPtr doc = xmlReadMemory (data, (int) len, "export.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);

  g_assert_nonnull (doc);
  return doc;
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static GBytes *
zip_entry (GBytes     *zip,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = cw_zip_read_entry (zip, name, 64 * 1024 * 1024, "export.qdpx", &error);

  g_assert_no_error (error);
  return bytes;
}

/* Element helpers: children in the REFI namespace, by local name. */

static gboolean
is (xmlNodePtr  node,
    const char *name)
{
  return node->type == XML_ELEMENT_NODE && strcmp ((const char *) node->name, name) == 0 && node->ns != NULL &&
         strcmp ((const char *) node->ns->href, NS_PROJECT) == 0;
}

static xmlNodePtr
child (xmlNodePtr  node,
       const char *name)
{
  for (xmlNodePtr c = node->children; c != NULL; c = c->next)
    if (is (c, name))
      return c;
  return NULL;
}

static guint
count_children (xmlNodePtr  node,
                const char *name)
{
  guint n = 0;

  for (xmlNodePtr c = node->children; c != NULL; c = c->next)
    n += is (c, name);
  return n;
}

/* An attribute as a g_free()able string (NULL when absent). */
static char *
prop (xmlNodePtr  node,
      const char *name)
{
  xmlChar *value = xmlGetProp (node, BAD_CAST name);
  char *copy = g_strdup ((const char *) value);

  xmlFree (value);
  return copy;
}

static char *
content (xmlNodePtr node)
{
  xmlChar *value = xmlNodeGetContent (node);
  char *copy = g_strdup ((const char *) value);

  xmlFree (value);
  return copy;
}

/* The element whose attribute attr is value, anywhere below node. */
static xmlNodePtr
find (xmlNodePtr  node,
      const char *name,
      const char *attr_name,
      const char *value)
{
  for (xmlNodePtr c = node->children; c != NULL; c = c->next)
    {
      xmlNodePtr hit;

      if (c->type != XML_ELEMENT_NODE)
        continue;
      if (strcmp ((const char *) c->name, name) == 0)
        {
          g_autofree char *v = prop (c, attr_name);

          if (g_strcmp0 (v, value) == 0)
            return c;
        }
      if ((hit = find (c, name, attr_name, value)) != NULL)
        return hit;
    }
  return NULL;
}

static char *
upper (const char *guid)
{
  return g_ascii_strup (guid, -1);
}

static const char *
sql_text (CwProject  *project,
          const char *sql)
{
  return cw_test_sql_text (_cw_project_get_db (project), sql);
}

static void
exec (CwProject  *project,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  _cw_project_exec (project, sql, &error);
  g_assert_no_error (error);
}

static char *
guid_of (CwProject  *project,
         const char *table,
         gint64      id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT guid FROM %s WHERE id = %" G_GINT64_FORMAT, table, id);

  return upper (sql_text (project, sql));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  gint64 group, memo, whole;

  f->dir = cw_test_make_dir ();
  f->project = cw_test_new_project (f->dir);
  g_ptr_array_add (files, cw_test_write_file (f->dir, "bakkerij.txt", interview));
  g_ptr_array_add (files, cw_test_write_file (f->dir, "school.txt", second));
  ids = cw_project_import (f->project, files, CW_DOCUMENT_KIND_INTERVIEW, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  f->doc = g_array_index (ids, gint64, 0);
  f->doc2 = g_array_index (ids, gint64, 1);

  /* A category (not codable) with a colour in #RGB form, two codes below. */
  f->category = cw_project_create_code (f->project, 0, "Begeleiding", "#36a", "Wie begeleidt:\nschool & werk", FALSE,
                                        &error);
  g_assert_no_error (error);
  f->jobcoach = cw_project_create_code (f->project, f->category, "Jobcoach", "#4F7FBF",
                                        "Een <jobcoach> van \"buiten\"", TRUE, &error);
  g_assert_no_error (error);
  f->collega = cw_project_create_code (f->project, f->category, "Vaste collega", "#204a87", NULL, TRUE, &error);
  g_assert_no_error (error);
  whole = cw_project_add_code (f->project, "Uitkomst één", "#cc0000", NULL, &error);
  g_assert_no_error (error);

  /* Two coders on the same range with different codes, one more range. */
  f->coding_a = cw_project_add_coding (f->project, f->doc, f->jobcoach, 72, 98, "Anouk", "Wekelijks!", &error);
  g_assert_no_error (error);
  f->coding_b = cw_project_add_coding (f->project, f->doc, f->collega, 72, 98, "Bram", NULL, &error);
  g_assert_no_error (error);
  f->coding_c = cw_project_add_coding (f->project, f->doc, f->collega, 131, 178, "Anouk", NULL, &error);
  g_assert_no_error (error);
  cw_project_add_coding (f->project, f->doc2, whole, 48, 86, "Bram", NULL, &error);
  g_assert_no_error (error);

  /* Memos on every target. */
  cw_project_add_memo (f->project, CW_MEMO_PROJECT, 0, "Opzet", "Twee coders.", "Anouk", &error);
  g_assert_no_error (error);
  cw_project_add_memo (f->project, CW_MEMO_DOCUMENT, f->doc, "Bakkerij", "Opname was slecht.", "Bram", &error);
  g_assert_no_error (error);
  memo = cw_project_add_memo (f->project, CW_MEMO_CODE, f->jobcoach, "Grens", "Niet de mentor.", "Anouk", &error);
  g_assert_no_error (error);
  /* Something for the escaping: & < " and a newline in an attribute. */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE memos SET title = 'Let op: a & b < c \"d\"' || char(10) || 'tweede regel'"
                                            " WHERE id = %" G_GINT64_FORMAT, memo);
    exec (f->project, sql);
  }

  group = cw_project_add_group (f->project, "School & \"werk\"", &error);
  g_assert_no_error (error);
  cw_project_group_add_document (f->project, group, f->doc, &error);
  g_assert_no_error (error);
  cw_project_group_add_document (f->project, group, f->doc2, &error);
  g_assert_no_error (error);

  /* Cases and variables have no API yet: SQL as the cohort import will
   * store them. */
  exec (f->project,
        "INSERT INTO variables (id, guid, name, label, type, position) VALUES"
        " (1, 'a1b2c3d4-0000-4000-8000-000000000001', 'leeftijd', 'Leeftijd in jaren', 'numeric', 0),"
        " (2, 'a1b2c3d4-0000-4000-8000-000000000002', 'iq', NULL, 'numeric', 1),"
        " (3, 'a1b2c3d4-0000-4000-8000-000000000003', 'uitkomst', NULL, 'text', 2),"
        " (4, 'a1b2c3d4-0000-4000-8000-000000000004', 'start', NULL, 'date', 3),"
        " (5, 'a1b2c3d4-0000-4000-8000-000000000005', 'bedrag', NULL, 'numeric', 4);"
        "INSERT INTO cases (id, guid, identifier) VALUES"
        " (1, 'b1b2c3d4-0000-4000-8000-000000000001', 'D-017'),"
        " (2, 'b1b2c3d4-0000-4000-8000-000000000002', 'D-018');"
        "INSERT INTO case_values (case_id, variable_id, number, text) VALUES"
        " (1, 1, 19, NULL), (1, 2, 72.5, NULL), (1, 3, NULL, 'baan & behouden'), (1, 4, NULL, '2016-09-01'),"
        " (1, 5, 1e21, NULL), (2, 1, 20, NULL), (2, 2, NULL, NULL), (2, 5, 0.00000015, NULL);");
  {
    g_autofree char *sql = g_strdup_printf (
      "INSERT INTO case_links (case_id, document_id, speaker_id) VALUES (1, %" G_GINT64_FORMAT ", NULL),"
      " (2, %" G_GINT64_FORMAT ", (SELECT id FROM speakers WHERE document_id = %" G_GINT64_FORMAT
      " AND name = 'Deelnemer'))",
      f->doc, f->doc2, f->doc2);
    exec (f->project, sql);
  }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->project);
  cw_test_remove_dir (f->dir);
  g_free (f->dir);
}

static GBytes *
export_project (Fixture    *f,
                const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (cw_refi_export_project (f->project, path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return read_file (path);
}

static void
test_project_valid (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) zip = export_project (f, "export.qdpx");
  g_autoptr(GBytes) qde = zip_entry (zip, "project.qde");
  const char *text = g_bytes_get_data (qde, NULL);
  xmlDocPtr doc;
  xmlNodePtr root;

  /* The declaration exactly, no BOM. */
  g_assert_true (g_str_has_prefix (text, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project "));
  doc = parse (qde);
  assert_valid (doc, "Project.xsd");
  root = xmlDocGetRootElement (doc);
  g_assert_true (is (root, "Project"));
  {
    g_autofree char *name = prop (root, "name");
    g_autofree char *origin = prop (root, "origin");
    g_autofree char *created = prop (root, "creationDateTime");

    g_assert_cmpstr (name, ==, "Test");
    g_assert_cmpstr (origin, ==, "Codewerk " PACKAGE_VERSION);
    g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", created, 0, 0));
  }
  /* The sequence order of Project.xsd, every container present. */
  {
    /* One project memo: one NoteRef at the end. */
    static const char *order[] = { "Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Sets", "NoteRef" };
    guint i = 0;

    for (xmlNodePtr c = root->children; c != NULL; c = c->next)
      if (c->type == XML_ELEMENT_NODE)
        {
          g_assert_cmpuint (i, <, G_N_ELEMENTS (order));
          g_assert_cmpstr ((const char *) c->name, ==, order[i++]);
        }
    g_assert_cmpuint (i, ==, G_N_ELEMENTS (order));
  }
  g_assert_cmpuint (count_children (child (root, "Users"), "User"), ==, 2);
  xmlFreeDoc (doc);
}

static void
test_codebook_qdc (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "codes.qdc", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *category_guid = guid_of (f->project, "codes", f->category);
  g_autofree char *jobcoach_guid = guid_of (f->project, "codes", f->jobcoach);
  xmlDocPtr doc;
  xmlNodePtr root, codes, category, jobcoach, description;

  g_assert_true (cw_refi_export_codebook (f->project, path, &error));
  g_assert_no_error (error);
  bytes = read_file (path);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (bytes, NULL),
                                   "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CodeBook "));
  doc = parse (bytes);
  assert_valid (doc, "Codebook.xsd");
  root = xmlDocGetRootElement (doc);
  g_assert_cmpstr ((const char *) root->ns->href, ==, NS_CODEBOOK);
  codes = root->children;
  g_assert_cmpstr ((const char *) codes->name, ==, "Codes");
  /* No code groups: no Sets. */
  g_assert_null (codes->next);

  category = find (root, "Code", "guid", category_guid);
  g_assert_nonnull (category);
  g_assert_true (category->parent == codes);
  {
    g_autofree char *name = prop (category, "name");
    g_autofree char *codable = prop (category, "isCodable");
    g_autofree char *color = prop (category, "color");

    g_assert_cmpstr (name, ==, "Begeleiding");
    g_assert_cmpstr (codable, ==, "false");
    g_assert_cmpstr (color, ==, "#3366AA"); /* #RGB widened */
  }
  description = category->children;
  g_assert_cmpstr ((const char *) description->name, ==, "Description");
  {
    g_autofree char *text = content (description);

    g_assert_cmpstr (text, ==, "Wie begeleidt:\nschool & werk");
  }
  jobcoach = find (root, "Code", "guid", jobcoach_guid);
  g_assert_true (jobcoach->parent == category);
  {
    g_autofree char *codable = prop (jobcoach, "isCodable");
    g_autofree char *text = content (jobcoach->children);

    g_assert_cmpstr (codable, ==, "true");
    g_assert_cmpstr (text, ==, "Een <jobcoach> van \"buiten\"");
  }
  /* Siblings in codebook order, the colourless-description code too. */
  g_assert_cmpstr ((const char *) jobcoach->next->name, ==, "Code");
  {
    g_autofree char *name = prop (jobcoach->next, "name");

    g_assert_cmpstr (name, ==, "Vaste collega");
    g_assert_null (jobcoach->next->children);
  }
  xmlFreeDoc (doc);
}

static void
test_empty_codebook (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autofree char *path = g_build_filename (dir, "codes.qdc", NULL);
  g_autoptr(GError) error = NULL;

  /* Codebook.xsd wants a Code: an empty codebook is refused, not written
   * invalid. */
  g_assert_false (cw_refi_export_codebook (project, path, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* An empty project exports to a valid, nearly empty project.qde. */
  g_free (path);
  path = g_build_filename (dir, "empty.qdpx", NULL);
  g_assert_true (cw_refi_export_project (project, path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) zip = read_file (path);
    g_autoptr(GBytes) qde = zip_entry (zip, "project.qde");
    xmlDocPtr doc = parse (qde);

    assert_valid (doc, "Project.xsd");
    g_assert_null (xmlDocGetRootElement (doc)->children);
    xmlFreeDoc (doc);
  }
  g_clear_object (&project);
  cw_test_remove_dir (dir);
}

static void
test_selections (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GBytes) zip = export_project (f, "export.qdpx");
  g_autoptr(GBytes) qde = zip_entry (zip, "project.qde");
  xmlDocPtr doc = parse (qde);
  xmlNodePtr root = xmlDocGetRootElement (doc);
  g_autofree char *doc_guid = guid_of (f->project, "documents", f->doc);
  g_autofree char *a_guid = guid_of (f->project, "codings", f->coding_a);
  g_autofree char *b_guid = guid_of (f->project, "codings", f->coding_b);
  g_autofree char *c_guid = guid_of (f->project, "codings", f->coding_c);
  g_autofree char *jobcoach_guid = guid_of (f->project, "codes", f->jobcoach);
  g_autofree char *collega_guid = guid_of (f->project, "codes", f->collega);
  g_autofree char *anouk = upper (sql_text (f->project, "SELECT guid FROM coders WHERE name = 'Anouk'"));
  g_autofree char *bram = upper (sql_text (f->project, "SELECT guid FROM coders WHERE name = 'Bram'"));
  xmlNodePtr source = find (root, "TextSource", "guid", doc_guid);
  xmlNodePtr coding_a = find (source, "Coding", "guid", a_guid);
  xmlNodePtr coding_b = find (source, "Coding", "guid", b_guid);
  xmlNodePtr coding_c = find (source, "Coding", "guid", c_guid);
  xmlNodePtr selection = coding_a->parent;

  g_assert_nonnull (source);
  {
    g_autofree char *name = prop (source, "name");
    g_autofree char *path = prop (source, "plainTextPath");
    g_autofree char *expected = g_strdup_printf ("internal://%s.txt", doc_guid);
    g_autofree char *created = prop (source, "creationDateTime");

    g_assert_cmpstr (name, ==, "bakkerij.txt");
    g_assert_cmpstr (path, ==, expected);
    g_assert_nonnull (created);
  }
  /* Two codings of one range: one selection holding both. */
  g_assert_cmpuint (count_children (source, "PlainTextSelection"), ==, 2);
  g_assert_true (is (selection, "PlainTextSelection"));
  g_assert_true (coding_b->parent == selection);
  g_assert_true (coding_c->parent != selection);
  g_assert_cmpuint (count_children (selection, "Coding"), ==, 2);
  {
    g_autofree char *start = prop (selection, "startPosition");
    g_autofree char *end = prop (selection, "endPosition");
    g_autofree char *guid = prop (selection, "guid");
    g_autofree char *user = prop (selection, "creatingUser");
    g_autofree char *user_a = prop (coding_a, "creatingUser");
    g_autofree char *user_b = prop (coding_b, "creatingUser");
    g_autofree char *code_a = prop (child (coding_a, "CodeRef"), "targetGUID");
    g_autofree char *code_b = prop (child (coding_b, "CodeRef"), "targetGUID");
    g_autofree char *created = prop (coding_a, "creationDateTime");

    g_assert_cmpstr (start, ==, "72");
    g_assert_cmpstr (end, ==, "98");
    /* Its own GUID, not one of its codings'. */
    g_assert_cmpstr (guid, !=, a_guid);
    g_assert_cmpstr (guid, !=, b_guid);
    g_assert_cmpstr (user, ==, anouk);
    g_assert_cmpstr (user_a, ==, anouk);
    g_assert_cmpstr (user_b, ==, bram);
    g_assert_cmpstr (code_a, ==, jobcoach_guid);
    g_assert_cmpstr (code_b, ==, collega_guid);
    g_assert_true (g_str_has_suffix (created, "Z"));
  }
  /* The coding memo sits in the Coding, after its CodeRef. */
  {
    xmlNodePtr ref = child (coding_a, "NoteRef");
    g_autofree char *memo_guid = upper (sql_text (f->project, "SELECT guid FROM memos WHERE coding_id IS NOT NULL"));
    g_autofree char *target = NULL;
    g_autofree char *note_text = NULL;
    xmlNodePtr note;

    g_assert_nonnull (ref);
    g_assert_true (is (ref->prev, "CodeRef"));
    target = prop (ref, "targetGUID");
    g_assert_cmpstr (target, ==, memo_guid);
    note = find (child (root, "Notes"), "Note", "guid", memo_guid);
    g_assert_nonnull (note);
    note_text = content (child (note, "PlainTextContent"));
    g_assert_cmpstr (note_text, ==, "Wekelijks!");
  }
  /* The document memo: a NoteRef as the source's last child. */
  {
    g_autofree char *memo_guid = upper (sql_text (f->project, "SELECT guid FROM memos WHERE document_id IS NOT NULL"));
    g_autofree char *target = prop (xmlLastElementChild (source), "targetGUID");
    g_autofree char *author = NULL;

    g_assert_true (is (xmlLastElementChild (source), "NoteRef"));
    g_assert_cmpstr (target, ==, memo_guid);
    author = prop (find (root, "Note", "guid", memo_guid), "creatingUser");
    g_assert_cmpstr (author, ==, bram);
  }
  /* The code memo: between the Description and the child codes. */
  {
    g_autofree char *code_guid = guid_of (f->project, "codes", f->jobcoach);
    xmlNodePtr code = find (child (root, "CodeBook"), "Code", "guid", code_guid);

    g_assert_true (is (code->children, "Description"));
    g_assert_true (is (code->children->next, "NoteRef"));
  }
  /* The project memo: the Project's last child. */
  {
    g_autofree char *memo_guid = upper (sql_text (f->project, "SELECT guid FROM memos WHERE document_id IS NULL AND"
                                                              " code_id IS NULL AND coding_id IS NULL"));
    g_autofree char *target = prop (xmlLastElementChild (root), "targetGUID");

    g_assert_cmpstr (target, ==, memo_guid);
  }
  xmlFreeDoc (doc);
}

static void
test_cases_and_sets (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) zip = export_project (f, "export.qdpx");
  g_autoptr(GBytes) qde = zip_entry (zip, "project.qde");
  xmlDocPtr doc = parse (qde);
  xmlNodePtr root = xmlDocGetRootElement (doc);
  xmlNodePtr variables = child (root, "Variables");
  g_autofree char *doc_guid = guid_of (f->project, "documents", f->doc);
  g_autofree char *doc2_guid = guid_of (f->project, "documents", f->doc2);
  static const struct
  {
    const char *guid;
    const char *name;
    const char *type;
  } expected_variables[] = {
    { "A1B2C3D4-0000-4000-8000-000000000001", "leeftijd", "Integer" },
    { "A1B2C3D4-0000-4000-8000-000000000002", "iq", "Float" },
    { "A1B2C3D4-0000-4000-8000-000000000003", "uitkomst", "Text" },
    { "A1B2C3D4-0000-4000-8000-000000000004", "start", "Date" },
    { "A1B2C3D4-0000-4000-8000-000000000005", "bedrag", "Float" },
  };
  /* Case D-017's values, in variable order: element and text. */
  static const char *expected_values[][2] = {
    { "IntegerValue", "19" },
    { "FloatValue", "72.5" },
    { "TextValue", "baan & behouden" },
    { "DateValue", "2016-09-01" },
    { "FloatValue", "1000000000000000000000" }, /* xsd:decimal: no exponent */
  };
  xmlNodePtr v = variables->children, c, value;
  guint i = 0;

  for (; v != NULL; v = v->next, i++)
    {
      g_autofree char *guid = prop (v, "guid");
      g_autofree char *name = prop (v, "name");
      g_autofree char *type = prop (v, "typeOfVariable");

      g_assert_cmpstr (guid, ==, expected_variables[i].guid);
      g_assert_cmpstr (name, ==, expected_variables[i].name);
      g_assert_cmpstr (type, ==, expected_variables[i].type);
    }
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (expected_variables));
  {
    g_autofree char *label = content (child (variables->children, "Description"));

    g_assert_cmpstr (label, ==, "Leeftijd in jaren");
  }

  c = find (root, "Case", "name", "D-017");
  g_assert_nonnull (c);
  g_assert_cmpuint (count_children (c, "VariableValue"), ==, G_N_ELEMENTS (expected_values));
  for (value = child (c, "VariableValue"), i = 0; value != NULL && is (value, "VariableValue"); value = value->next, i++)
    {
      g_autofree char *ref = prop (child (value, "VariableRef"), "targetGUID");
      g_autofree char *text = content (value->children->next);

      g_assert_cmpstr (ref, ==, expected_variables[i].guid);
      g_assert_cmpstr ((const char *) value->children->next->name, ==, expected_values[i][0]);
      g_assert_cmpstr (text, ==, expected_values[i][1]);
    }
  {
    g_autofree char *target = prop (child (c, "SourceRef"), "targetGUID");

    g_assert_cmpstr (target, ==, doc_guid);
  }
  /* D-018: a missing value is left out; a link to a speaker is a
   * SourceRef to the document. */
  c = find (root, "Case", "name", "D-018");
  g_assert_cmpuint (count_children (c, "VariableValue"), ==, 2);
  {
    g_autofree char *target = prop (child (c, "SourceRef"), "targetGUID");
    g_autofree char *small = content (xmlLastElementChild (find (c, "VariableRef", "targetGUID",
                                                                 "A1B2C3D4-0000-4000-8000-000000000005")->parent));

    g_assert_cmpstr (target, ==, doc2_guid);
    g_assert_cmpstr (small, ==, "0.00000015");
  }

  /* The document group as a Set of sources. */
  {
    xmlNodePtr set = child (child (root, "Sets"), "Set");
    g_autofree char *name = prop (set, "name");
    g_autofree char *first = prop (set->children, "targetGUID");
    g_autofree char *second_member = prop (set->children->next, "targetGUID");

    g_assert_cmpstr (name, ==, "School & \"werk\"");
    g_assert_cmpuint (count_children (set, "MemberSource"), ==, 2);
    g_assert_cmpstr (first, ==, doc_guid);
    g_assert_cmpstr (second_member, ==, doc2_guid);
  }
  xmlFreeDoc (doc);
}

static void
test_escaping (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) zip = export_project (f, "export.qdpx");
  g_autoptr(GBytes) qde = zip_entry (zip, "project.qde");
  const char *text = g_bytes_get_data (qde, NULL);
  xmlDocPtr doc = parse (qde);
  xmlNodePtr root = xmlDocGetRootElement (doc);
  g_autofree char *memo_guid = upper (sql_text (f->project, "SELECT guid FROM memos WHERE code_id IS NOT NULL"));
  g_autofree char *title = prop (find (root, "Note", "guid", memo_guid), "name");

  /* A parser gives back exactly what was stored, newline included. */
  g_assert_cmpstr (title, ==, "Let op: a & b < c \"d\"\ntweede regel");
  g_assert_nonnull (strstr (text, "name=\"Let op: a &amp; b &lt; c &quot;d&quot;&#10;tweede regel\""));
  g_assert_nonnull (strstr (text, "Een &lt;jobcoach&gt; van &quot;buiten&quot;"));
  /* Non-ASCII stays UTF-8, not character references. */
  g_assert_nonnull (strstr (text, "name=\"Uitkomst één\""));
  g_assert_null (strstr (text, "&#x"));
  xmlFreeDoc (doc);
}

static void
assert_upper_guids (xmlNodePtr node)
{
  static const char *attrs[] = { "guid", "targetGUID", "creatingUser", "modifyingUser" };

  for (xmlNodePtr c = node->children; c != NULL; c = c->next)
    {
      if (c->type != XML_ELEMENT_NODE)
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (attrs); i++)
        {
          g_autofree char *value = prop (c, attrs[i]);

          if (value != NULL)
            g_assert_true (g_regex_match_simple ("^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$",
                                                 value, 0, 0));
        }
      assert_upper_guids (c);
    }
}

static void
test_stable (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GBytes) first = export_project (f, "one.qdpx");
  g_autoptr(GBytes) second_zip = export_project (f, "two.qdpx");
  g_autoptr(GBytes) qde1 = zip_entry (first, "project.qde");
  g_autoptr(GBytes) qde2 = zip_entry (second_zip, "project.qde");
  xmlDocPtr doc = parse (qde1);

  /* Nothing in project.qde depends on the moment of export. */
  g_assert_true (g_bytes_equal (qde1, qde2));
  assert_upper_guids (xmlDocGetRootElement (doc));
  xmlFreeDoc (doc);
}

static void
test_zip_contents (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) zip = export_project (f, "export.qdpx");
  g_autoptr(GPtrArray) entries = cw_zip_list_entries (zip, "export.qdpx", &error);
  gint64 ids[] = { f->doc, f->doc2 };

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpstr (entries->pdata[0], ==, "project.qde");
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *guid = guid_of (f->project, "documents", ids[i]);
      g_autofree char *name = g_strdup_printf ("sources/%s.txt", guid);
      g_autofree char *stored = cw_project_get_text (f->project, ids[i], &error);
      g_autoptr(GBytes) bytes = NULL;
      gsize len;
      const char *data_bytes;

      g_assert_no_error (error);
      /* The folder in lowercase, found by its exact name. */
      g_assert_cmpstr (entries->pdata[1 + i], ==, name);
      bytes = zip_entry (zip, name);
      data_bytes = g_bytes_get_data (bytes, &len);
      g_assert_cmpmem (data_bytes, len, stored, strlen (stored));
      /* No BOM, LF only. */
      g_assert_false (len >= 3 && memcmp (data_bytes, "\xEF\xBB\xBF", 3) == 0);
      g_assert_null (memchr (data_bytes, '\r', len));
    }
  /* The emoji document, the emoji included. */
  {
    g_autofree char *guid = guid_of (f->project, "documents", f->doc);
    g_autofree char *name = g_strdup_printf ("sources/%s.txt", guid);
    g_autoptr(GBytes) bytes = zip_entry (zip, name);

    g_assert_nonnull (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "hoor 😀, de"));
  }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static GPtrArray *
list_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  return names;
}

static void
cancel_after_first (guint       done,
                    guint       total,
                    const char *current,
                    gpointer    data)
{
  g_cancellable_cancel (data);
}

static void
count_progress (guint       done,
                guint       total,
                const char *current,
                gpointer    data)
{
  GPtrArray *seen = data;

  g_assert_cmpuint (total, ==, 2);
  g_assert_cmpuint (done, ==, seen->len + 1);
  g_ptr_array_add (seen, g_strdup (current));
}

static void
test_atomic (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = list_dir (f->dir);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *missing = g_build_filename (f->dir, "weg", "export.qdpx", NULL);
  g_autofree char *missing_qdc = g_build_filename (f->dir, "weg", "codes.qdc", NULL);
  g_autofree char *target = g_build_filename (f->dir, "export.qdpx", NULL);

  /* Into a missing folder: an error naming the file, nothing written. */
  g_assert_false (cw_refi_export_project (f->project, missing, NULL, NULL, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_true (g_str_has_prefix (error->message, missing));
  g_clear_error (&error);
  g_assert_false (cw_refi_export_codebook (f->project, missing_qdc, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);
  after = list_dir (f->dir);
  g_assert_cmpuint (after->len, ==, before->len);
  g_clear_pointer (&after, g_ptr_array_unref);

  /* Cancelled half way: no file, no temporary file. */
  g_assert_false (cw_refi_export_project (f->project, target, cancel_after_first, cancellable, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  after = list_dir (f->dir);
  g_assert_cmpuint (after->len, ==, before->len);
  g_clear_pointer (&after, g_ptr_array_unref);

  /* Progress once per source; an old export is replaced whole. */
  g_assert_true (g_file_set_contents (target, "oud", -1, NULL));
  g_assert_true (cw_refi_export_project (f->project, target, count_progress, seen, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpstr (seen->pdata[0], ==, "bakkerij.txt");
  {
    g_autoptr(GBytes) zip = read_file (target);

    g_assert_cmpmem (g_bytes_get_data (zip, NULL), 2, "PK", 2);
  }
  after = list_dir (f->dir);
  g_assert_cmpuint (after->len, ==, before->len + 1);
}

/* The example project (examples/) exports cleanly against both schemas. */
static void
test_example (void)
{
  const char *build = g_getenv ("CODEWERK_BUILD_ROOT");
  g_autofree char *source = NULL;
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *copy = g_build_filename (dir, "example.codewerk", NULL);
  g_autofree char *qdpx = g_build_filename (dir, "example.qdpx", NULL);
  g_autofree char *qdc = g_build_filename (dir, "example.qdc", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GBytes) zip = NULL;
  g_autoptr(GBytes) qde = NULL;
  g_autoptr(GBytes) codebook = NULL;
  xmlDocPtr doc;

  g_assert_nonnull (build);
  source = g_build_filename (build, "examples", "example.codewerk", NULL);
  if (!g_file_test (source, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the example project is not built");
      cw_test_remove_dir (dir);
      return;
    }
  /* A copy: opening migrates and may write. */
  data = read_file (source);
  g_assert_true (g_file_set_contents (copy, g_bytes_get_data (data, NULL), g_bytes_get_size (data), NULL));
  project = cw_project_open (copy, &error);
  g_assert_no_error (error);

  g_assert_true (cw_refi_export_project (project, qdpx, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cw_refi_export_codebook (project, qdc, &error));
  g_assert_no_error (error);

  zip = read_file (qdpx);
  qde = zip_entry (zip, "project.qde");
  doc = parse (qde);
  assert_valid (doc, "Project.xsd");
  {
    xmlNodePtr sources = child (xmlDocGetRootElement (doc), "Sources");
    g_autoptr(GPtrArray) documents = cw_project_list_documents (project, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (count_children (sources, "TextSource"), ==, documents->len);
  }
  xmlFreeDoc (doc);

  codebook = read_file (qdc);
  doc = parse (codebook);
  assert_valid (doc, "Codebook.xsd");
  xmlFreeDoc (doc);

  g_clear_object (&project);
  cw_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  xmlInitParser ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/refi-export/project-valid", test_project_valid);
  ADD ("/refi-export/codebook", test_codebook_qdc);
  ADD ("/refi-export/selections", test_selections);
  ADD ("/refi-export/cases-and-sets", test_cases_and_sets);
  ADD ("/refi-export/escaping", test_escaping);
  ADD ("/refi-export/stable", test_stable);
  ADD ("/refi-export/zip", test_zip_contents);
  ADD ("/refi-export/atomic", test_atomic);
#undef ADD
  g_test_add_func ("/refi-export/empty", test_empty_codebook);
  g_test_add_func ("/refi-export/example", test_example);

  status = g_test_run ();
  xmlCleanupParser ();
  return status;
}
