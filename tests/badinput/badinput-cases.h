/* Malformed and conflicting settings: the one table of them, shared by the
 * element test (test-badinput-gst.c) and the libmctx test
 * (test-badinput-lib.c).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each row is written in element terms ("prop=value prop=value", values
 * without spaces, "prop=" for unset); the libmctx test maps the names to
 * the library's (address -> group, interface -> interfaces, ...) and the
 * comma lists to string arrays.  A value "{NAME}" stands for the index of
 * interface NAME, which is only known at run time.
 *
 * URIs whose syntax is wrong are in tests/gst/test-gst-elements.c
 * (bad_uris), address strings the parser refuses in tests/test-address.c;
 * these rows do not repeat theirs.
 *
 * The network they expect (badinput_netns_setup()): lo as set up by
 * mctx_test_netns_init() (10.99.0.1, 10.99.0.2, fd00:99::1, fd00:99::2),
 * and a veth pair v0 (10.98.0.1, fd00:98::1) <-> v1 (10.98.0.2,
 * fd00:98::2), plus 10.97.0.9 on both v0 and v1 (an ambiguous interface
 * address).
 */
#pragma once

#include <glib.h>

typedef enum
{
  BAD_SINK = 1 << 0,            /* mctxsink / MctxPublication */
  BAD_SRC = 1 << 1,             /* mctxsrc / MctxSubscription */
  /* URI and udpsrc/udpsink-name rows: libmctx has neither */
  BAD_ELEMENT_ONLY = 1 << 2,
  /* libmctx's message does not quote the value yet (reported; the test
   * marks the row TODO and fails once it does, so the flag gets dropped) */
  BAD_LIB_VALUE_TODO = 1 << 3,
} BadFlags;

typedef struct
{
  guint flags;
  const gchar *bad;             /* settings that must be refused at start */
  const gchar *fix;             /* applied on top: then it must start */
  const gchar *property;        /* element property the error names */
  const gchar *value;           /* value the error names (NULL: none) */
} BadInput;

/* 11 IPv4 sources: one more than the default net.ipv4.igmp_max_msf */
#define ELEVEN_SOURCES "10.99.1.1,10.99.1.2,10.99.1.3,10.99.1.4,10.99.1.5," \
  "10.99.1.6,10.99.1.7,10.99.1.8,10.99.1.9,10.99.1.10,10.99.1.11"

static const BadInput bad_inputs[] G_GNUC_UNUSED = {
  /* ---- mctxsink / MctxPublication (BAD_SINK | BAD_SRC: mctxsrc /
   * MctxSubscription refuse it the same way) ---- */
  /* nothing set, the basics wrong */
  {BAD_SINK | BAD_SRC, "", "address=239.1.1.1", "address", NULL},
  {BAD_SINK, "address=not-an-address", "address=239.1.1.1",
      "address", "not-an-address"},
  {BAD_SINK, "address=10.1.2.3", "address=239.1.1.1",
      "address", "10.1.2.3"},
  {BAD_SINK | BAD_SRC, "address=239.1.1.1 port=0", "port=5004", "port", "0"},
  {BAD_SINK, "address=239.1.1.1 source=::1",
      "source=127.0.0.1", "source", "::1"},
  {BAD_SINK, "address=239.1.1.1 source=ff3e::1",
      "source=127.0.0.1", "source", "ff3e::1"},
  {BAD_SINK, "address=239.1.1.1 source=bogus",
      "source=127.0.0.1", "source", "bogus"},
  {BAD_SINK, "address=239.1.1.1 source=192.0.2.77", "source=10.99.0.1",
      "source", "192.0.2.77"},
  {BAD_SINK | BAD_SRC, "address=239.1.1.1 interface=nosuch0", "interface=lo",
      "interface", "nosuch0"},
  {BAD_SINK | BAD_SRC, "address=239.1.1.1 interface-index=9999",
      "interface-index=1", "interface-index", "9999"},
  {BAD_SINK | BAD_SRC, "address=ff12::1", "interface=lo", "interface",
      "ff12::1"},
  /* the error names the property that is wrong, not the one also set */
  {BAD_SINK | BAD_SRC,
        "address=239.1.1.1 interface=lo interface-index=9999",
      "interface-index=1", "interface-index", "9999"},
  /* address: not an address, not multicast, scope ids */
  {BAD_SINK, "address=239.1.1.256", "address=239.1.1.1", "address",
      "239.1.1.256"},
  {BAD_SINK, "address=239.1.1.1/32", "address=239.1.1.1", "address",
      "239.1.1.1/32"},
  {BAD_SINK, "address=0.0.0.0", "address=239.1.1.1", "address", "0.0.0.0"},
  {BAD_SINK | BAD_SRC, "address=::", "address=ff1e::1", "address", "::"},
  {BAD_SINK, "address=2001:db8::1", "address=ff1e::1", "address",
      "2001:db8::1"},
  {BAD_SINK | BAD_SRC, "address=239.1.1.1%lo", "address=239.1.1.1", "address",
      "239.1.1.1%lo"},
  {BAD_SINK | BAD_SRC, "address=ff1e::1%lo", "address=ff1e::1", "address",
      "ff1e::1%lo"},
  {BAD_SINK, "address=ff12::1%nosuch0", "address=ff12::1%lo", "address",
      "nosuch0"},
  /* source: family mix, unspecified, multicast, a list, not ours */
  {BAD_SINK, "address=239.1.1.1 source=fd00:99::1", "source=10.99.0.1",
      "source", "fd00:99::1"},
  {BAD_SINK, "address=ff1e::1 source=10.99.0.1", "source=fd00:99::1",
      "source", "10.99.0.1"},
  {BAD_SINK, "address=239.1.1.1 source=0.0.0.0", "source=10.99.0.1",
      "source", "0.0.0.0"},
  {BAD_SINK, "address=239.1.1.1 source=239.1.1.2", "source=10.99.0.1",
      "source", "239.1.1.2"},
  {BAD_SINK, "address=239.1.1.1 source=10.99.0.1,10.99.0.2",
      "source=10.99.0.1", "source", "10.99.0.1,10.99.0.2"},
  {BAD_SINK, "address=ff1e::1 source=2001:db8::77", "source=fd00:99::1",
      "source", "2001:db8::77"},
  /* interface: unknown, address on no interface, ambiguous, a list,
   * conflicting with the index or the source */
  {BAD_SINK, "address=ff1e::1 interface=nosuch1", "interface=lo",
      "interface", "nosuch1"},
  {BAD_SINK | BAD_SRC, "address=239.1.1.1 interface=192.0.2.77",
      "interface=10.98.0.1", "interface", "192.0.2.77"},
  {BAD_SINK | BAD_SRC, "address=239.1.1.1 interface=10.97.0.9", "interface=v0",
      "interface", "10.97.0.9"},
  {BAD_SINK, "address=239.1.1.1 interface=lo,v0", "interface=lo",
      "interface", "lo,v0"},
  {BAD_SINK | BAD_SRC, "address=239.1.1.1 interface=lo interface-index={v0}",
      "interface-index=0", "interface-index", "{v0}"},
  {BAD_SINK | BAD_SRC, "address=239.1.1.1 interface-index=4294967295",
      "interface-index={v0}", "interface-index", "4294967295"},
  /* (IPv6 only: an IPv4 source may be on another interface, see
   * docs/libmctx.md) */
  {BAD_SINK, "address=ff1e::1 source=fd00:98::1 interface=v1",
      "interface=v0", "interface", "v1"},
  {BAD_SINK | BAD_SRC, "address=ff12::1%v0 interface=v1", "interface=v0",
      "interface", "v1"},
  /* URIs whose syntax is fine but whose values are not */
  {BAD_SINK | BAD_SRC | BAD_ELEMENT_ONLY, "uri=mctx://239.1.1.1:0",
      "uri=mctx://239.1.1.1:5004", "port", "0"},
  {BAD_SINK | BAD_ELEMENT_ONLY, "uri=mctx://192.0.2.77@239.1.1.1:5004",
      "uri=mctx://10.99.0.2@239.1.1.1:5004", "source", "192.0.2.77"},
  {BAD_SINK | BAD_ELEMENT_ONLY, "uri=mctx://10.1.1.1:5004",
      "uri=mctx://239.1.1.1:5004", "address", "10.1.1.1"},
  {BAD_SINK | BAD_ELEMENT_ONLY, "uri=mctx://[ff02::1]:5004",
      "uri=mctx://[ff02::1]:5004?interface=lo", "interface", NULL},
  {BAD_SINK | BAD_ELEMENT_ONLY,
        "uri=mctx://239.1.1.1:5004?interface=lo&interface-index={v0}",
      "uri=mctx://239.1.1.1:5004?interface-index={v0}", "interface-index",
      "{v0}"},
  /* udpsink's names: the same errors, naming the name written; of two
   * names of one setting, the one set last */
#define SINK_UDP (BAD_SINK | BAD_ELEMENT_ONLY)
  {SINK_UDP, "host=10.1.2.3", "host=239.1.1.1", "host", "10.1.2.3"},
  {SINK_UDP, "host=not-an-address", "host=239.1.1.1", "host",
      "not-an-address"},
  {SINK_UDP, "address=239.1.1.1 host=10.1.2.3", "host=239.1.1.1", "host",
      "10.1.2.3"},
  {SINK_UDP, "host=239.1.1.1 address=10.1.2.3", "address=239.1.1.1",
      "address", "10.1.2.3"},
  {SINK_UDP, "host=239.1.1.1 multicast-iface=nosuch0",
      "multicast-iface=lo", "multicast-iface", "nosuch0"},
  {SINK_UDP, "host=239.1.1.1 multicast-iface=10.97.0.9",
      "multicast-iface=v0", "multicast-iface", "10.97.0.9"},
  {SINK_UDP, "host=ff12::1", "multicast-iface=lo", "interface", "ff12::1"},
  {SINK_UDP, "host=239.1.1.1 bind-address=192.0.2.77",
      "bind-address=10.99.0.1", "bind-address", "192.0.2.77"},
  {SINK_UDP, "host=239.1.1.1 bind-address=239.1.1.2",
      "bind-address=10.99.0.1", "bind-address", "239.1.1.2"},
  {SINK_UDP, "host=ff1e::1 bind-address=10.99.0.1",
      "bind-address=fd00:99::1", "bind-address", "10.99.0.1"},
  {SINK_UDP, "host=239.1.1.1 source=10.99.0.1 bind-address=bogus",
      "source=10.99.0.1",
      "bind-address", "bogus"},
  {SINK_UDP, "uri=udp://10.1.1.1:5004", "uri=udp://239.1.1.1:5004",
      "address", "10.1.1.1"},
  {SINK_UDP, "uri=udp://239.1.1.1:0", "uri=udp://239.1.1.1:5004", "port",
      "0"},
  /* pacing (an MctxPacer's settings, checked by the element: no
   * publication property) */
  {BAD_SINK | BAD_ELEMENT_ONLY, "address=239.1.1.1 pacing=rate",
      "pacing-rate=20000000", "pacing-rate", "0"},
  {BAD_SINK | BAD_ELEMENT_ONLY, "address=239.1.1.1 pacing-rate=999",
      "pacing-rate=1000", "pacing-rate", "999"},
  {BAD_SINK | BAD_ELEMENT_ONLY,
        "address=239.1.1.1 pacing=rate pacing-rate=100000000001",
      "pacing-rate=100000000000", "pacing-rate", "100000000001"},
  {BAD_SINK | BAD_ELEMENT_ONLY,
        "address=239.1.1.1 pacing=rate pacing-rate=20000000 pacing-burst=0",
      "pacing-burst=1", "pacing-burst", "0"},
  {BAD_SINK | BAD_ELEMENT_ONLY,
        "address=239.1.1.1 pacing=timestamps pacing-burst=65537",
      "pacing-burst=65536", "pacing-burst", "65537"},

  /* ---- mctxsrc / MctxSubscription ---- */
  /* nothing set, the basics wrong */
  {BAD_SRC, "address=nope", "address=239.1.1.1", "address",
      "nope"},
  {BAD_SRC, "address=192.0.2.1", "address=239.1.1.1",
      "address", "192.0.2.1"},
  {BAD_SRC, "address=232.1.1.1", "sources=10.99.0.1", "sources", "232.1.1.1"},
  {BAD_SRC, "address=239.1.1.1 sources=10.99.0.1 exclude-sources=10.99.0.2",
      "exclude-sources=", "exclude-sources", NULL},
  {BAD_SRC, "address=239.1.1.1 sources=::1",
      "sources=10.99.0.1", "sources", "::1"},
  {BAD_SRC, "address=239.1.1.1 sources=bogus", "sources=10.99.0.1",
      "sources", "bogus"},
  {BAD_SRC, "address=239.1.1.1 exclude-sources=bogus",
      "exclude-sources=10.99.0.2", "exclude-sources", "bogus"},
  {BAD_SRC, "address=239.1.1.1 interface=lo,nosuch0", "interface=lo",
      "interface", "nosuch0"},
  /* address */
  {BAD_SRC, "address=239.1.1", "address=239.1.1.1", "address", "239.1.1"},
  {BAD_SRC, "address=ff3e::1::2", "address=ff1e::1", "address",
      "ff3e::1::2"},
  {BAD_SRC, "address=10.99.0.1", "address=239.1.1.1", "address",
      "10.99.0.1"},
  /* SSM: no sources, only excluded ones */
  {BAD_SRC, "address=ff3e::1", "sources=fd00:99::1", "sources", "ff3e::1"},
  {BAD_SRC, "address=232.1.1.1 exclude-sources=10.99.0.1",
      "sources=10.99.0.1 exclude-sources=", "sources", "232.1.1.1"},
  /* family mix */
  {BAD_SRC, "address=239.1.1.1 sources=10.99.0.1,fd00:99::1",
      "sources=10.99.0.1", "sources", "fd00:99::1"},
  {BAD_SRC, "address=ff3e::1 sources=10.99.0.1", "sources=fd00:99::1",
      "sources", "10.99.0.1"},
  {BAD_SRC, "address=239.1.1.1 exclude-sources=fd00:99::1",
      "exclude-sources=10.99.0.1", "exclude-sources", "fd00:99::1"},
  {BAD_SRC, "address=ff1e::1 interface=10.98.0.1", "interface=fd00:98::1",
      "interface", "10.98.0.1"},
  /* empty and duplicate entries */
  {BAD_SRC, "address=239.1.1.1 sources=10.99.0.1,,10.99.0.2",
      "sources=10.99.0.1,10.99.0.2", "sources", "10.99.0.1,,10.99.0.2"},
  {BAD_SRC, "address=239.1.1.1 sources=10.99.0.1,10.99.0.1",
      "sources=10.99.0.1", "sources", "10.99.0.1"},
  {BAD_SRC, "address=239.1.1.1 exclude-sources=10.99.0.2,",
      "exclude-sources=10.99.0.2", "exclude-sources", "10.99.0.2,"},
  {BAD_SRC, "address=ff1e::1 exclude-sources=fd00:99::2,fd00:99::2",
      "exclude-sources=fd00:99::2", "exclude-sources", "fd00:99::2"},
  {BAD_SRC, "address=239.1.1.1 interface=lo,",
      "interface=lo", "interface",
      "lo,"},
  {BAD_SRC, "address=239.1.1.1 interface=,lo",
      "interface=lo", "interface",
      ",lo"},
  {BAD_SRC, "address=239.1.1.1 interface=lo,lo", "interface=lo",
      "interface", "lo"},
  {BAD_SRC, "address=239.1.1.1 interface=v0,10.98.0.1", "interface=v0",
      "interface", NULL},
  /* sources that cannot be sources */
  {BAD_SRC, "address=239.1.1.1 sources=239.1.1.2", "sources=10.99.0.1",
      "sources", "239.1.1.2"},
  {BAD_SRC, "address=239.1.1.1 sources=0.0.0.0", "sources=10.99.0.1",
      "sources", "0.0.0.0"},
  {BAD_SRC, "address=ff3e::1 sources=ff3e::2", "sources=fd00:99::1",
      "sources", "ff3e::2"},
  {BAD_SRC, "address=239.1.1.1 exclude-sources=224.0.0.1",
      "exclude-sources=10.99.0.1", "exclude-sources", "224.0.0.1"},
  /* include with exclude (IPv6; the IPv4 row is above) */
  {BAD_SRC, "address=ff1e::1 sources=fd00:99::1 exclude-sources=fd00:99::2",
      "exclude-sources=", "exclude-sources", NULL},
  /* too many sources for one filter */
  {BAD_SRC, "address=232.1.1.1 sources=" ELEVEN_SOURCES,
      "sources=10.99.0.1", "sources", NULL},
  /* interfaces */
  {BAD_SRC, "address=239.1.1.1 interface=all,lo", "interface=all",
      "interface", "all"},
  /* URIs */
  {BAD_SRC | BAD_ELEMENT_ONLY, "uri=mctx://not-an-address:5004",
      "uri=mctx://239.1.1.1:5004", "address", "not-an-address"},
  {BAD_SRC | BAD_ELEMENT_ONLY, "uri=mctx://[ff3e::1]:5004",
      "uri=mctx://[fd00:99::1]@[ff3e::1]:5004", "sources", "ff3e::1"},
  {BAD_SRC | BAD_ELEMENT_ONLY, "uri=mctx://10.99.0.1,10.99.0.1@232.1.1.1",
      "uri=mctx://10.99.0.1@232.1.1.1", "sources", "10.99.0.1"},
  {BAD_SRC | BAD_ELEMENT_ONLY, "uri=mctx://[ff3e::2]@[ff3e::1]:5004",
      "uri=mctx://[fd00:99::2]@[ff3e::1]:5004", "sources", "ff3e::2"},
  {BAD_SRC | BAD_ELEMENT_ONLY,
        "uri=mctx://239.1.1.1:5004?interface=lo,nosuch2",
      "uri=mctx://239.1.1.1:5004?interface=lo,v0", "interface", "nosuch2"},
  {BAD_SRC | BAD_ELEMENT_ONLY,
        "uri=mctx://10.99.0.1@239.1.1.1:5004?exclude-sources=10.99.0.2",
      "uri=mctx://10.99.0.1@239.1.1.1:5004", "exclude-sources", NULL},
  /* udpsrc's names */
#define SRC_UDP (BAD_SRC | BAD_ELEMENT_ONLY)
  {SRC_UDP, "multicast-group=192.0.2.1", "multicast-group=239.1.1.1",
      "multicast-group", "192.0.2.1"},
  {SRC_UDP, "address=239.1.1.1 multicast-group=nope", "address=239.1.1.1",
      "multicast-group", "nope"},
  {SRC_UDP, "multicast-group=239.1.1.1 address=nope", "address=239.1.1.1",
      "address", "nope"},
  {SRC_UDP, "multicast-group=239.1.1.1 multicast-iface=lo,nosuch0",
      "multicast-iface=lo", "multicast-iface", "nosuch0"},
  {SRC_UDP, "multicast-group=239.1.1.1 multicast-iface=lo,",
      "multicast-iface=lo", "multicast-iface", "lo,"},
  {SRC_UDP, "multicast-group=239.1.1.1 multicast-iface=all,lo",
      "multicast-iface=all", "multicast-iface", "all"},
  {SRC_UDP, "multicast-group=ff12::1", "multicast-iface=lo", "interface",
      "ff12::1"},
  /* multicast-source: both lists at once, named as written */
  {SRC_UDP, "multicast-group=232.1.1.1",
      "multicast-source=+10.99.0.1", "sources", "232.1.1.1"},
  {SRC_UDP, "multicast-group=232.1.1.1 multicast-source=-10.99.0.1",
      "multicast-source=+10.99.0.1", "multicast-source", "232.1.1.1"},
  {SRC_UDP, "multicast-group=239.1.1.1 multicast-source=+bogus",
      "multicast-source=+10.99.0.1", "multicast-source", "bogus"},
  {SRC_UDP, "multicast-group=239.1.1.1 multicast-source=-bogus",
      "multicast-source=-10.99.0.2", "multicast-source", "bogus"},
  {SRC_UDP, "multicast-group=239.1.1.1 multicast-source=+10.99.0.1-10.99.0.2",
      "multicast-source=+10.99.0.1", "multicast-source", NULL},
  {SRC_UDP, "multicast-group=239.1.1.1 multicast-source=+10.99.0.1,+",
      "multicast-source=+10.99.0.1", "multicast-source", "10.99.0.1,"},
  {SRC_UDP, "multicast-group=239.1.1.1 multicast-source=+fd00:99::1",
      "multicast-source=10.99.0.1", "multicast-source", "fd00:99::1"},
  {SRC_UDP, "multicast-group=239.1.1.1 multicast-source=-10.99.0.2,-10.99.0.2",
      "multicast-source=-10.99.0.2", "multicast-source", "10.99.0.2"},
  {SRC_UDP, "multicast-group=232.1.1.1 multicast-source=+" ELEVEN_SOURCES,
      "multicast-source=+10.99.0.1", "multicast-source", NULL},
  {SRC_UDP, "multicast-group=239.1.1.1 sources=10.99.0.1 "
        "multicast-source=+bogus", "multicast-source=+10.99.0.1",
      "multicast-source", "bogus"},
  {SRC_UDP, "multicast-group=239.1.1.1 multicast-source=-10.99.0.2 "
        "sources=10.99.0.1", "exclude-sources=", "multicast-source", NULL},
  /* what a receiver cannot honour */
  {SRC_UDP, "multicast-group=239.1.1.1 auto-multicast=false",
      "auto-multicast=true", "auto-multicast", "false"},
  /* udp:// URIs: as mctx:// */
  {SRC_UDP, "uri=udp://not-an-address:5004", "uri=udp://239.1.1.1:5004",
      "address", "not-an-address"},
  {SRC_UDP, "uri=udp://[ff3e::1]:5004",
      "uri=udp://[fd00:99::1]@[ff3e::1]:5004", "sources", "ff3e::1"},
  {SRC_UDP, "uri=udp://239.1.1.1:5004?interface=lo,nosuch2",
      "uri=udp://239.1.1.1:5004?interface=lo", "interface", "nosuch2"},
  /* sdp (issue #15): a path that is no SDP; the SDP texts themselves (with
   * spaces and line breaks) are in tests/gst/test-gst-sdp.c */
  {BAD_SRC | BAD_ELEMENT_ONLY, "sdp=/nonexistent/stream.sdp",
      "sdp= address=239.1.1.1", "sdp", "/nonexistent/stream.sdp"},
  {BAD_SRC | BAD_ELEMENT_ONLY, "sdp=/", "sdp= address=239.1.1.1", "sdp",
      "'/'"},
  {BAD_SRC | BAD_ELEMENT_ONLY, "address=239.1.1.1 sdp=/dev/null", "sdp=",
      "sdp", "/dev/null"},
  /* ST 2022-7: the second leg (redundant-uri) and the merge window */
  {BAD_SRC | BAD_ELEMENT_ONLY,
        "address=239.1.1.1 redundant-uri=mctx://239.1.1.1:5004",
        "redundant-uri=mctx://239.1.1.2:5004", "redundant-uri",
      "mctx://239.1.1.1:5004"},
  {BAD_SRC | BAD_ELEMENT_ONLY,
        "address=239.1.1.1 redundant-uri=mctx://[ff15::1]:5004",
        "redundant-uri=mctx://239.1.1.2:5004", "redundant-uri",
      "mctx://[ff15::1]:5004"},
  {BAD_SINK | BAD_SRC | BAD_ELEMENT_ONLY,
        "address=239.1.1.1 redundant-uri=mctx://10.1.2.3:5004",
        "redundant-uri=mctx://239.1.1.2:5004", "redundant-uri",
      "mctx://10.1.2.3:5004"},
  {BAD_SRC | BAD_ELEMENT_ONLY,
        "address=239.1.1.1 redundant-uri=mctx://239.1.1.2:5004?mtu=9000",
        "redundant-uri=mctx://239.1.1.2:5004", "redundant-uri",
      "mctx://239.1.1.2:5004?mtu=9000"},
  {BAD_SINK | BAD_SRC | BAD_ELEMENT_ONLY,
        "address=239.1.1.1 redundant-uri=mctx://239.1.1.2:5004?interface=nosuch3",
        "redundant-uri=mctx://239.1.1.2:5004?interface=v1", "redundant-uri",
      "nosuch3"},
  {BAD_SRC | BAD_ELEMENT_ONLY,
        "address=239.1.1.1 redundant-uri=mctx://239.1.1.2:5004 max-path-delay=0",
      "max-path-delay=50", "max-path-delay", "0"},
  {BAD_SRC | BAD_ELEMENT_ONLY,
        "address=239.1.1.1 redundant-uri=mctx://239.1.1.2:5004 max-path-delay=1001",
      "max-path-delay=1000", "max-path-delay", "1001"},
  {BAD_SRC | BAD_ELEMENT_ONLY,
        "address=239.1.1.1 redundant-uri=mctx://239.1.1.2:5004 leg-timeout=5",
      "leg-timeout=10", "leg-timeout", "5"},
  {BAD_SINK | BAD_ELEMENT_ONLY,
        "address=239.1.1.1 redundant-uri=mctx://239.1.1.2:5004?ttl=300",
        "redundant-uri=mctx://239.1.1.2:5004?ttl=3", "redundant-uri", "300"},
  /* a leg's values read as the element's own URI's ("max" is no number
   * there either: garbage_uris) */
  {BAD_SINK | BAD_ELEMENT_ONLY,
        "address=239.1.1.1 redundant-uri=mctx://239.1.1.2:5004?ttl=max",
        "redundant-uri=mctx://239.1.1.2:5004?ttl=3", "redundant-uri", "max"},
};

/* URIs that are not mctx URIs at all: gst_element_make_from_uri() and the
 * "uri" property refuse them (GST_URI_ERROR naming the URI); the element
 * keeps its previous settings */
static const gchar *const garbage_uris[] G_GNUC_UNUSED = {
  "mctx://[]:5004",
  "mctx://[ff3e::1]x:5004",
  "mctx://239.1.1.1:5004:6000",
  "mctx://239.1.1.1:-1",
  "mctx://239.1.1.1:65536",
  "mctx://239.1.1.1:5004?=1",
  "mctx://239.1.1.1:5004?ttl=%zz",
  "mctx://%zz@239.1.1.1",
  "mctx://10.0.0.1,,10.0.0.2@239.1.1.1",
  "mctx://ff3e::2@[ff3e::1]",
  "mctx://[ff3e::1]]:5004",
  "mctx://239.1.1.1:5004?ttl=-1",
  "mctx://239.1.1.1:5004?port=6000",
  "mctx://239.1.1.1:5004?address=239.1.1.2",
  "mctx://239.1.1.1:5004?uri=mctx://239.1.1.2",
  "mctx://239.1.1.1:5004?mtu=0&batch-size=0",
  "mctx://239.1.1.1:5004&ttl=2",
  "mctx://239.1.1.1:5004??ttl=2",
  /* numbers out of their property's range, which only a URI can carry
   * (g_object_set() refuses them with a warning before any start) */
  "mctx://239.1.1.1:5004?ttl=256",
  "mctx://239.1.1.1:5004?qos-dscp=64",
  "mctx://239.1.1.1:5004?buffer-size=-1",
  "mctx://239.1.1.1:5004?interface-index=-1",
  "mctx://239.1.1.1:5004?source-port=65536",
  "mctx://239.1.1.1:5004?timeout=-1",
  "mctx://239.1.1.1:5004?batch-size=1025",
  "mctx://239.1.1.1:5004?mtu=65536",
  "mctx://239.1.1.1:5004?ttl=1x",
  "mctx://239.1.1.1:5004?ttl=max",
  "mctx://239.1.1.1:5004?loop=",
};

/* veth pair and addresses described above; after mctx_test_netns_init() */
void badinput_netns_setup (void);
/* text with every "{NAME}" replaced by the index of interface NAME */
gchar *badinput_expand (const gchar * text);
/* Run @i of the 2 * G_N_ELEMENTS (bad_inputs) runs (each row on the sink
 * side, then the source side): FALSE when row i / 2 has no such side,
 * else the row in @run with only that side's flag. */
gboolean badinput_run (guint i, BadInput * run);
