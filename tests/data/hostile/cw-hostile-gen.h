/* cw-hostile-gen.h: the generator of the hostile input corpus (issue 11).
 *
 * `cw-hostile-gen OUTDIR` writes every hostile file into OUTDIR and one line
 * per file into OUTDIR/MANIFEST.tsv:
 *
 *   NAME \t COMMAND \t LINE \t REASON
 *
 * COMMAND is how the file is fed to codewerk-cli (the test runs it):
 *   import           codewerk-cli import PROJECT FILE
 *   cases-import     codewerk-cli cases-import PROJECT FILE
 *   codebook-import  codewerk-cli codebook-import PROJECT FILE
 *   import-project   codewerk-cli import-project NEW.codewerk FILE
 *   merge            codewerk-cli merge PROJECT FILE
 *   open             codewerk-cli documents FILE   (FILE posing as a project)
 *   decrypt          codewerk-cli decrypt FILE NEW.codewerk
 * LINE is the line number the error must name ("-" for none): the error line
 * is then exactly "codewerk-cli: error: FILE:LINE: ..." or
 * "codewerk-cli: error: FILE: ...", FILE being the path as given.
 * REASON is a fragment (case-insensitive) the reason must contain, or "-".
 *
 * The corpus is deterministic: the same files every run.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CwHostileCorpus CwHostileCorpus;

/* The output folder, for generators that write big files themselves. */
const char *cw_hostile_corpus_get_dir (CwHostileCorpus *corpus);

/* Writes OUTDIR/NAME (NAME may not contain '/') and its manifest line. */
gboolean cw_hostile_add (CwHostileCorpus *corpus,
                         const char      *name,
                         const char      *command,
                         int              line,   /* 0: none */
                         const char      *reason, /* NULL: any */
                         const void      *data,
                         gsize            length,
                         GError         **error);

/* Adds the manifest line for OUTDIR/NAME, already written by the caller. */
gboolean cw_hostile_add_written (CwHostileCorpus *corpus,
                                 const char      *name,
                                 const char      *command,
                                 int              line,
                                 const char      *reason,
                                 GError         **error);

/* The two halves of the corpus. */
gboolean cw_hostile_gen_text    (CwHostileCorpus *corpus, /* gen-text.c */
                                 GError         **error);
gboolean cw_hostile_gen_archive (CwHostileCorpus *corpus, /* gen-archive.c */
                                 GError         **error);

G_END_DECLS
