/* cw-agreement.c: being written (placeholder so the tree builds). */
#include "config.h"

#include "cw-agreement.h"

typedef int CwPlaceholder_agreement;
