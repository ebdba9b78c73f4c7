/* cw-xml.h: parsing untrusted XML with libxml2.
 *
 * No network, no DTD loading, no entity expansion: a document type
 * declaration anywhere stops the parser before its internal subset is
 * read, so external entities (XXE) and entity bombs never get a chance.
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

/* Parses data (a leading BOM and a missing declaration are fine). Errors
 * are CW_IMPORT_ERROR_CORRUPT and read "FILENAME: ENTRY, line N: ..." (or
 * "FILENAME: ..." when entry is NULL). Free the result with xmlFreeDoc. */
xmlDoc  *cw_xml_parse_safe (const char  *data,
                            gsize        size,
                            const char  *entry,
                            const char  *filename,
                            GError     **error);

/* Called for each start tag: attributes as libxml2's SAX2 gives them
 * (n_attributes 5-tuples: localname, prefix, URI, value, value end; an
 * '&' in a value is written "&#38;"). depth 0 is the root. */
typedef void (*CwXmlStartFunc) (const xmlChar  *localname,
                                const xmlChar  *uri,
                                int             depth,
                                int             n_attributes,
                                const xmlChar **attributes,
                                gpointer        user_data);

/* Reads data through without building a tree, under the same rules and
 * with the same errors as cw_xml_parse_safe(): a fast first pass, and the
 * check that makes a later streaming pass safe. */
gboolean cw_xml_scan_safe (const char      *data,
                           gsize            size,
                           const char      *entry,
                           const char      *filename,
                           CwXmlStartFunc   start,
                           gpointer         user_data,
                           GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

G_END_DECLS
