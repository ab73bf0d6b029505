#!/usr/bin/python3
# Runs "mctxsrc ! fakesink" from Python and prints the element's counters
# (the "stats" property) every second, with a line per analysed stream,
# then once more at the end.
#
#   ./mctxsrc-stats.py --group 239.255.0.1 --port 5004 --interface eth0
#   ./mctxsrc-stats.py --group 232.1.1.1 --sources 192.0.2.10 --duration 60
#
# With an uninstalled build tree: GST_PLUGIN_PATH=build/gst ./mctxsrc-stats.py
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
from gi.repository import GLib, Gst  # noqa: E402


def format_stats(s):
    """'application/x-mctx-src-stats' structure -> 'name=value ...'
    (the counters; the analysed streams are in format_streams())"""
    fields = []
    for i in range(s.n_fields()):
        name = s.nth_field_name(i)
        if name != "streams":
            fields.append(f"{name}={s.get_value(name)}")
    return " ".join(fields)


def format_streams(s):
    """one 'source:port kind packets=... lost=...' line per analysed stream"""
    lines = []
    for st in s.get_value("streams") or []:
        line = (f"{st.get_value('source')}:{st.get_value('source-port')} "
                f"{st.get_value('kind')}")
        for name in ("packets", "lost", "duplicates", "reordered",
                     "ssrc-changes", "cc-errors"):
            line += f" {name}={st.get_value(name)}"
        lines.append(line)
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--group", default="239.255.0.1")
    ap.add_argument("--port", type=int, default=5004)
    ap.add_argument("--interface",
                    help="names or addresses, comma separated, or 'all'")
    ap.add_argument("--sources", help="source-specific: comma separated")
    ap.add_argument("--buffer-size", type=int, default=0,
                    help="kernel receive buffer in bytes")
    ap.add_argument("--duration", type=float, default=10.0,
                    help="seconds to run (0: until interrupted)")
    args = ap.parse_args()

    Gst.init(None)
    src = Gst.ElementFactory.make("mctxsrc", None)
    if src is None:
        print("no mctxsrc element: is the mctx plugin in GST_PLUGIN_PATH?",
              file=sys.stderr)
        return 1
    src.set_property("address", args.group)
    src.set_property("port", args.port)
    if args.interface:
        src.set_property("interface", args.interface)
    if args.sources:
        src.set_property("sources", args.sources)
    src.set_property("buffer-size", args.buffer_size)
    sink = Gst.ElementFactory.make("fakesink", None)
    sink.set_property("sync", False)
    pipeline = Gst.Pipeline.new("stats")
    pipeline.add(src)
    pipeline.add(sink)
    src.link(sink)

    loop = GLib.MainLoop()
    status = {"rc": 0}

    def on_message(bus, msg):
        if msg.type == Gst.MessageType.ERROR:
            err, debug = msg.parse_error()
            print(f"error: {err.message} ({debug})", file=sys.stderr)
            status["rc"] = 1
            loop.quit()
        elif msg.type == Gst.MessageType.WARNING:
            # e.g. the kernel granted a smaller receive buffer than asked
            err, debug = msg.parse_warning()
            print(f"warning: {err.message} ({debug})", file=sys.stderr)
        elif msg.type == Gst.MessageType.STATE_CHANGED and msg.src == src:
            old, new, pending = msg.parse_state_changed()
            # mctxsrc joins the group when it starts (READY -> PAUSED).
            # The pipeline itself reaches PLAYING only after the sink has
            # had a first buffer, so watch the source, not the pipeline.
            if new == Gst.State.PLAYING:
                print("receiving", flush=True)
        elif msg.type == Gst.MessageType.ELEMENT:
            s = msg.get_structure()
            if s.get_name() == "GstMctxSrcInterfaceChanged":
                print(f"interface {s.get_value('interface')} "
                      f"joined={s.get_value('joined')}", flush=True)

    def tick():
        stats = src.get_property("stats")
        print("stats", format_stats(stats), flush=True)
        for line in format_streams(stats):
            print("  stream", line, flush=True)
        return GLib.SOURCE_CONTINUE

    bus = pipeline.get_bus()
    bus.add_signal_watch()
    bus.connect("message", on_message)
    GLib.timeout_add_seconds(1, tick)
    if args.duration > 0:
        GLib.timeout_add(int(args.duration * 1000), loop.quit)

    if pipeline.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
        print("cannot start the pipeline", file=sys.stderr)
        # the error message on the bus says why
        ctx = GLib.MainContext.default()
        while ctx.iteration(False):
            pass
        pipeline.set_state(Gst.State.NULL)
        return 1
    # Ctrl-C quits the main loop cleanly (a Python KeyboardInterrupt could
    # land anywhere, e.g. in the middle of the state change below)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
    loop.run()
    pipeline.set_state(Gst.State.NULL)
    # stopped, "stats" keeps the counters of the last run
    print("final", format_stats(src.get_property("stats")), flush=True)
    bus.remove_signal_watch()
    return status["rc"]


if __name__ == "__main__":
    sys.exit(main())
