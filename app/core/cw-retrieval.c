/* cw-retrieval.c: being written */
#include "cw-retrieval.h"
