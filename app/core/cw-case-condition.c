/* cw-case-condition.c: being written (placeholder so the tree builds). */
#include "config.h"

#include "cw-case-condition.h"

typedef int CwPlaceholder_case_condition;
