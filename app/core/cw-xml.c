/* cw-xml.c: parsing untrusted XML (see cw-xml.h). The same approach as the
 * office importers: a SAX hook on the internal subset stops the parser at
 * any DOCTYPE. */
#include "config.h"

#include <libxml/parser.h>

#include "cw-import.h"
#include "cw-xml.h"

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

static xmlDoc *
parse (const char      *data,
       gsize            size,
       const char      *entry,
       const char      *filename,
       CwXmlStartFunc   start,
       gpointer         user_data,
       GError         **error)
{
  XmlState state = { 0 };
  xmlParserCtxt *ctxt;
  xmlDoc *doc;
  g_autofree char *where = entry != NULL ? g_strdup_printf ("%s: ", entry) : g_strdup ("");

  if (size > G_MAXINT)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_TOO_LARGE, filename, 0, "%sthe XML is too large", where);
      return NULL;
    }
  if (size == 0)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0, "%snot XML (the file is empty)", where);
      return NULL;
    }

  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_IO, filename, 0, "%sout of memory", where);
      return NULL;
    }
  ctxt->_private = &state;
  ctxt->sax->internalSubset = on_internal_subset;
  ctxt->sax->serror = on_structured_error;
  if (start != NULL)
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

  /* Never XML_PARSE_NOENT or XML_PARSE_DTDLOAD. */
  doc = xmlCtxtReadMemory (ctxt, data, (int) size, entry != NULL ? entry : filename, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                           XML_PARSE_NOCDATA | XML_PARSE_COMPACT);

  if (state.saw_doctype)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0,
                           "%sXML with a document type declaration (DOCTYPE, entities) is not accepted", where);
      g_clear_pointer (&doc, xmlFreeDoc);
    }
  else if (doc == NULL || !ctxt->wellFormed || state.has_error)
    {
      const xmlError *last = xmlCtxtGetLastError (ctxt);
      int line = state.has_error ? state.line : (last ? last->line : 0);
      const char *message = state.message ? state.message : "not well-formed";

      if (line > 0)
        cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0,
                             "%sline %d: not well-formed XML (%s)", where, line, message);
      else
        cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, 0,
                             "%snot well-formed XML (%s)", where, message);
      g_clear_pointer (&doc, xmlFreeDoc);
    }

  g_free (state.message);
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
  return parse (data, size, entry, filename, NULL, NULL, error);
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
  doc = parse (data, size, entry, filename, start, user_data, error);
  if (doc == NULL)
    return FALSE;
  xmlFreeDoc (doc);
  return TRUE;
}
