/* cw-edit.c: being written (placeholder so the tree builds). */
#include "config.h"

#include "cw-edit.h"

typedef int CwPlaceholder_edit;
