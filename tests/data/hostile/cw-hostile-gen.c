/* cw-hostile-gen.c: writes the hostile input corpus; see cw-hostile-gen.h. */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw-hostile-gen.h"

struct _CwHostileCorpus
{
  char    *dir;
  GString *manifest;
};

const char *
cw_hostile_corpus_get_dir (CwHostileCorpus *corpus)
{
  return corpus->dir;
}

gboolean
cw_hostile_add_written (CwHostileCorpus *corpus,
                        const char      *name,
                        const char      *command,
                        int              line,
                        const char      *reason,
                        GError         **error)
{
  g_autofree char *path = g_build_filename (corpus->dir, name, NULL);

  if (strchr (name, '/') != NULL || strchr (name, '\t') != NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: bad corpus entry", name);
      return FALSE;
    }
  if (line > 0)
    g_string_append_printf (corpus->manifest, "%s\t%s\t%d\t%s\n", name, command, line, reason ? reason : "-");
  else
    g_string_append_printf (corpus->manifest, "%s\t%s\t-\t%s\n", name, command, reason ? reason : "-");
  return TRUE;
}

gboolean
cw_hostile_add (CwHostileCorpus *corpus,
                const char      *name,
                const char      *command,
                int              line,
                const char      *reason,
                const void      *data,
                gsize            length,
                GError         **error)
{
  g_autofree char *path = g_build_filename (corpus->dir, name, NULL);

  if (!g_file_set_contents (path, data, (gssize) length, error))
    return FALSE;
  return cw_hostile_add_written (corpus, name, command, line, reason, error);
}

int
main (int argc, char **argv)
{
  CwHostileCorpus corpus = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *manifest_path = NULL;

  if (argc != 2)
    {
      g_printerr ("usage: cw-hostile-gen OUTDIR\n");
      return 2;
    }
  corpus.dir = argv[1];
  corpus.manifest = g_string_new (NULL);
  if (g_mkdir_with_parents (corpus.dir, 0755) != 0)
    {
      g_printerr ("cw-hostile-gen: %s: %s\n", corpus.dir, g_strerror (errno));
      return 1;
    }
  if (!cw_hostile_gen_text (&corpus, &error) ||
      !cw_hostile_gen_archive (&corpus, &error))
    {
      g_printerr ("cw-hostile-gen: %s\n", error->message);
      g_string_free (corpus.manifest, TRUE);
      return 1;
    }
  manifest_path = g_build_filename (corpus.dir, "MANIFEST.tsv", NULL);
  if (!g_file_set_contents (manifest_path, corpus.manifest->str, (gssize) corpus.manifest->len, &error))
    {
      g_printerr ("cw-hostile-gen: %s\n", error->message);
      g_string_free (corpus.manifest, TRUE);
      return 1;
    }
  g_string_free (corpus.manifest, TRUE);
  return 0;
}
