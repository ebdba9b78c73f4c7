/* cw-spell.c: being written (placeholder so the tree builds). */
#include "config.h"

#include "cw-spell.h"

typedef int CwPlaceholder_spell;
