/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "mctx.h"

G_BEGIN_DECLS

/* A session from an announcement, with the display fields read from its
 * SDP lines; times and counters are zero. */
MctxSapSession *mctx_sap_session_new_from_packet (const MctxSapPacket *
    packet);
void mctx_sap_session_append_json (const MctxSapSession * s, GString * out);

G_END_DECLS
