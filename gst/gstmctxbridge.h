/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxbridge.h: what mctxsink and mctxsrc share between their properties
 * and libmctx: a per-element table of {property, libmctx setting}, the
 * property values it stores, the start path that applies them onto an
 * MctxPublication or MctxSubscription and opens it, and the errors that
 * name the property the user wrote.
 */
#pragma once

#include <gst/gst.h>
#include <mctx.h>

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (gst_mctx_debug);

/**
 * GstMctxSettingFlags:
 * @GST_MCTX_SETTING_NONE: no flag
 * @GST_MCTX_SETTING_URI: the property is a query key of the element's
 *   mctx:// URIs (written in table order)
 * @GST_MCTX_SETTING_SIGNED_LIST: an alias of two string settings at once,
 *   written as a list of entries prefixed '+' (or nothing) for @setting and
 *   '-' for @minus_setting, separated by commas or by the signs themselves
 *   (udpsrc 1.24's "multicast-source": "+192.0.2.1-192.0.2.2")
 */
typedef enum
{
  GST_MCTX_SETTING_NONE = 0,
  GST_MCTX_SETTING_URI = 1 << 0,
  GST_MCTX_SETTING_SIGNED_LIST = 1 << 1,
} GstMctxSettingFlags;

/**
 * GstMctxSetting:
 * @property: the element property
 * @setting: (nullable): the MctxPublication / MctxSubscription property it
 *   sets at start; %NULL for the element's own properties. A string set
 *   onto a string array setting is split at commas (empty entries kept, so
 *   libmctx reports them); an empty string is unset.
 * @flags: #GstMctxSettingFlags
 * @minus_setting: (nullable): with %GST_MCTX_SETTING_SIGNED_LIST, the
 *   setting the '-' entries go to (a row before this one names it)
 *
 * One row of an element's table, which ends with a row whose @property is
 * %NULL. Every element property stored by the bridge has a row; the
 * element installs the GParamSpec itself. Several rows may name the same
 * @setting: the first is the setting's main property, the later ones are
 * aliases of it (other names, e.g. udpsrc's). They share one value, and an
 * error libmctx reports about the setting names whichever of them was set
 * last (the main one when none was). An alias may have another value type
 * than its main property when GValue transforms between them (a gint port
 * for a guint one).
 */
typedef struct
{
  const gchar *property;
  const gchar *setting;
  GstMctxSettingFlags flags;
  const gchar *minus_setting;
} GstMctxSetting;

/**
 * GstMctxSettings:
 *
 * The values of one element's table properties, protected by the element's
 * object lock.
 */
typedef struct
{
  const GstMctxSetting *table;
  guint n_rows;
  GValue *values;               /* per main row */
  guint *main;                  /* row -> its main row */
  guint *minus_main;            /* row -> main row of its minus_setting */
  guint *written;               /* main row -> the row last set */
} GstMctxSettings;

const gchar *const *gst_mctx_settings_class_init (GObjectClass * klass,
    const GstMctxSetting * table);
void gst_mctx_settings_init (GstMctxSettings * settings, GObject * object,
    const GstMctxSetting * table);
void gst_mctx_settings_clear (GstMctxSettings * settings);

gboolean gst_mctx_settings_set_property (GstMctxSettings * settings,
    GstObject * object, GParamSpec * pspec, const GValue * value);
gboolean gst_mctx_settings_get_property (GstMctxSettings * settings,
    GstObject * object, GParamSpec * pspec, GValue * value);
gint gst_mctx_settings_find_row (const GstMctxSetting * table,
    const gchar * property);
void gst_mctx_settings_get (GstMctxSettings * settings, GstObject * object,
    const gchar * property, GValue * value);
gint64 gst_mctx_settings_get_number (GstMctxSettings * settings,
    GstObject * object, const gchar * property);
gchar *gst_mctx_settings_get_string (GstMctxSettings * settings,
    GstObject * object, const gchar * property);
const gchar *gst_mctx_settings_get_setting (GstMctxSettings * settings,
    GParamSpec * pspec);

gboolean gst_mctx_bridge_apply_setting (GObject * lib,
    const GstMctxSetting * row, const GValue * value, GError ** error);
gboolean gst_mctx_bridge_start (GstElement * element,
    GstMctxSettings * settings, GObject * lib);
void gst_mctx_bridge_discard (gpointer lib);
void gst_mctx_lib_get_stats (gpointer lib, gpointer stats);
gpointer gst_mctx_bridge_unpublish (GstElement * element, gpointer * field);
void gst_mctx_bridge_stop (GstElement * element, gpointer * lib,
    gpointer last_stats);

gboolean gst_mctx_bridge_unlock (GstElement * element,
    GCancellable * cancellable, gboolean unlock);
gboolean gst_mctx_bridge_post_kept_error (GstElement * element, GQuark kind);
void gst_mctx_bridge_post_settings_error (GstElement * element,
    const gchar * property, const gchar * value, const GError * error);
extern const gchar *const gst_mctx_publication_counters[];
extern const gchar *const gst_mctx_subscription_counters[];

void gst_mctx_structure_set_counters (GstStructure * s,
    const gchar * const *fields, gconstpointer stats, gsize stats_size,
    guint n_stats);
void gst_mctx_bridge_get_stats (GstElement * element, gpointer * lib,
    gconstpointer last_stats, gpointer stats, gsize stats_size);

gboolean gst_mctx_warning_due (gint64 * last);
gchar *gst_mctx_socket_address_to_string (GSocketAddress * addr);

G_END_DECLS
