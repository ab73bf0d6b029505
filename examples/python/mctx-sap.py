#!/usr/bin/python3
# SAP (RFC 2974) with libmctx through GObject introspection: announce an
# SDP, or list the sessions announced on the network as they come and go.
#
#   ./mctx-sap.py announce --sdp stream.sdp --interface eth0 --ttl 1
#   ./mctx-sap.py list --interface eth0 [--json] [--timeout 90]
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import signal
import sys

import gi

gi.require_version("Mctx", "0.1")
from gi.repository import GLib, Mctx  # noqa: E402


def announce(args):
    with open(args.sdp, encoding="utf-8") as f:
        sdp = f.read()
    ann = Mctx.SapAnnouncer.new(sdp)
    ann.props.interval = args.interval
    ann.props.ttl = args.ttl
    if args.interface:
        ann.props.interface = args.interface
    try:
        ann.start()
    except GLib.Error as e:
        print(f"cannot announce: {e.message}", file=sys.stderr)
        return 1
    print(f"announcing msg-id-hash {ann.props.msg_id_hash} every "
          f"{args.interval} s", flush=True)
    loop = GLib.MainLoop()
    GLib.timeout_add(int(args.duration * 1000), loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, quit_on, loop)
    loop.run()
    ann.stop()  # the deletion packet
    print(f"stopped after {ann.get_sent()} packets", flush=True)
    return 0


def quit_on(loop):
    """SIGINT: stop the loop, and stay the handler (a second SIGINT, as
    timeout(1) may forward, must not kill the process while it winds up)"""
    loop.quit()
    return GLib.SOURCE_CONTINUE


def show(event, s, as_json):
    if as_json:
        print(f'{{"event":"{event}","session":{s.to_json()}}}',
              flush=True)
    else:
        print(f"{event} '{s.name}' origin {s.origin} group {s.group} "
              f"port {s.port} source {s.source or '-'}", flush=True)


def listen(args):
    lst = Mctx.SapListener.new()
    lst.props.timeout = args.timeout
    if args.interface:
        lst.props.interfaces = args.interface
    for name in ("added", "updated", "removed"):
        lst.connect(f"session-{name}",
                    lambda _l, s, n=name: show(n, s, args.json))
    try:
        lst.start()
    except GLib.Error as e:
        print(f"cannot listen: {e.message}", file=sys.stderr)
        return 1
    loop = GLib.MainLoop()
    GLib.timeout_add(int(args.duration * 1000), loop.quit)
    # before "listening": a SIGINT right after it must end the loop cleanly
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, quit_on, loop)
    print("listening", flush=True)
    loop.run()
    print(f"sessions {lst.to_json()}", flush=True)
    lst.stop()
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="mode", required=True)
    a = sub.add_parser("announce")
    a.add_argument("--sdp", required=True, help="SDP file to announce")
    a.add_argument("--interface", help="outgoing interface (the stream's)")
    a.add_argument("--ttl", type=int, default=1, help="the stream's TTL")
    a.add_argument("--interval", type=int, default=Mctx.SAP_DEFAULT_INTERVAL,
                   help="seconds between announcements")
    a.add_argument("--duration", type=float, default=3600.0,
                   help="stop (and send the deletion) after this long")
    lp = sub.add_parser("list")
    lp.add_argument("--interface", action="append",
                    help="interface to listen on; repeat for several")
    lp.add_argument("--json", action="store_true", help="one JSON per event")
    lp.add_argument("--timeout", type=int, default=90,
                    help="drop sessions silent this long (0: RFC 2974)")
    lp.add_argument("--duration", type=float, default=3600.0,
                    help="stop after this long")
    args = ap.parse_args()
    return announce(args) if args.mode == "announce" else listen(args)


if __name__ == "__main__":
    sys.exit(main())
