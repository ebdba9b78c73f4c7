/* cw-bench-rss.h: the resident set the window benchmarks report. */
#pragma once

#include <string.h>
#include <glib.h>

/* VmRSS now, from /proc, in MiB; -1 when it cannot be read. */
static inline double
cw_bench_current_rss_mib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return -1;
  return g_ascii_strtod (line + strlen ("VmRSS:"), NULL) / 1024.0;
}
