#!/usr/bin/python3
# Sending from asyncio.  Sends never block: when the socket's send buffer is
# full, send() raises GLib.Error (g-io-error-quark, WOULD_BLOCK).  Then the
# coroutine awaits writability of the publication's file descriptor with
# loop.add_writer() and sends again; the event loop runs other tasks
# meanwhile (here a ticker that shows the loop is not stuck).
#
# Register the writer only while waiting: a UDP socket is writable almost
# all the time, so a permanent writer callback would fire continuously.
#
#   ./mctx-asyncio-send.py --interface eth0 --count 100
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import asyncio
import sys

import gi

gi.require_version("Mctx", "0.1")
from gi.repository import Gio, GLib, Mctx  # noqa: E402
from mctx_examples import counters  # noqa: E402


async def wait_writable(fd):
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    loop.add_writer(fd, lambda: ready.done() or ready.set_result(None))
    try:
        await ready
    finally:
        loop.remove_writer(fd)


async def send(pub, data):
    """Sends one datagram, awaiting room in the socket buffer if needed.
    Returns the MctxSendReport and how often it had to wait."""
    waits = 0
    while True:
        try:
            return pub.send_with_report(data), waits
        except GLib.Error as e:
            if not e.matches(Gio.io_error_quark(),
                             Gio.IOErrorEnum.WOULD_BLOCK):
                raise
        waits += 1
        await wait_writable(pub.get_fd())


async def ticker(stop):
    ticks = 0
    while not stop.is_set():
        ticks += 1
        await asyncio.sleep(0.01)
    return ticks


async def main(args):
    pub = Mctx.Publication.new(args.group, args.port)
    if args.source:
        pub.props.source = args.source
    if args.interface:
        pub.props.interface = args.interface
    pub.props.loop = False
    # a small send buffer fills up quickly (0: the system's default)
    pub.props.send_buffer_size = args.send_buffer_size
    pub.open()

    stop = asyncio.Event()
    tick_task = asyncio.create_task(ticker(stop))
    sent = waited = 0
    report = None
    for i in range(args.count):
        payload = i.to_bytes(4, "big") + bytes(args.size - 4)
        report, waits = await asyncio.wait_for(send(pub, payload), 10)
        sent += 1
        waited += waits
    stop.set()
    ticks = await tick_task

    print(f"sent {sent} datagrams to {args.group}:{args.port} "
          f"from {report.get_source_address()}; awaited writability "
          f"{waited} times; the loop ticked {ticks} times meanwhile")
    print("stats", counters(pub.get_stats(), "packets_sent", "would_block"))
    return 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--group", default="239.255.0.5")
    ap.add_argument("--port", type=int, default=5004)
    ap.add_argument("--source")
    ap.add_argument("--interface")
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--size", type=int, default=1200)
    ap.add_argument("--send-buffer-size", type=int, default=0,
                    help="bytes (default: the system's)")
    sys.exit(asyncio.run(main(ap.parse_args())))
