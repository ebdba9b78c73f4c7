/* gen-archive.c: the archive half of the hostile corpus (see cw-hostile-gen.h). */
#include "cw-hostile-gen.h"

gboolean
cw_hostile_gen_archive (CwHostileCorpus *corpus,
                      GError         **error)
{
  (void) corpus;
  (void) error;
  return TRUE;
}
