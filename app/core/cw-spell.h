/* cw-spell.h: being written (placeholder so the tree builds). */
#pragma once

#include "cw-project.h"
