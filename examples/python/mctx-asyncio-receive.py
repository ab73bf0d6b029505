#!/usr/bin/python3
# Receiving from asyncio: the subscription's file descriptor is registered
# with loop.add_reader(); each time it is readable, every waiting datagram is
# read without blocking until the library says WOULD_BLOCK.
#
#   ./mctx-asyncio-receive.py --interface eth0 --count 100
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import asyncio
import contextlib
import socket
import sys

import gi

gi.require_version("Mctx", "0.1")
from gi.repository import Gio, GLib, Mctx  # noqa: E402
from mctx_examples import counters  # noqa: E402


class Receiver:
    def __init__(self, sub):
        self.sub = sub
        self.queue = asyncio.Queue()

    def on_readable(self):
        # drain: one readiness event may stand for many datagrams
        while True:
            try:
                data, info = self.sub.receive_bytes(65536)
            except GLib.Error as e:
                # also raised when the datagrams that woke us were all
                # dropped by the filters (other group, source, interface)
                if e.matches(Gio.io_error_quark(),
                             Gio.IOErrorEnum.WOULD_BLOCK):
                    return
                self.queue.put_nowait(e)
                return
            self.queue.put_nowait((data, info))

    async def datagrams(self):
        """Yields (GLib.Bytes, Mctx.PacketInfo) as they arrive."""
        loop = asyncio.get_running_loop()
        fd = self.sub.get_fd()
        loop.add_reader(fd, self.on_readable)
        # Interface changes (an interface deleted and recreated, new ones
        # with 'all') arrive on a second, rtnetlink descriptor; wait_readable()
        # handles it by itself, an event loop must watch it too.
        mon = self.sub.get_monitor_fd()
        if mon >= 0:
            loop.add_reader(mon, self.sub.process_interface_events)
        try:
            while True:
                item = await self.queue.get()
                if isinstance(item, Exception):
                    raise item
                yield item
        finally:
            loop.remove_reader(fd)
            if mon >= 0:
                loop.remove_reader(mon)


async def receive(args):
    sub = Mctx.Subscription.new(args.group, args.port)
    if args.interface:
        sub.props.interfaces = args.interface
    if args.sources:
        sub.props.sources = args.sources.split(",")
    sub.open()
    print(f"joined {args.group}:{args.port}", flush=True)

    received = 0
    first = last = None
    # aclosing(): leaving the loop early removes the reader at once
    async with contextlib.aclosing(Receiver(sub).datagrams()) as datagrams:
        async for data, info in datagrams:
            received += 1
            if first is None:
                first = info
                sender = info.get_sender()
                print(f"first datagram from "
                      f"{sender.get_address().to_string()}"
                      f" to {info.get_destination_string()} on"
                      f" {socket.if_indextoname(info.interface_index)}",
                      flush=True)
            last = info
            if received >= args.count:
                break
    span = (last.timestamp_ns - first.timestamp_ns) / 1e9
    print(f"received {received} datagrams in {span:.3f} s (kernel timestamps); stats",
          counters(sub.get_stats(), "packets_received", "kernel_drops", "filtered"))
    return 0


async def main(args):
    try:
        return await asyncio.wait_for(receive(args), args.timeout)
    except asyncio.TimeoutError:
        print("timeout", file=sys.stderr)
        return 1


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--group", default="239.255.0.5")
    ap.add_argument("--port", type=int, default=5004)
    ap.add_argument("--interface", action="append")
    ap.add_argument("--sources")
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--timeout", type=float, default=30.0)
    sys.exit(asyncio.run(main(ap.parse_args())))
