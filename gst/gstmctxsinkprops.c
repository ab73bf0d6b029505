/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxsinkprops.c: mctxsink's properties: their GParamSpecs and
 * documentation, and the table that maps them to libmctx settings.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmctxsink.h"
#include "gstmctxsdpprops.h"

#define DEFAULT_ADDRESS         NULL
#define DEFAULT_PORT            5004
#define DEFAULT_SOURCE          NULL
#define DEFAULT_SOURCE_PORT     0
#define DEFAULT_INTERFACE       NULL
#define DEFAULT_INTERFACE_INDEX 0
#define DEFAULT_TTL             1
#define DEFAULT_LOOP            TRUE
#define DEFAULT_QOS_DSCP        -1
#define DEFAULT_BUFFER_SIZE     0
#define DEFAULT_AUTO_MULTICAST  TRUE
#define DEFAULT_REDUNDANT_URI   NULL

/* property -> libmctx setting; the URI query keys in the order written
 * ("source" is written before '@') */
const GstMctxSetting gst_mctx_sink_settings[] = {
  {"address", "group", GST_MCTX_SETTING_NONE},
  {"port", "port", GST_MCTX_SETTING_NONE},
  {"source", "source", GST_MCTX_SETTING_NONE},
  {"interface", "interface", GST_MCTX_SETTING_URI},
  {"interface-index", "interface-index", GST_MCTX_SETTING_URI},
  {"ttl", "ttl", GST_MCTX_SETTING_URI},
  {"loop", "loop", GST_MCTX_SETTING_URI},
  {"qos-dscp", "dscp", GST_MCTX_SETTING_URI},
  {"source-port", "source-port", GST_MCTX_SETTING_URI},
  {"buffer-size", "send-buffer-size", GST_MCTX_SETTING_URI},
  /* udpsink's names (docs/elements.md, 6): aliases, and one of its own */
  {"host", "group", GST_MCTX_SETTING_NONE},
  {"multicast-iface", "interface", GST_MCTX_SETTING_NONE},
  {"ttl-mc", "ttl", GST_MCTX_SETTING_NONE},
  {"bind-address", "source", GST_MCTX_SETTING_NONE},
  {"bind-port", "source-port", GST_MCTX_SETTING_NONE},
  {"auto-multicast", NULL, GST_MCTX_SETTING_NONE},
  /* the element's own (gstmctxsinkpacing.c): an MctxPacer's, not the
   * publication's */
  {"pacing", NULL, GST_MCTX_SETTING_NONE},
  {"pacing-rate", NULL, GST_MCTX_SETTING_NONE},
  {"pacing-burst", NULL, GST_MCTX_SETTING_NONE},
  {"pacing-mechanism", NULL, GST_MCTX_SETTING_NONE},
  GST_MCTX_SINK_SDP_SETTINGS,
  {"redundant-uri", NULL, GST_MCTX_SETTING_NONE},
  {NULL, NULL, GST_MCTX_SETTING_NONE}
};

/* Returns: the URI query keys, for gst_mctx_uri_handler_add() */
const gchar *const *
gst_mctx_sink_install_properties (GObjectClass * gobject_class)
{
  /**
   * GstMctxSink:address:
   *
   * The multicast group to send to: an IPv4 (224.0.0.0/4) or IPv6 (ff00::/8)
   * multicast address. It must be set. IPv6 interface- and link-local groups
   * (ffx1::, ffx2::) also need #GstMctxSink:interface.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SINK_PROP_ADDRESS,
      g_param_spec_string ("address", "Address",
          "Multicast group to send to, IPv4 or IPv6 (e.g. 239.1.2.3 or "
          "ff3e::1234)", DEFAULT_ADDRESS,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:port:
   *
   * The UDP port to send to.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SINK_PROP_PORT,
      g_param_spec_uint ("port", "Port",
          "UDP port to send to (1 to 65535)", 0, G_MAXUINT16, DEFAULT_PORT,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:source:
   *
   * A local address to send from. The socket is bound to it, so it is the
   * source address that receivers see and that source-specific (SSM)
   * receivers list. Unset, the kernel picks the address of the outgoing
   * interface.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SINK_PROP_SOURCE,
      g_param_spec_string ("source", "Source",
          "Local address to send from (unset: the outgoing interface's "
          "address)", DEFAULT_SOURCE,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:source-port:
   *
   * The local UDP port to send from; 0 lets the kernel choose one.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SINK_PROP_SOURCE_PORT,
      g_param_spec_uint ("source-port", "Source port",
          "Local UDP port to send from (0 = any free port)", 0, G_MAXUINT16,
          DEFAULT_SOURCE_PORT, G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:interface:
   *
   * The network interface the datagrams leave through, by name (eth0) or by
   * one of its IP addresses. Unset, the routing table decides.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SINK_PROP_INTERFACE,
      g_param_spec_string ("interface", "Interface",
          "Outgoing network interface, by name or IP address (unset: the "
          "routing table decides)", DEFAULT_INTERFACE,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:interface-index:
   *
   * The outgoing interface by index, as an alternative to
   * #GstMctxSink:interface (if both are set they must name the same
   * interface). 0 means unset.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SINK_PROP_INTERFACE_INDEX,
      g_param_spec_uint ("interface-index", "Interface index",
          "Outgoing network interface by index (0 = unset)", 0, G_MAXUINT,
          DEFAULT_INTERFACE_INDEX, G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:ttl:
   *
   * The time to live (IPv4) or hop limit (IPv6) of the datagrams: how many
   * routers they may cross. The default of 1 keeps them on the local network.
   * It can be changed while playing.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SINK_PROP_TTL,
      g_param_spec_int ("ttl", "TTL",
          "Time to live / hop limit of the datagrams (1 = stay on the local "
          "network)", 0, 255, DEFAULT_TTL,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:loop:
   *
   * Whether receivers on this host get a copy of the datagrams. It can be
   * changed while playing.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SINK_PROP_LOOP,
      g_param_spec_boolean ("loop", "Loop",
          "Deliver a copy of the datagrams to receivers on this host",
          DEFAULT_LOOP,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:qos-dscp:
   *
   * The Differentiated Services Code Point (0 to 63) to mark the datagrams
   * with, -1 to leave the system default. It can be changed while playing.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SINK_PROP_QOS_DSCP,
      g_param_spec_int ("qos-dscp", "QoS DSCP",
          "Differentiated Services Code Point of the datagrams (-1 = system "
          "default)", -1, 63, DEFAULT_QOS_DSCP,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:buffer-size:
   *
   * The size of the socket's kernel send buffer in bytes; 0 keeps the system
   * default. The kernel may grant less (see net.core.wmem_max).
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SINK_PROP_BUFFER_SIZE,
      g_param_spec_int ("buffer-size", "Buffer size",
          "Size of the kernel send buffer in bytes (0 = system default)", 0,
          G_MAXINT, DEFAULT_BUFFER_SIZE,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:source-address:
   *
   * The local address and port the datagrams are sent from, as
   * "ADDRESS:PORT" ("[ADDRESS]:PORT" for IPv6), once the element is started;
   * %NULL before.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SINK_PROP_SOURCE_ADDRESS,
      g_param_spec_string ("source-address", "Source address",
          "Effective local address and port the datagrams are sent from "
          "(set once started)", NULL,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:stats:
   *
   * Counters of the current run (or of the last one when stopped), in a
   * "application/x-mctx-sink-stats" structure with these #guint64 fields:
   * "packets-sent" and "bytes-sent" (datagrams and bytes the kernel took),
   * "would-block" (times the send buffer was full and the sink waited) and
   * "send-errors" (datagrams refused, e.g. too large, and skipped); and of
   * the pacing (#GstMctxSink:pacing): "pacing-mechanism" (a string: "none",
   * "user-space", "kernel-fq" or "kernel-etf"), "late-packets" (datagrams
   * sent more than 0.5 ms after their slot), "max-burst-1ms" (the most
   * datagrams that left within any 1 ms) and "achieved-rate" (bit/s, IP+UDP
   * headers counted, from the first datagram to the last).
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SINK_PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Counters: packets-sent, bytes-sent, would-block, send-errors, "
          "pacing-mechanism, late-packets, max-burst-1ms, achieved-rate",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:uri:
   *
   * The settings as an mctx:// URI:
   * `mctx://[source@]group:port?interface=eth0&ttl=4`. Setting it sets
   * #GstMctxSink:address, #GstMctxSink:port, #GstMctxSink:source and the
   * properties named in the query, and resets the other query properties
   * (interface, interface-index, ttl, loop, qos-dscp, source-port,
   * buffer-size) to their defaults. udpsink's `udp://host:port` URIs are
   * taken too (same rules; they read back as mctx://), through this
   * property only.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SINK_PROP_URI,
      g_param_spec_string ("uri", "URI",
          "The settings as a URI: mctx://[source@]group:port?key=value&... "
          "(or udp://group:port)",
          NULL, G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /* udpsink's names. Each alias shares its main property's value: the one
   * set last wins, and a start error names it. */

  /**
   * GstMctxSink:host:
   *
   * udpsink's name for #GstMctxSink:address (an alias: one value).
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SINK_PROP_HOST,
      g_param_spec_string ("host", "Host",
          "Alias of 'address' (udpsink's name): the multicast group to send "
          "to", DEFAULT_ADDRESS,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:multicast-iface:
   *
   * udpsink's name for #GstMctxSink:interface (an alias: one value). Unlike
   * udpsink, the interface is really used for sending (IP_MULTICAST_IF /
   * IPV6_MULTICAST_IF) and may also be given by address.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SINK_PROP_MULTICAST_IFACE,
      g_param_spec_string ("multicast-iface", "Multicast interface",
          "Alias of 'interface' (udpsink's name): the outgoing interface",
          DEFAULT_INTERFACE, G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:ttl-mc:
   *
   * udpsink's name for #GstMctxSink:ttl (an alias: one value). udpsink's own
   * "ttl" is the unicast TTL (default 64), which a multicast sender does not
   * use; mctxsink's #GstMctxSink:ttl is the multicast one.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SINK_PROP_TTL_MC,
      g_param_spec_int ("ttl-mc", "Multicast TTL",
          "Alias of 'ttl' (udpsink's name): time to live / hop limit of the "
          "datagrams", 0, 255, DEFAULT_TTL,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:bind-address:
   *
   * udpsink's name for #GstMctxSink:source (an alias: one value): the local
   * address the socket is bound to and sends from.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SINK_PROP_BIND_ADDRESS,
      g_param_spec_string ("bind-address", "Bind address",
          "Alias of 'source' (udpsink's name): local address to send from",
          DEFAULT_SOURCE, G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:bind-port:
   *
   * udpsink's name for #GstMctxSink:source-port (an alias: one value), a
   * #gint as in udpsink.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SINK_PROP_BIND_PORT,
      g_param_spec_int ("bind-port", "Bind port",
          "Alias of 'source-port' (udpsink's name): local UDP port to send "
          "from (0 = any free port)", 0, G_MAXUINT16, DEFAULT_SOURCE_PORT,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:auto-multicast:
   *
   * Accepted for udpsink pipelines; it changes nothing. udpsink joins the
   * group it sends to when this is %TRUE, which only makes the network
   * deliver the group to the sending host; mctxsink never joins (a sender
   * has nothing to receive), which is what %FALSE asks for.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SINK_PROP_AUTO_MULTICAST,
      g_param_spec_boolean ("auto-multicast", "Auto multicast",
          "udpsink's property, no effect: mctxsink never joins the group it "
          "sends to", DEFAULT_AUTO_MULTICAST,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));
  gst_mctx_sink_pacing_install_properties (gobject_class);
  gst_mctx_sink_sdp_install_properties (gobject_class);

  /**
   * GstMctxSink:redundant-uri:
   *
   * SMPTE ST 2022-7 seamless protection: a second leg, as an mctx:// URI
   * with its own group, port, source and query keys (interface,
   * interface-index, ttl, loop, qos-dscp, source-port, buffer-size; ttl,
   * loop, qos-dscp and buffer-size default to the element's). Every buffer
   * is sent on both legs, each through its own socket in batches; a leg
   * whose socket stays full for 20 ms after the other leg is done with a
   * batch drops the rest of that batch on that leg only (counted in its
   * "dropped" in #GstMctxSink:stats "legs"), and then drops at once what
   * it cannot take until it takes a whole batch again, so that it never
   * holds the other leg back. Unset (the default), one leg.
   * Changing ttl, loop or qos-dscp while playing applies to the element's
   * own leg only.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SINK_PROP_REDUNDANT_URI,
      g_param_spec_string ("redundant-uri", "Redundant URI",
          "Second leg of an ST 2022-7 stream: every buffer is also sent to "
          "mctx://[source@]group:port?interface=... (unset: one leg)",
          DEFAULT_REDUNDANT_URI, G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  return gst_mctx_settings_class_init (gobject_class, gst_mctx_sink_settings);
}
