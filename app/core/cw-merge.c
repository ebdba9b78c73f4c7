/* cw-merge.c: being written (placeholder so the tree builds). */
#include "config.h"

#include "cw-merge.h"

typedef int CwPlaceholder_merge;
