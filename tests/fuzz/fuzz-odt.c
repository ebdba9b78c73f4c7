/* fuzz-odt.c: OpenDocument texts: the zip, mimetype, content.xml and styles.xml (bold labels by style).
 * Input: a zip, or entries zipped on the fly (fuzz-common.h). */
#include "config.h"

#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int   *argc,
                      char ***argv)
{
  cw_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) zip = cw_fuzz_zip_new (data, size, "content.xml");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) paragraphs = NULL;
  g_autoptr(CwParsedDocument) document = NULL;

  if (zip == NULL)
    return 0;
  paragraphs = cw_import_parse_odt (zip, "fuzz.odt", &error);
  cw_fuzz_check_outcome (paragraphs, error);
  if (paragraphs == NULL)
    return 0;
  document = cw_parsed_document_build (paragraphs, "fuzz.odt", &error);
  cw_fuzz_check_outcome (document, error);
  cw_fuzz_check_document (document);
  return 0;
}
