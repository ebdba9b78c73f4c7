/* gen-text.c: the text half of the hostile corpus (see cw-hostile-gen.h). */
#include "cw-hostile-gen.h"

gboolean
cw_hostile_gen_text (CwHostileCorpus *corpus,
                      GError         **error)
{
  (void) corpus;
  (void) error;
  return TRUE;
}
