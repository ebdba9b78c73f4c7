/* cw-cases.c: being written (issue 6). */
#include "cw-cases.h"
