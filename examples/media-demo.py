#!/usr/bin/python3
# media-demo.py: RTP video and audio over source-specific multicast with the
# mctx elements (mctxsink, mctxsrc).  tools/lab-demo.sh runs it on the hosts
# of a virtual network (tests/lab/lab.sh); it sends to whatever network it
# is started in, so start it only in a namespace made for it.
#
#   media-demo.py send    --source ADDR [stream options] --json FILE
#   media-demo.py receive --source ADDR [stream options] --json FILE --png FILE
#   media-demo.py summary SENDER.json RECEIVER.json... [--bystander NAME=N]
#
# The sender streams a test picture (with the time written on it when the
# pango elements are installed) and a test tone, each to its own group and
# port, for --duration seconds.  A receiver joins both groups for the
# sender's address only, decodes both, reads mctxsrc's counters (packets,
# kernel drops) and its stream analysis (RTP loss), writes one decoded
# frame as PNG, and stops once the streams have been quiet for half a second.
#
# With --redundant-source (SMPTE ST 2022-7), every stream goes out twice:
# on the first network ("red", --interface) and on a second one ("blue",
# --redundant-interface, from the sender's address there) through
# mctxsink's redundant-uri; receivers merge the two legs with mctxsrc's
# redundant-uri and record, every 100 ms, each leg's packets and the
# packets delivered (the summary plots them with --timeline).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import json
import sys
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstVideo", "1.0")
from gi.repository import GLib, Gst, GstVideo  # noqa: E402

FPS = 30
VIDEO_PT = 96
AUDIO_PT = 97

# name -> (encoder, payloader, encoding-name, depayloader, decoder)
VIDEO_CODECS = {
    "vp8": ("vp8enc deadline=1 cpu-used=8 target-bitrate=1500000 keyframe-max-dist=30",
            "rtpvp8pay", "VP8", "rtpvp8depay", "vp8dec"),
    "vp9": ("vp9enc deadline=1 cpu-used=8 target-bitrate=1500000 keyframe-max-dist=30",
            "rtpvp9pay", "VP9", "rtpvp9depay", "vp9dec"),
    "h264": ("openh264enc bitrate=1500000 gop-size=30 ! h264parse",
             "rtph264pay config-interval=-1", "H264",
             "rtph264depay ! h264parse", "avdec_h264"),
}
# name -> (caps before the encoder, encoder, payloader, encoding-name,
#          clock rate, depayloader, decoder)
AUDIO_CODECS = {
    "opus": ("audio/x-raw,rate=48000,channels=2", "opusenc bitrate=64000",
             "rtpopuspay", "OPUS", 48000, "rtpopusdepay", "opusdec"),
    "pcmu": ("audio/x-raw,rate=8000,channels=1", "mulawenc", "rtppcmupay",
             "PCMU", 8000, "rtppcmudepay", "mulawdec"),
}


def have(*factories):
    return all(Gst.ElementFactory.find(f) for f in factories)


def stream_address(args, kind):
    """(group, port) of the "video" or the "audio" stream"""
    if kind == "video":
        return args.group, args.port
    return args.audio_group, args.port + 2


def mctx_element(args, kind, receiver):
    """The KIND stream's mctxsink (named vsink or asink) or, for a receiver,
    mctxsrc (vsrc or asrc, joined for the sender's address only), with its
    group, port, interface and the redundant leg."""
    group, port = stream_address(args, kind)
    if receiver:
        element = (f"mctxsrc name={kind[0]}src sources={args.source} "
                   "timeout=500000000")
    else:
        element = f"mctxsink name={kind[0]}sink source={args.source} ttl={args.ttl}"
    return (f"{element} address={group} port={port} interface={args.interface}"
            f"{redundant_props(args, group, port, receiver)}")


def uri_host(addr):
    return f"[{addr}]" if ":" in addr else addr


# leg-timeout of the demo's receivers: a leg silent this long is down
LEG_TIMEOUT_MS = 300


def redundant_props(args, group, port, receiver):
    """The second leg (blue): mctxsink or mctxsrc redundant-uri."""
    if not args.redundant_source:
        return ""
    uri = (f"mctx://{uri_host(args.redundant_source)}@{uri_host(group)}:{port}"
           f"?interface={args.redundant_interface}")
    if not receiver:
        uri += f"&ttl={args.ttl}"
    extra = f" leg-timeout={LEG_TIMEOUT_MS}" if receiver else ""
    return f" redundant-uri=\"{uri}\"{extra}"


def run_pipeline(pipeline, deadline_s, on_message=None):
    """Runs until EOS, an error, on_message returning True, or the deadline."""
    loop = GLib.MainLoop()
    result = {"error": None}

    def message(bus, msg):
        if msg.type == Gst.MessageType.EOS:
            loop.quit()
        elif msg.type == Gst.MessageType.ERROR:
            err, dbg = msg.parse_error()
            result["error"] = f"{msg.src.get_name()}: {err.message}"
            loop.quit()
        elif on_message and on_message(msg):
            loop.quit()

    def deadline():
        result["error"] = result["error"] or "deadline reached"
        loop.quit()
        return False

    bus = pipeline.get_bus()
    bus.add_signal_watch()
    bus.connect("message", message)
    GLib.timeout_add(int(deadline_s * 1000), deadline)
    return loop, result


def stat(element, field):
    s = element.get_property("stats")
    ok, value = s.get_uint64(field)
    return value if ok else 0


def analysed_lost(element):
    """RTP packets lost as mctxsrc's stream analysis counts them (the
    "streams" of its stats: sequence gaps, wraps and restarts handled; the
    receiver takes one source only); with two legs, after the ST 2022-7
    merge."""
    s = element.get_property("stats")
    lost = 0
    for st in (s.get_value("streams") if s.has_field("streams") else None) or []:
        lost += st.get_value("lost")
    return lost


def leg_stats(element):
    """The "legs" structures of an element's stats (empty with one leg)."""
    s = element.get_property("stats")
    if not s.has_field("legs"):
        return []
    return list(s.get_value("legs"))


# ---- sender ----

def send(args):
    vcodec = VIDEO_CODECS[args.codec]
    frames = int(args.duration * FPS)
    width, height = args.size.split("x")
    overlay = ""
    if have("timeoverlay", "textoverlay"):
        overlay = (f"textoverlay text=\"mctx lab: {args.source} -> {args.group}\" "
                   "valignment=top halignment=left font-desc=\"Sans 18\" ! "
                   "timeoverlay valignment=bottom halignment=right font-desc=\"Sans 24\" ! ")
    desc = (f"videotestsrc is-live=true num-buffers={frames} pattern=smpte ! "
            f"video/x-raw,format=I420,width={width},height={height},framerate={FPS}/1 ! "
            f"{overlay}videoconvert ! video/x-raw,format=I420 ! {vcodec[0]} ! "
            f"{vcodec[1]} pt={VIDEO_PT} mtu=1200 ! {mctx_element(args, 'video', False)}")
    if args.audio != "none":
        acodec = AUDIO_CODECS[args.audio]
        # 20 ms buffers
        rate = int(acodec[0].split("rate=")[1].split(",")[0])
        desc += (f" audiotestsrc is-live=true wave=sine freq=440 volume=0.3 "
                 f"samplesperbuffer={rate // 50} num-buffers={int(args.duration * 50)} ! "
                 f"audioconvert ! audioresample ! {acodec[0]} ! {acodec[1]} ! "
                 f"{acodec[2]} pt={AUDIO_PT} ! {mctx_element(args, 'audio', False)}")
    pipeline = Gst.parse_launch(desc)
    loop, result = run_pipeline(pipeline, args.duration + 30)
    started = time.monotonic()
    if pipeline.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
        result["error"] = "the sender pipeline did not start"
    else:
        loop.run()
    elapsed = time.monotonic() - started
    report = {"role": "sender", "host": args.name, "source": args.source,
              "seconds": round(elapsed, 2), "streams": {}}
    for kind in ("video", "audio"):
        sink = pipeline.get_by_name(kind[0] + "sink")
        if sink is None:
            continue
        group, port = stream_address(args, kind)
        report["streams"][kind] = {
            "group": group, "port": port,
            "packets": stat(sink, "packets-sent"),
            "bytes": stat(sink, "bytes-sent"),
        }
        legs = leg_stats(sink)
        if legs:
            report["streams"][kind]["legs"] = [
                {"uri": l.get_value("uri"), "packets": l.get_value("packets-sent"),
                 "failed": l.get_value("failed"), "dropped": l.get_value("dropped")}
                for l in legs]
    pipeline.set_state(Gst.State.NULL)
    report["error"] = result["error"]
    write_json(args.json, report)
    if result["error"]:
        print(f"sender: {result['error']}", file=sys.stderr)
        return 1
    return 0


# ---- receiver ----

class RtpCounter:
    """Counts RTP packets and bytes at a source pad (for the bitrate; the
    loss comes from mctxsrc's stream analysis, analysed_lost())."""

    def __init__(self, pad):
        self.packets = 0
        self.bytes = 0
        self.first_time = None
        self.last_time = None
        pad.add_probe(Gst.PadProbeType.BUFFER | Gst.PadProbeType.BUFFER_LIST,
                      self.probe)

    def count(self, buf):
        now = time.monotonic()
        if self.first_time is None:
            self.first_time = now
        self.last_time = now
        self.packets += 1
        self.bytes += buf.get_size()

    def probe(self, pad, info):
        if info.type & Gst.PadProbeType.BUFFER_LIST:
            blist = info.get_buffer_list()
            for i in range(blist.length()):
                self.count(blist.get(i))
        else:
            self.count(info.get_buffer())
        return Gst.PadProbeReturn.OK

    def bitrate_kbps(self):
        if not self.first_time or self.last_time <= self.first_time:
            return 0
        return round(self.bytes * 8 / (self.last_time - self.first_time) / 1000)


def receive(args):
    vcodec = VIDEO_CODECS[args.codec]
    desc = (f"{mctx_element(args, 'video', True)} "
            f"caps=\"application/x-rtp,media=video,clock-rate=90000,"
            f"encoding-name={vcodec[2]},payload={VIDEO_PT}\" ! "
            f"rtpjitterbuffer latency=200 ! {vcodec[3]} ! {vcodec[4]} ! "
            f"videoconvert ! video/x-raw,format=RGB ! "
            f"appsink name=vout sync=false emit-signals=true")
    if args.audio != "none":
        acodec = AUDIO_CODECS[args.audio]
        desc += (f" {mctx_element(args, 'audio', True)} "
                 f"caps=\"application/x-rtp,media=audio,clock-rate={acodec[4]},"
                 f"encoding-name={acodec[3]},payload={AUDIO_PT}\" ! "
                 f"rtpjitterbuffer latency=200 ! {acodec[5]} ! {acodec[6]} ! "
                 f"audioconvert ! fakesink name=aout sync=false")
    pipeline = Gst.parse_launch(desc)
    srcs = {"video": pipeline.get_by_name("vsrc"), "audio": pipeline.get_by_name("asrc")}
    counters = {k: RtpCounter(e.get_static_pad("src")) for k, e in srcs.items() if e}

    # decoded video: keep the frame in the middle of the stream (or the last
    # one, should the stream be shorter)
    want = max(1, int(args.duration * FPS) // 2)
    video = {"frames": 0, "snapshot": None, "snapshot_frame": 0}

    def new_sample(sink):
        sample = sink.emit("pull-sample")
        video["frames"] += 1
        if video["frames"] <= want:
            video["snapshot"] = sample
            video["snapshot_frame"] = video["frames"]
        return Gst.FlowReturn.OK

    pipeline.get_by_name("vout").connect("new-sample", new_sample)

    audio = {"seconds": 0.0}
    aout = pipeline.get_by_name("aout")
    if aout:
        def audio_probe(pad, info):
            buf = info.get_buffer()
            if buf.duration != Gst.CLOCK_TIME_NONE:
                audio["seconds"] += buf.duration / Gst.SECOND
            return Gst.PadProbeReturn.OK
        aout.get_static_pad("sink").add_probe(Gst.PadProbeType.BUFFER, audio_probe)

    # done once every stream has had data and then been quiet (mctxsrc's
    # timeout message), bounded by the deadline
    quiet = set()
    # ST 2022-7: leg-down/up messages and the timeline of the legs
    leg_events = []
    timeline = []

    def sample_legs():
        row = {"t": round(time.time(), 3)}
        for kind, element in srcs.items():
            if element is None:
                continue
            legs = leg_stats(element)
            if legs:
                row[kind] = [l.get_value("received") for l in legs] + \
                    [stat(element, "delivered")]
        timeline.append(row)
        return True

    if args.redundant_source:
        GLib.timeout_add(100, sample_legs)

    def on_message(msg):
        s = msg.get_structure()
        if msg.type == Gst.MessageType.ELEMENT and s and \
                s.get_name() in ("GstMctxSrcLegDown", "GstMctxSrcLegUp"):
            kind = "video" if msg.src is srcs["video"] else "audio"
            leg_events.append({"t": round(time.time(), 3), "stream": kind,
                               "leg": s.get_value("leg"),
                               "up": s.get_name() == "GstMctxSrcLegUp"})
            print(f"{kind} leg {s.get_value('leg')} "
                  f"{'up' if s.get_name() == 'GstMctxSrcLegUp' else 'down'}", flush=True)
            return False
        if msg.type == Gst.MessageType.ELEMENT and s and s.get_name() == "GstMctxSrcTimeout":
            for kind, element in srcs.items():
                if element is msg.src and counters[kind].packets > 0:
                    quiet.add(kind)
            return quiet == set(counters)
        return False

    loop, result = run_pipeline(pipeline, args.duration + args.wait + 15, on_message)
    if pipeline.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
        result["error"] = "the receiver pipeline did not start"
    else:
        # the sources join when they start (READY to PAUSED); the sinks
        # only complete their state change with the first data
        for element in srcs.values():
            if element:
                element.get_state(5 * Gst.SECOND)
        print("ready", flush=True)
        loop.run()
    if result["error"] == "deadline reached" and all(c.packets for c in counters.values()):
        result["error"] = None  # stopped by the bound, but data did flow

    report = {"role": "receiver", "host": args.name, "source": args.source,
              "streams": {}, "png": None, "error": result["error"]}
    for kind, counter in counters.items():
        element = srcs[kind]
        report["streams"][kind] = {
            "packets": stat(element, "packets-received"),
            "bytes": stat(element, "bytes-received"),
            "kernel_drops": stat(element, "kernel-drops"),
            "filtered": stat(element, "filtered"),
            # the loss column: mctxsrc's own stream analysis
            "lost": analysed_lost(element),
            "bitrate_kbps": counter.bitrate_kbps(),
        }
        legs = leg_stats(element)
        if legs:
            # merged: what went downstream, each packet once
            report["streams"][kind]["packets"] = stat(element, "delivered")
            report["streams"][kind]["unrecoverable"] = stat(element, "unrecoverable")
            report["streams"][kind]["legs"] = [
                {"uri": l.get_value("uri"), "received": l.get_value("received"),
                 "lost": l.get_value("lost"), "unique": l.get_value("unique"),
                 "late": l.get_value("late"), "outages": l.get_value("outages"),
                 "skew_mean_ms": round(l.get_value("skew-mean") / 1e6, 2),
                 "skew_max_ms": round(l.get_value("skew-max") / 1e6, 2)}
                for l in legs]
    if args.redundant_source:
        sample_legs()
        report["timeline"] = timeline
        report["leg_events"] = leg_events
    report["streams"]["video"]["frames"] = video["frames"]
    if "audio" in report["streams"]:
        report["streams"]["audio"]["decoded_seconds"] = round(audio["seconds"], 2)
    pipeline.set_state(Gst.State.NULL)

    if video["snapshot"] is not None and args.png:
        try:
            png = GstVideo.video_convert_sample(video["snapshot"],
                                                Gst.Caps.from_string("image/png"),
                                                5 * Gst.SECOND)
            buf = png.get_buffer()
            with open(args.png, "wb") as f:
                f.write(buf.extract_dup(0, buf.get_size()))
            report["png"] = args.png
            report["png_frame"] = video["snapshot_frame"]
        except GLib.Error as e:
            report["error"] = report["error"] or f"PNG: {e.message}"
    write_json(args.json, report)
    if report["error"]:
        print(f"receiver {args.name}: {report['error']}", file=sys.stderr)
        return 1
    return 0


# ---- summary ----

def summary(args):
    reports = [json.load(open(p)) for p in args.reports]
    ok = True
    for r in reports:
        if r["role"] == "sender":
            print(f"sender {r['host']} ({r['source']}), {r['seconds']} s:")
            for kind, s in r["streams"].items():
                print(f"  {kind:5} -> {s['group']} port {s['port']}: "
                      f"{s['packets']} packets, {s['bytes']} bytes")
    print()
    print("lost: RTP sequence numbers missing; kdrops: datagrams the kernel dropped "
          "for the socket (SO_RXQ_OVFL)")
    print(f"{'receiver':10} {'stream':6} {'packets':>8} {'lost':>5} {'kdrops':>7} "
          f"{'kbit/s':>7}  decoded")
    for r in reports:
        if r["role"] != "receiver":
            continue
        for kind, s in r["streams"].items():
            if kind == "video":
                decoded = f"{s['frames']} frames"
            else:
                decoded = f"{s['decoded_seconds']} s of audio"
            print(f"{r['host']:10} {kind:6} {s['packets']:>8} {s['lost']:>5} "
                  f"{s['kernel_drops']:>7} {s['bitrate_kbps']:>7}  {decoded}")
            if s["packets"] == 0 or (kind == "video" and s["frames"] == 0) \
                    or (kind == "audio" and s["decoded_seconds"] == 0):
                ok = False
        if r.get("png"):
            print(f"{'':10} frame {r['png_frame']} written to {r['png']}")
        else:
            ok = False
        if r.get("error"):
            print(f"{'':10} error: {r['error']}")
            ok = False
    redundant = [r for r in reports if r["role"] == "receiver"
                 and any("legs" in s for s in r["streams"].values())]
    if redundant:
        ok = summary_legs(redundant, args) and ok
    for b in args.bystander or []:
        name, frames = b.split("=")
        print(f"\nbystander {name}: the bridge sent {frames} frames to its port "
              f"(it joined nothing: IGMP/MLD queries only, no stream)")
    print()
    print("every receiver decoded every stream" if ok
          else "FAILED: a receiver did not decode everything")
    return 0 if ok else 1


LEG_NAMES = ("red", "blue")


def summary_legs(reports, args):
    """Per-leg figures of the merged receivers; the timeline PNG."""
    ok = True
    outage = None
    if args.outage:
        outage = [float(x) for x in open(args.outage).read().split()]
    print()
    print("ST 2022-7: each stream on two networks (red, blue), merged by the receivers; "
          "lost: never arrived on that leg; unique: only that leg brought it")
    if outage:
        print(f"the red network failed for {outage[1] - outage[0]:.1f} s mid-stream "
              "(nftables dropped the sender's red traffic)")
    print(f"{'receiver':10} {'stream':6} {'leg':5} {'received':>8} {'lost':>5} "
          f"{'unique':>6} {'late':>4} {'skew ms (mean, max)':>20}")
    for r in reports:
        for kind, s in r["streams"].items():
            for i, leg in enumerate(s.get("legs", [])):
                print(f"{r['host']:10} {kind:6} {LEG_NAMES[i]:5} {leg['received']:>8} "
                      f"{leg['lost']:>5} {leg['unique']:>6} {leg['late']:>4} "
                      f"{leg['skew_mean_ms']:>10} {leg['skew_max_ms']:>9}")
            if "legs" in s:
                print(f"{r['host']:10} {kind:6} {'merge':5} {s['packets']:>8} delivered, "
                      f"{s['unrecoverable']} unrecoverable")
                if s["unrecoverable"] or s["lost"]:
                    ok = False
        # while the stream flowed: before its first packet and after its
        # last, both legs are silent (and reported so) by nature
        flowing = [row["t"] for a, row in zip(r["timeline"], r["timeline"][1:])
                   if "video" in row and "video" in a and row["video"][2] > a["video"][2]]
        last = max(flowing) if flowing else 0
        # a leg may be reported down before the stream starts (when the
        # receiver waited longer than leg-timeout) and is up with its first
        # packet: an outage is what comes after the first sample that saw
        # the leg's packets
        def leg_started(kind, leg):
            for row in r["timeline"]:
                if kind in row and row[kind][leg] > 0:
                    return row["t"]
            return float("inf")

        events = [e for e in r.get("leg_events", [])
                  if leg_started(e["stream"], e["leg"]) < e["t"] <= last]
        downs = [e for e in events if not e["up"] and e["leg"] == 0]
        ups = [e for e in events if e["up"] and e["leg"] == 0]
        for e in events:
            when = f"{e['t'] - outage[0]:+.2f} s from the failure" if outage else ""
            print(f"{r['host']:10} {e['stream']:6} {LEG_NAMES[e['leg']]:5} leg "
                  f"{'up' if e['up'] else 'down'} {when}")
        if outage and not (downs and ups):
            print(f"{'':10} the outage was not reported (no leg down and up)")
            ok = False
    if args.timeline:
        try:
            plot_timeline(reports, outage, args.timeline)
            print(f"timeline (packets per second per leg and delivered) written to "
                  f"{args.timeline}")
        except Exception as e:  # noqa: BLE001: the figures above stand
            print(f"timeline: not written: {e}")
            ok = False
    return ok


def plot_timeline(reports, outage, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(len(reports), 1, figsize=(9, 3 * len(reports)),
                             sharex=True, squeeze=False)
    t0 = min(row["t"] for r in reports for row in r["timeline"])
    for ax, r in zip(axes[:, 0], reports):
        rows = [row for row in r["timeline"] if "video" in row]
        for i, (label, colour) in enumerate((("red leg", "tab:red"),
                                             ("blue leg", "tab:blue"),
                                             ("delivered", "black"))):
            xs, ys = [], []
            for a, b in zip(rows, rows[1:]):
                dt = b["t"] - a["t"]
                if dt <= 0:
                    continue
                xs.append(b["t"] - t0)
                ys.append((b["video"][i] - a["video"][i]) / dt)
            ax.plot(xs, ys, label=label, color=colour,
                     linestyle="--" if i == 2 else "-", linewidth=1.5)
        if outage:
            ax.axvspan(outage[0] - t0, outage[1] - t0, color="tab:red", alpha=0.12,
                       label="red network down")
        ax.set_title(f"receiver {r['host']}: video packets per second")
        ax.set_ylabel("packets/s")
        ax.legend(loc="lower left", fontsize="small")
    axes[-1, 0].set_xlabel("seconds")
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


def write_json(path, report):
    if path:
        with open(path, "w") as f:
            json.dump(report, f, indent=1)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    for cmd in ("send", "receive"):
        s = sub.add_parser(cmd)
        s.add_argument("--name", default=cmd)
        s.add_argument("--source", required=True, help="the sender's address")
        s.add_argument("--group", default="232.1.1.1", help="video group")
        s.add_argument("--audio-group", default="232.1.1.2")
        s.add_argument("--port", type=int, default=5004,
                       help="video port; audio uses port + 2")
        s.add_argument("--interface", default="eth0")
        s.add_argument("--codec", choices=sorted(VIDEO_CODECS), default="vp8")
        s.add_argument("--audio", choices=sorted(AUDIO_CODECS) + ["none"], default="opus")
        s.add_argument("--duration", type=float, default=10)
        s.add_argument("--size", default="640x360")
        s.add_argument("--ttl", type=int, default=4)
        s.add_argument("--wait", type=float, default=10,
                       help="receive: how long the sender may take to start")
        s.add_argument("--json")
        s.add_argument("--png")
        s.add_argument("--redundant-source",
                       help="ST 2022-7: the sender's address on the second network")
        s.add_argument("--redundant-interface", default="blue0",
                       help="the interface of the second network")
    s = sub.add_parser("summary")
    s.add_argument("reports", nargs="+")
    s.add_argument("--bystander", action="append")
    s.add_argument("--timeline", help="ST 2022-7: write the legs' timeline PNG here")
    s.add_argument("--outage", help="a file with the red outage's start and end (epoch s)")
    args = p.parse_args()
    if args.cmd == "summary":
        return summary(args)
    Gst.init(None)
    if not have("mctxsrc", "mctxsink"):
        print("the mctx elements are not found (set GST_PLUGIN_PATH)", file=sys.stderr)
        return 1
    return send(args) if args.cmd == "send" else receive(args)


if __name__ == "__main__":
    sys.exit(main())
