/* fuzz-common.h: what the libFuzzer targets (issue 11) share.
 *
 * Each target feeds its input to one parser and checks the contract every
 * importer keeps: either a result or a GError, never both or neither, and
 * a message that is one non-empty line of valid UTF-8. ASan/UBSan/LeakSanitizer and a
 * fatal g_warning/g_critical catch the rest.
 *
 * The zip formats (.docx, .odt, .qdpx) take either a real zip (input
 * starting with "PK") or a plain-text list of entries that is zipped on
 * the fly, so that the fuzzer can mutate the XML inside instead of deflate
 * streams:
 *
 *   contents of the main entry (named by the target)
 *   @@ NAME
 *   contents of entry NAME
 *   @@ NAME -> TARGET        (a symbolic link)
 *   @@ NAME/                 (a folder)
 */
#pragma once

#include <stdint.h>
#include <glib.h>

#include "cw-import.h"

G_BEGIN_DECLS

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);
int LLVMFuzzerInitialize   (int   *argc,
                            char ***argv);

/* Once per process: fatal warnings, libxml2, the C.UTF-8 locale. */
void     cw_fuzz_init          (void);

/* Aborts unless exactly one of result and error is set and the error's
 * message is one non-empty line of valid UTF-8. Frees nothing. */
void     cw_fuzz_check_outcome (gconstpointer  result,
                                const GError  *error);

/* Aborts when a parsed document breaks what the rest of Codewerk relies
 * on: NFC valid UTF-8 text, its length in code points, turns inside it, in
 * order, not overlapping, with valid speaker names. */
void     cw_fuzz_check_document (const CwParsedDocument *document);

/* Aborts unless every string in strings (may be NULL) is valid UTF-8. */
void     cw_fuzz_check_strings (GPtrArray     *strings);

/* A zip from data as described above; main_name names the first entry. */
GBytes  *cw_fuzz_zip_new       (const guint8  *data,
                                gsize          size,
                                const char    *main_name);

/* A folder of this process's own, on tmpfs when there is one, removed at
 * exit. */
const char *cw_fuzz_temp_dir   (void);

/* Removes everything in dir except the names in keep (NULL-terminated). */
void     cw_fuzz_clean_dir     (const char         *dir,
                                const char * const *keep);

G_END_DECLS
