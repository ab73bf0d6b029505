/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxbridge.c: element properties to libmctx settings, one start path
 * for mctxsink and mctxsrc.
 *
 * The elements do not check values themselves: libmctx checks everything
 * when the publication or subscription opens and tags each error with the
 * setting it is about (mctx_error_get_setting()); the table maps that back
 * to the property the user set, so no value is ever dropped unreported.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmctxbridge.h"
#include "gstmctxuri.h"

#include <string.h>

GST_DEBUG_CATEGORY (gst_mctx_debug);
#define GST_CAT_DEFAULT gst_mctx_debug

/* row index + 1 of a table property, on its GParamSpec */
static G_DEFINE_QUARK (gst_mctx_setting_row, row);

static guint
table_length (const GstMctxSetting * table)
{
  guint n = 0;

  while (table[n].property != NULL)
    n++;
  return n;
}

/**
 * gst_mctx_settings_class_init:
 * @klass: the element class, with the table's properties installed
 * @table: the element's table
 *
 * Returns: (transfer none): the properties flagged %GST_MCTX_SETTING_URI,
 *   in table order, for gst_mctx_uri_handler_add(); kept for good
 */
const gchar *const *
gst_mctx_settings_class_init (GObjectClass * klass,
    const GstMctxSetting * table)
{
  GPtrArray *uri_keys = g_ptr_array_new ();
  guint i;

  for (i = 0; table[i].property != NULL; i++) {
    GParamSpec *pspec = g_object_class_find_property (klass,
        table[i].property);

    g_assert (pspec != NULL);
    g_param_spec_set_qdata (pspec, row_quark (), GUINT_TO_POINTER (i + 1));
    if (table[i].flags & GST_MCTX_SETTING_URI)
      g_ptr_array_add (uri_keys, (gpointer) table[i].property);
  }
  g_ptr_array_add (uri_keys, NULL);
  return (const gchar * const *) g_ptr_array_free (uri_keys, FALSE);
}

/* with the element's class, set up by gst_mctx_settings_class_init() */
void
gst_mctx_settings_init (GstMctxSettings * s, GObject * object,
    const GstMctxSetting * table)
{
  GObjectClass *klass = G_OBJECT_GET_CLASS (object);
  guint i, j;

  s->table = table;
  s->n_rows = table_length (table);
  s->values = g_new0 (GValue, s->n_rows);
  s->main = g_new0 (guint, s->n_rows);
  s->minus_main = g_new0 (guint, s->n_rows);
  s->written = g_new0 (guint, s->n_rows);

  for (i = 0; i < s->n_rows; i++) {
    GParamSpec *pspec = g_object_class_find_property (klass,
        table[i].property);

    s->main[i] = i;
    s->minus_main[i] = G_MAXUINT;
    for (j = 0; table[i].setting != NULL && j < i; j++) {
      if (g_strcmp0 (table[j].setting, table[i].setting) == 0) {
        s->main[i] = j;
        break;
      }
    }
    for (j = 0; table[i].minus_setting != NULL && j < i; j++) {
      if (g_strcmp0 (table[j].setting, table[i].minus_setting) == 0) {
        s->minus_main[i] = s->main[j];
        break;
      }
    }
    /* a signed list is an alias of two string properties before it */
    g_assert (!(table[i].flags & GST_MCTX_SETTING_SIGNED_LIST)
        || (s->main[i] != i && s->minus_main[i] != G_MAXUINT));
    s->written[i] = i;
    if (s->main[i] == i) {
      g_value_init (&s->values[i], G_PARAM_SPEC_VALUE_TYPE (pspec));
      g_param_value_set_default (pspec, &s->values[i]);
    }
  }
}

void
gst_mctx_settings_clear (GstMctxSettings * s)
{
  guint i;

  for (i = 0; i < s->n_rows; i++) {
    if (G_IS_VALUE (&s->values[i]))
      g_value_unset (&s->values[i]);
  }
  g_clear_pointer (&s->values, g_free);
  g_clear_pointer (&s->main, g_free);
  g_clear_pointer (&s->minus_main, g_free);
  g_clear_pointer (&s->written, g_free);
  s->n_rows = 0;
}

static gint
row_of_pspec (const GstMctxSettings * s, GParamSpec * pspec)
{
  guint row = GPOINTER_TO_UINT (g_param_spec_get_qdata (pspec, row_quark ()));

  if (row == 0 || row > s->n_rows
      || !g_str_equal (s->table[row - 1].property, pspec->name))
    return -1;
  return row - 1;
}

/* Splits a signed list ("+a,-b", "+a-b", "a") into the '+' (or unsigned)
 * and the '-' entries, each comma separated, NULL when there are none. An
 * empty entry ("+a,,b", a lone "+") is kept as one, so that libmctx reports
 * it like an empty entry of the list property itself. */
static void
split_signed_list (const gchar * text, gchar ** plus, gchar ** minus)
{
  GString *lists[2] = { NULL, NULL };
  const gchar *p = text ? text : "";

  while (g_ascii_isspace (*p))
    p++;
  while (*p != '\0') {
    gboolean is_minus = FALSE;
    gsize len;
    GString *list;
    gchar *entry;

    if (*p == '+' || *p == '-') {
      is_minus = *p == '-';
      p++;
    }
    len = strcspn (p, ",+-");
    entry = g_strstrip (g_strndup (p, len));
    p += len;
    if (*p == ',')
      p++;

    list = lists[is_minus];
    if (list == NULL)
      list = lists[is_minus] = g_string_new (entry);
    else
      g_string_append_printf (list, ",%s", entry);
    g_free (entry);
    while (g_ascii_isspace (*p))
      p++;
  }
  *plus = lists[0] ? g_string_free (lists[0], FALSE) : NULL;
  *minus = lists[1] ? g_string_free (lists[1], FALSE) : NULL;
}

/* the signed list that reads back as what the two lists hold */
static gchar *
join_signed_list (const gchar * plus, const gchar * minus)
{
  GString *str = g_string_new (NULL);
  const gchar *lists[2] = { plus, minus };
  guint l, i;

  for (l = 0; l < 2; l++) {
    gchar **items;

    if (lists[l] == NULL || *lists[l] == '\0')
      continue;
    items = g_strsplit (lists[l], ",", -1);
    for (i = 0; items[i] != NULL; i++)
      g_string_append_printf (str, "%s%c%s", str->len ? "," : "",
          l == 0 ? '+' : '-', g_strstrip (items[i]));
    g_strfreev (items);
  }
  if (str->len == 0) {
    g_string_free (str, TRUE);
    return NULL;
  }
  return g_string_free (str, FALSE);
}

/**
 * gst_mctx_settings_set_property:
 *
 * Stores @value if @pspec is one of the table's properties (an alias
 * stores into its main property's value and is remembered as the one set).
 * Also handles the "uri" property (gst_mctx_uri_set_property()).
 *
 * Returns: %FALSE when @pspec is neither in the table nor "uri"
 */
gboolean
gst_mctx_settings_set_property (GstMctxSettings * s, GstObject * object,
    GParamSpec * pspec, const GValue * value)
{
  gint row = row_of_pspec (s, pspec);
  guint main;

  if (row < 0 && g_str_equal (pspec->name, "uri")
      && GST_IS_URI_HANDLER (object)) {
    gst_mctx_uri_set_property (G_OBJECT (object), value);
    return TRUE;
  }
  if (row < 0)
    return FALSE;
  main = s->main[row];

  if (s->table[row].flags & GST_MCTX_SETTING_SIGNED_LIST) {
    guint minus = s->minus_main[row];
    gchar *plus_list, *minus_list;

    split_signed_list (g_value_get_string (value), &plus_list, &minus_list);
    GST_OBJECT_LOCK (object);
    g_value_take_string (&s->values[main], plus_list);
    g_value_take_string (&s->values[minus], minus_list);
    s->written[main] = s->written[minus] = row;
    GST_OBJECT_UNLOCK (object);
    return TRUE;
  }

  GST_OBJECT_LOCK (object);
  if (!g_value_transform (value, &s->values[main]))
    g_warn_if_reached ();
  s->written[main] = row;
  GST_OBJECT_UNLOCK (object);
  return TRUE;
}

/* the same for reading; Returns: %FALSE when @pspec is neither in the table
 * nor "uri" */
gboolean
gst_mctx_settings_get_property (GstMctxSettings * s, GstObject * object,
    GParamSpec * pspec, GValue * value)
{
  gint row = row_of_pspec (s, pspec);

  if (row < 0 && g_str_equal (pspec->name, "uri")
      && GST_IS_URI_HANDLER (object)) {
    g_value_take_string (value,
        gst_uri_handler_get_uri (GST_URI_HANDLER (object)));
    return TRUE;
  }
  if (row < 0)
    return FALSE;

  GST_OBJECT_LOCK (object);
  if (s->table[row].flags & GST_MCTX_SETTING_SIGNED_LIST)
    g_value_take_string (value,
        join_signed_list (g_value_get_string (&s->values[s->main[row]]),
            g_value_get_string (&s->values[s->minus_main[row]])));
  else if (!g_value_transform (&s->values[s->main[row]], value))
    g_warn_if_reached ();
  GST_OBJECT_UNLOCK (object);
  return TRUE;
}

/**
 * gst_mctx_settings_find_row:
 * @table: an element's table
 * @property: a property name
 *
 * Returns: the index of @property's row in @table, -1 when it has none
 */
gint
gst_mctx_settings_find_row (const GstMctxSetting * table,
    const gchar * property)
{
  gint i;

  for (i = 0; table[i].property != NULL; i++) {
    if (g_str_equal (table[i].property, property))
      return i;
  }
  return -1;
}

/**
 * gst_mctx_settings_get:
 * @value: (out caller-allocates): an uninitialised #GValue, to unset
 *
 * Copies the value of table property @property.
 */
void
gst_mctx_settings_get (GstMctxSettings * s, GstObject * object,
    const gchar * property, GValue * value)
{
  gint row = gst_mctx_settings_find_row (s->table, property);
  guint i;

  g_return_if_fail (row >= 0);
  i = s->main[row];

  g_value_init (value, G_VALUE_TYPE (&s->values[i]));
  GST_OBJECT_LOCK (object);
  g_value_copy (&s->values[i], value);
  GST_OBJECT_UNLOCK (object);
}

/**
 * gst_mctx_settings_get_number:
 * @property: a boolean, enum or integer table property
 *
 * Returns: its value as a number (a guint64 one cast: read it back as
 *   guint64)
 */
gint64
gst_mctx_settings_get_number (GstMctxSettings * s, GstObject * object,
    const gchar * property)
{
  GValue v = G_VALUE_INIT;
  gint64 res;

  gst_mctx_settings_get (s, object, property, &v);
  if (G_VALUE_HOLDS_BOOLEAN (&v))
    res = g_value_get_boolean (&v);
  else if (G_VALUE_HOLDS_ENUM (&v))
    res = g_value_get_enum (&v);
  else if (G_VALUE_HOLDS_INT (&v))
    res = g_value_get_int (&v);
  else if (G_VALUE_HOLDS_UINT (&v))
    res = g_value_get_uint (&v);
  else if (G_VALUE_HOLDS_INT64 (&v))
    res = g_value_get_int64 (&v);
  else
    res = (gint64) g_value_get_uint64 (&v);
  g_value_unset (&v);
  return res;
}

/**
 * gst_mctx_settings_get_string:
 * @property: a string table property
 *
 * Returns: (transfer full) (nullable): its value stripped, %NULL when unset
 *   or blank
 */
gchar *
gst_mctx_settings_get_string (GstMctxSettings * s, GstObject * object,
    const gchar * property)
{
  GValue v = G_VALUE_INIT;
  gchar *res;

  gst_mctx_settings_get (s, object, property, &v);
  res = g_value_dup_string (&v);
  g_value_unset (&v);
  if (res != NULL && *g_strstrip (res) == '\0')
    g_clear_pointer (&res, g_free);
  return res;
}

/* Returns: (nullable): the libmctx setting table property @pspec sets */
const gchar *
gst_mctx_settings_get_setting (GstMctxSettings * s, GParamSpec * pspec)
{
  gint row = row_of_pspec (s, pspec);

  return row < 0 ? NULL : s->table[row].setting;
}

/* the value as an error message quotes it; NULL when unset */
static gchar *
value_to_text (const GValue * value)
{
  if (G_VALUE_HOLDS_STRING (value))
    return g_value_dup_string (value);
  if (G_VALUE_HOLDS_BOOLEAN (value))
    return g_strdup (g_value_get_boolean (value) ? "true" : "false");
  return g_strdup_value_contents (value);
}

/* @value converted for the library property @lib_pspec: an empty string is
 * unset, a list string becomes a string array */
static gboolean
value_for_library (const GstMctxSetting * row, GParamSpec * lib_pspec,
    const GValue * value, GValue * out, GError ** error)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (lib_pspec);
  gchar *contents;

  g_value_init (out, type);
  if (G_VALUE_HOLDS_STRING (value)) {
    const gchar *text = g_value_get_string (value);
    gchar *stripped = g_strstrip (g_strdup (text ? text : ""));

    if (*stripped == '\0') {
      g_free (stripped);
      return TRUE;
    }
    if (type == G_TYPE_STRV) {
      gchar **items = g_strsplit (stripped, ",", -1);
      guint i;

      for (i = 0; items[i] != NULL; i++)
        g_strstrip (items[i]);
      g_value_take_boxed (out, items);
      g_free (stripped);
      return TRUE;
    }
    g_free (stripped);
  }

  if (!g_value_transform (value, out))
    goto wrong_type;
  if (g_param_value_validate (lib_pspec, out))
    goto out_of_range;
  return TRUE;

  /* ERRORS */
wrong_type:
  {
    g_set_error (error, MCTX_ERROR, MCTX_ERROR_FAILED,
        "cannot convert %s to %s for '%s'", G_VALUE_TYPE_NAME (value),
        g_type_name (type), row->setting);
    g_value_unset (out);
    return FALSE;
  }
out_of_range:
  {
    contents = value_to_text (value);
    g_set_error (error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE,
        "%s %s is out of range", row->setting, contents);
    g_free (contents);
    g_value_unset (out);
    return FALSE;
  }
}

/**
 * gst_mctx_bridge_apply_setting:
 * @lib: an #MctxPublication or #MctxSubscription
 * @row: the table row (its setting)
 * @value: the element property's value
 *
 * Sets @row's libmctx setting on @lib from @value: an empty (or blank)
 * string is unset, a list string becomes a string array, numbers are
 * checked against the setting's range.
 *
 * Returns: %FALSE with an #MCTX_ERROR
 */
gboolean
gst_mctx_bridge_apply_setting (GObject * lib, const GstMctxSetting * row,
    const GValue * value, GError ** error)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (lib),
      row->setting);
  GValue v = G_VALUE_INIT;

  if (pspec == NULL || !(pspec->flags & G_PARAM_WRITABLE)) {
    g_set_error (error, MCTX_ERROR, MCTX_ERROR_FAILED,
        "%s has no writable property '%s'", G_OBJECT_TYPE_NAME (lib),
        row->setting);
    return FALSE;
  }
  if (!value_for_library (row, pspec, value, &v, error))
    return FALSE;
  g_object_set_property (lib, row->setting, &v);
  g_value_unset (&v);
  return TRUE;
}

/* "Invalid value for property 'P': MESSAGE", with the value appended when
 * the message does not already quote it */
void
gst_mctx_bridge_post_settings_error (GstElement * element,
    const gchar * property, const gchar * value, const GError * error)
{
  const gchar *msg = error ? error->message : "invalid value";
  gchar *text;

  if (value == NULL || *value == '\0' || strstr (msg, value) != NULL)
    text = g_strdup_printf ("Invalid value for property '%s': %s", property,
        msg);
  else
    text = g_strdup_printf ("Invalid value for property '%s': %s (value '%s')",
        property, msg, value);

  gst_element_message_full (element, GST_MESSAGE_ERROR, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_SETTINGS, text, g_strdup (msg), __FILE__,
      GST_FUNCTION, __LINE__);
}

/**
 * gst_mctx_bridge_post_kept_error:
 *
 * At start: the error kept for @kind, if any, posted as "Invalid value for
 * property 'P': MESSAGE".
 *
 * Returns: %TRUE when an error was posted (the start fails)
 */
gboolean
gst_mctx_bridge_post_kept_error (GstElement * element, GQuark kind)
{
  const gchar *property, *value;
  const GError *error;

  error = gst_mctx_get_kept_error (G_OBJECT (element), kind, &property, &value);
  if (error == NULL)
    return FALSE;
  gst_mctx_bridge_post_settings_error (element, property, value, error);
  return TRUE;
}

static void
post_error (GstElement * element, gint code, const gchar * what,
    const GError * error)
{
  gst_element_message_full (element, GST_MESSAGE_ERROR, GST_RESOURCE_ERROR,
      code, g_strdup_printf ("%s: %s", what, error->message),
      g_strdup (error->message), __FILE__, GST_FUNCTION, __LINE__);
}

/* An open failure: the property libmctx's setting came from, or what kind
 * of failure it is. */
static void
post_open_error (GstElement * element, const GstMctxSettings * s,
    const GValue * values, const guint * written, gint open_code,
    const GError * error)
{
  const gchar *setting = mctx_error_get_setting (error);
  guint i;

  for (i = 0; setting != NULL && i < s->n_rows; i++) {
    if (s->main[i] == i && g_strcmp0 (s->table[i].setting, setting) == 0) {
      gchar *value = value_to_text (&values[i]);

      gst_mctx_bridge_post_settings_error (element,
          s->table[written[i]].property, value, error);
      g_free (value);
      return;
    }
  }

  if (g_error_matches (error, MCTX_ERROR, MCTX_ERROR_PERMISSION))
    post_error (element, open_code, "Not allowed to open the multicast socket",
        error);
  else if (error->domain == MCTX_ERROR && error->code != MCTX_ERROR_SOCKET
      && error->code != MCTX_ERROR_FAILED)
    post_error (element, GST_RESOURCE_ERROR_SETTINGS, "Invalid settings",
        error);
  else
    post_error (element, open_code, "Could not open the multicast socket",
        error);
}

static void
lib_close (GObject * lib)
{
  if (MCTX_IS_PUBLICATION (lib))
    mctx_publication_close (MCTX_PUBLICATION (lib));
  else
    mctx_subscription_close (MCTX_SUBSCRIPTION (lib));
}

/**
 * gst_mctx_bridge_discard:
 * @lib: (transfer full): an #MctxPublication or #MctxSubscription
 *
 * Closes @lib and drops the reference: the undoing of a start that failed
 * after gst_mctx_bridge_start(), and the end of a stop.
 */
void
gst_mctx_bridge_discard (gpointer lib)
{
  lib_close (lib);
  g_object_unref (lib);
}

/**
 * gst_mctx_bridge_unpublish:
 * @field: where the element keeps something other threads read under the
 *   object lock (its publication, subscription, legs)
 *
 * Returns: (transfer full) (nullable): what @field held; @field is %NULL
 */
gpointer
gst_mctx_bridge_unpublish (GstElement * element, gpointer * field)
{
  gpointer res;

  GST_OBJECT_LOCK (element);
  res = *field;
  *field = NULL;
  GST_OBJECT_UNLOCK (element);
  return res;
}

/**
 * gst_mctx_lib_get_stats:
 * @lib: (nullable): an #MctxPublication or #MctxSubscription
 * @stats: (out caller-allocates): its #MctxPublicationStats or
 *   #MctxSubscriptionStats; untouched when @lib is %NULL
 */
void
gst_mctx_lib_get_stats (gpointer lib, gpointer stats)
{
  if (lib != NULL && MCTX_IS_PUBLICATION (lib))
    mctx_publication_get_stats (MCTX_PUBLICATION (lib), stats);
  else if (lib != NULL)
    mctx_subscription_get_stats (MCTX_SUBSCRIPTION (lib), stats);
}

/**
 * gst_mctx_bridge_stop:
 * @element: the element
 * @lib: (inout) (nullable): the element's #MctxPublication or
 *   #MctxSubscription, protected by the object lock; %NULL afterwards
 * @last_stats: (out caller-allocates): where its final statistics go
 *   (#MctxPublicationStats or #MctxSubscriptionStats), written under the
 *   object lock; untouched when @lib holds nothing
 *
 * Takes the element's object out, keeps its figures for the "stats"
 * property and closes it.
 */
void
gst_mctx_bridge_stop (GstElement * element, gpointer * lib, gpointer last_stats)
{
  GObject *obj;

  /* the figures first, under the lock: a stats reader sees either the
   * running object or its last figures */
  GST_OBJECT_LOCK (element);
  gst_mctx_lib_get_stats (*lib, last_stats);
  GST_OBJECT_UNLOCK (element);
  obj = gst_mctx_bridge_unpublish (element, lib);

  if (obj != NULL) {
    GST_DEBUG_OBJECT (element, "closing the %s", G_OBJECT_TYPE_NAME (obj));
    gst_mctx_bridge_discard (obj);
  }
}

/**
 * gst_mctx_bridge_start:
 * @element: the element
 * @settings: its settings
 * @lib: a closed #MctxPublication or #MctxSubscription
 *
 * Applies every table property that has a setting onto @lib and opens it.
 * On failure an error message naming the property (or the kind of
 * failure) is posted and @lib is left closed. A URI set through the "uri"
 * property that did not parse fails the start too, naming "uri".
 *
 * Returns: %TRUE when @lib is open
 */
gboolean
gst_mctx_bridge_start (GstElement * element, GstMctxSettings * s, GObject * lib)
{
  gboolean is_pub = MCTX_IS_PUBLICATION (lib);
  GValue *values;
  guint *written;
  GError *err = NULL;
  gboolean ok = FALSE;
  guint i;

  /* a URI the "uri" property could not take is not silently ignored */
  if (gst_mctx_bridge_post_kept_error (element, gst_mctx_uri_bad_quark ()))
    return FALSE;

  values = g_new0 (GValue, s->n_rows);
  written = g_new0 (guint, s->n_rows);

  /* one consistent snapshot: what is applied is what errors quote */
  GST_OBJECT_LOCK (element);
  for (i = 0; i < s->n_rows; i++) {
    if (s->main[i] != i || s->table[i].setting == NULL)
      continue;
    g_value_init (&values[i], G_VALUE_TYPE (&s->values[i]));
    g_value_copy (&s->values[i], &values[i]);
    written[i] = s->written[i];
  }
  GST_OBJECT_UNLOCK (element);

  for (i = 0; i < s->n_rows; i++) {
    if (!G_IS_VALUE (&values[i]))
      continue;
    if (!gst_mctx_bridge_apply_setting (lib, &s->table[i], &values[i],
            &err)) {
      gchar *value = value_to_text (&values[i]);

      gst_mctx_bridge_post_settings_error (element,
          s->table[written[i]].property, value, err);
      g_free (value);
      goto done;
    }
  }

  if (is_pub)
    ok = mctx_publication_open (MCTX_PUBLICATION (lib), &err);
  else
    ok = mctx_subscription_open (MCTX_SUBSCRIPTION (lib), &err);
  if (!ok)
    post_open_error (element, s, values, written, is_pub ?
        GST_RESOURCE_ERROR_OPEN_WRITE : GST_RESOURCE_ERROR_OPEN_READ, err);

done:
  /* a failed open leaves it closed; closing the half-configured object
   * costs nothing and keeps that true */
  if (!ok)
    lib_close (lib);
  g_clear_error (&err);
  for (i = 0; i < s->n_rows; i++) {
    if (G_IS_VALUE (&values[i]))
      g_value_unset (&values[i]);
  }
  g_free (values);
  g_free (written);
  return ok;
}

/**
 * gst_mctx_bridge_unlock:
 * @unlock: %TRUE for GstBaseSrc/GstBaseSink unlock, %FALSE for unlock_stop
 *
 * Interrupts (or re-arms) the element's waits on @cancellable.
 *
 * Returns: %TRUE
 */
gboolean
gst_mctx_bridge_unlock (GstElement * element, GCancellable * cancellable,
    gboolean unlock)
{
  GST_LOG_OBJECT (element, unlock ? "unlock" : "unlock stop");
  if (unlock)
    g_cancellable_cancel (cancellable);
  else
    g_cancellable_reset (cancellable);
  return TRUE;
}

/* The "stats" fields of the libmctx counters, in the order of the
 * structures (docs/elements.md): the i-th is the struct's i-th guint64,
 * as the structs are laid out (checked here). */
const gchar *const gst_mctx_publication_counters[] = { "packets-sent",
  "bytes-sent", "would-block", "send-errors", NULL
};

G_STATIC_ASSERT (sizeof (MctxPublicationStats) == 4 * sizeof (guint64));

const gchar *const gst_mctx_subscription_counters[] = { "packets-received",
  "bytes-received", "kernel-drops", "filtered", "truncated",
  "interface-changes", NULL
};

G_STATIC_ASSERT (sizeof (MctxSubscriptionStats) == 6 * sizeof (guint64));

/**
 * gst_mctx_structure_set_counters:
 * @s: a stats structure
 * @fields: the field names of the counters, %NULL-terminated: the i-th
 *   names the i-th guint64 of a statistics struct
 * @stats: @n_stats statistics structs of @stats_size bytes each, one after
 *   the other
 *
 * Sets every counter of @fields as a guint64 field of @s: the sum over the
 * @n_stats structs (the legs of a merge; 1 for one struct).
 */
void
gst_mctx_structure_set_counters (GstStructure * s, const gchar * const *fields,
    gconstpointer stats, gsize stats_size, guint n_stats)
{
  guint f, i;

  for (f = 0; fields[f] != NULL; f++) {
    guint64 sum = 0;

    for (i = 0; i < n_stats; i++)
      sum += ((const guint64 *) ((const guint8 *) stats + i * stats_size))[f];
    gst_structure_set (s, fields[f], G_TYPE_UINT64, sum, NULL);
  }
}

/**
 * gst_mctx_bridge_get_stats:
 * @element: the element
 * @lib: the element's #MctxPublication or #MctxSubscription, protected by
 *   the object lock (%NULL when stopped)
 * @last_stats: the figures kept at the last stop
 * @stats: (out caller-allocates): the counters now: of @lib while it runs,
 *   else @last_stats
 * @stats_size: the size of both
 */
void
gst_mctx_bridge_get_stats (GstElement * element, gpointer * lib,
    gconstpointer last_stats, gpointer stats, gsize stats_size)
{
  GST_OBJECT_LOCK (element);
  if (*lib != NULL)
    gst_mctx_lib_get_stats (*lib, stats);
  else
    memcpy (stats, last_stats, stats_size);
  GST_OBJECT_UNLOCK (element);
}

/**
 * gst_mctx_warning_due:
 * @last: (inout): monotonic time of the last such warning, 0 for none
 *
 * The rate limit of the elements' per-datagram warnings (every datagram is
 * counted; the bus gets at most one warning a second, so that a stream of
 * them cannot flood it).
 *
 * Returns: %TRUE when a warning may be posted now (@last is then now)
 */
gboolean
gst_mctx_warning_due (gint64 * last)
{
  gint64 now = g_get_monotonic_time ();

  if (*last != 0 && now - *last < G_USEC_PER_SEC)
    return FALSE;
  *last = now;
  return TRUE;
}

/**
 * gst_mctx_socket_address_to_string:
 * @addr: (nullable): a #GInetSocketAddress
 *
 * Returns: (transfer full) (nullable): "ADDRESS:PORT", with the IPv6
 *   address in brackets
 */
gchar *
gst_mctx_socket_address_to_string (GSocketAddress * addr)
{
  GInetAddress *inet;
  gchar *host, *res;
  guint port;

  if (addr == NULL || !G_IS_INET_SOCKET_ADDRESS (addr))
    return NULL;

  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (addr));
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (addr));
  host = g_inet_address_to_string (inet);
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    res = g_strdup_printf ("[%s]:%u", host, port);
  else
    res = g_strdup_printf ("%s:%u", host, port);
  g_free (host);
  return res;
}
