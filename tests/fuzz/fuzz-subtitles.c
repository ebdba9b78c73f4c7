/* fuzz-subtitles.c: SubRip, WebVTT and f4 transcripts (text with
 * #hh:mm:ss-d# stamps). The first byte picks the format, so that one
 * corpus serves all three. */
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
  static const char *const names[] = { "fuzz.srt", "fuzz.vtt", "fuzz.txt" };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) paragraphs = NULL;
  g_autoptr(CwParsedDocument) document = NULL;
  guint format;

  if (size == 0)
    return 0;
  format = data[0] % 3;
  bytes = g_bytes_new_static (data + 1, size - 1);
  switch (format)
    {
    case 0:
      paragraphs = cw_import_parse_srt (bytes, names[format], &error);
      break;
    case 1:
      paragraphs = cw_import_parse_vtt (bytes, names[format], &error);
      break;
    default:
      paragraphs = cw_import_parse_txt (bytes, names[format], &error);
      break;
    }
  cw_fuzz_check_outcome (paragraphs, error);
  if (paragraphs == NULL)
    return 0;
  for (guint i = 0; i < paragraphs->len; i++)
    {
      const CwParagraph *paragraph = paragraphs->pdata[i];

      if (paragraph->text == NULL || !g_utf8_validate (paragraph->text, -1, NULL) ||
          (paragraph->speaker != NULL && !g_utf8_validate (paragraph->speaker, -1, NULL)))
        g_error ("fuzz: a cue that is not valid UTF-8");
    }
  document = cw_parsed_document_build (paragraphs, names[format], &error);
  cw_fuzz_check_outcome (document, error);
  cw_fuzz_check_document (document);
  return 0;
}
