/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "mctx-inside.h"

/* Symbols are hidden by default (-fvisibility=hidden); this marks the API. */
#if defined(MCTX_COMPILATION)
#define MCTX_AVAILABLE_IN_ALL __attribute__((visibility ("default"))) extern
#else
#define MCTX_AVAILABLE_IN_ALL extern
#endif
