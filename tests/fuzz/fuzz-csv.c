/* fuzz-csv.c: cohort records from CSV/TSV (cases-import): decoding, the
 * delimiter sniffer, quoting, the header, number and date inference, the
 * id column and its checks. Everything before the project is written. */
#include "config.h"

#include "cw-cases-private.h"
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
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = _cw_cases_check_csv (bytes, "fuzz.csv", NULL, &error);
  cw_fuzz_check_outcome (ok ? GINT_TO_POINTER (1) : NULL, error);
  return 0;
}
