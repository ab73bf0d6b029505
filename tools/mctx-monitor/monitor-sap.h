/* mctx-monitor --sap (monitor-sap.c).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <mctx.h>

G_BEGIN_DECLS

gint monitor_sap_run (gchar ** groups, gchar ** interfaces, gboolean json,
    gdouble duration, gdouble interval);

G_END_DECLS
