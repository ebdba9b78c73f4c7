/* cw-codebook.c: being written */
#include "cw-codebook.h"
