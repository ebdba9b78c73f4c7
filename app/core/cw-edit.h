/* cw-edit.h: being written (placeholder so the tree builds). */
#pragma once

#include "cw-project.h"
