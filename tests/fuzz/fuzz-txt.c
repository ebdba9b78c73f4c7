/* fuzz-txt.c: text decoding (UTF-8, UTF-16, Windows-1252), speaker labels
 * and the document builder (stamps, labels, NFC, offsets). */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int   *argc,
                      char ***argv)
{
  cw_fuzz_init ();
  return 0;
}

static void
check_labels (const char *text)
{
  /* Not g_strsplit(): under ASan its strstr() reads to the end of the
   * text for every line, which makes long texts quadratic. */
  for (const char *p = text, *nl; *p != '\0'; p = *nl != '\0' ? nl + 1 : nl)
    {
      g_autofree char *line = NULL;
      g_autofree char *speaker = NULL;
      gsize offset = 0;

      nl = strchr (p, '\n');
      if (nl == NULL)
        nl = p + strlen (p);
      line = g_strndup (p, nl - p);
      if (cw_detect_speaker_label (line, &speaker, &offset) &&
          (speaker == NULL || !g_utf8_validate (speaker, -1, NULL) || offset > strlen (line) ||
           !g_utf8_validate (line + offset, -1, NULL)))
        g_error ("fuzz: a speaker label that is not valid UTF-8 or ends outside its line");
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) paragraphs = NULL;
  g_autoptr(CwParsedDocument) document = NULL;

  text = cw_import_decode_text (bytes, "fuzz.txt", &error);
  cw_fuzz_check_outcome (text, error);
  if (text != NULL)
    {
      if (!g_utf8_validate (text, -1, NULL) || strchr (text, '\r') != NULL)
        g_error ("fuzz: decoded text is not valid UTF-8 with LF line ends");
      check_labels (text);
    }
  g_clear_error (&error);

  paragraphs = cw_import_parse_txt (bytes, "fuzz.txt", &error);
  cw_fuzz_check_outcome (paragraphs, error);
  if (paragraphs == NULL)
    return 0;
  document = cw_parsed_document_build (paragraphs, "fuzz.txt", &error);
  cw_fuzz_check_outcome (document, error);
  cw_fuzz_check_document (document);
  return 0;
}
