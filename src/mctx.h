/* libmctx - IP multicast sender/receiver library
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#define MCTX_INSIDE
#include "mctx-version.h"
#include "mctx-error.h"
#include "mctx-address.h"
#include "mctx-interface.h"
#include "mctx-publication.h"
#include "mctx-subscription.h"
#include "mctx-context.h"
#include "mctx-pacer.h"
#include "mctx-merger.h"
#include "mctx-redundant.h"
#include "mctx-analyser.h"
#include "mctx-sap.h"
#include "mctx-uri.h"
#undef MCTX_INSIDE
