/* cw-coding.c: being written */
#include "cw-coding.h"
