/* REFI-QDA import: codebooks (.qdc) and projects (.qdpx) in the shapes
 * real tools write (../shared/refi-qda/NOTES.md §4–§6), and clean refusals
 * of hostile files. Inputs are written here, by hand. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-history.h"
#include "cw-project-private.h"
#include "cw-refi.h"
#include "cw-test-util.h"
#include "cw-test-zip.h"

#define GUID(n) "6F9619FF-8B86-4011-B42D-00C0" n

#define NS_PROJECT  "urn:QDA-XML:project:1.0"
#define NS_CODEBOOK "urn:QDA-XML:codebook:1.0"

/* ---- helpers ---- */

static GPtrArray *
warnings_new (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

static gboolean
has_warning (GPtrArray  *warnings,
             const char *needle)
{
  for (guint i = 0; i < warnings->len; i++)
    if (strstr (g_ptr_array_index (warnings, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

static void
assert_warning (GPtrArray  *warnings,
                const char *needle)
{
  if (!has_warning (warnings, needle))
    {
      for (guint i = 0; i < warnings->len; i++)
        g_printerr ("warning: %s\n", (char *) g_ptr_array_index (warnings, i));
      g_error ("no warning contains “%s”", needle);
    }
}

static void
assert_no_warnings (GPtrArray *warnings)
{
  for (guint i = 0; i < warnings->len; i++)
    g_printerr ("unexpected warning: %s\n", (char *) g_ptr_array_index (warnings, i));
  g_assert_cmpuint (warnings->len, ==, 0);
}

/* Where needle first occurs in raw, counted as a tool would: code points
 * or UTF-16 code units, CRLF as two or one. */
static void
position_of (const char *raw,
             const char *needle,
             gboolean    utf16,
             gboolean    crlf_as_two,
             gint64     *start,
             gint64     *end)
{
  const char *at = strstr (raw, needle);
  gint64 units = 0;

  g_assert_nonnull (at);
  for (const char *p = raw; p < at + strlen (needle); p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (p == at)
        *start = units;
      if (c == '\r' && p[1] == '\n' && !crlf_as_two)
        continue; /* the pair counts once, on its LF */
      units += utf16 && c > 0xFFFF ? 2 : 1;
    }
  *end = units;
}

static char *
write_zip (const char           *dir,
           const char           *name,
           const CwTestZipEntry *entries,
           guint                 n)
{
  g_autoptr(GBytes) zip = cw_test_zip_new (entries, n, FALSE);
  g_autoptr(GFile) file = cw_test_write_bytes (dir, name, g_bytes_get_data (zip, NULL), g_bytes_get_size (zip));

  return g_file_get_path (file);
}

/* A qdpx holding project.qde and name/text pairs (NULL-terminated). */
static char *
write_qdpx (const char *dir,
            const char *qde,
            ...)
{
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (CwTestZipEntry));
  CwTestZipEntry entry = { "project.qde", qde, -1, FALSE };
  const char *name;
  va_list args;

  g_array_append_val (entries, entry);
  va_start (args, qde);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      CwTestZipEntry e = { name, va_arg (args, const char *), -1, FALSE };

      g_array_append_val (entries, e);
    }
  va_end (args);
  return write_zip (dir, "in.qdpx", (CwTestZipEntry *) entries->data, entries->len);
}

static char *
project_path (const char *dir)
{
  return g_build_filename (dir, "imported.codewerk", NULL);
}

static CwProject *
import_ok (const char *dir,
           const char *qdpx,
           GPtrArray  *warnings)
{
  g_autofree char *path = project_path (dir);
  g_autoptr(GError) error = NULL;
  CwProject *project = cw_refi_import_project (qdpx, path, warnings, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (project);
  return project;
}

static void
assert_no_project_left (const char *dir)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };
  g_autofree char *path = project_path (dir);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
    }
}

static sqlite3 *
db_of (CwProject *project)
{
  return _cw_project_get_db (project);
}

static char *
project_xml (const char *origin,
             const char *body)
{
  return g_strdup_printf ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                          "<Project xmlns=\"" NS_PROJECT "\" name=\"Cohort\" origin=\"%s\">%s</Project>",
                          origin, body);
}

/* "path|path|..." of the codebook, depth first. */
static char *
code_paths (CwProject *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = cw_project_list_codes (project, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < codes->len; i++)
    {
      CwCode *code = g_ptr_array_index (codes, i);

      g_string_append_printf (out, "%s%s", i ? "|" : "", code->path);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static CwCode *
code_at (CwProject  *project,
         const char *path)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cw_project_lookup_code (project, path, &error);

  g_assert_no_error (error);
  return cw_project_get_code (project, id, NULL);
}

/* The codings of a document with their text. */
static GPtrArray *
codings_of (CwProject  *project,
            const char *document,
            char      **text)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cw_project_lookup_document (project, document, &error);
  GPtrArray *codings;

  g_assert_no_error (error);
  *text = cw_project_get_text (project, id, &error);
  g_assert_no_error (error);
  codings = cw_project_list_document_codings (project, id, &error);
  g_assert_no_error (error);
  return codings;
}

/* Asserts that document has a coding of code_path on exactly expected. */
static void
assert_coded (CwProject  *project,
              const char *document,
              const char *code_path,
              const char *expected)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) codings = codings_of (project, document, &text);

  for (guint i = 0; i < codings->len; i++)
    {
      CwCoding *coding = g_ptr_array_index (codings, i);

      if (strcmp (coding->code, code_path) == 0)
        {
          cw_test_assert_substring (text, coding->start, coding->end, expected);
          return;
        }
    }
  g_error ("no coding of %s in %s", code_path, document);
}

static gboolean
validate (const char *xml,
          const char *xsd)
{
  const char *dir = g_getenv ("CODEWERK_REFI_XSD_DIR");
  g_autofree char *path = NULL;
  xmlSchemaParserCtxt *parser;
  xmlSchema *schema;
  xmlSchemaValidCtxt *valid;
  xmlDoc *doc;
  int rc;

  if (dir == NULL)
    return TRUE;
  path = g_build_filename (dir, xsd, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  parser = xmlSchemaNewParserCtxt (path);
  schema = xmlSchemaParse (parser);
  g_assert_nonnull (schema);
  valid = xmlSchemaNewValidCtxt (schema);
  doc = xmlReadMemory (xml, strlen (xml), "input.xml", NULL, XML_PARSE_NONET);
  g_assert_nonnull (doc);
  rc = xmlSchemaValidateDoc (valid, doc);
  xmlFreeDoc (doc);
  xmlSchemaFreeValidCtxt (valid);
  xmlSchemaFree (schema);
  xmlSchemaFreeParserCtxt (parser);
  return rc == 0;
}

/* ---- codebooks ---- */

static const char codebook_codes[] =
  "<Codes>"
  "<Code guid=\"" GUID ("00000001") "\" name=\"Werk\" isCodable=\"false\" color=\"#4E79A7\">"
  "<Description>Alles over werk</Description>"
  "<Code guid=\"" GUID ("00000002") "\" name=\"Stage\" isCodable=\"true\" color=\"#F28E2B\"/>"
  "</Code>"
  "<Code guid=\"" GUID ("00000003") "\" name=\"School\" isCodable=\"true\"/>"
  "</Codes>";

typedef struct
{
  const char *name;
  const char *xml;
  const char *paths;
  const char *warning; /* NULL: none at all */
} CodebookCase;

/* head + codes + "</CodeBook>" (or the prefixed form). */
typedef struct
{
  const char *name;
  const char *head;
  const char *codes;   /* NULL: codebook_codes */
  const char *tail;
  const char *paths;
  const char *warning; /* NULL: none at all */
} VariantCase;

static const char prefixed_codes[] =
  "<q:Codes><q:Code guid=\"" GUID ("00000001") "\" name=\"Werk\" isCodable=\"false\" color=\"#4E79A7\">"
  "<q:Description>Alles over werk</q:Description>"
  "<q:Code guid=\"" GUID ("00000002") "\" name=\"Stage\" isCodable=\"true\" color=\"#F28E2B\"/>"
  "</q:Code><q:Code guid=\"" GUID ("00000003") "\" name=\"School\" isCodable=\"true\"/></q:Codes>";

static const VariantCase codebook_cases[] = {
  { "standard", "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CodeBook xmlns=\"" NS_CODEBOOK "\" origin=\"Test\">",
    NULL, "</CodeBook>", "Werk|Werk/Stage|School", NULL },
  { "namespace-1:0", "<?xml version=\"1.0\"?><CodeBook xmlns=\"urn:QDA-XML:codebook:1:0\" origin=\"NVivo 12 For Mac\">",
    NULL, "</CodeBook>", "Werk|Werk/Stage|School", "urn:QDA-XML:codebook:1:0" },
  { "namespace-0:4",
    "<?xml version=\"1.0\"?><CodeBook xmlns=\"urn:QDA-XML:codebook:0:4\""
    " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
    " xsi:schemaLocation=\"urn:QDA-XML:codebook:0:4 Codebook.xsd\" origin=\"ATLAS.ti Win 23.4.0\">",
    NULL, "</CodeBook>", "Werk|Werk/Stage|School", "urn:QDA-XML:codebook:0:4" },
  { "no-namespace", "<?xml version=\"1.0\"?><CodeBook origin=\"hand\">", NULL, "</CodeBook>",
    "Werk|Werk/Stage|School", "no namespace" },
  { "prefixed", "<?xml version=\"1.0\"?><q:CodeBook xmlns:q=\"" NS_CODEBOOK "\">", prefixed_codes, "</q:CodeBook>",
    "Werk|Werk/Stage|School", NULL },
  { "bom", "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?><CodeBook xmlns=\"" NS_CODEBOOK "\">", NULL, "</CodeBook>",
    "Werk|Werk/Stage|School", NULL },
  { "no-declaration", "<CodeBook xmlns=\"" NS_CODEBOOK "\">", NULL, "</CodeBook>", "Werk|Werk/Stage|School", NULL },
  { "foreign-elements",
    "<CodeBook xmlns=\"" NS_CODEBOOK "\" xmlns:x=\"http://example.com/x\"><x:Extra><Code guid=\"" GUID ("00000099") "\""
    " name=\"Nope\" isCodable=\"true\"/></x:Extra>",
    NULL, "</CodeBook>", "Werk|Werk/Stage|School", NULL },
};

static void
test_codebook_variants (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (codebook_cases); i++)
    {
      const VariantCase *c = &codebook_cases[i];
      g_autofree char *dir = cw_test_make_dir ();
      g_autoptr(CwProject) project = cw_test_new_project (dir);
      g_autoptr(GPtrArray) warnings = warnings_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *xml = g_strconcat (c->head, c->codes != NULL ? c->codes : codebook_codes, c->tail, NULL);
      g_autofree char *paths = NULL;
      g_autoptr(GFile) file = NULL;
      g_autofree char *path = NULL;
      guint added = 99, matched = 99;

      g_test_message ("codebook case %s", c->name);
      if (i == 0)
        g_assert_true (validate (xml, "Codebook.xsd"));

      file = cw_test_write_file (dir, "in.qdc", xml);
      path = g_file_get_path (file);
      g_assert_true (cw_refi_import_codebook (project, path, &added, &matched, warnings, &error));
      g_assert_no_error (error);
      paths = code_paths (project);
      g_assert_cmpstr (paths, ==, c->paths);
      g_assert_cmpuint (added, ==, 3);
      g_assert_cmpuint (matched, ==, 0);
      if (c->warning == NULL)
        assert_no_warnings (warnings);
      else
        assert_warning (warnings, c->warning);

      {
        g_autoptr(CwCode) werk = code_at (project, "Werk");
        g_autoptr(CwCode) stage = code_at (project, "Werk/Stage");
        g_autoptr(CwCode) school = code_at (project, "School");

        g_assert_cmpstr (werk->guid, ==, "6f9619ff-8b86-4011-b42d-00c000000001");
        g_assert_cmpstr (werk->color, ==, "#4e79a7");
        g_assert_cmpstr (werk->description, ==, "Alles over werk");
        g_assert_false (werk->codable);
        g_assert_cmpstr (stage->color, ==, "#f28e2b");
        g_assert_true (stage->codable);
        g_assert_nonnull (school->color); /* a palette colour */
        g_assert_cmpint (strlen (school->color), ==, 7);
      }

      g_clear_object (&project);
      cw_test_remove_dir (dir);
    }
}

/* Each deviation a real tool writes, read with a warning that says so. */
static const CodebookCase codebook_tolerance[] = {
  { "taguette",
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CodeBook xmlns=\"" NS_CODEBOOK "\" origin=\"Taguette 1.4.1\"><Codes>"
    "<Code guid=\"" GUID ("0000000A") "\" name=\"interesting\" isCodable=\"true\"/>"
    "<Code guid=\"" GUID ("0000000B") "\" name=\"people\" isCodable=\"true\"/>"
    "</Codes><Sets/></CodeBook>",
    "interesting|people", "empty <Sets>" },
  { "rgb-colour",
    "<CodeBook xmlns=\"" NS_CODEBOOK "\"><Codes><Code guid=\"" GUID ("00000001") "\" name=\"Rood\" isCodable=\"true\""
    " color=\"255,0,0\"/></Codes></CodeBook>",
    "Rood", "“255,0,0” is not a colour" },
  { "empty-name",
    "<CodeBook xmlns=\"" NS_CODEBOOK "\"><Codes><Code guid=\"" GUID ("00000001") "\" name=\"\" isCodable=\"true\"/>"
    "</Codes></CodeBook>",
    "Unnamed code", "without a name" },
  { "missing-name",
    "<CodeBook xmlns=\"" NS_CODEBOOK "\"><Codes><Code guid=\"" GUID ("00000001") "\" isCodable=\"true\"/>"
    "</Codes></CodeBook>",
    "Unnamed code", "without a name" },
  { "slash",
    "<CodeBook xmlns=\"" NS_CODEBOOK "\"><Codes><Code guid=\"" GUID ("00000001") "\" name=\"werk/school\" isCodable=\"true\"/>"
    "</Codes></CodeBook>",
    "werk\xe2\x88\x95school", "renamed “werk\xe2\x88\x95school”" },
  { "duplicate-siblings",
    "<CodeBook xmlns=\"" NS_CODEBOOK "\"><Codes>"
    "<Code guid=\"" GUID ("00000001") "\" name=\"Werk\" isCodable=\"true\"/>"
    "<Code guid=\"" GUID ("00000002") "\" name=\"Werk\" isCodable=\"true\"/>"
    "</Codes></CodeBook>",
    "Werk|Werk (2)", "the second is now “Werk (2)”" },
  { "line-break-in-name",
    "<CodeBook xmlns=\"" NS_CODEBOOK "\"><Codes><Code guid=\"" GUID ("00000001") "\" name=\"Eerste&#10;baan\" isCodable=\"true\"/>"
    "</Codes></CodeBook>",
    "Eerste baan", NULL },
  { "code-groups",
    "<CodeBook xmlns=\"" NS_CODEBOOK "\" origin=\"ATLAS.ti\"><Codes>"
    "<Code guid=\"" GUID ("00000001") "\" name=\"Werk\" isCodable=\"true\"/></Codes>"
    "<Sets><Set guid=\"" GUID ("00000050") "\" name=\"Thema's\"><MemberCode guid=\"" GUID ("00000001") "\"/></Set></Sets>"
    "</CodeBook>",
    "Werk", "1 code group is not kept" },
  { "bad-guid",
    "<CodeBook xmlns=\"" NS_CODEBOOK "\"><Codes><Code guid=\"code-1\" name=\"Werk\" isCodable=\"true\"/>"
    "</Codes></CodeBook>",
    "Werk", "no valid GUID" },
};

static void
test_codebook_tolerance (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (codebook_tolerance); i++)
    {
      const CodebookCase *c = &codebook_tolerance[i];
      g_autofree char *dir = cw_test_make_dir ();
      g_autoptr(CwProject) project = cw_test_new_project (dir);
      g_autoptr(GPtrArray) warnings = warnings_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GFile) file = cw_test_write_file (dir, "in.qdc", c->xml);
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *paths = NULL;

      g_test_message ("tolerance case %s", c->name);
      g_assert_true (cw_refi_import_codebook (project, path, NULL, NULL, warnings, &error));
      g_assert_no_error (error);
      paths = code_paths (project);
      g_assert_cmpstr (paths, ==, c->paths);
      if (c->warning == NULL)
        assert_no_warnings (warnings);
      else
        assert_warning (warnings, c->warning);
      if (strcmp (c->name, "rgb-colour") == 0)
        {
          g_autoptr(CwCode) code = code_at (project, "Rood");

          g_assert_true (code->color[0] == '#' && strlen (code->color) == 7);
        }

      g_clear_object (&project);
      cw_test_remove_dir (dir);
    }
}

/* Matched by GUID (braces, other case), then by path; one undo step. */
static void
test_codebook_matching (void)
{
  static const char qdc[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CodeBook xmlns=\"" NS_CODEBOOK "\" origin=\"Test\"><Codes>"
    "<Code guid=\"{AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE}\" name=\"Home\" isCodable=\"true\"/>"
    "<Code guid=\"" GUID ("00000001") "\" name=\"Werk\" isCodable=\"true\">"
    "<Code guid=\"" GUID ("00000002") "\" name=\"Stage\" isCodable=\"true\"/>"
    "<Code guid=\"" GUID ("00000003") "\" name=\"Baan\" isCodable=\"true\" color=\"#A3c\"/>"
    "</Code>"
    "<Code guid=\"" GUID ("00000004") "\" name=\"Nieuw\" isCodable=\"false\"><Description>Regel 1\nRegel 2</Description></Code>"
    "</Codes></CodeBook>";
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GPtrArray) warnings = warnings_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = cw_test_write_file (dir, "thema's.qdc", qdc);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *paths = NULL;
  g_autofree char *label = NULL;
  guint added = 0, matched = 0;

  g_assert_cmpint (cw_project_add_code (project, "Werk/Stage", NULL, NULL, &error), >, 0);
  g_assert_cmpint (cw_project_add_code (project, "Thuis", NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db_of (project),
                                 "UPDATE codes SET guid = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' WHERE name = 'Thuis'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_true (cw_refi_import_codebook (project, path, &added, &matched, warnings, &error));
  g_assert_no_error (error);
  assert_no_warnings (warnings);
  g_assert_cmpuint (added, ==, 2);
  g_assert_cmpuint (matched, ==, 3);
  paths = code_paths (project);
  g_assert_cmpstr (paths, ==, "Werk|Werk/Stage|Werk/Baan|Thuis|Nieuw");
  {
    g_autoptr(CwCode) baan = code_at (project, "Werk/Baan");
    g_autoptr(CwCode) nieuw = code_at (project, "Nieuw");

    g_assert_cmpstr (baan->guid, ==, "6f9619ff-8b86-4011-b42d-00c000000003");
    g_assert_cmpstr (baan->color, ==, "#aa33cc");
    g_assert_cmpstr (nieuw->description, ==, "Regel 1\nRegel 2");
    g_assert_false (nieuw->codable);
  }

  /* One step: undo takes all of it away. */
  label = cw_project_get_undo_label (project);
  g_assert_cmpstr (label, ==, "Import codebook “thema's.qdc”");
  g_assert_true (cw_project_undo (project, &error));
  g_assert_no_error (error);
  g_clear_pointer (&paths, g_free);
  paths = code_paths (project);
  g_assert_cmpstr (paths, ==, "Werk|Werk/Stage|Thuis");
  g_assert_true (cw_project_redo (project, &error));
  g_assert_no_error (error);
  g_clear_pointer (&paths, g_free);
  paths = code_paths (project);
  g_assert_cmpstr (paths, ==, "Werk|Werk/Stage|Werk/Baan|Thuis|Nieuw");

  /* Again: everything is there already. */
  g_assert_true (cw_refi_import_codebook (project, path, &added, &matched, warnings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added, ==, 0);
  g_assert_cmpuint (matched, ==, 5);

  g_clear_object (&project);
  cw_test_remove_dir (dir);
}

typedef struct
{
  const char *name;
  const char *content;
  int         code; /* CwImportError */
} Refusal;

static const char xxe_codebook[] =
  "<?xml version=\"1.0\"?>\n<!DOCTYPE CodeBook [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
  "<CodeBook xmlns=\"" NS_CODEBOOK "\"><Codes><Code guid=\"" GUID ("00000001") "\" name=\"&xxe;\" isCodable=\"true\"/>"
  "</Codes></CodeBook>";

static const char laughs_codebook[] =
  "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
  "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
  "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
  "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
  "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">]>\n"
  "<CodeBook xmlns=\"" NS_CODEBOOK "\"><Codes><Code guid=\"" GUID ("00000001") "\" name=\"&lol4;\" isCodable=\"true\"/>"
  "</Codes></CodeBook>";

static void
test_codebook_refusals (void)
{
  static const Refusal refusals[] = {
    { "not-xml", "Dit is geen XML, maar een boodschappenlijst.", CW_IMPORT_ERROR_CORRUPT },
    { "truncated", "<CodeBook xmlns=\"" NS_CODEBOOK "\"><Codes><Code guid=\"", CW_IMPORT_ERROR_CORRUPT },
    { "xxe", xxe_codebook, CW_IMPORT_ERROR_CORRUPT },
    { "billion-laughs", laughs_codebook, CW_IMPORT_ERROR_CORRUPT },
    { "wrong-root", "<Project xmlns=\"" NS_PROJECT "\" name=\"x\"/>", CW_IMPORT_ERROR_UNSUPPORTED },
    { "empty", "", CW_IMPORT_ERROR_CORRUPT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *dir = cw_test_make_dir ();
      g_autoptr(CwProject) project = cw_test_new_project (dir);
      g_autoptr(GError) error = NULL;
      g_autoptr(GFile) file = cw_test_write_file (dir, "in.qdc", refusals[i].content);
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *prefix = g_strconcat (path, ": ", NULL);

      g_test_message ("refusal %s", refusals[i].name);
      g_assert_false (cw_refi_import_codebook (project, path, NULL, NULL, NULL, &error));
      g_assert_error (error, CW_IMPORT_ERROR, refusals[i].code);
      g_assert_true (g_str_has_prefix (error->message, prefix));
      g_assert_null (strstr (error->message, "root:"));
      g_assert_cmpint (cw_test_sql_int (db_of (project), "SELECT count(*) FROM codes"), ==, 0);
      g_assert_false (cw_project_can_undo (project));

      g_clear_object (&project);
      cw_test_remove_dir (dir);
    }
}

/* ---- projects ---- */

static const char kevin_text[] =
  "Interviewer: Hoe ging je stage?\n"
  "Kevin: Mijn stage bij de bakker is mislukt.\n"
  "Interviewer: En school?\n"
  "Kevin: School is saai.\n";

static const char arena_text[] =
  "Gespreksleider: Wat is er nodig?\n"
  "Sanne: Een jobcoach die belt.\n";

/* A project in the standard's own shape, valid against Project.xsd. */
static char *
standard_project (void)
{
  gint64 s1, e1, s2, e2;

  position_of (kevin_text, "stage bij de bakker", FALSE, TRUE, &s1, &e1);
  position_of (arena_text, "jobcoach", FALSE, TRUE, &s2, &e2);
  return g_strdup_printf (
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<Project xmlns=\"" NS_PROJECT "\" name=\"Cohort 2024\" origin=\"Hand 1.0\""
    " creatingUserGUID=\"" GUID ("0000A001") "\" creationDateTime=\"2024-01-02T03:04:05Z\">"
    "<Users>"
    "<User guid=\"" GUID ("0000A001") "\" name=\"Anne\"/>"
    "<User guid=\"" GUID ("0000A002") "\" id=\"KV\"/>"
    "</Users>"
    "<CodeBook><Codes>"
    "<Code guid=\"" GUID ("00000001") "\" name=\"Werk\" isCodable=\"false\" color=\"#4E79A7\">"
    "<Description>Alles over werk</Description>"
    "<NoteRef targetGUID=\"" GUID ("0000C002") "\"/>"
    "<Code guid=\"" GUID ("00000002") "\" name=\"Stage\" isCodable=\"true\" color=\"#F28E2B\"/>"
    "</Code>"
    "<Code guid=\"" GUID ("00000003") "\" name=\"School\" isCodable=\"true\"/>"
    "</Codes></CodeBook>"
    "<Variables>"
    "<Variable guid=\"" GUID ("0000D001") "\" name=\"Leeftijd\" typeOfVariable=\"Integer\"/>"
    "<Variable guid=\"" GUID ("0000D002") "\" name=\"Opleiding\" typeOfVariable=\"Text\"><Description>Niveau</Description></Variable>"
    "<Variable guid=\"" GUID ("0000D003") "\" name=\"Start\" typeOfVariable=\"Date\"/>"
    "<Variable guid=\"" GUID ("0000D004") "\" name=\"Werkt\" typeOfVariable=\"Boolean\"/>"
    "</Variables>"
    "<Cases>"
    "<Case guid=\"" GUID ("0000E001") "\" name=\"Kevin\">"
    "<VariableValue><VariableRef targetGUID=\"" GUID ("0000D001") "\"/><IntegerValue>19</IntegerValue></VariableValue>"
    "<VariableValue><VariableRef targetGUID=\"" GUID ("0000D002") "\"/><TextValue>mbo 2</TextValue></VariableValue>"
    "<VariableValue><VariableRef targetGUID=\"" GUID ("0000D003") "\"/><DateValue>2023-09-01</DateValue></VariableValue>"
    "<VariableValue><VariableRef targetGUID=\"" GUID ("0000D004") "\"/><BooleanValue>true</BooleanValue></VariableValue>"
    "<SourceRef targetGUID=\"" GUID ("0000B001") "\"/>"
    "</Case>"
    "</Cases>"
    "<Sources>"
    "<TextSource guid=\"" GUID ("0000B001") "\" name=\"Interview Kevin\" plainTextPath=\"internal://" GUID ("0000B001") ".txt\""
    " creatingUser=\"" GUID ("0000A001") "\">"
    "<PlainTextSelection guid=\"" GUID ("0000F001") "\" name=\"\" startPosition=\"%" G_GINT64_FORMAT "\" endPosition=\"%" G_GINT64_FORMAT "\""
    " creatingUser=\"" GUID ("0000A001") "\" creationDateTime=\"2024-02-03T04:05:06Z\">"
    "<Coding guid=\"" GUID ("00001001") "\" creatingUser=\"" GUID ("0000A002") "\" creationDateTime=\"2024-03-04T05:06:07Z\">"
    "<CodeRef targetGUID=\"" GUID ("00000002") "\"/><NoteRef targetGUID=\"" GUID ("0000C003") "\"/></Coding>"
    "<Coding guid=\"" GUID ("00001002") "\"><CodeRef targetGUID=\"" GUID ("00000003") "\"/></Coding>"
    "</PlainTextSelection>"
    "<NoteRef targetGUID=\"" GUID ("0000C004") "\"/>"
    "</TextSource>"
    "<TextSource guid=\"" GUID ("0000B002") "\" name=\"Arena Almere\">"
    "<PlainTextContent>%s</PlainTextContent>"
    "<PlainTextSelection guid=\"" GUID ("0000F002") "\" startPosition=\"%" G_GINT64_FORMAT "\" endPosition=\"%" G_GINT64_FORMAT "\">"
    "<Coding guid=\"" GUID ("00001003") "\"><CodeRef targetGUID=\"" GUID ("00000003") "\"/></Coding>"
    "</PlainTextSelection>"
    "</TextSource>"
    "</Sources>"
    "<Notes>"
    "<Note guid=\"" GUID ("0000C001") "\" name=\"Over het project\" creatingUser=\"" GUID ("0000A001") "\""
    " creationDateTime=\"2024-04-05T06:07:08Z\"><PlainTextContent>Projectmemo</PlainTextContent></Note>"
    "<Note guid=\"" GUID ("0000C002") "\" name=\"Werkmemo\"><PlainTextContent>Over werk</PlainTextContent></Note>"
    "<Note guid=\"" GUID ("0000C003") "\" name=\"Codingmemo\"><PlainTextContent>Mislukt door de reistijd</PlainTextContent></Note>"
    "<Note guid=\"" GUID ("0000C004") "\" name=\"Documentmemo\"><PlainTextContent>Rustig gesprek</PlainTextContent></Note>"
    "</Notes>"
    "<Sets>"
    "<Set guid=\"" GUID ("00002001") "\" name=\"Almere\"><Description>Regio</Description>"
    "<MemberSource targetGUID=\"" GUID ("0000B001") "\"/><MemberSource targetGUID=\"" GUID ("0000B002") "\"/></Set>"
    "</Sets>"
    "<NoteRef targetGUID=\"" GUID ("0000C001") "\"/>"
    "</Project>",
    s1, e1, arena_text, s2, e2);
}

static void
test_project_standard (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *qde = standard_project ();
  g_autofree char *qdpx = NULL;
  g_autoptr(GPtrArray) warnings = warnings_new ();
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GPtrArray) memos = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autofree char *paths = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) codings = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  g_assert_true (validate (qde, "Project.xsd"));
  qdpx = write_qdpx (dir, qde, "sources/" GUID ("0000B001") ".txt", kevin_text, NULL);
  project = import_ok (dir, qdpx, warnings);
  assert_no_warnings (warnings);
  db = db_of (project);

  g_assert_cmpstr (cw_project_get_title (project), ==, "Cohort 2024");
  g_assert_false (cw_project_can_undo (project));

  documents = cw_project_list_documents (project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (documents->len, ==, 2);
  {
    CwDocumentInfo *kevin = g_ptr_array_index (documents, 0);
    CwDocumentInfo *arena = g_ptr_array_index (documents, 1);

    g_assert_cmpstr (kevin->name, ==, "Interview Kevin");
    g_assert_cmpstr (kevin->guid, ==, "6f9619ff-8b86-4011-b42d-00c00000b001");
    g_assert_cmpint (kevin->kind, ==, CW_DOCUMENT_KIND_INTERVIEW);
    g_assert_cmpuint (kevin->n_turns, ==, 4);
    g_assert_cmpstr (kevin->speakers[0], ==, "Interviewer");
    g_assert_cmpstr (kevin->speakers[1], ==, "Kevin");
    g_assert_cmpstr (arena->name, ==, "Arena Almere");
    g_assert_cmpuint (arena->n_turns, ==, 2);
  }

  paths = code_paths (project);
  g_assert_cmpstr (paths, ==, "Werk|Werk/Stage|School");

  /* Codings: range, code and coder (the Coding's, else the selection's,
   * else nobody's). */
  codings = codings_of (project, "Interview Kevin", &text);
  g_assert_cmpuint (codings->len, ==, 2);
  for (guint i = 0; i < codings->len; i++)
    {
      CwCoding *coding = g_ptr_array_index (codings, i);

      cw_test_assert_substring (text, coding->start, coding->end, "stage bij de bakker");
      if (strcmp (coding->code, "Werk/Stage") == 0)
        {
          g_assert_cmpstr (coding->coder, ==, "KV");
          g_assert_cmpstr (coding->created_at, ==, "2024-03-04T05:06:07Z");
          g_assert_cmpstr (coding->guid, ==, "6f9619ff-8b86-4011-b42d-00c000001001");
          g_assert_cmpstr (coding->memo, ==, "Mislukt door de reistijd");
        }
      else
        {
          g_assert_cmpstr (coding->code, ==, "School");
          g_assert_cmpstr (coding->coder, ==, "Anne");
          g_assert_cmpstr (coding->created_at, ==, "2024-02-03T04:05:06Z");
        }
    }
  g_assert_cmpstr (text, ==, kevin_text);
  assert_coded (project, "Arena Almere", "School", "jobcoach");
  g_assert_cmpstr (cw_test_sql_text (db, "SELECT c.name FROM codings g JOIN coders c ON c.id = g.coder_id"
                                         " JOIN documents d ON d.id = g.document_id WHERE d.name = 'Arena Almere'"),
                   ==, "Unknown coder");

  /* Memos on the project, the code, the document, the coding. */
  memos = cw_project_list_memos (project, CW_MEMO_PROJECT, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (memos->len, ==, 1);
  {
    CwMemo *memo = g_ptr_array_index (memos, 0);

    g_assert_cmpstr (memo->title, ==, "Over het project");
    g_assert_cmpstr (memo->text, ==, "Projectmemo");
    g_assert_cmpstr (memo->author, ==, "Anne");
    g_assert_cmpstr (memo->created_at, ==, "2024-04-05T06:07:08Z");
  }
  g_clear_pointer (&memos, g_ptr_array_unref);
  memos = cw_project_list_memos (project, CW_MEMO_CODE, 0, &error);
  g_assert_cmpuint (memos->len, ==, 1);
  g_assert_cmpstr (((CwMemo *) g_ptr_array_index (memos, 0))->text, ==, "Over werk");
  g_clear_pointer (&memos, g_ptr_array_unref);
  memos = cw_project_list_memos (project, CW_MEMO_DOCUMENT, 0, &error);
  g_assert_cmpuint (memos->len, ==, 1);
  g_assert_cmpstr (((CwMemo *) g_ptr_array_index (memos, 0))->text, ==, "Rustig gesprek");

  /* Cases and variables. */
  g_assert_cmpstr (cw_test_sql_text (db, "SELECT group_concat(name || ':' || type || ':' || coalesce(label, ''), ',')"
                                         " FROM (SELECT * FROM variables ORDER BY position)"),
                   ==, "Leeftijd:numeric:,Opleiding:text:Niveau,Start:date:,Werkt:numeric:");
  g_assert_cmpstr (cw_test_sql_text (db, "SELECT identifier FROM cases"), ==, "Kevin");
  g_assert_cmpint (cw_test_sql_int (db, "SELECT number FROM case_values v JOIN variables a ON a.id = v.variable_id"
                                        " WHERE a.name = 'Leeftijd'"), ==, 19);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT number FROM case_values v JOIN variables a ON a.id = v.variable_id"
                                        " WHERE a.name = 'Werkt'"), ==, 1);
  g_assert_cmpstr (cw_test_sql_text (db, "SELECT text FROM case_values v JOIN variables a ON a.id = v.variable_id"
                                         " WHERE a.name = 'Opleiding'"), ==, "mbo 2");
  g_assert_cmpstr (cw_test_sql_text (db, "SELECT text FROM case_values v JOIN variables a ON a.id = v.variable_id"
                                         " WHERE a.name = 'Start'"), ==, "2023-09-01");
  g_assert_cmpstr (cw_test_sql_text (db, "SELECT d.name FROM case_links l JOIN documents d ON d.id = l.document_id"),
                   ==, "Interview Kevin");

  /* The set of sources is a document group. */
  groups = cw_project_list_groups (project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 1);
  g_assert_cmpstr (((CwDocumentGroup *) g_ptr_array_index (groups, 0))->name, ==, "Almere");
  g_assert_cmpuint (((CwDocumentGroup *) g_ptr_array_index (groups, 0))->document_ids->len, ==, 2);

  /* The search index knows the new documents. */
  {
    g_autoptr(GPtrArray) hits = cw_project_search (project, "bakker", 0, 0, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 1);
  }

  g_clear_object (&project);
  cw_test_remove_dir (dir);
}

/* Container and XML deviations: each imports the same source and coding. */
typedef struct
{
  const char *name;
  const char *qde_entry;
  const char *source_entry;
  const char *xml_head;    /* up to and including the Project start tag's name */
  const char *path;        /* plainTextPath */
  const char *extra;       /* another entry (name=content), or NULL */
  const char *warning;
} ContainerCase;

static const ContainerCase container_cases[] = {
  { "standard", "project.qde", "sources/doc.txt", "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project xmlns=\"" NS_PROJECT "\"",
    "internal://doc.txt", NULL, NULL },
  { "capital-folders", "Project.qde", "Sources/doc.txt", "<?xml version=\"1.0\"?><Project xmlns=\"" NS_PROJECT "\"",
    "internal://doc.txt", NULL, NULL },
  { "mac-root-file", "project.qde", "sources/doc.txt", "<?xml version=\"1.0\"?><Project xmlns=\"" NS_PROJECT "\"",
    "internal://doc.txt", "sources/.root", NULL },
  { "no-declaration", "project.qde", "sources/doc.txt", "<Project xmlns=\"" NS_PROJECT "\"",
    "internal://doc.txt", NULL, NULL },
  { "bom", "project.qde", "sources/doc.txt", "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?><Project xmlns=\"" NS_PROJECT "\"",
    "internal://doc.txt", NULL, NULL },
  { "namespace-1:0", "project.qde", "sources/doc.txt", "<Project xmlns=\"urn:QDA-XML:project:1:0\"",
    "internal://doc.txt", NULL, "urn:QDA-XML:project:1:0" },
  { "no-namespace", "project.qde", "sources/doc.txt", "<Project", "internal://doc.txt", NULL, "no namespace" },
  { "qc-bare-path", "project.qde", "sources/board_2017.txt", "<Project xmlns=\"" NS_PROJECT "\"",
    "board_2017.txt", NULL, NULL },
  { "escaped-path", "project.qde", "sources/Interview Kevin.txt", "<Project xmlns=\"" NS_PROJECT "\"",
    "internal://Interview%20Kevin.txt", NULL, NULL },
  /* Not read ahead (not sources/NAME.txt): read once the file's first
   * pass has named it, while the stream that makes that pass waits. */
  { "text-outside-sources", "project.qde", "texts/doc.txt", "<Project xmlns=\"" NS_PROJECT "\"",
    "internal://texts/doc.txt", NULL, NULL },
};

static void
test_project_containers (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (container_cases); i++)
    {
      const ContainerCase *c = &container_cases[i];
      g_autofree char *dir = cw_test_make_dir ();
      g_autoptr(GPtrArray) warnings = warnings_new ();
      g_autoptr(CwProject) project = NULL;
      g_autofree char *qdpx = NULL;
      g_autofree char *qde = NULL;
      gint64 start, end;
      CwTestZipEntry entries[3];
      guint n = 0;

      g_test_message ("container case %s", c->name);
      position_of (kevin_text, "School is saai", FALSE, TRUE, &start, &end);
      qde = g_strdup_printf ("%s name=\"p\" origin=\"Test\"><CodeBook><Codes>"
                             "<Code guid=\"" GUID ("00000003") "\" name=\"School\" isCodable=\"true\"/></Codes></CodeBook>"
                             "<Sources><TextSource guid=\"" GUID ("0000B001") "\" name=\"Kevin\" plainTextPath=\"%s\">"
                             "<PlainTextSelection guid=\"" GUID ("0000F001") "\" startPosition=\"%" G_GINT64_FORMAT "\""
                             " endPosition=\"%" G_GINT64_FORMAT "\"><Coding guid=\"" GUID ("00001001") "\">"
                             "<CodeRef targetGUID=\"" GUID ("00000003") "\"/></Coding></PlainTextSelection>"
                             "</TextSource></Sources></Project>",
                             c->xml_head, c->path, start, end);
      entries[n++] = (CwTestZipEntry) { c->qde_entry, qde, -1, FALSE };
      if (c->extra != NULL)
        entries[n++] = (CwTestZipEntry) { c->extra, "", -1, FALSE };
      entries[n++] = (CwTestZipEntry) { c->source_entry, kevin_text, -1, FALSE };
      qdpx = write_zip (dir, "in.qdpx", entries, n);

      project = import_ok (dir, qdpx, warnings);
      if (c->warning == NULL)
        assert_no_warnings (warnings);
      else
        assert_warning (warnings, c->warning);
      assert_coded (project, "Kevin", "School", "School is saai");

      g_clear_object (&project);
      cw_test_remove_dir (dir);
    }
}

/* Sections out of the schema's order (sources before the codebook and the
 * users): read from a whole tree instead of the stream, same result. */
static void
test_project_out_of_order (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(GPtrArray) warnings = warnings_new ();
  g_autoptr(CwProject) project = NULL;
  g_autofree char *body = NULL;
  g_autofree char *qde = NULL;
  g_autofree char *qdpx = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) codings = NULL;
  gint64 s, e;

  position_of (kevin_text, "School is saai", FALSE, TRUE, &s, &e);
  body = g_strdup_printf (
    "<Sources><TextSource guid=\"" GUID ("0000B001") "\" name=\"Kevin\" plainTextPath=\"internal://k.txt\">"
    "<PlainTextSelection guid=\"" GUID ("0000F001") "\" startPosition=\"%" G_GINT64_FORMAT "\" endPosition=\"%" G_GINT64_FORMAT "\">"
    "<Coding guid=\"" GUID ("00001001") "\" creatingUser=\"" GUID ("0000A001") "\"><CodeRef targetGUID=\"" GUID ("00000003") "\"/>"
    "</Coding></PlainTextSelection></TextSource></Sources>"
    "<CodeBook><Codes><Code guid=\"" GUID ("00000003") "\" name=\"School\" isCodable=\"true\"/></Codes></CodeBook>"
    "<Users><User guid=\"" GUID ("0000A001") "\" name=\"Anne\"/></Users>",
    s, e);
  qde = project_xml ("Hand 1.0", body);
  qdpx = write_qdpx (dir, qde, "sources/k.txt", kevin_text, NULL);
  project = import_ok (dir, qdpx, warnings);
  assert_no_warnings (warnings);
  codings = codings_of (project, "Kevin", &text);
  g_assert_cmpuint (codings->len, ==, 1);
  g_assert_cmpstr (((CwCoding *) g_ptr_array_index (codings, 0))->code, ==, "School");
  g_assert_cmpstr (((CwCoding *) g_ptr_array_index (codings, 0))->coder, ==, "Anne");
  assert_coded (project, "Kevin", "School", "School is saai");

  g_clear_object (&project);
  cw_test_remove_dir (dir);
}

/* ---- positions ---- */

/* A Windows transcript: BOM, CRLF, emoji, an empty line. */
static const char nvivo_raw[] =
  "Interviewer: Hoe gaat het? \xf0\x9f\x98\x80\r\n"
  "Jongere: Goed! \xf0\x9f\x8e\x89\xf0\x9f\x8e\x89 Ik heb een stage gevonden.\r\n"
  "\r\n"
  "Interviewer: Mooi \xf0\x9f\x91\x8d zo, vertel!\r\n"
  "Jongere: Bij de gemeente \xe2\x80\x94 in het groen.\r\n";

static const char *const nvivo_words[] = { "Goed", "stage gevonden", "Mooi", "vertel", "gemeente", "in het groen" };

typedef struct
{
  const char *origin;
  gboolean    utf16;
  gboolean    crlf_as_two;
  gboolean    bom;
} UnitCase;

static char *
selections_xml (const char *raw,
                gboolean    utf16,
                gboolean    crlf_as_two,
                gint64      shift)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (nvivo_words); i++)
    {
      gint64 start, end;

      position_of (raw, nvivo_words[i], utf16, crlf_as_two, &start, &end);
      g_string_append_printf (out,
                              "<PlainTextSelection guid=\"" GUID ("0000F0%02u") "\" name=\"\" startPosition=\"%" G_GINT64_FORMAT "\""
                              " endPosition=\"%" G_GINT64_FORMAT "\"><Description/>"
                              "<Coding guid=\"" GUID ("000010%02u") "\"><CodeRef targetGUID=\"" GUID ("000000%02u") "\"/></Coding>"
                              "</PlainTextSelection>",
                              i, start + shift, end + shift, i, i);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
word_codes_xml (void)
{
  g_autoptr(GString) out = g_string_new ("<CodeBook><Codes>");

  for (guint i = 0; i < G_N_ELEMENTS (nvivo_words); i++)
    g_string_append_printf (out, "<Code guid=\"" GUID ("000000%02u") "\" name=\"w%u\" isCodable=\"true\"/>", i, i);
  g_string_append (out, "</Codes></CodeBook>");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_words_coded (CwProject  *project,
                    const char *document)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) codings = codings_of (project, document, &text);

  /* Stored: no BOM, LF only, the emoji kept. */
  g_assert_null (strchr (text, '\r'));
  g_assert_false (g_str_has_prefix (text, "\xef\xbb\xbf"));
  g_assert_nonnull (strstr (text, "Goed! \xf0\x9f\x8e\x89\xf0\x9f\x8e\x89 Ik"));
  g_assert_cmpuint (codings->len, ==, G_N_ELEMENTS (nvivo_words));
  for (guint i = 0; i < G_N_ELEMENTS (nvivo_words); i++)
    {
      g_autofree char *path = g_strdup_printf ("w%u", i);

      assert_coded (project, document, path, nvivo_words[i]);
    }
}

/* The unit each tool counts in, from the origin or found by alignment
 * when the origin says nothing. */
static void
test_positions_units (void)
{
  static const UnitCase cases[] = {
    { "NVivo 12 (12.6.0.959)", TRUE, TRUE, TRUE },      /* Windows: UTF-16, CRLF counted */
    { "NVivo for Mac 12.7", TRUE, FALSE, FALSE },       /* found by alignment */
    { "ATLAS.ti Win 23.4.0 (Build 29)", FALSE, FALSE, FALSE },
    { "MAXQDA 24 (Release 24.7.0)", FALSE, TRUE, TRUE },
    { "QualCoder 3.5", FALSE, TRUE, FALSE },
    { "Home-grown 0.1", TRUE, TRUE, TRUE },             /* origin says nothing: alignment */
    { "Home-grown 0.2", TRUE, FALSE, FALSE },
    { "NVivo 14", FALSE, TRUE, TRUE },                  /* an NVivo that counts code points */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const UnitCase *c = &cases[i];
      g_autofree char *dir = cw_test_make_dir ();
      g_autoptr(GPtrArray) warnings = warnings_new ();
      g_autoptr(CwProject) project = NULL;
      g_autofree char *selections = selections_xml (nvivo_raw, c->utf16, c->crlf_as_two, 0);
      g_autofree char *codes = word_codes_xml ();
      g_autofree char *body = NULL;
      g_autofree char *qde = NULL;
      g_autofree char *qdpx = NULL;
      g_autofree char *file = g_strconcat (c->bom ? "\xef\xbb\xbf" : "", nvivo_raw, NULL);

      g_test_message ("unit case %s", c->origin);
      body = g_strdup_printf ("%s<Sources><TextSource guid=\"" GUID ("0000B001") "\" name=\"Jongere 1\""
                              " plainTextPath=\"internal://" GUID ("0000B001") ".txt\">%s</TextSource></Sources>",
                              codes, selections);
      qde = project_xml (c->origin, body);
      qdpx = write_qdpx (dir, qde, "Sources/" GUID ("0000B001") ".txt", file, NULL);
      project = import_ok (dir, qdpx, warnings);
      assert_no_warnings (warnings);
      assert_words_coded (project, "Jongere 1");

      g_clear_object (&project);
      cw_test_remove_dir (dir);
    }
}

/* NVivo: one selection per code (several on one range), empty names and
 * Descriptions, a coding's user differing from its selection's, and a
 * selection annotation linked as a Note. */
static void
test_positions_nvivo_shapes (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(GPtrArray) warnings = warnings_new ();
  g_autoptr(CwProject) project = NULL;
  g_autofree char *qde = NULL;
  g_autofree char *qdpx = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) codings = NULL;
  g_autoptr(GPtrArray) memos = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_strconcat ("\xef\xbb\xbf", nvivo_raw, NULL);
  g_autofree char *body = NULL;
  gint64 s, e;

  position_of (nvivo_raw, "stage gevonden", TRUE, TRUE, &s, &e);
  body = g_strdup_printf (
    "<Users><User guid=\"" GUID ("0000a001") "\" name=\"\" id=\"AB\"/><User guid=\"" GUID ("0000a002") "\" name=\"\"/></Users>"
    "<CodeBook><Codes>"
    "<Code guid=\"" GUID ("00000001") "\" name=\"Werk\" isCodable=\"true\"><Description /></Code>"
    "<Code guid=\"" GUID ("00000002") "\" name=\"Trots\" isCodable=\"true\"><Description /></Code>"
    "</Codes></CodeBook>"
    "<Sources><TextSource guid=\"" GUID ("0000b001") "\" name=\"Jongere 1\" richTextPath=\"internal://" GUID ("0000b001") ".docx\""
    " plainTextPath=\"internal://" GUID ("0000b001") ".txt\">"
    "<Description />"
    "<PlainTextSelection guid=\"" GUID ("0000f001") "\" name=\"\" startPosition=\"%" G_GINT64_FORMAT "\" endPosition=\"%" G_GINT64_FORMAT "\""
    " creatingUser=\"" GUID ("0000a001") "\"><Description />"
    "<Coding guid=\"" GUID ("00001001") "\" creatingUser=\"" GUID ("0000a002") "\"><CodeRef targetGUID=\"" GUID ("00000001") "\"/></Coding>"
    "</PlainTextSelection>"
    "<PlainTextSelection guid=\"" GUID ("0000f002") "\" name=\"\" startPosition=\"%" G_GINT64_FORMAT "\" endPosition=\"%" G_GINT64_FORMAT "\""
    " creatingUser=\"" GUID ("0000a001") "\"><Description />"
    "<Coding guid=\"" GUID ("00001002") "\" creatingUser=\"" GUID ("0000a001") "\"><CodeRef targetGUID=\"" GUID ("00000002") "\"/></Coding>"
    "</PlainTextSelection>"
    "</TextSource></Sources>"
    "<Notes><Note guid=\"" GUID ("0000c001") "\" name=\"Annotatie\"><PlainTextContent>Eindelijk!</PlainTextContent></Note></Notes>"
    "<Links><Link guid=\"" GUID ("0000d001") "\" name=\"\" direction=\"Associative\" originGUID=\"" GUID ("0000c001") "\""
    " targetGUID=\"" GUID ("0000f002") "\"/></Links>",
    s, e, s, e);
  qde = project_xml ("NVivo 12 (12.6.0.959)", body);
  qdpx = write_qdpx (dir, qde, "Sources/" GUID ("0000b001") ".txt", file,
                     "Sources/" GUID ("0000b001") ".docx", "PK not really", NULL);
  project = import_ok (dir, qdpx, warnings);
  assert_no_warnings (warnings);

  codings = codings_of (project, "Jongere 1", &text);
  g_assert_cmpuint (codings->len, ==, 2);
  for (guint i = 0; i < codings->len; i++)
    {
      CwCoding *coding = g_ptr_array_index (codings, i);

      cw_test_assert_substring (text, coding->start, coding->end, "stage gevonden");
      /* The Coding's user, not the selection's; a nameless user by id. */
      g_assert_cmpstr (coding->coder, ==, strcmp (coding->code, "Werk") == 0 ? "User 2" : "AB");
    }
  memos = cw_project_list_memos (project, CW_MEMO_CODING, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (memos->len, ==, 1);
  g_assert_cmpstr (((CwMemo *) g_ptr_array_index (memos, 0))->text, ==, "Eindelijk!");

  g_clear_object (&project);
  cw_test_remove_dir (dir);
}

/* Positions that match no unit: imported, with a warning naming the
 * source. */
static void
test_positions_misaligned (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(GPtrArray) warnings = warnings_new ();
  g_autoptr(CwProject) project = NULL;
  g_autofree char *selections = selections_xml (nvivo_raw, FALSE, TRUE, 2);
  g_autofree char *codes = word_codes_xml ();
  g_autofree char *body = NULL;
  g_autofree char *qde = NULL;
  g_autofree char *qdpx = NULL;

  body = g_strdup_printf ("%s<Sources><TextSource guid=\"" GUID ("0000B001") "\" name=\"Scheef\""
                          " plainTextPath=\"internal://a.txt\">%s</TextSource></Sources>",
                          codes, selections);
  qde = project_xml ("MAXQDA 24", body);
  qdpx = write_qdpx (dir, qde, "sources/a.txt", nvivo_raw, NULL);
  project = import_ok (dir, qdpx, warnings);
  assert_warning (warnings, "the selections in source “Scheef” do not line up");
  g_assert_cmpint (cw_test_sql_int (db_of (project), "SELECT count(*) FROM codings"), ==, G_N_ELEMENTS (nvivo_words));
  g_clear_object (&project);

  /* Codewerk's own exports count code points and may code inside words:
   * taken as they are, without an alarm. */
  {
    g_autofree char *ours = project_xml ("Codewerk 0.1.0", body);
    g_autofree char *path = project_path (dir);

    g_unlink (path);
    g_ptr_array_set_size (warnings, 0);
    g_free (qdpx);
    qdpx = write_qdpx (dir, ours, "sources/a.txt", nvivo_raw, NULL);
    project = import_ok (dir, qdpx, warnings);
    assert_no_warnings (warnings);
  }

  g_clear_object (&project);
  cw_test_remove_dir (dir);
}

/* Decomposed accents are composed (NFC) and the positions follow. */
static void
test_positions_nfc (void)
{
  /* "café" with e + U+0301, then "ideeën" with e + U+0308. */
  static const char raw[] = "Ik werk in een cafe\xcc\x81 sinds mei.\nMijn ideee\xcc\x88n zijn goed.\n";
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(GPtrArray) warnings = warnings_new ();
  g_autoptr(CwProject) project = NULL;
  g_autofree char *body = NULL;
  g_autofree char *qde = NULL;
  g_autofree char *qdpx = NULL;
  gint64 s1, e1, s2, e2;

  position_of (raw, "sinds mei", FALSE, TRUE, &s1, &e1);
  position_of (raw, "zijn goed", FALSE, TRUE, &s2, &e2);
  body = g_strdup_printf ("<CodeBook><Codes><Code guid=\"" GUID ("00000001") "\" name=\"a\" isCodable=\"true\"/>"
                          "<Code guid=\"" GUID ("00000002") "\" name=\"b\" isCodable=\"true\"/></Codes></CodeBook>"
                          "<Sources><TextSource guid=\"" GUID ("0000B001") "\" name=\"Cafe\" plainTextPath=\"internal://a.txt\">"
                          "<PlainTextSelection guid=\"" GUID ("0000F001") "\" startPosition=\"%" G_GINT64_FORMAT "\" endPosition=\"%" G_GINT64_FORMAT "\">"
                          "<Coding guid=\"" GUID ("00001001") "\"><CodeRef targetGUID=\"" GUID ("00000001") "\"/></Coding></PlainTextSelection>"
                          "<PlainTextSelection guid=\"" GUID ("0000F002") "\" startPosition=\"%" G_GINT64_FORMAT "\" endPosition=\"%" G_GINT64_FORMAT "\">"
                          "<Coding guid=\"" GUID ("00001002") "\"><CodeRef targetGUID=\"" GUID ("00000002") "\"/></Coding></PlainTextSelection>"
                          "</TextSource></Sources>",
                          s1, e1, s2, e2);
  qde = project_xml ("QualCoder 3.5", body);
  qdpx = write_qdpx (dir, qde, "sources/a.txt", raw, NULL);
  project = import_ok (dir, qdpx, warnings);
  assert_no_warnings (warnings);
  assert_coded (project, "Cafe", "a", "sinds mei");
  assert_coded (project, "Cafe", "b", "zijn goed");
  g_assert_nonnull (strstr (cw_test_sql_text (db_of (project), "SELECT text FROM documents"), "caf\xc3\xa9 sinds"));

  g_clear_object (&project);
  cw_test_remove_dir (dir);
}

/* ---- what other tools write ---- */

/* MAXQDA: nameless cases with one SourceRef, a selection that is only a
 * memo, sources sharing a name, VariableValues on a source. */
static void
test_project_maxqda (void)
{
  static const char text_a[] = "Interviewer: Waar werk je?\nLisa: Bij de supermarkt, vakken vullen.\n";
  static const char text_b[] = "Interviewer: En jij?\nTom: Nog niks.\n";
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(GPtrArray) warnings = warnings_new ();
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GPtrArray) memos = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *qde = NULL;
  g_autofree char *qdpx = NULL;
  sqlite3 *db;
  gint64 s, e;

  position_of (text_a, "vakken vullen", FALSE, TRUE, &s, &e);
  body = g_strdup_printf (
    "<CodeBook><Codes><Code guid=\"" GUID ("00000001") "\" name=\"Werk\" isCodable=\"true\" color=\"#ff0000\">"
    "<Description>Betaald werk</Description></Code></Codes></CodeBook>"
    "<Variables>"
    "<Variable guid=\"" GUID ("0000D001") "\" name=\"Leeftijd\" typeOfVariable=\"Integer\"/>"
    "<Variable guid=\"" GUID ("0000D002") "\" name=\"Gemiddelde\" typeOfVariable=\"Float\"/>"
    "<Variable guid=\"" GUID ("0000D003") "\" name=\"Gesprek\" typeOfVariable=\"DateTime\"/>"
    "</Variables>"
    "<Cases>"
    "<Case guid=\"" GUID ("0000E001") "\">"
    "<VariableValue><VariableRef targetGUID=\"" GUID ("0000D001") "\"/><IntegerValue>18</IntegerValue></VariableValue>"
    "<VariableValue><VariableRef targetGUID=\"" GUID ("0000D002") "\"/><FloatValue>6.5</FloatValue></VariableValue>"
    "<SourceRef targetGUID=\"" GUID ("0000B001") "\"/>"
    "</Case>"
    "</Cases>"
    "<Sources>"
    "<TextSource guid=\"" GUID ("0000B001") "\" name=\"Interview\" plainTextPath=\"internal://" GUID ("0000B001") ".txt\">"
    "<PlainTextSelection guid=\"" GUID ("0000F001") "\" startPosition=\"%" G_GINT64_FORMAT "\" endPosition=\"%" G_GINT64_FORMAT "\">"
    "<Description>Typisch eerste baan</Description></PlainTextSelection>"
    "</TextSource>"
    "<TextSource guid=\"" GUID ("0000B002") "\" name=\"Interview\" plainTextPath=\"internal://" GUID ("0000B002") ".txt\">"
    "<VariableValue><VariableRef targetGUID=\"" GUID ("0000D001") "\"/><IntegerValue>17</IntegerValue></VariableValue>"
    "<VariableValue><VariableRef targetGUID=\"" GUID ("0000D003") "\"/><DateTimeValue>2024-05-01T10:00:00Z</DateTimeValue></VariableValue>"
    "</TextSource>"
    "</Sources>",
    s, e);
  qde = project_xml ("MAXQDA 24 (Release 24.7.0)", body);
  qdpx = write_qdpx (dir, qde, "sources/" GUID ("0000B001") ".txt", text_a,
                     "sources/" GUID ("0000B002") ".txt", text_b, NULL);
  project = import_ok (dir, qdpx, warnings);
  db = db_of (project);

  documents = cw_project_list_documents (project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (documents->len, ==, 2);
  g_assert_cmpstr (((CwDocumentInfo *) g_ptr_array_index (documents, 0))->name, ==, "Interview");
  g_assert_cmpstr (((CwDocumentInfo *) g_ptr_array_index (documents, 1))->name, ==, "Interview (2)");
  assert_warning (warnings, "the second is now “Interview (2)”");

  /* The selection with only a Description: a document memo with the quote. */
  memos = cw_project_list_memos (project, CW_MEMO_DOCUMENT, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (memos->len, ==, 1);
  g_assert_cmpstr (((CwMemo *) g_ptr_array_index (memos, 0))->title, ==, "“vakken vullen”");
  g_assert_cmpstr (((CwMemo *) g_ptr_array_index (memos, 0))->text, ==, "Typisch eerste baan");

  /* Cases named after their documents. */
  g_assert_cmpstr (cw_test_sql_text (db, "SELECT group_concat(identifier, '|') FROM (SELECT identifier FROM cases ORDER BY identifier)"),
                   ==, "Interview|Interview (2)");
  assert_warning (warnings, "1 case had no name");
  assert_warning (warnings, "source “Interview (2)” carries variable values");
  g_assert_cmpint (cw_test_sql_int (db, "SELECT number FROM case_values v JOIN cases c ON c.id = v.case_id"
                                        " JOIN variables a ON a.id = v.variable_id"
                                        " WHERE c.identifier = 'Interview' AND a.name = 'Leeftijd'"), ==, 18);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT number * 10 FROM case_values v JOIN variables a ON a.id = v.variable_id"
                                        " WHERE a.name = 'Gemiddelde'"), ==, 65);
  g_assert_cmpstr (cw_test_sql_text (db, "SELECT text FROM case_values v JOIN variables a ON a.id = v.variable_id"
                                         " WHERE a.name = 'Gesprek'"), ==, "2024-05-01T10:00:00Z");
  g_assert_cmpstr (cw_test_sql_text (db, "SELECT type FROM variables WHERE name = 'Gesprek'"), ==, "date");
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM case_links l JOIN cases c ON c.id = l.case_id"
                                        " JOIN documents d ON d.id = l.document_id WHERE c.identifier = d.name"), ==, 2);

  g_clear_object (&project);
  cw_test_remove_dir (dir);
}

/* CodeRefs to codes the codebook lacks keep their codings under a
 * category; whole-source codings; a coding without a CodeRef. */
static void
test_project_missing_codes (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(GPtrArray) warnings = warnings_new ();
  g_autoptr(CwProject) project = NULL;
  g_autofree char *body = NULL;
  g_autofree char *qde = NULL;
  g_autofree char *qdpx = NULL;
  g_autofree char *paths = NULL;
  gint64 s, e;

  position_of (kevin_text, "stage bij de bakker", FALSE, TRUE, &s, &e);
  body = g_strdup_printf (
    "<CodeBook><Codes><Code guid=\"" GUID ("00000001") "\" name=\"Werk\" isCodable=\"true\"/></Codes></CodeBook>"
    "<Sources><TextSource guid=\"" GUID ("0000B001") "\" name=\"Kevin\" plainTextPath=\"internal://k.txt\">"
    "<PlainTextSelection guid=\"" GUID ("0000F001") "\" startPosition=\"%" G_GINT64_FORMAT "\" endPosition=\"%" G_GINT64_FORMAT "\">"
    "<Coding guid=\"" GUID ("00001001") "\"><CodeRef targetGUID=\"" GUID ("00000099") "\"/></Coding>"
    "<Coding guid=\"" GUID ("00001002") "\"><CodeRef targetGUID=\"" GUID ("00000001") "\"/></Coding>"
    "<Coding guid=\"" GUID ("00001003") "\"/>"
    "</PlainTextSelection>"
    "<PlainTextSelection guid=\"" GUID ("0000F002") "\" startPosition=\"5\" endPosition=\"5000\">"
    "<Coding guid=\"" GUID ("00001004") "\"><CodeRef targetGUID=\"" GUID ("00000099") "\"/></Coding>"
    "</PlainTextSelection>"
    "<Coding guid=\"" GUID ("00001005") "\"><CodeRef targetGUID=\"" GUID ("00000098") "\"/></Coding>"
    "</TextSource></Sources>",
    s, e);
  qde = project_xml ("Partial 1.0", body);
  qdpx = write_qdpx (dir, qde, "sources/k.txt", kevin_text, NULL);
  project = import_ok (dir, qdpx, warnings);

  paths = code_paths (project);
  /* The whole-source coding comes first in the file. */
  g_assert_cmpstr (paths, ==, "Werk|Imported: missing codes|Imported: missing codes/Missing code (" GUID ("00000098")
                              ")|Imported: missing codes/Missing code (" GUID ("00000099") ")");
  assert_coded (project, "Kevin", "Werk", "stage bij de bakker");
  assert_coded (project, "Kevin", "Imported: missing codes/Missing code (" GUID ("00000099") ")", "stage bij de bakker");
  assert_coded (project, "Kevin", "Imported: missing codes/Missing code (" GUID ("00000098") ")", kevin_text);
  assert_warning (warnings, "2 codings refer to codes the codebook lacks");
  assert_warning (warnings, "1 coding names no code");
  assert_warning (warnings, "1 selection has no usable range");
  /* The missing code keeps the GUID it was referred to by. */
  g_assert_cmpint (cw_test_sql_int (db_of (project), "SELECT count(*) FROM codes WHERE guid = '6f9619ff-8b86-4011-b42d-00c000000099'"),
                   ==, 1);

  g_clear_object (&project);
  cw_test_remove_dir (dir);
}

/* What Codewerk cannot hold is skipped with one warning per kind. */
static void
test_project_skipped (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(GPtrArray) warnings = warnings_new ();
  g_autoptr(CwProject) project = NULL;
  g_autofree char *qde = NULL;
  g_autofree char *qdpx = NULL;

  qde = project_xml ("ATLAS.ti Mac 23.2.1",
    "<CodeBook><Codes><Code guid=\"" GUID ("00000001") "\" name=\"Werk\" isCodable=\"true\"/></Codes></CodeBook>"
    "<Sources>"
    "<TextSource guid=\"" GUID ("0000B001") "\" name=\"Kevin\" plainTextPath=\"internal://k.txt\"/>"
    "<PDFSource guid=\"" GUID ("0000B002") "\" name=\"Verslag.pdf\" path=\"internal://v.pdf\"/>"
    "<PDFSource guid=\"" GUID ("0000B003") "\" name=\"Beleid.pdf\" path=\"internal://b.pdf\"/>"
    "<AudioSource guid=\"" GUID ("0000B004") "\" name=\"\" path=\"relative:///opname.mp3\">"
    "<Transcript guid=\"" GUID ("0000B005") "\" name=\"Opname Kevin\"/></AudioSource>"
    "<TextSource guid=\"" GUID ("0000B006") "\" name=\"Extern\" plainTextPath=\"absolute:///etc/passwd\"/>"
    "<TextSource guid=\"" GUID ("0000B007") "\" name=\"Relatief\" plainTextPath=\"relative:///tekst/r.txt\"/>"
    "<TextSource guid=\"" GUID ("0000B008") "\" name=\"Kwijt\" plainTextPath=\"internal://kwijt.txt\"/>"
    "</Sources>"
    "<Links><Link guid=\"" GUID ("0000D001") "\" originGUID=\"" GUID ("00000001") "\" targetGUID=\"" GUID ("0000B001") "\"/></Links>"
    "<Sets><Set guid=\"" GUID ("00002001") "\" name=\"Codegroep\"><MemberCode targetGUID=\"" GUID ("00000001") "\"/></Set></Sets>"
    "<Graphs><Graph guid=\"" GUID ("00003001") "\" name=\"Netwerk\"/></Graphs>");
  qdpx = write_qdpx (dir, qde, "sources/k.txt", kevin_text, NULL);
  project = import_ok (dir, qdpx, warnings);

  g_assert_cmpint (cw_test_sql_int (db_of (project), "SELECT count(*) FROM documents"), ==, 1);
  g_assert_null (strstr (cw_test_sql_text (db_of (project), "SELECT group_concat(text) FROM documents"), "root:"));
  assert_warning (warnings, "2 PDF sources were skipped (Codewerk keeps text only): “Verslag.pdf”, “Beleid.pdf”");
  assert_warning (warnings, "1 audio source was skipped: “Opname Kevin”");
  assert_warning (warnings, "source “Extern” refers to a file outside the archive");
  assert_warning (warnings, "source “Relatief” refers to a file outside the archive");
  assert_warning (warnings, "source “Kwijt”: its text file internal://kwijt.txt is missing from the archive: skipped");
  assert_warning (warnings, "1 link was skipped");
  assert_warning (warnings, "1 graph was skipped");
  assert_warning (warnings, "1 code group is not kept");

  g_clear_object (&project);
  cw_test_remove_dir (dir);
}

/* Progress once per source and at the end; refuses to overwrite. */
static void
progress_cb (guint       done,
             guint       total,
             const char *current,
             gpointer    user_data)
{
  GString *log = user_data;

  g_string_append_printf (log, "%u/%u:%s;", done, total, current ? current : "-");
}

static void
test_project_progress_and_exists (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *qde = standard_project ();
  g_autofree char *qdpx = write_qdpx (dir, qde, "sources/" GUID ("0000B001") ".txt", kevin_text, NULL);
  g_autofree char *path = project_path (dir);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwProject) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  project = cw_refi_import_project (qdpx, path, NULL, progress_cb, log, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (log->str, ==, "0/2:Interview Kevin;1/2:Arena Almere;2/2:-;");
  g_clear_object (&project);

  before = cw_test_dump (path);
  again = cw_refi_import_project (qdpx, path, NULL, NULL, NULL, NULL, &error);
  g_assert_null (again);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS);
  after = cw_test_dump (path);
  g_assert_cmpstr (before, ==, after);

  cw_test_remove_dir (dir);
}

/* ---- a larger project: the streaming import's batches ---- */

#define MANY_SOURCES 70  /* more than the parse-ahead queue and an index batch */
#define MANY_SELECTIONS 3

/* Source i: a common word, one of its own, and a line per speaker. */
static char *
many_text (guint i)
{
  return g_strdup_printf ("Interviewer: Vertel eens over je stage, deelnemer %03u.\n"
                          "Deelnemer: Het gemeenschappelijke woord is werkplek en mijn eigen woord is uniek%03u.\n"
                          "Interviewer: Dank je.\n",
                          i, i);
}

/* Each selection coded twice by the same coder with the same code (one
 * coding, as NVivo repeats them) and once by another. */
static char *
many_project (GPtrArray *entries)
{
  g_autoptr(GString) xml = g_string_new ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                                         "<Project xmlns=\"" NS_PROJECT "\" name=\"Veel\" origin=\"Hand 1.0\">"
                                         "<Users><User guid=\"" GUID ("0000A001") "\" name=\"Anne\"/>"
                                         "<User guid=\"" GUID ("0000A002") "\" name=\"Bram\"/></Users>"
                                         "<CodeBook><Codes>"
                                         "<Code guid=\"" GUID ("00000001") "\" name=\"Stage\" isCodable=\"true\"/>"
                                         "<Code guid=\"" GUID ("00000002") "\" name=\"Werk\" isCodable=\"true\"/>"
                                         "</Codes></CodeBook><Sources>");

  for (guint i = 0; i < MANY_SOURCES; i++)
    {
      g_autofree char *text = many_text (i);
      g_autofree char *file = g_strdup_printf ("sources/%08X-0000-4000-8000-000000000000.txt", i);
      g_autofree char *own = g_strdup_printf ("uniek%03u", i);
      const char *words[MANY_SELECTIONS] = { "stage", "werkplek", own };
      g_string_append_printf (xml, "<TextSource guid=\"%08X-0000-4000-8000-000000000000\" name=\"Deelnemer %03u\""
                              " plainTextPath=\"internal://%08X-0000-4000-8000-000000000000.txt\">",
                              i, i, i);
      for (guint k = 0; k < MANY_SELECTIONS; k++)
        {
          gint64 start, end;

          position_of (text, words[k], FALSE, TRUE, &start, &end);
          g_string_append_printf (xml, "<PlainTextSelection guid=\"%08X-%04X-4000-8000-000000000001\" startPosition=\"%"
                                G_GINT64_FORMAT "\" endPosition=\"%" G_GINT64_FORMAT "\" creatingUser=\"" GUID ("0000A001") "\">"
                                "<Coding guid=\"%08X-%04X-4000-8000-000000000002\"><CodeRef targetGUID=\"" GUID ("00000001") "\"/></Coding>"
                                "<Coding guid=\"%08X-%04X-4000-8000-000000000003\"><CodeRef targetGUID=\"" GUID ("00000001") "\"/></Coding>"
                                "<Coding guid=\"%08X-%04X-4000-8000-000000000004\" creatingUser=\"" GUID ("0000A002") "\">"
                                "<CodeRef targetGUID=\"" GUID ("00000002") "\"/></Coding>"
                                "</PlainTextSelection>",
                                  i, k, start, end, i, k, i, k, i, k);
        }
      g_string_append (xml, "</TextSource>");
      g_ptr_array_add (entries, g_strdup (file));
      g_ptr_array_add (entries, g_steal_pointer (&text));
    }
  g_string_append (xml, "</Sources></Project>");
  return g_string_free (g_steal_pointer (&xml), FALSE);
}

static char *
write_many (const char *dir)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *qde = many_project (files);
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (CwTestZipEntry));
  CwTestZipEntry entry = { "project.qde", qde, -1, FALSE };
  g_autoptr(GBytes) zip = NULL;
  g_autoptr(GFile) file = NULL;

  g_array_append_val (entries, entry);
  for (guint i = 0; i + 1 < files->len; i += 2)
    {
      CwTestZipEntry source = { files->pdata[i], files->pdata[i + 1], -1, FALSE };

      g_array_append_val (entries, source);
    }
  zip = cw_test_zip_new ((const CwTestZipEntry *) entries->data, entries->len, FALSE);
  file = cw_test_write_bytes (dir, "veel.qdpx", g_bytes_get_data (zip, NULL), g_bytes_get_size (zip));
  return g_file_get_path (file);
}

/* Names in dir other than keep: what an import left behind. */
static char *
leftovers (const char *dir,
           const char *keep)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GString) names = g_string_new (NULL);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    if (strcmp (name, keep) != 0)
      g_string_append_printf (names, "%s ", name);
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* Everything lands, once; the full-text index built on the side is the
 * one SQLite would build (FTS5's own check, against the documents), so a
 * search right after the import finds every document; the file is a
 * normal project (WAL, history recording) with nothing beside it. */
static void
test_project_many (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *qdpx = write_many (dir);
  g_autoptr(GPtrArray) warnings = warnings_new ();
  g_autoptr(CwProject) project = import_ok (dir, qdpx, warnings);
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *left = NULL;
  sqlite3 *db = db_of (project);
  gint64 coding;

  assert_no_warnings (warnings);
  documents = cw_project_list_documents (project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (documents->len, ==, MANY_SOURCES);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM codings"), ==, MANY_SOURCES * MANY_SELECTIONS * 2);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM turns"), ==, MANY_SOURCES * 3);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM codings c JOIN coders r ON r.id = c.coder_id"
                                        " WHERE r.name = 'Bram'"), ==, MANY_SOURCES * MANY_SELECTIONS);
  /* The selections land on their words in every document. */
  for (guint i = 0; i < documents->len; i++)
    {
      CwDocumentInfo *info = documents->pdata[i];
      g_autofree char *text = cw_project_get_text (project, info->id, &error);
      g_autofree char *first = g_strdup_printf ("SELECT min(start) FROM codings WHERE document_id = %" G_GINT64_FORMAT,
                                                info->id);
      g_autofree char *last = g_strdup_printf ("SELECT max(start) FROM codings WHERE document_id = %" G_GINT64_FORMAT,
                                               info->id);
      g_autofree char *own = g_strdup_printf ("uniek%s", info->name + strlen ("Deelnemer "));
      gint64 start = cw_test_sql_int (db, first);

      g_assert_no_error (error);
      cw_test_assert_substring (text, start, start + 5, "stage");
      start = cw_test_sql_int (db, last);
      cw_test_assert_substring (text, start, start + 8, own);
    }

  g_assert_cmpstr (cw_test_sql_text (db, "PRAGMA journal_mode"), ==, "wal");
  g_assert_cmpstr (cw_test_sql_text (db, "PRAGMA integrity_check"), ==, "ok");
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO document_index (document_index) VALUES ('integrity-check')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  hits = cw_project_search (project, "werkplek", 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, MANY_SOURCES);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = cw_project_search (project, "uniek042", 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((CwSearchHit *) hits->pdata[0])->document, ==, "Deelnemer 042");

  /* Nothing to undo, and what is done next is recorded as usual. */
  g_assert_false (cw_project_can_undo (project));
  coding = cw_project_add_coding (project, ((CwDocumentInfo *) documents->pdata[0])->id,
                                  cw_test_sql_int (db, "SELECT id FROM codes WHERE name = 'Werk'"), 0, 5, "Anne", NULL,
                                  &error);
  g_assert_no_error (error);
  g_assert_cmpint (coding, >, 0);
  g_assert_true (cw_project_can_undo (project));
  g_assert_true (cw_project_undo (project, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM codings"), ==, MANY_SOURCES * MANY_SELECTIONS * 2);

  g_clear_object (&project);
  left = leftovers (dir, "veel.qdpx");
  g_assert_cmpstr (left, ==, "imported.codewerk ");
  cw_test_remove_dir (dir);
}

static void
cancel_at_20 (guint       done,
              guint       total,
              const char *current,
              gpointer    user_data)
{
  if (done == 20)
    g_cancellable_cancel (user_data);
}

/* Cancelled halfway (20 sources stored): nothing is left, not the project
 * nor the file it was built in. */
static void
test_project_cancelled (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *qdpx = write_many (dir);
  g_autofree char *path = project_path (dir);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *left = NULL;

  project = cw_refi_import_project (qdpx, path, NULL, cancel_at_20, cancellable, cancellable, &error);
  g_assert_null (project);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  left = leftovers (dir, "veel.qdpx");
  g_assert_cmpstr (left, ==, "");
  cw_test_remove_dir (dir);
}

/* ---- refusals ---- */

typedef struct
{
  const char *name;
  int         code;    /* CwImportError */
  const char *message; /* part of the message */
} ProjectRefusal;

static const char xxe_project[] =
  "<?xml version=\"1.0\"?>\n<!DOCTYPE Project [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
  "<Project xmlns=\"" NS_PROJECT "\" name=\"&xxe;\"><Sources><TextSource guid=\"" GUID ("0000B001") "\" name=\"x\">"
  "<PlainTextContent>&xxe;</PlainTextContent></TextSource></Sources></Project>";

static const char laughs_project[] =
  "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
  "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
  "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
  "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
  "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
  "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">]>\n"
  "<Project xmlns=\"" NS_PROJECT "\" name=\"x\"><Sources><TextSource guid=\"" GUID ("0000B001") "\" name=\"x\">"
  "<PlainTextContent>&lol5;</PlainTextContent></TextSource></Sources></Project>";

static GBytes *
refusal_input (const char *name)
{
  static const char minimal[] = "<Project xmlns=\"" NS_PROJECT "\" name=\"x\"/>";

  if (strcmp (name, "not-a-zip") == 0)
    {
      static const char text[] = "Dit is geen zip maar gewone tekst, lang genoeg om op te vallen.";

      return g_bytes_new_static (text, strlen (text));
    }
  if (strcmp (name, "empty-file") == 0)
    return g_bytes_new_static ("", 0);
  if (strcmp (name, "truncated") == 0)
    {
      g_autofree char *qde = standard_project ();
      g_autoptr(GBytes) zip = cw_test_zip_build ("project.qde", qde, "sources/" GUID ("0000B001") ".txt", kevin_text, NULL);

      return g_bytes_new_from_bytes (zip, 0, g_bytes_get_size (zip) - 40);
    }
  if (strcmp (name, "no-project") == 0)
    return cw_test_zip_build ("other.xml", minimal, NULL);
  if (strcmp (name, "not-xml") == 0)
    return cw_test_zip_build ("project.qde", "Geen XML <maar <tekst", NULL);
  if (strcmp (name, "wrong-root") == 0)
    return cw_test_zip_build ("project.qde", "<CodeBook xmlns=\"" NS_CODEBOOK "\"><Codes/></CodeBook>", NULL);
  if (strcmp (name, "xxe") == 0)
    return cw_test_zip_build ("project.qde", xxe_project, NULL);
  if (strcmp (name, "billion-laughs") == 0)
    return cw_test_zip_build ("project.qde", laughs_project, NULL);
  if (strcmp (name, "escaping-entry") == 0)
    return cw_test_zip_build ("project.qde", minimal, "../evil", "boe", NULL);
  if (strcmp (name, "absolute-entry") == 0)
    return cw_test_zip_build ("project.qde", minimal, "/tmp/evil", "boe", NULL);
  if (strcmp (name, "symlink-entry") == 0)
    {
      CwTestZipEntry entries[] = {
        { "project.qde", minimal, -1, FALSE },
        { "sources/passwd.txt", "/etc/passwd", -1, TRUE },
      };

      return cw_test_zip_new (entries, G_N_ELEMENTS (entries), FALSE);
    }
  if (strcmp (name, "escaping-path") == 0)
    return cw_test_zip_build ("project.qde",
                              "<Project xmlns=\"" NS_PROJECT "\" name=\"x\"><Sources><TextSource guid=\"" GUID ("0000B001") "\""
                              " name=\"x\" plainTextPath=\"internal://../../etc/passwd\"/></Sources></Project>",
                              NULL);
  if (strcmp (name, "escaping-escaped-path") == 0)
    return cw_test_zip_build ("project.qde",
                              "<Project xmlns=\"" NS_PROJECT "\" name=\"x\"><Sources><TextSource guid=\"" GUID ("0000B001") "\""
                              " name=\"x\" plainTextPath=\"internal://%2E%2E/%2E%2E/etc/passwd\"/></Sources></Project>",
                              NULL);
  if (strcmp (name, "qde-size-lies") == 0)
    {
      /* project.qde's directory entries give a third of its size: the
       * stream that parses it as it is inflated (in 256 KiB steps) sees
       * its buffer grow, then the read fail. */
      g_autoptr(GString) qde = g_string_new ("<Project xmlns=\"" NS_PROJECT "\" name=\"x\"><Description>");
      g_autoptr(GBytes) zip = NULL;
      guchar *data;
      gsize size;
      guint32 real, fake;

      for (guint i = 0; qde->len < 1200 * 1024; i++)
        g_string_append_printf (qde, "regel %u van een lange beschrijving\n", i);
      g_string_append (qde, "</Description></Project>");
      real = qde->len;
      fake = real / 3;
      zip = cw_test_zip_build ("project.qde", qde->str, NULL);
      data = g_bytes_unref_to_data (g_steal_pointer (&zip), &size);
      for (gsize i = 0; i + 46 + 11 <= size; i++)
        {
          gboolean central = memcmp (data + i, "PK\1\2", 4) == 0, local = memcmp (data + i, "PK\3\4", 4) == 0;
          gsize at = central ? 24 : 22, name_at = central ? 46 : 30;
          guint32 value;

          if ((!central && !local) || memcmp (data + i + name_at, "project.qde", 11) != 0)
            continue;
          memcpy (&value, data + i + at, 4);
          if (GUINT32_FROM_LE (value) == real)
            {
              value = GUINT32_TO_LE (fake);
              memcpy (data + i + at, &value, 4);
            }
        }
      return g_bytes_new_take (data, size);
    }
  if (strcmp (name, "bomb") == 0)
    {
      /* 40 MB of blanks inside valid XML: a few tens of kB zipped. */
      gsize size = 40 * 1024 * 1024;
      g_autofree char *qde = g_malloc (size + 1);
      const char head[] = "<Project xmlns=\"" NS_PROJECT "\" name=\"x\">";
      const char tail[] = "</Project>";

      memset (qde, ' ', size);
      memcpy (qde, head, strlen (head));
      memcpy (qde + size - strlen (tail), tail, strlen (tail));
      qde[size] = '\0';
      return cw_test_zip_build ("project.qde", qde, NULL);
    }
  if (strcmp (name, "source-bomb") == 0)
    {
      gsize size = 40 * 1024 * 1024;
      g_autofree char *text = g_malloc (size + 1);

      memset (text, 'a', size);
      text[size] = '\0';
      return cw_test_zip_build ("project.qde",
                                "<Project xmlns=\"" NS_PROJECT "\" name=\"x\"><Sources><TextSource guid=\"" GUID ("0000B001") "\""
                                " name=\"x\" plainTextPath=\"internal://a.txt\"/></Sources></Project>",
                                "sources/a.txt", text, NULL);
    }
  g_assert_not_reached ();
}

static void
test_project_refusals (void)
{
  static const ProjectRefusal refusals[] = {
    { "not-a-zip", CW_IMPORT_ERROR_CORRUPT, "not a zip" },
    { "empty-file", CW_IMPORT_ERROR_CORRUPT, "not a zip" },
    { "truncated", CW_IMPORT_ERROR_CORRUPT, "incomplete" },
    { "no-project", CW_IMPORT_ERROR_UNSUPPORTED, "no project.qde" },
    { "not-xml", CW_IMPORT_ERROR_CORRUPT, "not well-formed" },
    { "wrong-root", CW_IMPORT_ERROR_UNSUPPORTED, "not a REFI-QDA project" },
    { "xxe", CW_IMPORT_ERROR_CORRUPT, "document type declaration" },
    { "billion-laughs", CW_IMPORT_ERROR_CORRUPT, "document type declaration" },
    { "escaping-entry", CW_IMPORT_ERROR_CORRUPT, "unsafe name" },
    { "absolute-entry", CW_IMPORT_ERROR_CORRUPT, "unsafe name" },
    { "symlink-entry", CW_IMPORT_ERROR_CORRUPT, "symbolic link" },
    { "escaping-path", CW_IMPORT_ERROR_CORRUPT, "would leave the archive" },
    { "escaping-escaped-path", CW_IMPORT_ERROR_CORRUPT, "would leave the archive" },
    { "bomb", CW_IMPORT_ERROR_TOO_LARGE, "bomb" },
    { "source-bomb", CW_IMPORT_ERROR_TOO_LARGE, "bomb" },
    { "qde-size-lies", CW_IMPORT_ERROR_CORRUPT, "cannot unpack project.qde" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      const ProjectRefusal *r = &refusals[i];
      g_autofree char *dir = cw_test_make_dir ();
      g_autoptr(GBytes) input = refusal_input (r->name);
      g_autoptr(GFile) file = cw_test_write_bytes (dir, "in.qdpx", g_bytes_get_data (input, NULL), g_bytes_get_size (input));
      g_autofree char *qdpx = g_file_get_path (file);
      g_autofree char *path = project_path (dir);
      g_autofree char *prefix = g_strconcat (qdpx, ": ", NULL);
      g_autoptr(GPtrArray) warnings = warnings_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(CwProject) project = NULL;

      g_test_message ("refusal %s", r->name);
      project = cw_refi_import_project (qdpx, path, warnings, NULL, NULL, NULL, &error);
      g_assert_null (project);
      g_assert_error (error, CW_IMPORT_ERROR, r->code);
      if (strstr (error->message, r->message) == NULL || !g_str_has_prefix (error->message, prefix))
        g_error ("refusal %s: unexpected message: %s", r->name, error->message);
      g_assert_null (strstr (error->message, "root:"));
      assert_no_project_left (dir);

      cw_test_remove_dir (dir);
    }
}

int
main (int   argc,
      char *argv[])
{
  xmlInitParser ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/refi-import/codebook/variants", test_codebook_variants);
  g_test_add_func ("/refi-import/codebook/tolerance", test_codebook_tolerance);
  g_test_add_func ("/refi-import/codebook/matching-and-undo", test_codebook_matching);
  g_test_add_func ("/refi-import/codebook/refusals", test_codebook_refusals);
  g_test_add_func ("/refi-import/project/standard", test_project_standard);
  g_test_add_func ("/refi-import/project/containers", test_project_containers);
  g_test_add_func ("/refi-import/project/out-of-order", test_project_out_of_order);
  g_test_add_func ("/refi-import/project/maxqda", test_project_maxqda);
  g_test_add_func ("/refi-import/project/missing-codes", test_project_missing_codes);
  g_test_add_func ("/refi-import/project/skipped", test_project_skipped);
  g_test_add_func ("/refi-import/project/progress-and-exists", test_project_progress_and_exists);
  g_test_add_func ("/refi-import/project/refusals", test_project_refusals);
  g_test_add_func ("/refi-import/project/many", test_project_many);
  g_test_add_func ("/refi-import/project/cancelled", test_project_cancelled);
  g_test_add_func ("/refi-import/positions/units", test_positions_units);
  g_test_add_func ("/refi-import/positions/nvivo-shapes", test_positions_nvivo_shapes);
  g_test_add_func ("/refi-import/positions/misaligned", test_positions_misaligned);
  g_test_add_func ("/refi-import/positions/nfc", test_positions_nfc);

  return g_test_run ();
}
