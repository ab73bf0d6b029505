#!/usr/bin/python3
# Sends a few datagrams to a multicast group with libmctx, through GObject
# introspection, and prints what each send did.
#
#   ./mctx-send.py --group 239.255.0.1 --port 5004 --interface eth0 --count 3
#   ./mctx-send.py --group 232.1.1.1 --source 192.0.2.10 --interface eth0
#
# With an uninstalled build tree:
#   GI_TYPELIB_PATH=build/src LD_LIBRARY_PATH=build/src ./mctx-send.py ...
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import sys

import gi

gi.require_version("Mctx", "0.1")
from gi.repository import GLib, Mctx  # noqa: E402
from mctx_examples import counters  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--group", default="239.255.0.1")
    ap.add_argument("--port", type=int, default=5004)
    ap.add_argument("--source", help="local address to send from "
                    "(what source-specific receivers name)")
    ap.add_argument("--interface", help="outgoing interface: name or "
                    "address (default: the routing table decides)")
    ap.add_argument("--ttl", type=int, default=1,
                    help="routers to cross (default 1: stay on the link)")
    ap.add_argument("--count", type=int, default=3)
    ap.add_argument("--message", default="hello multicast")
    args = ap.parse_args()

    # A context holds publications and refuses duplicates.  add_publication()
    # validates the settings and opens the socket: errors are GLib.Error in
    # the mctx-error-quark domain, with codes from Mctx.Error.
    ctx = Mctx.Context.new()
    try:
        pub = ctx.add_publication(args.group, args.port, args.source,
                                  args.interface)
        pub.set_ttl(args.ttl)
    except GLib.Error as e:
        if e.matches(Mctx.error_quark(), Mctx.Error.INTERFACE_NOT_FOUND):
            print("no such interface:", e.message, file=sys.stderr)
        else:
            print("cannot publish:", e.message, file=sys.stderr)
        return 1

    # (effective source, group, port): what a source-specific receiver
    # must be told, e.g. in an SDP file
    ok, source, group, port = pub.get_announce_tuple()
    print(f"announce source={source} group={group} port={port}")
    print(f"interface-index {pub.get_effective_interface_index()}")

    for i in range(args.count):
        payload = f"{args.message} {i}".encode()
        try:
            report = pub.send_with_report(payload)
        except GLib.Error as e:
            # would-block (socket buffer full) is Gio.IOErrorEnum.WOULD_BLOCK
            # in the g-io-error-quark domain: see mctx-would-block.py
            print(f"send {i} failed: {e.domain} {e.code}: {e.message}",
                  file=sys.stderr)
            return 1
        print(f"sent {report.bytes_sent} bytes"
              f" from {report.get_source_address()}"
              f" (local {report.local_address.to_string()})"
              f" to {report.destination.to_string()}")

    print("stats", counters(pub.get_stats(), "packets_sent", "bytes_sent",
                            "would_block", "send_errors"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
