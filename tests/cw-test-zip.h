/* cw-test-zip.h: writing zip archives in memory for the importer tests. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *name;
  const char *data;    /* NULL: a directory, or the link target for symlinks */
  gssize      length;  /* -1: data is a NUL-terminated string */
  gboolean    symlink; /* a symbolic link pointing at data */
} CwTestZipEntry;

/* A zip of the given entries (deflated, or stored when store is TRUE). */
GBytes *cw_test_zip_new (const CwTestZipEntry *entries,
                         guint                 n_entries,
                         gboolean              store);

/* A deflated zip of name, data, name, data, ..., NULL pairs of strings. */
GBytes *cw_test_zip_build (const char *first_name,
                           ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
