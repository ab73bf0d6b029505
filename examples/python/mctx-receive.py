#!/usr/bin/python3
# Receives datagrams from a multicast group with libmctx, through GObject
# introspection, and prints each one with its metadata: sender, destination
# group, arrival interface and kernel timestamp.
#
#   ./mctx-receive.py --group 239.255.0.1 --port 5004 --interface eth0
#   ./mctx-receive.py --group 232.1.1.1 --sources 192.0.2.10 --interface eth0
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import socket
import sys
import time

import gi

gi.require_version("Mctx", "0.1")
from gi.repository import Gio, GLib, Mctx  # noqa: E402
from mctx_examples import counters  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--group", default="239.255.0.1")
    ap.add_argument("--port", type=int, default=5004)
    ap.add_argument("--interface", action="append",
                    help="interface to join on, by name or address; "
                    "repeat for several, or 'all' (default: the routing "
                    "table decides)")
    ap.add_argument("--sources", help="comma separated sources: receive "
                    "only from these (needed for 232/8 and ff3x:: groups)")
    ap.add_argument("--count", type=int, default=3,
                    help="stop after this many datagrams")
    ap.add_argument("--timeout", type=float, default=10.0,
                    help="give up after this many seconds")
    args = ap.parse_args()

    sub = Mctx.Subscription.new(args.group, args.port)
    if args.interface:
        sub.props.interfaces = args.interface
    if args.sources:
        sub.props.sources = args.sources.split(",")
    try:
        sub.open()   # validates, binds the group, joins
    except GLib.Error as e:
        print("cannot subscribe:", e.message, file=sys.stderr)
        return 1
    names = [socket.if_indextoname(i) for i in sub.get_interface_indexes()]
    print(f"joined {args.group}:{args.port} on {','.join(names)}",
          flush=True)

    deadline = time.monotonic() + args.timeout
    received = 0
    while received < args.count:
        left = deadline - time.monotonic()
        if left <= 0:
            print(f"timeout after {received} datagrams", file=sys.stderr)
            return 1
        try:
            # blocks until the socket is readable (or the timeout)
            sub.wait_readable(int(left * 1e6), None)
            data, info = sub.receive_bytes(65536)
        except GLib.Error as e:
            # WOULD_BLOCK: what woke us was dropped by the filters
            # (another group, source or interface); keep waiting
            if e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.WOULD_BLOCK):
                continue
            if e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.TIMED_OUT):
                continue
            print("receive failed:", e.message, file=sys.stderr)
            return 1
        received += 1
        print(f"received {data.get_size()} bytes"
              f" from {info.get_sender().to_string()}"
              f" to {info.get_destination_string()}"
              f" on {socket.if_indextoname(info.interface_index)}"
              f" (index {info.interface_index})"
              f" at {info.timestamp_ns} ns"
              f"{' truncated' if info.truncated else ''}:"
              f" {data.get_data().decode(errors='replace')!r}", flush=True)

    print("stats", counters(sub.get_stats(), "packets_received",
                            "bytes_received", "kernel_drops", "filtered"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
