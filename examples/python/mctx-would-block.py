#!/usr/bin/python3
# A publication never blocks: when the socket's send buffer is full, a send
# raises GLib.Error with domain g-io-error-quark and code
# Gio.IOErrorEnum.WOULD_BLOCK (nothing was sent).  This example sends faster
# than the interface drains, catches that error, waits until the socket is
# writable again and resends the same datagram, so nothing is lost.
#
# To see it, the interface must be slower than the sender, e.g. a link
# limited with a token bucket filter (as root):
#   tc qdisc add dev veth0 root tbf rate 1mbit burst 10kb latency 1s
#   ./mctx-would-block.py --interface veth0 --count 200
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import sys
import time

import gi

gi.require_version("Mctx", "0.1")
from gi.repository import Gio, GLib, Mctx  # noqa: E402
from mctx_examples import counters  # noqa: E402


def is_would_block(e):
    return e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.WOULD_BLOCK)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--group", default="239.255.0.4")
    ap.add_argument("--port", type=int, default=5004)
    ap.add_argument("--interface", required=True)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--size", type=int, default=1200)
    ap.add_argument("--send-buffer-size", type=int, default=4096,
                    help="small, so that it fills up quickly")
    ap.add_argument("--timeout", type=float, default=30.0)
    args = ap.parse_args()

    pub = Mctx.Publication.new(args.group, args.port)
    pub.props.interface = args.interface
    pub.props.send_buffer_size = args.send_buffer_size
    pub.props.loop = False
    pub.open()

    payload = bytes(args.size)
    deadline = time.monotonic() + args.timeout
    sent = would_block = 0
    while sent < args.count:
        if time.monotonic() > deadline:
            print(f"gave up after {sent} datagrams", file=sys.stderr)
            return 1
        try:
            pub.send(payload)
        except GLib.Error as e:
            if not is_would_block(e):
                raise
            print(f"would-block at datagram {sent}: {e.domain} "
                  f"code={e.code} ({Gio.IOErrorEnum(e.code).value_nick})")
            would_block += 1
            # block this thread until there is room (bounded), then resend
            try:
                pub.wait_writable(5 * 1000000, None)
            except GLib.Error as e2:
                print("not writable:", e2.message, file=sys.stderr)
                return 1
            continue
        sent += 1

    print(f"sent {sent} datagrams, would-block {would_block} times; stats",
          counters(pub.get_stats(), "packets_sent", "would_block"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
