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

/* libxml2 sets up its globals on first use, and not safely when two
 * threads use it first at once (the .qdpx import parses in several):
 * done once here, before any parse. Every parse below calls it. */
void cw_xml_init (void);

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

/* A light element tree for readers that only look at elements, their
 * unqualified attributes and their text: libxml2's own tree costs several
 * times the parse. Everything belongs to the CwXmlTree. */
typedef struct _CwXmlEl CwXmlEl;
struct _CwXmlEl
{
  const char  *name;         /* local name */
  const char  *uri;          /* namespace URI, NULL when none */
  CwXmlEl     *children;
  CwXmlEl     *next;
  const char **attributes;   /* name, value, ...: unqualified ones only */
  guint        n_attributes;
  const char  *text;         /* the character data right inside, "" if none */
  gsize        text_len;
};

typedef struct _CwXmlTree CwXmlTree;

CwXmlEl    *cw_xml_tree_get_root     (CwXmlTree   *tree);
void        cw_xml_tree_free         (CwXmlTree   *tree);
/* The value of the unqualified attribute name, NULL when missing. */
const char *cw_xml_el_get_attribute  (const CwXmlEl *el,
                                      const char    *name);
/* All text inside el, children's included, as xmlNodeGetContent. */
char       *cw_xml_el_get_content    (const CwXmlEl *el);

/* Parses data into a CwXmlTree, under the rules of cw_xml_parse_safe(). */
CwXmlTree  *cw_xml_parse_tree        (const char  *data,
                                      gsize        size,
                                      const char  *entry,
                                      const char  *filename,
                                      GError     **error);

/* For each element that is not inside a tree being built: TRUE makes it the
 * root of a tree of its own (delivered at its end tag), FALSE reads on into
 * its children. Attributes as for CwXmlStartFunc. */
typedef gboolean (*CwXmlSplitFunc) (const xmlChar  *localname,
                                    const xmlChar  *uri,
                                    int             depth,
                                    int             n_attributes,
                                    const xmlChar **attributes,
                                    gpointer        user_data);
/* Receives each finished tree (transfer full). FALSE with error stops the
 * parse, which then fails with that error. */
typedef gboolean (*CwXmlTreeFunc)  (CwXmlTree      *tree,
                                    int             depth,
                                    gpointer        user_data,
                                    GError        **error);

/* Reads data as a stream of trees, one per element split chose, so that
 * a large file is never held as one tree. Same rules and errors as
 * cw_xml_parse_safe(). */
gboolean    cw_xml_parse_split       (const char     *data,
                                      gsize           size,
                                      const char     *entry,
                                      const char     *filename,
                                      CwXmlSplitFunc  split,
                                      CwXmlTreeFunc   deliver,
                                      gpointer        user_data,
                                      GError        **error);

/* Fills buffer with up to len bytes: how many, 0 at the end, -1 on
 * failure (as libxml2's xmlInputReadCallback). */
typedef int (*CwXmlReadFunc) (void *context,
                              char *buffer,
                              int   len);
/* cw_xml_parse_split() of data read as it arrives, which also calls start
 * for every start tag, inside trees too (before split, with the same
 * arguments as cw_xml_scan_safe() gives): one pass where a first scan and
 * a streaming pass took two. The same rules; the checks on the data's
 * first bytes (empty, not XML) are libxml2's own here, so an error may be
 * worded differently: a caller that reports it should have it from
 * cw_xml_scan_safe() on the whole data. */
gboolean    cw_xml_parse_split_scan  (CwXmlReadFunc   read,
                                      gpointer        read_data,
                                      const char     *entry,
                                      const char     *filename,
                                      CwXmlSplitFunc  split,
                                      CwXmlTreeFunc   deliver,
                                      CwXmlStartFunc  start,
                                      gpointer        user_data,
                                      GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwXmlTree, cw_xml_tree_free)

G_END_DECLS
