/* cw-import-office.c: Word (.docx) and OpenDocument (.odt) transcripts.
 *
 * Both are zips of XML. The entry is read capped (cw-zip), parsed by libxml2
 * with a parser that refuses any document type declaration (so no external
 * entities, no DTD loading, no entity expansion bombs), and the tree walked
 * into one CwParagraph per paragraph or table row. A bold run ending in ':'
 * at the start of a paragraph gives the paragraph's speaker label.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "cw-import.h"
#include "cw-xml.h"
#include "cw-zip.h"

#define W_NS        "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define W_STRICT_NS "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define RELS_NS     "http://schemas.openxmlformats.org/package/2006/relationships"
#define OFFICE_NS   "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define TEXT_NS     "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define TABLE_NS    "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define STYLE_NS    "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define FO_NS       "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"

/* A longer bold lead is a heading or emphasis, not a speaker's name. */
#define MAX_LABEL_CHARS 60
/* Bounds what hostile markup can expand to (<text:s text:c="..."/>). */
#define MAX_SPACES      1000
#define MAX_PARAGRAPHS  1000000
#define MAX_STYLE_DEPTH 16

/* ---- XML ---- */

typedef struct
{
  gboolean saw_doctype;
  gboolean has_error;
  int      line;
  char    *message;
} XmlState;

static void
on_internal_subset (void          *ctx,
                    const xmlChar *name,
                    const xmlChar *external_id,
                    const xmlChar *system_id)
{
  xmlParserCtxt *ctxt = ctx;
  XmlState *state = ctxt->_private;

  /* Stop before the internal subset is read: no entity is ever declared. */
  state->saw_doctype = TRUE;
  xmlStopParser (ctxt);
}

static void
on_structured_error (void     *ctx,
                     xmlError *error)
{
  xmlParserCtxt *ctxt = ctx;
  XmlState *state = ctxt->_private;

  /* The first error is the cause; later ones are consequences. */
  if (state->has_error || error == NULL || error->level < XML_ERR_ERROR)
    return;
  state->has_error = TRUE;
  state->line = error->line;
  state->message = g_strstrip (g_strdup (error->message ? error->message : "parse error"));
}

/* Parses entry (bytes read from the zip) without network, DTDs or entity
 * expansion. Errors name the entry and the line. */
static xmlDoc *
parse_xml (GBytes      *bytes,
           const char  *entry,
           const char  *filename,
           GError     **error)
{
  XmlState state = { 0 };
  xmlParserCtxt *ctxt;
  xmlDoc *doc;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (size > G_MAXINT)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_TOO_LARGE, filename, 0, _("%s is too large"), entry);
      return NULL;
    }

  cw_xml_init ();
  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_IO, filename, 0, _("out of memory parsing %s"), entry);
      return NULL;
    }
  ctxt->_private = &state;
  ctxt->sax->internalSubset = on_internal_subset;
  ctxt->sax->serror = on_structured_error;

  doc = xmlCtxtReadMemory (ctxt, data ? data : "", (int) size, entry, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                           XML_PARSE_NOCDATA | XML_PARSE_COMPACT);

  if (state.saw_doctype)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0,
                           _("%s: XML with a document type declaration is not accepted"), entry);
      g_clear_pointer (&doc, xmlFreeDoc);
    }
  else if (doc == NULL || !ctxt->wellFormed || state.has_error)
    {
      const xmlError *last = xmlCtxtGetLastError (ctxt);
      int line = state.has_error ? state.line : (last ? last->line : 0);
      const char *message = state.message ? state.message : "not well-formed";

      /* libxml2's own words would send the user to a parser option. */
      if (state.message != NULL && g_str_has_prefix (state.message, "Excessive depth"))
        message = _("elements nested too deeply");

      if (line > 0)
        cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0,
                             _("%s, line %d: not well-formed XML (%s)"), entry, line, message);
      else
        cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0,
                             _("%s: not well-formed XML (%s)"), entry, message);
      g_clear_pointer (&doc, xmlFreeDoc);
    }

  g_free (state.message);
  xmlFreeParserCtxt (ctxt);
  return doc;
}

static gboolean
is_element (xmlNode    *node,
            const char *ns,
            const char *name)
{
  return node != NULL &&
         node->type == XML_ELEMENT_NODE &&
         node->ns != NULL && node->ns->href != NULL &&
         strcmp ((const char *) node->ns->href, ns) == 0 &&
         strcmp ((const char *) node->name, name) == 0;
}

static gboolean
in_namespace (xmlNode    *node,
              const char *ns)
{
  return node->type == XML_ELEMENT_NODE &&
         node->ns != NULL && node->ns->href != NULL &&
         strcmp ((const char *) node->ns->href, ns) == 0;
}

/* An attribute's value, or NULL; free with g_free. */
static char *
get_attribute (xmlNode    *node,
               const char *ns,
               const char *name)
{
  xmlChar *value = xmlGetNsProp (node, (const xmlChar *) name, (const xmlChar *) ns);
  char *copy = g_strdup ((const char *) value);

  xmlFree (value);
  return copy;
}

static xmlNode *
first_child_element (xmlNode    *node,
                     const char *ns,
                     const char *name)
{
  for (xmlNode *child = node ? node->children : NULL; child != NULL; child = child->next)
    if (is_element (child, ns, name))
      return child;
  return NULL;
}

/* ---- Paragraph assembly, shared by both formats ---- */

typedef struct
{
  GPtrArray *paragraphs;
  gsize      total;
  gboolean   too_large;
} Output;

typedef struct
{
  Output     *out;
  GString    *text;
  gsize       bold_end;        /* end of the leading bold text */
  gboolean    lead_open;       /* nothing but bold (or blanks) so far */
  const char *pending;         /* separator to put before the next text */
  gboolean    collapsed_space; /* ODF: the last character is a collapsed blank */
  gboolean    at_start;        /* ODF: nothing emitted in this paragraph yet */
} Line;

static void
line_init (Line   *line,
           Output *out)
{
  memset (line, 0, sizeof *line);
  line->out = out;
  line->text = g_string_new (NULL);
  line->lead_open = TRUE;
  line->at_start = TRUE;
}

static gboolean
is_blank (const char *text,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (text[i]))
      return FALSE;
  return TRUE;
}

static void
line_append (Line       *line,
             const char *text,
             gsize       len,
             gboolean    bold)
{
  if (len == 0 || line->out->too_large)
    return;

  if (line->pending != NULL)
    {
      const char *pending = line->pending;

      line->pending = NULL;
      line_append (line, pending, strlen (pending), FALSE);
    }

  line->out->total += len;
  if (line->out->total > CW_IMPORT_MAX_ENTRY_BYTES)
    {
      line->out->too_large = TRUE;
      return;
    }

  if (line->lead_open)
    {
      if (bold)
        line->bold_end = line->text->len + len;
      else if (line->bold_end > 0 || !is_blank (text, len))
        line->lead_open = FALSE;
    }

  g_string_append_len (line->text, text, len);
  line->collapsed_space = FALSE;
  line->at_start = FALSE;
}

/* The speaker label from formatting: the leading bold text when it ends in
 * ':' (blanks after the colon may be bold too), or when a ':' follows it
 * straight away. */
static guint
line_label_bytes (Line *line)
{
  const char *text = line->text->str;
  gsize end = line->bold_end;
  gsize label;

  while (end > 0 && g_ascii_isspace (text[end - 1]))
    end--;
  if (end == 0)
    return 0;

  if (text[end - 1] == ':')
    label = end;
  else if (end == line->bold_end && text[end] == ':')
    label = end + 1;
  else
    return 0;

  if (label < 2 || is_blank (text, label - 1) ||
      memchr (text, '\n', label) != NULL || memchr (text, '\t', label) != NULL ||
      g_utf8_strlen (text, label) > MAX_LABEL_CHARS)
    return 0;

  return (guint) label;
}

static void
line_finish (Line *line)
{
  CwParagraph *paragraph;

  if (line->collapsed_space && line->text->len > 0)
    g_string_truncate (line->text, line->text->len - 1);
  if (line->bold_end > line->text->len)
    line->bold_end = line->text->len;

  if (!line->out->too_large)
    {
      if (line->out->paragraphs->len >= MAX_PARAGRAPHS)
        line->out->too_large = TRUE;
      else
        {
          paragraph = cw_paragraph_new (line->text->str, (gssize) line->text->len);
          paragraph->label_bytes = line_label_bytes (line);
          g_ptr_array_add (line->out->paragraphs, paragraph);
        }
    }

  g_string_free (line->text, TRUE);
  line->text = NULL;
}

/* Returns the paragraphs, or NULL with an error when the output went over
 * the caps. */
static GPtrArray *
output_finish (Output      *out,
               const char  *filename,
               GError     **error)
{
  if (out->too_large)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_TOO_LARGE, filename, 0,
                           _("the document's text is too large to import"));
      g_clear_pointer (&out->paragraphs, g_ptr_array_unref);
      return NULL;
    }
  return g_steal_pointer (&out->paragraphs);
}

/* ---- Shared zip handling ---- */

static gboolean
looks_like_ole (GBytes *bytes)
{
  static const guchar magic[] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
  gsize size;
  const guchar *data = g_bytes_get_data (bytes, &size);

  return size >= sizeof magic && memcmp (data, magic, sizeof magic) == 0;
}

/* Lists the zip's entries, with messages that speak of office files. */
static GPtrArray *
list_office_entries (GBytes      *bytes,
                     const char  *filename,
                     const char  *what,
                     GError     **error)
{
  gsize size;
  const guchar *data = g_bytes_get_data (bytes, &size);

  if (looks_like_ole (bytes))
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, filename, 0,
                           _("this is an old-style (.doc) or password-protected document; save it as %s without a password"),
                           what);
      return NULL;
    }
  if (size < 4 || data[0] != 'P' || data[1] != 'K')
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0,
                           _("not a %s file, or a damaged one (it is not a zip archive)"), what);
      return NULL;
    }

  return cw_zip_list_entries (bytes, filename, error);
}

/* ---- Word ---- */

static gboolean
is_w (xmlNode    *node,
      const char *name)
{
  return is_element (node, W_NS, name) || is_element (node, W_STRICT_NS, name);
}

static gboolean
in_w (xmlNode *node)
{
  return in_namespace (node, W_NS) || in_namespace (node, W_STRICT_NS);
}

static char *
get_w_attribute (xmlNode    *node,
                 const char *name)
{
  char *value = get_attribute (node, W_NS, name);

  return value != NULL ? value : get_attribute (node, W_STRICT_NS, name);
}

static gboolean
w_toggle_is_on (xmlNode *node)
{
  g_autofree char *value = get_w_attribute (node, "val");

  return value == NULL ||
         !(strcmp (value, "0") == 0 || g_ascii_strcasecmp (value, "false") == 0 ||
           g_ascii_strcasecmp (value, "off") == 0);
}

static gboolean
docx_run_is_bold (xmlNode *run)
{
  for (xmlNode *child = run->children; child != NULL; child = child->next)
    if (is_w (child, "rPr"))
      for (xmlNode *property = child->children; property != NULL; property = property->next)
        if (is_w (property, "b"))
          return w_toggle_is_on (property);
  return FALSE;
}

static void
append_text_children (Line     *line,
                      xmlNode  *node,
                      gboolean  bold)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    if ((child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) && child->content != NULL)
      line_append (line, (const char *) child->content, strlen ((const char *) child->content), bold);
}

static void
docx_run (Line    *line,
          xmlNode *run)
{
  gboolean bold = docx_run_is_bold (run);

  /* Only the run's own text: drawings and text boxes inside a run, field
   * instructions (w:instrText) and deleted text (w:delText) are left out. */
  for (xmlNode *child = run->children; child != NULL; child = child->next)
    {
      if (is_w (child, "t"))
        append_text_children (line, child, bold);
      else if (is_w (child, "tab") || is_w (child, "ptab"))
        line_append (line, "\t", 1, bold);
      else if (is_w (child, "br") || is_w (child, "cr"))
        line_append (line, "\n", 1, bold);
      else if (is_w (child, "noBreakHyphen"))
        line_append (line, "-", 1, bold);
    }
}

static void
docx_inline (Line    *line,
             xmlNode *node)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (!in_w (child))
        continue; /* mc:AlternateContent, math, ... */
      if (is_w (child, "r"))
        docx_run (line, child);
      else if (is_w (child, "pPr") || is_w (child, "rPr") ||
               is_w (child, "del") || is_w (child, "moveFrom"))
        continue;
      else
        /* w:ins, w:hyperlink, w:smartTag, w:fldSimple, w:sdt, w:customXml,
         * w:moveTo, w:dir, w:bdo: wrappers around runs. */
        docx_inline (line, child);
    }
}

static void docx_cell_content (Line *line, xmlNode *node);

static void
docx_row_cells (Line     *line,
                xmlNode  *row,
                gboolean  nested)
{
  gboolean first = TRUE;

  for (xmlNode *child = row->children; child != NULL; child = child->next)
    {
      xmlNode *cell = child;

      if (is_w (child, "sdt"))
        cell = first_child_element (first_child_element (child, W_NS, "sdtContent"), W_NS, "tc");
      if (cell == NULL || !is_w (cell, "tc"))
        continue;

      if (!first)
        {
          if (nested)
            line->pending = " ";
          else
            {
              line->pending = NULL;
              line_append (line, "\t", 1, FALSE);
            }
        }
      first = FALSE;
      docx_cell_content (line, cell);
    }
}

static void
docx_cell_content (Line    *line,
                   xmlNode *node)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (is_w (child, "p"))
        {
          gsize before = line->text->len;

          docx_inline (line, child);
          if (line->text->len > before)
            line->pending = " ";
        }
      else if (is_w (child, "tbl"))
        {
          for (xmlNode *row = child->children; row != NULL; row = row->next)
            if (is_w (row, "tr"))
              {
                docx_row_cells (line, row, TRUE);
                line->pending = " ";
              }
        }
      else if (is_w (child, "sdt") || is_w (child, "sdtContent") || is_w (child, "customXml"))
        docx_cell_content (line, child);
    }
}

static void
docx_block (Output  *out,
            xmlNode *node)
{
  for (xmlNode *child = node->children; child != NULL && !out->too_large; child = child->next)
    {
      Line line;

      if (is_w (child, "p"))
        {
          line_init (&line, out);
          docx_inline (&line, child);
          line_finish (&line);
        }
      else if (is_w (child, "tbl"))
        {
          for (xmlNode *row = child->children; row != NULL; row = row->next)
            if (is_w (row, "tr"))
              {
                line_init (&line, out);
                docx_row_cells (&line, row, FALSE);
                line_finish (&line);
              }
        }
      else if (is_w (child, "sdt") || is_w (child, "sdtContent") || is_w (child, "customXml"))
        docx_block (out, child);
      /* w:sectPr, bookmarks, w:altChunk: no text of their own. */
    }
}

/* The main part named by _rels/.rels, for packages that do not call it
 * word/document.xml. */
static char *
docx_main_part_from_rels (GBytes     *zip,
                          GPtrArray  *entries,
                          const char *filename)
{
  const char *rels_name = cw_zip_find_entry (entries, "_rels/.rels");
  g_autoptr(GBytes) rels = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  xmlNode *root;

  if (rels_name == NULL)
    return NULL;
  rels = cw_zip_read_entry (zip, rels_name, 1024 * 1024, filename, NULL);
  if (rels == NULL)
    return NULL;
  doc = parse_xml (rels, rels_name, filename, NULL);
  if (doc == NULL)
    return NULL;

  root = xmlDocGetRootElement (doc);
  for (xmlNode *child = root ? root->children : NULL; child != NULL; child = child->next)
    {
      g_autofree char *type = NULL;
      g_autofree char *target = NULL;

      if (!is_element (child, RELS_NS, "Relationship"))
        continue;
      type = get_attribute (child, NULL, "Type");
      target = get_attribute (child, NULL, "Target");
      if (type != NULL && target != NULL && g_str_has_suffix (type, "/officeDocument"))
        return g_strdup (target[0] == '/' ? target + 1 : target);
    }

  return NULL;
}

GPtrArray *
cw_import_parse_docx (GBytes      *bytes,
                      const char  *filename,
                      GError     **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GBytes) xml = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *main_part = NULL;
  const char *entry;
  xmlNode *root, *body;
  Output out = { 0 };

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (filename != NULL, NULL);

  entries = list_office_entries (bytes, filename, ".docx", error);
  if (entries == NULL)
    return NULL;

  entry = cw_zip_find_entry (entries, "word/document.xml");
  if (entry == NULL)
    {
      main_part = docx_main_part_from_rels (bytes, entries, filename);
      if (main_part != NULL && g_str_has_suffix (main_part, ".xml"))
        entry = cw_zip_find_entry (entries, main_part);
    }
  if (entry == NULL)
    {
      const char *hint = "";

      if (cw_zip_find_entry (entries, "xl/workbook.xml") != NULL)
        hint = _(" (it is an Excel workbook)");
      else if (cw_zip_find_entry (entries, "ppt/presentation.xml") != NULL)
        hint = _(" (it is a PowerPoint presentation)");
      else if (cw_zip_find_entry (entries, "content.xml") != NULL)
        hint = _(" (it is an OpenDocument file; use the .odt extension)");
      cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, filename, 0, _("not a Word document%s"), hint);
      return NULL;
    }

  xml = cw_zip_read_entry (bytes, entry, CW_IMPORT_MAX_ENTRY_BYTES, filename, error);
  if (xml == NULL)
    return NULL;
  doc = parse_xml (xml, entry, filename, error);
  if (doc == NULL)
    return NULL;

  root = xmlDocGetRootElement (doc);
  body = is_w (root, "document") ? first_child_element (root, W_NS, "body") : NULL;
  if (body == NULL && is_w (root, "document"))
    body = first_child_element (root, W_STRICT_NS, "body");
  if (body == NULL)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, filename, 0,
                           _("not a Word document (%s has no document body)"), entry);
      return NULL;
    }

  out.paragraphs = cw_paragraph_array_new ();
  docx_block (&out, body);
  return output_finish (&out, filename, error);
}

/* ---- OpenDocument ---- */

typedef struct
{
  int   bold; /* 1, 0, or -1 when the style does not say */
  char *parent;
} OdtStyle;

static void
odt_style_free (OdtStyle *style)
{
  g_free (style->parent);
  g_free (style);
}

typedef struct
{
  Output     *out;
  GHashTable *styles; /* "family/name" -> OdtStyle */
} Odt;

static int
parse_font_weight (const char *weight)
{
  char *end = NULL;
  long value;

  if (weight == NULL)
    return -1;
  if (strcmp (weight, "bold") == 0)
    return 1;
  if (strcmp (weight, "normal") == 0)
    return 0;
  value = strtol (weight, &end, 10);
  if (end != weight && *end == '\0')
    return value >= 600;
  return -1;
}

/* Collects style:style elements below container (office:automatic-styles
 * or office:styles). Earlier definitions win: automatic styles are read
 * first and take precedence over common ones of the same name. */
static void
odt_collect_styles (GHashTable *styles,
                    xmlNode    *container)
{
  for (xmlNode *child = container ? container->children : NULL; child != NULL; child = child->next)
    {
      g_autofree char *name = NULL;
      g_autofree char *family = NULL;
      g_autofree char *key = NULL;
      OdtStyle *style;
      xmlNode *properties;

      if (!is_element (child, STYLE_NS, "style"))
        continue;
      name = get_attribute (child, STYLE_NS, "name");
      family = get_attribute (child, STYLE_NS, "family");
      if (name == NULL || family == NULL)
        continue;

      style = g_new0 (OdtStyle, 1);
      style->bold = -1;
      style->parent = get_attribute (child, STYLE_NS, "parent-style-name");
      properties = first_child_element (child, STYLE_NS, "text-properties");
      if (properties != NULL)
        {
          g_autofree char *weight = get_attribute (properties, FO_NS, "font-weight");

          style->bold = parse_font_weight (weight);
        }

      key = g_strdup_printf ("%s/%s", family, name);
      if (g_hash_table_contains (styles, key))
        odt_style_free (style);
      else
        g_hash_table_insert (styles, g_steal_pointer (&key), style);
    }
}

static int
odt_style_bold (Odt        *odt,
                const char *family,
                const char *name)
{
  /* Bounded: parent chains may loop in a hostile file. */
  for (guint depth = 0; name != NULL && depth < MAX_STYLE_DEPTH; depth++)
    {
      g_autofree char *key = g_strdup_printf ("%s/%s", family, name);
      OdtStyle *style = g_hash_table_lookup (odt->styles, key);

      if (style == NULL)
        return -1;
      if (style->bold >= 0)
        return style->bold;
      name = style->parent;
    }
  return -1;
}

/* ODF collapses runs of blanks in text to one space and drops blanks at the
 * start of a paragraph; text:s carries the spaces that count. */
static void
odt_append_text (Line       *line,
                 const char *text,
                 gboolean    bold)
{
  g_autoptr(GString) run = g_string_new (NULL);
  gboolean collapsed = line->collapsed_space;
  gboolean at_start = line->at_start;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        {
          if (collapsed || (at_start && run->len == 0))
            continue;
          g_string_append_c (run, ' ');
          collapsed = TRUE;
        }
      else
        {
          g_string_append_c (run, *p);
          collapsed = FALSE;
        }
    }

  line_append (line, run->str, run->len, bold);
  if (run->len > 0)
    line->collapsed_space = collapsed;
}

static void
odt_inline (Odt      *odt,
            Line     *line,
            xmlNode  *node,
            gboolean  bold)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE)
        {
          if (child->content != NULL)
            odt_append_text (line, (const char *) child->content, bold);
          continue;
        }
      /* draw:frame (images, text boxes), office:annotation (comments) and
       * anything else outside the text namespace is not the transcript. */
      if (!in_namespace (child, TEXT_NS))
        continue;

      if (is_element (child, TEXT_NS, "span"))
        {
          g_autofree char *style = get_attribute (child, TEXT_NS, "style-name");
          int span_bold = odt_style_bold (odt, "text", style);

          odt_inline (odt, line, child, span_bold >= 0 ? span_bold : bold);
        }
      else if (is_element (child, TEXT_NS, "s"))
        {
          g_autofree char *count = get_attribute (child, TEXT_NS, "c");
          long n = count ? strtol (count, NULL, 10) : 1;
          char spaces[MAX_SPACES];

          n = CLAMP (n, 1, MAX_SPACES);
          memset (spaces, ' ', (gsize) n);
          line_append (line, spaces, (gsize) n, bold);
        }
      else if (is_element (child, TEXT_NS, "tab"))
        line_append (line, "\t", 1, bold);
      else if (is_element (child, TEXT_NS, "line-break"))
        line_append (line, "\n", 1, bold);
      else if (is_element (child, TEXT_NS, "note") ||
               is_element (child, TEXT_NS, "soft-page-break") ||
               is_element (child, TEXT_NS, "ruby-text") ||
               is_element (child, TEXT_NS, "tracked-changes"))
        continue;
      else
        /* text:a, text:meta, text:ruby, fields (text:date, ...): their text
         * is what the reader sees. */
        odt_inline (odt, line, child, bold);
    }
}

static void odt_cell_content (Odt *odt, Line *line, xmlNode *node);

static void
odt_row_cells (Odt      *odt,
               Line     *line,
               xmlNode  *row,
               gboolean  nested)
{
  gboolean first = TRUE;

  for (xmlNode *cell = row->children; cell != NULL; cell = cell->next)
    {
      /* Covered cells are the hidden part of a merged cell. */
      if (!is_element (cell, TABLE_NS, "table-cell"))
        continue;

      if (!first)
        {
          if (nested)
            line->pending = " ";
          else
            {
              line->pending = NULL;
              line_append (line, "\t", 1, FALSE);
            }
        }
      first = FALSE;
      odt_cell_content (odt, line, cell);
    }
}

/* Each row of table (also inside row groups) becomes a paragraph, or, for a
 * table nested in a cell, more text on nested_line. */
static void
odt_table_rows (Odt      *odt,
                xmlNode  *table,
                Line     *nested_line)
{
  for (xmlNode *child = table->children; child != NULL && !odt->out->too_large; child = child->next)
    {
      if (is_element (child, TABLE_NS, "table-row"))
        {
          if (nested_line != NULL)
            {
              odt_row_cells (odt, nested_line, child, TRUE);
              nested_line->pending = " ";
            }
          else
            {
              Line line;

              line_init (&line, odt->out);
              odt_row_cells (odt, &line, child, FALSE);
              line_finish (&line);
            }
        }
      else if (is_element (child, TABLE_NS, "table-header-rows") ||
               is_element (child, TABLE_NS, "table-rows") ||
               is_element (child, TABLE_NS, "table-row-group"))
        odt_table_rows (odt, child, nested_line);
    }
}

static void
odt_cell_content (Odt     *odt,
                  Line    *line,
                  xmlNode *node)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (is_element (child, TEXT_NS, "p") || is_element (child, TEXT_NS, "h"))
        {
          gsize before = line->text->len;

          line->at_start = TRUE;
          line->collapsed_space = FALSE;
          odt_inline (odt, line, child, FALSE);
          if (line->collapsed_space && line->text->len > 0)
            {
              g_string_truncate (line->text, line->text->len - 1);
              line->collapsed_space = FALSE;
            }
          if (line->text->len > before)
            line->pending = " ";
        }
      else if (is_element (child, TABLE_NS, "table"))
        odt_table_rows (odt, child, line);
      else if (is_element (child, TEXT_NS, "list") || is_element (child, TEXT_NS, "list-item") ||
               is_element (child, TEXT_NS, "list-header") || is_element (child, TEXT_NS, "section"))
        odt_cell_content (odt, line, child);
    }
}

static void
odt_block (Odt     *odt,
           xmlNode *node)
{
  for (xmlNode *child = node->children; child != NULL && !odt->out->too_large; child = child->next)
    {
      if (is_element (child, TEXT_NS, "p") || is_element (child, TEXT_NS, "h"))
        {
          Line line;

          line_init (&line, odt->out);
          odt_inline (odt, &line, child, FALSE);
          line_finish (&line);
        }
      else if (is_element (child, TABLE_NS, "table"))
        odt_table_rows (odt, child, NULL);
      else if (is_element (child, TEXT_NS, "list") || is_element (child, TEXT_NS, "list-item") ||
               is_element (child, TEXT_NS, "list-header") || is_element (child, TEXT_NS, "section"))
        odt_block (odt, child);
      /* text:tracked-changes (deleted text), text:sequence-decls, indexes,
       * frames anchored to the page: not part of the running text. */
    }
}

/* The mimetype entry, if there is one, must say text. */
static gboolean
odt_check_mimetype (GBytes      *bytes,
                    GPtrArray   *entries,
                    const char  *filename,
                    GError     **error)
{
  const char *entry = cw_zip_find_entry (entries, "mimetype");
  g_autoptr(GBytes) contents = NULL;
  g_autofree char *mimetype = NULL;
  const char *kind;

  if (entry == NULL)
    return TRUE;
  contents = cw_zip_read_entry (bytes, entry, 4096, filename, error);
  if (contents == NULL)
    return FALSE;

  /* An empty entry's data is NULL, not "" (found by fuzzing). */
  mimetype = g_strstrip (g_bytes_get_size (contents) > 0
                           ? g_strndup (g_bytes_get_data (contents, NULL), g_bytes_get_size (contents))
                           : g_strdup (""));
  if (strcmp (mimetype, "application/vnd.oasis.opendocument.text") == 0 ||
      strcmp (mimetype, "application/vnd.oasis.opendocument.text-template") == 0)
    return TRUE;

  if (g_str_has_prefix (mimetype, "application/vnd.oasis.opendocument.spreadsheet"))
    kind = _(" (it is a spreadsheet)");
  else if (g_str_has_prefix (mimetype, "application/vnd.oasis.opendocument.presentation"))
    kind = _(" (it is a presentation)");
  else if (g_str_has_prefix (mimetype, "application/vnd.oasis.opendocument.graphics"))
    kind = _(" (it is a drawing)");
  else
    kind = "";
  cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, filename, 0, _("not an OpenDocument text%s"), kind);
  return FALSE;
}

/* Common styles ("Strong Emphasis") live in styles.xml. It only helps find
 * bold labels, so a missing or unreadable styles.xml is not an error. */
static void
odt_read_common_styles (GHashTable *styles,
                        GBytes     *bytes,
                        GPtrArray  *entries,
                        const char *filename)
{
  const char *entry = cw_zip_find_entry (entries, "styles.xml");
  g_autoptr(GBytes) xml = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  xmlNode *root;

  if (entry == NULL)
    return;
  xml = cw_zip_read_entry (bytes, entry, CW_IMPORT_MAX_ENTRY_BYTES, filename, NULL);
  if (xml == NULL)
    return;
  doc = parse_xml (xml, entry, filename, NULL);
  if (doc == NULL)
    return;

  root = xmlDocGetRootElement (doc);
  if (is_element (root, OFFICE_NS, "document-styles"))
    odt_collect_styles (styles, first_child_element (root, OFFICE_NS, "styles"));
}

GPtrArray *
cw_import_parse_odt (GBytes      *bytes,
                     const char  *filename,
                     GError     **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GBytes) xml = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(GHashTable) styles = NULL;
  const char *entry;
  xmlNode *root, *body, *text;
  Output out = { 0 };
  Odt odt;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (filename != NULL, NULL);

  entries = list_office_entries (bytes, filename, ".odt", error);
  if (entries == NULL)
    return NULL;
  if (!odt_check_mimetype (bytes, entries, filename, error))
    return NULL;

  entry = cw_zip_find_entry (entries, "content.xml");
  if (entry == NULL)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, filename, 0,
                           cw_zip_find_entry (entries, "word/document.xml") != NULL
                             ? _("not an OpenDocument text (it is a Word document; use the .docx extension)")
                             : _("not an OpenDocument text"));
      return NULL;
    }

  xml = cw_zip_read_entry (bytes, entry, CW_IMPORT_MAX_ENTRY_BYTES, filename, error);
  if (xml == NULL)
    return NULL;
  doc = parse_xml (xml, entry, filename, error);
  if (doc == NULL)
    return NULL;

  root = xmlDocGetRootElement (doc);
  body = is_element (root, OFFICE_NS, "document-content") ? first_child_element (root, OFFICE_NS, "body") : NULL;
  text = first_child_element (body, OFFICE_NS, "text");
  if (text == NULL)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, filename, 0,
                           body != NULL && body->children != NULL
                             ? _("not an OpenDocument text (it holds no text document)")
                             : _("not an OpenDocument text"));
      return NULL;
    }

  styles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) odt_style_free);
  odt_collect_styles (styles, first_child_element (root, OFFICE_NS, "automatic-styles"));
  odt_read_common_styles (styles, bytes, entries, filename);

  out.paragraphs = cw_paragraph_array_new ();
  odt.out = &out;
  odt.styles = styles;
  odt_block (&odt, text);
  return output_finish (&out, filename, error);
}
