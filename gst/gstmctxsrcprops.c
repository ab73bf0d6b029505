/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxsrcprops.c: mctxsrc's properties: their GParamSpecs and
 * documentation, and the table that maps them to libmctx settings.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmctxsrc.h"
#include "gstmctxsdpprops.h"

#define DEFAULT_ADDRESS                 NULL
#define DEFAULT_PORT                    5004
#define DEFAULT_INTERFACE               NULL
#define DEFAULT_INTERFACE_INDEX         0
#define DEFAULT_SOURCES                 NULL
#define DEFAULT_EXCLUDE_SOURCES         NULL
#define DEFAULT_BUFFER_SIZE             0
#define DEFAULT_MTU                     1500
#define DEFAULT_TIMEOUT                 0
#define DEFAULT_RETRIEVE_SENDER_ADDRESS TRUE
#define DEFAULT_BATCH_SIZE              32
#define DEFAULT_GRO                     FALSE
#define DEFAULT_AUTO_MULTICAST          TRUE
#define DEFAULT_REUSE                   TRUE
#define DEFAULT_LOOP                    TRUE
#define DEFAULT_SKIP_FIRST_BYTES        0
#define DEFAULT_PRESERVE_PACKETIZATION  TRUE
#define DEFAULT_SOCKET_TIMESTAMP        GST_MCTX_SOCKET_TIMESTAMP_DISABLED
#define DEFAULT_ANALYSE                 TRUE
#define DEFAULT_STATS_INTERVAL          0
#define DEFAULT_REDUNDANT_URI           NULL
#define DEFAULT_MAX_PATH_DELAY          50
#define DEFAULT_LEG_TIMEOUT             500

/* property -> libmctx setting; the URI query keys in the order written
 * ("sources" is written before '@') */
const GstMctxSetting gst_mctx_src_settings[] = {
  {"address", "group", GST_MCTX_SETTING_NONE},
  {"port", "port", GST_MCTX_SETTING_NONE},
  {"interface", "interfaces", GST_MCTX_SETTING_URI},
  {"interface-index", "interface-index", GST_MCTX_SETTING_URI},
  {"sources", "sources", GST_MCTX_SETTING_NONE},
  {"exclude-sources", "exclude-sources", GST_MCTX_SETTING_URI},
  {"buffer-size", "receive-buffer-size", GST_MCTX_SETTING_URI},
  {"gro", "gro", GST_MCTX_SETTING_NONE},
  {"mtu", NULL, GST_MCTX_SETTING_URI},
  {"timeout", NULL, GST_MCTX_SETTING_URI},
  {"caps", NULL, GST_MCTX_SETTING_NONE},
  {"retrieve-sender-address", NULL, GST_MCTX_SETTING_NONE},
  {"batch-size", NULL, GST_MCTX_SETTING_NONE},
  /* udpsrc's names (docs/elements.md, 6): aliases, and its own that
   * gstmctxudp.c checks or implements */
  {"multicast-group", "group", GST_MCTX_SETTING_NONE},
  {"multicast-iface", "interfaces", GST_MCTX_SETTING_NONE},
  {"multicast-source", "sources", GST_MCTX_SETTING_SIGNED_LIST,
      "exclude-sources"},
  {"auto-multicast", NULL, GST_MCTX_SETTING_NONE},
  {"reuse", NULL, GST_MCTX_SETTING_NONE},
  {"loop", NULL, GST_MCTX_SETTING_NONE},
  {"skip-first-bytes", NULL, GST_MCTX_SETTING_NONE},
  GST_MCTX_SRC_SDP_SETTINGS,
  {"preserve-packetization", NULL, GST_MCTX_SETTING_NONE},
  {"socket-timestamp", NULL, GST_MCTX_SETTING_NONE},
  {"analyse", NULL, GST_MCTX_SETTING_NONE},
  {"stats-interval", NULL, GST_MCTX_SETTING_NONE},
  {"redundant-uri", NULL, GST_MCTX_SETTING_NONE},
  {"max-path-delay", NULL, GST_MCTX_SETTING_NONE},
  {"leg-timeout", NULL, GST_MCTX_SETTING_NONE},
  {NULL, NULL, GST_MCTX_SETTING_NONE}
};

/* Returns: the URI query keys, for gst_mctx_uri_handler_add() */
const gchar *const *
gst_mctx_src_install_properties (GObjectClass * gobject_class)
{
  /**
   * GstMctxSrc:address:
   *
   * The multicast group to join: an IPv4 (224.0.0.0/4) or IPv6 (ff00::/8)
   * multicast address. It must be set. Source-specific groups (232.0.0.0/8,
   * ff3x::/32) need #GstMctxSrc:sources; IPv6 interface- and link-local
   * groups (ffx1::, ffx2::) need #GstMctxSrc:interface.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SRC_PROP_ADDRESS,
      g_param_spec_string ("address", "Address",
          "Multicast group to join, IPv4 or IPv6 (e.g. 239.1.2.3 or "
          "ff3e::1234)", DEFAULT_ADDRESS,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:port:
   *
   * The UDP port to receive on.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SRC_PROP_PORT,
      g_param_spec_uint ("port", "Port",
          "UDP port to receive on (1 to 65535)", 0, G_MAXUINT16, DEFAULT_PORT,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:interface:
   *
   * The network interfaces to join the group on: a comma separated list of
   * interface names or IP addresses (e.g. "eth0,192.0.2.1"), or "all" for
   * every multicast-capable interface that is up. Unset, the group is joined
   * on the interface the routing table picks. Datagrams arriving on other
   * interfaces are dropped.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SRC_PROP_INTERFACE,
      g_param_spec_string ("interface", "Interface",
          "Interfaces to join on: comma separated names or IP addresses, or "
          "'all' (unset: the routing table decides)", DEFAULT_INTERFACE,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:interface-index:
   *
   * An interface to join on by index, as an alternative to
   * #GstMctxSrc:interface. 0 means unset.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SRC_PROP_INTERFACE_INDEX,
      g_param_spec_uint ("interface-index", "Interface index",
          "Interface to join on by index (0 = unset)", 0, G_MAXUINT,
          DEFAULT_INTERFACE_INDEX, G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:sources:
   *
   * Source-specific multicast: a comma separated list of the only source
   * addresses to receive from. Needed for source-specific groups
   * (232.0.0.0/8, ff3x::/32); cannot be combined with
   * #GstMctxSrc:exclude-sources.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SRC_PROP_SOURCES,
      g_param_spec_string ("sources", "Sources",
          "Comma separated source addresses to receive from only "
          "(source-specific multicast)", DEFAULT_SOURCES,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:exclude-sources:
   *
   * A comma separated list of source addresses whose datagrams are not
   * wanted; the kernel filters them. Cannot be combined with
   * #GstMctxSrc:sources.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SRC_PROP_EXCLUDE_SOURCES,
      g_param_spec_string ("exclude-sources", "Exclude sources",
          "Comma separated source addresses not to receive from",
          DEFAULT_EXCLUDE_SOURCES, G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:buffer-size:
   *
   * The size of the socket's kernel receive buffer in bytes; 0 keeps the
   * system default. A larger buffer rides out bursts. When the kernel grants
   * less (see net.core.rmem_max) a warning message is posted.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SRC_PROP_BUFFER_SIZE,
      g_param_spec_int ("buffer-size", "Buffer size",
          "Size of the kernel receive buffer in bytes (0 = system default)", 0,
          G_MAXINT, DEFAULT_BUFFER_SIZE,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:mtu:
   *
   * The largest datagram expected, in bytes: the size of the buffers the
   * datagrams are read into. The default of 1500 covers datagrams sent over
   * standard Ethernet. Larger datagrams are dropped, counted in "truncated"
   * of #GstMctxSrc:stats and reported with a warning message (at most one a
   * second). Applies from the next start.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SRC_PROP_MTU,
      g_param_spec_uint ("mtu", "MTU",
          "Largest datagram expected in bytes; larger ones are dropped and "
          "reported", 1, G_MAXUINT16, DEFAULT_MTU,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:caps:
   *
   * The caps of the output (e.g. application/x-rtp,...); unset, ANY.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SRC_PROP_CAPS,
      g_param_spec_boxed ("caps", "Caps",
          "The caps of the source pad (unset: ANY)", GST_TYPE_CAPS,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:timeout:
   *
   * After this many nanoseconds without a datagram, post a
   * "GstMctxSrcTimeout" element message (and again after each further such
   * period); 0 disables it.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SRC_PROP_TIMEOUT,
      g_param_spec_uint64 ("timeout", "Timeout",
          "Post a GstMctxSrcTimeout element message after this many "
          "nanoseconds without data (0 = disabled)", 0, G_MAXUINT64,
          DEFAULT_TIMEOUT, G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:retrieve-sender-address:
   *
   * Whether to attach the sender's address and port to each buffer in a
   * #GstNetAddressMeta. Turn it off to save a little time when nothing
   * downstream needs it.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class,
      SRC_PROP_RETRIEVE_SENDER_ADDRESS,
      g_param_spec_boolean ("retrieve-sender-address",
          "Retrieve sender address",
          "Attach the sender's address to each buffer (GstNetAddressMeta)",
          DEFAULT_RETRIEVE_SENDER_ADDRESS,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:batch-size:
   *
   * How many datagrams one system call (recvmmsg) may read. When more than
   * one is waiting, they are pushed downstream as one buffer list.
   * Applies from the next start.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SRC_PROP_BATCH_SIZE,
      g_param_spec_uint ("batch-size", "Batch size",
          "Most datagrams read with one system call and pushed as one "
          "buffer list", 1, 1024, DEFAULT_BATCH_SIZE,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:gro:
   *
   * Let the kernel coalesce datagrams of a flow (UDP GRO, Linux 5.0 and
   * later); they are split back into one buffer per datagram. Fewer system
   * calls at high packet rates. Applies from the next start.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SRC_PROP_GRO,
      g_param_spec_boolean ("gro", "GRO",
          "Receive coalesced datagrams (UDP GRO) and split them again; "
          "fewer system calls at high rates", DEFAULT_GRO,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:preserve-packetization:
   *
   * Whether each datagram becomes a buffer of its own. Set it to %FALSE for
   * byte-stream payloads whose datagram edges mean nothing (MPEG-TS in
   * plain UDP): the datagrams of one read are then moved together and
   * pushed as one buffer, timestamped and addressed as its first datagram.
   * Applies from the next start.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class,
      SRC_PROP_PRESERVE_PACKETIZATION,
      g_param_spec_boolean ("preserve-packetization",
          "Preserve packetization",
          "One buffer per datagram; FALSE pushes the datagrams of one read "
          "as one buffer (byte streams such as MPEG-TS)",
          DEFAULT_PRESERVE_PACKETIZATION,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:socket-timestamp:
   *
   * Whether to attach the kernel's receive time of each datagram
   * (CLOCK_REALTIME, nanoseconds since the Unix epoch) to its buffer in a
   * #GstReferenceTimestampMeta with caps "timestamp/x-unix", as udpsrc's
   * property of the same name does. The buffer times come from the kernel
   * time either way.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SRC_PROP_SOCKET_TIMESTAMP,
      g_param_spec_enum ("socket-timestamp", "Socket timestamp",
          "Attach the kernel receive time (GstReferenceTimestampMeta, "
          "timestamp/x-unix)", GST_TYPE_MCTX_SOCKET_TIMESTAMP_MODE,
          DEFAULT_SOCKET_TIMESTAMP,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:analyse:
   *
   * Whether to analyse the received streams (per sender: RTP loss,
   * duplicates, reordering, jitter, SSRC changes; MPEG-TS continuity), for
   * the "streams" field of #GstMctxSrc:stats. The RTP clock rate for the
   * jitter is the "clock-rate" of #GstMctxSrc:caps when set. Applies from
   * the next start.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SRC_PROP_ANALYSE,
      g_param_spec_boolean ("analyse", "Analyse",
          "Analyse the streams (RTP loss, reordering, jitter; MPEG-TS "
          "continuity) for the stats", DEFAULT_ANALYSE,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:stats-interval:
   *
   * Post the statistics (the #GstMctxSrc:stats structure, named
   * "GstMctxSrcStats") as an element message every this many milliseconds,
   * also while no data arrives, and once more when the element stops;
   * 0 disables the messages. Applies from the next start.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SRC_PROP_STATS_INTERVAL,
      g_param_spec_uint ("stats-interval", "Stats interval",
          "Post a GstMctxSrcStats element message every this many "
          "milliseconds (0 = never)", 0, G_MAXUINT, DEFAULT_STATS_INTERVAL,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:stats:
   *
   * Counters of the current run (or of the last one when stopped), in an
   * "application/x-mctx-src-stats" structure with these #guint64 fields:
   * "packets-received" and "bytes-received" (datagrams read from the
   * socket), "kernel-drops" (datagrams the kernel dropped because the
   * receive buffer was full), "filtered" (datagrams dropped because of their
   * destination, source or arrival interface), "truncated" (datagrams
   * larger than #GstMctxSrc:mtu, dropped; they are included in
   * "packets-received") and "interface-changes" (joined interfaces that
   * went away or came back, see the "GstMctxSrcInterfaceChanged" message);
   * and "streams", a #GstValueArray of one "stream" structure per analysed
   * stream (see #GstMctxSrc:analyse and docs/elements.md for its fields).
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SRC_PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Counters: packets-received, bytes-received, kernel-drops, "
          "filtered, truncated, interface-changes", GST_TYPE_STRUCTURE,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:uri:
   *
   * The settings as an mctx:// URI: `mctx://[sources@]group:port?key=value`.
   * Setting it sets #GstMctxSrc:address, #GstMctxSrc:port,
   * #GstMctxSrc:sources and the properties named in the query, and resets
   * the other query properties (interface, interface-index, exclude-sources,
   * buffer-size, mtu, timeout) to their defaults. udpsrc's
   * `udp://group:port` URIs are taken too (same rules; they read back as
   * mctx://), through this property only.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, SRC_PROP_URI,
      g_param_spec_string ("uri", "URI",
          "The settings as a URI: mctx://[sources@]group:port?key=value&... "
          "(or udp://group:port)",
          NULL, G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /* udpsrc's names. An alias shares its main property's value: the one set
   * last wins, and a start error names it. */

  /**
   * GstMctxSrc:multicast-group:
   *
   * udpsrc's name for #GstMctxSrc:address (an alias: one value).
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SRC_PROP_MULTICAST_GROUP,
      g_param_spec_string ("multicast-group", "Multicast group",
          "Alias of 'address' (udpsrc's name): the multicast group to join",
          DEFAULT_ADDRESS, G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:multicast-iface:
   *
   * udpsrc's name for #GstMctxSrc:interface (an alias: one value): a comma
   * separated list of interfaces to join on.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SRC_PROP_MULTICAST_IFACE,
      g_param_spec_string ("multicast-iface", "Multicast interface",
          "Alias of 'interface' (udpsrc's name): comma separated interfaces "
          "to join on", DEFAULT_INTERFACE,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:multicast-source:
   *
   * udpsrc's (1.24) source filter, an alias of #GstMctxSrc:sources and
   * #GstMctxSrc:exclude-sources at once: addresses prefixed '+' (or nothing)
   * to receive from only, '-' not to receive from, separated by commas or
   * by the signs ("+192.0.2.1-192.0.2.2"). Setting it sets both lists.
   * udpsrc ignores the '-' entries; mctxsrc applies them.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SRC_PROP_MULTICAST_SOURCE,
      g_param_spec_string ("multicast-source", "Multicast source",
          "Alias of 'sources' and 'exclude-sources' (udpsrc's name): "
          "'+ADDR' to receive from only, '-ADDR' not to receive from",
          DEFAULT_SOURCES, G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:auto-multicast:
   *
   * udpsrc's property. mctxsrc always joins the group: %FALSE (leave the
   * membership to someone else) cannot be honoured and fails the start
   * naming it.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SRC_PROP_AUTO_MULTICAST,
      g_param_spec_boolean ("auto-multicast", "Auto multicast",
          "udpsrc's property: must stay true, mctxsrc always joins the group",
          DEFAULT_AUTO_MULTICAST, G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:reuse:
   *
   * udpsrc's property. mctxsrc always shares its port (SO_REUSEADDR), so
   * several receivers on one host can receive the group; %FALSE cannot be
   * honoured and posts a warning at start.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SRC_PROP_REUSE,
      g_param_spec_boolean ("reuse", "Reuse",
          "udpsrc's property: the port is always shared (false: a warning)",
          DEFAULT_REUSE, G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:loop:
   *
   * udpsrc's property. Multicast loopback is a sender's option on Linux
   * (it decides whether the sender's own host gets a copy), so it has no
   * effect on a receiver: %FALSE posts a warning at start saying to set it
   * on the sender (#GstMctxSink:loop).
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SRC_PROP_LOOP,
      g_param_spec_boolean ("loop", "Loop",
          "udpsrc's property, no effect on a receiver (false: a warning; set "
          "it on the sender)", DEFAULT_LOOP,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:skip-first-bytes:
   *
   * Strip this many bytes from the start of each datagram (a header
   * downstream does not want); no copy is made. A datagram shorter than
   * that is dropped with a warning (at most one a second). Read at start.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SRC_PROP_SKIP_FIRST_BYTES,
      g_param_spec_int ("skip-first-bytes", "Skip first bytes",
          "Bytes to strip from the start of each datagram", 0, G_MAXINT,
          DEFAULT_SKIP_FIRST_BYTES, G_PARAM_READWRITE |
          GST_PARAM_MUTABLE_READY | G_PARAM_STATIC_STRINGS));
  gst_mctx_src_sdp_install_properties (gobject_class);

  /**
   * GstMctxSrc:redundant-uri:
   *
   * SMPTE ST 2022-7 seamless protection: the second leg of the stream, as
   * an mctx:// URI with its own group, port, sources and interfaces
   * (`mctx://[sources@]group:port?interface=...`; the query keys are
   * interface, interface-index, exclude-sources and buffer-size). The
   * element receives both legs and merges them by RTP sequence number:
   * each packet once, in order, the first copy to arrive (see
   * docs/redundancy.md). The legs must carry RTP and be of one address
   * family, and must not be identical. Unset (the default), one leg.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SRC_PROP_REDUNDANT_URI,
      g_param_spec_string ("redundant-uri", "Redundant URI",
          "Second leg of an ST 2022-7 stream, merged with the first: "
          "mctx://[sources@]group:port?interface=... (unset: one leg)",
          DEFAULT_REDUNDANT_URI, G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:max-path-delay:
   *
   * With #GstMctxSrc:redundant-uri: the path differential the merge
   * absorbs, in milliseconds (1 to 1000; 50 is ST 2022-7 class B, 10 class
   * A, 150 class C). Packets are held only at a gap, at most this long
   * while the other leg may still bring the missing one; a copy later
   * than this is counted late. Other values are refused at start.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SRC_PROP_MAX_PATH_DELAY,
      g_param_spec_uint ("max-path-delay", "Max path delay",
          "Path differential between the legs the merge absorbs, in ms "
          "(1..1000, 50 = ST 2022-7 class B)", 0, G_MAXUINT,
          DEFAULT_MAX_PATH_DELAY, G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:leg-timeout:
   *
   * With #GstMctxSrc:redundant-uri: a leg that delivers no RTP packet for
   * this many milliseconds (10 to 60000) is reported down with a
   * "GstMctxSrcLegDown" element message (fields "leg" (uint, 0 for the
   * element's own URI, 1 for redundant-uri) and "uri" (string)), and up
   * again with "GstMctxSrcLegUp" when it delivers again. The merge goes on
   * from the other leg meanwhile.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SRC_PROP_LEG_TIMEOUT,
      g_param_spec_uint ("leg-timeout", "Leg timeout",
          "Report a leg down after this many ms without a packet "
          "(10..60000)", 0, G_MAXUINT, DEFAULT_LEG_TIMEOUT,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  return gst_mctx_settings_class_init (gobject_class, gst_mctx_src_settings);
}
