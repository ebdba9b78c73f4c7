/* cw-xml.c: parsing untrusted XML (see cw-xml.h). The same approach as the
 * office importers: a SAX hook on the internal subset stops the parser at
 * any DOCTYPE. */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <libxml/parser.h>

#include "cw-import.h"
#include "cw-xml.h"

#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | XML_PARSE_COMPACT)

typedef struct
{
  gboolean        saw_doctype;
  gboolean        has_error;
  int             line;
  char           *message;
  /* cw_xml_scan_safe() */
  int             depth;
  CwXmlStartFunc  start;
  gpointer        user_data;
  /* cw_xml_parse_split() */
  xmlParserCtxt  *ctxt;
  CwXmlSplitFunc  split;
  CwXmlTreeFunc   deliver;
  CwXmlTree      *tree;        /* being built, NULL between trees */
  int             tree_depth;
  GArray         *frames;      /* Frame: the open elements of tree */
  GString        *text;        /* character data not yet given to an element */
  GError         *stop_error;  /* deliver's */
} XmlState;

/* ---- the light tree ---- */

#define ARENA_BLOCK 16384

struct _CwXmlTree
{
  CwXmlEl  *root;
  xmlDict  *dict;   /* names and URIs point into it */
  GSList   *blocks;
  char     *free;
  gsize     left;
};

typedef struct
{
  CwXmlEl *el;
  CwXmlEl *last_child;
  gsize    text_start;  /* where its character data starts in state->text */
} Frame;

/* Elements and strings of one tree come from blocks freed all at once:
 * a source's subtree has hundreds of them. */
static gpointer
arena_alloc (CwXmlTree *tree,
             gsize      size)
{
  char *p;

  size = (size + 7) & ~(gsize) 7;
  if (size > tree->left)
    {
      if (size > ARENA_BLOCK / 4)
        {
          p = g_malloc (size);
          tree->blocks = g_slist_prepend (tree->blocks, p);
          return p;
        }
      p = g_malloc (ARENA_BLOCK);
      tree->blocks = g_slist_prepend (tree->blocks, p);
      tree->free = p;
      tree->left = ARENA_BLOCK;
    }
  p = tree->free;
  tree->free += size;
  tree->left -= size;
  return p;
}

CwXmlEl *
cw_xml_tree_get_root (CwXmlTree *tree)
{
  g_return_val_if_fail (tree != NULL, NULL);
  return tree->root;
}

void
cw_xml_tree_free (CwXmlTree *tree)
{
  if (tree == NULL)
    return;
  g_slist_free_full (tree->blocks, g_free);
  if (tree->dict != NULL)
    xmlDictFree (tree->dict);
  g_free (tree);
}

const char *
cw_xml_el_get_attribute (const CwXmlEl *el,
                         const char    *name)
{
  g_return_val_if_fail (el != NULL, NULL);
  for (guint i = 0; i < el->n_attributes; i++)
    if (strcmp (el->attributes[2 * i], name) == 0)
      return el->attributes[2 * i + 1];
  return NULL;
}

static void
append_content (const CwXmlEl *el,
                GString       *out)
{
  g_string_append_len (out, el->text, el->text_len);
  for (const CwXmlEl *child = el->children; child != NULL; child = child->next)
    append_content (child, out);
}

char *
cw_xml_el_get_content (const CwXmlEl *el)
{
  GString *out;

  g_return_val_if_fail (el != NULL, NULL);
  if (el->children == NULL)
    return g_strndup (el->text, el->text_len);
  out = g_string_new (NULL);
  append_content (el, out);
  return g_string_free (out, FALSE);
}

/* Gives the element that ends the character data gathered since it
 * started: its children's text was taken out as they ended, so the text
 * of every element is copied once. */
static void
take_text (XmlState *state,
           Frame    *frame)
{
  gsize len = state->text->len - frame->text_start;
  char *copy;

  if (len == 0)
    return;
  copy = arena_alloc (state->tree, len + 1);
  memcpy (copy, state->text->str + frame->text_start, len);
  copy[len] = '\0';
  frame->el->text = copy;
  frame->el->text_len = len;
  g_string_truncate (state->text, frame->text_start);
}

/* A SAX attribute value; "&#38;" stands for '&' there (entities are not
 * replaced, and libxml2 keeps a '&' escaped so that a tree could be made). */
static const char *
copy_value (CwXmlTree     *tree,
            const xmlChar *value,
            const xmlChar *end)
{
  gsize len = end - value;
  char *copy = arena_alloc (tree, len + 1);
  const xmlChar *amp = memchr (value, '&', len);
  gsize o;

  /* Most values have no '&': one copy. */
  if (amp == NULL)
    {
      memcpy (copy, value, len);
      copy[len] = '\0';
      return copy;
    }
  o = amp - value;
  memcpy (copy, value, o);
  for (gsize i = o; i < len; i++)
    {
      if (value[i] == '&' && i + 5 <= len && memcmp (value + i, "&#38;", 5) == 0)
        {
          copy[o++] = '&';
          i += 4;
        }
      else
        copy[o++] = (char) value[i];
    }
  copy[o] = '\0';
  return copy;
}

static CwXmlEl *
new_element (XmlState       *state,
             const xmlChar  *localname,
             const xmlChar  *uri,
             int             n_attributes,
             const xmlChar **attributes)
{
  CwXmlTree *tree = state->tree;
  CwXmlEl *el = arena_alloc (tree, sizeof (CwXmlEl));
  guint n = 0;

  memset (el, 0, sizeof *el);
  el->name = (const char *) localname;
  el->uri = (const char *) uri;
  el->text = "";
  for (int i = 0; i < n_attributes; i++)
    n += attributes[5 * i + 2] == NULL;
  if (n > 0)
    {
      el->attributes = arena_alloc (tree, 2 * n * sizeof (char *));
      for (int i = 0; i < n_attributes; i++)
        {
          const xmlChar **a = attributes + 5 * i;

          if (a[2] != NULL)
            continue;
          el->attributes[2 * el->n_attributes] = (const char *) a[0];
          el->attributes[2 * el->n_attributes + 1] = copy_value (tree, a[3], a[4]);
          el->n_attributes++;
        }
    }
  return el;
}

static void
on_build_start (void           *ctx,
                const xmlChar  *localname,
                const xmlChar  *prefix,
                const xmlChar  *uri,
                int             n_namespaces,
                const xmlChar **namespaces,
                int             n_attributes,
                int             n_defaulted,
                const xmlChar **attributes)
{
  xmlParserCtxt *ctxt = ctx;
  XmlState *state = ctxt->_private;
  int depth = state->depth++;
  Frame frame = { NULL, NULL, state->text->len };

  if (state->start != NULL)
    state->start (localname, uri, depth, n_attributes, attributes, state->user_data);
  if (state->tree == NULL)
    {
      if (!state->split (localname, uri, depth, n_attributes, attributes, state->user_data))
        return;
      state->tree = g_new0 (CwXmlTree, 1);
      /* Names stay in the parser's dictionary: the tree keeps it alive. */
      state->tree->dict = ctxt->dict;
      xmlDictReference (ctxt->dict);
      state->tree_depth = depth;
      g_string_truncate (state->text, 0);
      frame.text_start = 0;
      frame.el = new_element (state, localname, uri, n_attributes, attributes);
      state->tree->root = frame.el;
    }
  else
    {
      Frame *parent = &g_array_index (state->frames, Frame, state->frames->len - 1);

      frame.el = new_element (state, localname, uri, n_attributes, attributes);
      if (parent->last_child != NULL)
        parent->last_child->next = frame.el;
      else
        parent->el->children = frame.el;
      parent->last_child = frame.el;
    }
  g_array_append_val (state->frames, frame);
}

static void
on_build_end (void          *ctx,
              const xmlChar *localname,
              const xmlChar *prefix,
              const xmlChar *uri)
{
  xmlParserCtxt *ctxt = ctx;
  XmlState *state = ctxt->_private;
  int depth = --state->depth;
  CwXmlTree *tree;

  if (state->tree == NULL)
    return;
  take_text (state, &g_array_index (state->frames, Frame, state->frames->len - 1));
  g_array_set_size (state->frames, state->frames->len - 1);
  if (depth != state->tree_depth)
    return;

  tree = g_steal_pointer (&state->tree);
  if (!state->deliver (tree, depth, state->user_data, &state->stop_error))
    {
      if (state->stop_error == NULL)
        g_set_error_literal (&state->stop_error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("stopped"));
      xmlStopParser (ctxt);
    }
}

static void
on_build_text (void          *ctx,
               const xmlChar *ch,
               int            len)
{
  xmlParserCtxt *ctxt = ctx;
  XmlState *state = ctxt->_private;

  if (state->tree != NULL)
    g_string_append_len (state->text, (const char *) ch, len);
}

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
  state->message = g_strstrip (g_strdup (error->message ? error->message : _("parse error")));
}

static void
on_start_element (void           *ctx,
                  const xmlChar  *localname,
                  const xmlChar  *prefix,
                  const xmlChar  *uri,
                  int             n_namespaces,
                  const xmlChar **namespaces,
                  int             n_attributes,
                  int             n_defaulted,
                  const xmlChar **attributes)
{
  xmlParserCtxt *ctxt = ctx;
  XmlState *state = ctxt->_private;

  state->start (localname, uri, state->depth++, n_attributes, attributes, state->user_data);
}

static void
on_end_element (void          *ctx,
                const xmlChar *localname,
                const xmlChar *prefix,
                const xmlChar *uri)
{
  xmlParserCtxt *ctxt = ctx;
  XmlState *state = ctxt->_private;

  state->depth--;
}

/* XML begins with '<' after an optional byte order mark and blanks (in
 * UTF-8, or UTF-16 either way round): text or binary data is told apart
 * before the parser makes a line-1 riddle of it. */
static gboolean
looks_like_xml (const char *data,
                gsize       size)
{
  const guchar *p = (const guchar *) data;
  gsize i = 0, step = 1;

  if (size >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
    i = 3;
  else if (size >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
    {
      /* UTF-16: look at the byte of each unit that carries ASCII. */
      i = p[0] == 0xFF ? 2 : 3;
      step = 2;
    }
  else if (size >= 2 && p[0] == 0 && p[1] == '<')
    return TRUE;
  else if (size >= 2 && p[0] == '<' && p[1] == 0)
    return TRUE;
  for (; i < size; i += step)
    {
      if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')
        continue;
      return p[i] == '<';
    }
  return FALSE;
}

/* The data as libxml2 reads a file, a few kilobytes at a time:
 * xmlCtxtReadMemory() would first copy all of it (6 MB for a large
 * project.qde, twice when it is read twice). */
typedef struct
{
  const char *next;
  const char *end;
} Reader;

static int
read_chunk (void *context,
            char *buffer,
            int   len)
{
  Reader *reader = context;
  int n = (int) MIN ((gsize) MAX (len, 0), (gsize) (reader->end - reader->next));

  memcpy (buffer, reader->next, n);
  reader->next += n;
  return n;
}

void
cw_xml_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      xmlInitParser ();
      g_once_init_leave (&done, 1);
    }
}

static xmlDoc *
parse (const char      *data,
       gsize            size,
       CwXmlReadFunc    io,
       gpointer         io_data,
       const char      *entry,
       const char      *filename,
       CwXmlStartFunc   start,
       CwXmlSplitFunc   split,
       CwXmlTreeFunc    deliver,
       gpointer         user_data,
       GError         **error)
{
  XmlState state = { 0 };
  Reader reader;
  xmlParserCtxt *ctxt;
  xmlDoc *doc;
  g_autofree char *where = entry != NULL ? g_strdup_printf ("%s: ", entry) : g_strdup ("");

  cw_xml_init ();
  if (io == NULL && size > G_MAXINT)
    {
      /* Translators: %s is the archive entry and ": ", or nothing. */
      cw_import_set_error (error, CW_IMPORT_ERROR_TOO_LARGE, filename, 0, _("%sthe XML is too large"), where);
      return NULL;
    }
  if (io == NULL && size == 0)
    {
      /* Translators: %s is the archive entry and ": ", or nothing. */
      cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0, _("%snot XML (the file is empty)"), where);
      return NULL;
    }

  if (io == NULL && !looks_like_xml (data, size))
    {
      /* Translators: %s is the archive entry and ": ", or nothing. */
      cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0,
                           _("%snot well-formed XML (it does not begin with a tag: not XML at all)"), where);
      return NULL;
    }

  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      /* Translators: %s is the archive entry and ": ", or nothing. */
      cw_import_set_error (error, CW_IMPORT_ERROR_IO, filename, 0, _("%sout of memory"), where);
      return NULL;
    }
  ctxt->_private = &state;
  ctxt->sax->internalSubset = on_internal_subset;
  ctxt->sax->serror = on_structured_error;
  if (start != NULL && split == NULL)
    {
      /* No tree: only the start tags reach us. */
      state.start = start;
      state.user_data = user_data;
      ctxt->sax->startElementNs = on_start_element;
      ctxt->sax->endElementNs = on_end_element;
      ctxt->sax->characters = NULL;
      ctxt->sax->ignorableWhitespace = NULL;
      ctxt->sax->cdataBlock = NULL;
      ctxt->sax->comment = NULL;
      ctxt->sax->processingInstruction = NULL;
      ctxt->sax->reference = NULL;
    }
  else if (split != NULL)
    {
      /* No libxml2 tree: our own, one per element split chooses. */
      state.split = split;
      state.deliver = deliver;
      state.start = start; /* every start tag too, if given */
      state.user_data = user_data;
      state.ctxt = ctxt;
      state.frames = g_array_new (FALSE, FALSE, sizeof (Frame));
      state.text = g_string_new (NULL);
      ctxt->sax->startElementNs = on_build_start;
      ctxt->sax->endElementNs = on_build_end;
      /* Predefined entities and character references arrive as text too. */
      ctxt->sax->characters = on_build_text;
      ctxt->sax->ignorableWhitespace = on_build_text;
      ctxt->sax->cdataBlock = on_build_text;
      ctxt->sax->comment = NULL;
      ctxt->sax->processingInstruction = NULL;
      ctxt->sax->reference = NULL;
    }

  /* Never XML_PARSE_NOENT or XML_PARSE_DTDLOAD. */
  reader.next = data;
  reader.end = io == NULL ? data + size : data;
  if (io != NULL)
    /* Data that is still arriving: its first bytes are libxml2's to judge. */
    doc = xmlCtxtReadIO (ctxt, io, NULL, io_data, entry != NULL ? entry : filename, NULL, PARSE_OPTIONS);
  else
    doc = xmlCtxtReadIO (ctxt, read_chunk, NULL, &reader, entry != NULL ? entry : filename, NULL, PARSE_OPTIONS);

  if (state.stop_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&state.stop_error));
      g_clear_pointer (&doc, xmlFreeDoc);
    }
  else if (state.saw_doctype)
    {
      /* Translators: %s is the archive entry and ": ", or nothing. */
      cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0,
                           _("%sXML with a document type declaration (DOCTYPE, entities) is not accepted"), where);
      g_clear_pointer (&doc, xmlFreeDoc);
    }
  else if (doc == NULL || !ctxt->wellFormed || state.has_error)
    {
      const xmlError *last = xmlCtxtGetLastError (ctxt);
      int line = state.has_error ? state.line : (last ? last->line : 0);
      const char *message = state.message ? state.message : _("not well-formed");

      /* libxml2's own words would send the user to a parser option. */
      if (state.message != NULL && g_str_has_prefix (state.message, "Excessive depth"))
        message = _("elements nested too deeply");

      if (line > 0)
        /* Translators: the first %s is the archive entry and ": ", or nothing; the last the parser's reason. */
        cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0,
                             _("%sline %d: not well-formed XML (%s)"), where, line, message);
      else
        /* Translators: the first %s is the archive entry and ": ", or nothing. */
        cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0,
                             _("%snot well-formed XML (%s)"), where, message);
      g_clear_pointer (&doc, xmlFreeDoc);
    }

  g_free (state.message);
  cw_xml_tree_free (state.tree);
  if (state.frames != NULL)
    g_array_unref (state.frames);
  if (state.text != NULL)
    g_string_free (state.text, TRUE);
  xmlFreeParserCtxt (ctxt);
  return doc;
}

xmlDoc *
cw_xml_parse_safe (const char  *data,
                   gsize        size,
                   const char  *entry,
                   const char  *filename,
                   GError     **error)
{
  g_return_val_if_fail (filename != NULL, NULL);
  return parse (data, size, NULL, NULL, entry, filename, NULL, NULL, NULL, NULL, error);
}

gboolean
cw_xml_scan_safe (const char      *data,
                  gsize            size,
                  const char      *entry,
                  const char      *filename,
                  CwXmlStartFunc   start,
                  gpointer         user_data,
                  GError         **error)
{
  xmlDoc *doc;

  g_return_val_if_fail (filename != NULL, FALSE);
  g_return_val_if_fail (start != NULL, FALSE);

  /* The document node only: SAX2 makes it before any element. */
  doc = parse (data, size, NULL, NULL, entry, filename, start, NULL, NULL, user_data, error);
  if (doc == NULL)
    return FALSE;
  xmlFreeDoc (doc);
  return TRUE;
}

gboolean
cw_xml_parse_split (const char     *data,
                    gsize           size,
                    const char     *entry,
                    const char     *filename,
                    CwXmlSplitFunc  split,
                    CwXmlTreeFunc   deliver,
                    gpointer        user_data,
                    GError        **error)
{
  xmlDoc *doc;

  g_return_val_if_fail (filename != NULL, FALSE);
  g_return_val_if_fail (split != NULL && deliver != NULL, FALSE);

  doc = parse (data, size, NULL, NULL, entry, filename, NULL, split, deliver, user_data, error);
  if (doc == NULL)
    return FALSE;
  xmlFreeDoc (doc);
  return TRUE;
}

gboolean
cw_xml_parse_split_scan (CwXmlReadFunc   read,
                         gpointer        read_data,
                         const char     *entry,
                         const char     *filename,
                         CwXmlSplitFunc  split,
                         CwXmlTreeFunc   deliver,
                         CwXmlStartFunc  start,
                         gpointer        user_data,
                         GError        **error)
{
  xmlDoc *doc;

  g_return_val_if_fail (filename != NULL, FALSE);
  g_return_val_if_fail (read != NULL && split != NULL && deliver != NULL && start != NULL, FALSE);

  doc = parse (NULL, 0, read, read_data, entry, filename, start, split, deliver, user_data, error);
  if (doc == NULL)
    return FALSE;
  xmlFreeDoc (doc);
  return TRUE;
}

static gboolean
split_at_root (const xmlChar  *localname,
               const xmlChar  *uri,
               int             depth,
               int             n_attributes,
               const xmlChar **attributes,
               gpointer        user_data)
{
  return TRUE;
}

static gboolean
keep_tree (CwXmlTree  *tree,
           int         depth,
           gpointer    user_data,
           GError    **error)
{
  CwXmlTree **out = user_data;

  *out = tree;
  return TRUE;
}

CwXmlTree *
cw_xml_parse_tree (const char  *data,
                   gsize        size,
                   const char  *entry,
                   const char  *filename,
                   GError     **error)
{
  CwXmlTree *tree = NULL;

  if (!cw_xml_parse_split (data, size, entry, filename, split_at_root, keep_tree, &tree, error))
    {
      cw_xml_tree_free (tree);
      return NULL;
    }
  if (tree == NULL)
    {
      /* A well-formed document has a root; be safe anyway. */
      g_autofree char *where = entry != NULL ? g_strdup_printf ("%s: ", entry) : g_strdup ("");

      /* Translators: %s is the archive entry and ": ", or nothing. */
      cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0, _("%snot XML (no root element)"), where);
      return NULL;
    }
  return tree;
}
