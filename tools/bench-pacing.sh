#!/usr/bin/env bash
# Paced sending from real pipelines (bench/bench-pacing.c): udpsink,
# mctxsink pacing=none and pacing=timestamps, RTP raw video (~52k
# datagrams/s) and H.264 MPEG-TS at 20 Mbit/s, timed by the receiver's
# kernel timestamps on a veth pair in a private network namespace. Writes
# its section of docs/benchmarks.md (between the "pacing" markers),
# docs/benchmarks-pacing.csv and docs/benchmarks-pacing.png.
#
#   tools/bench-pacing.sh [--frames N]      100 frames (4 s) per run
#
# Called by tools/bench.sh after the main benchmark; needs root.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "bench-pacing: needs root (private network namespace)" >&2
  exit 1
fi

dir=${BENCH_BUILD_DIR:-build-bench}
if [ ! -f "$dir/build.ninja" ]; then
  meson setup "$dir" -Dbenchmarks=true -Dtests=false --buildtype=release \
    >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; exit 1; }
fi
ninja -C "$dir" >/dev/null
export GST_PLUGIN_PATH="$PWD/$dir/gst"

# x264enc (the MPEG-TS stream)
if ! gst-inspect-1.0 x264enc >/dev/null 2>&1; then
  echo "bench-pacing: x264enc missing (gstreamer1.0-plugins-ugly)" >&2
  exit 1
fi

frag=$(mktemp)
trap 'rm -f "$frag"' EXIT
"$dir/bench/bench-pacing" --output "$frag" --csv docs/benchmarks-pacing.csv \
  "$@"

if /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
  /usr/bin/python3 bench/plot-pacing.py docs/benchmarks-pacing.csv \
    docs/benchmarks-pacing.png && echo "wrote docs/benchmarks-pacing.png"
fi

steal=$(awk '/^cpu /{print $9}' /proc/stat)
section=$(cat <<MD
<!-- pacing: begin (tools/bench-pacing.sh writes this section) -->
## Paced sending (mctxsink \`pacing\`)

Written by \`tools/bench-pacing.sh\` (\`bench/bench-pacing.c\`), $(date -u '+%Y-%m-%d %H:%M UTC'),
mctx $(git describe --always --dirty 2>/dev/null || echo '?'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end. One run each.

Real pipelines (\`videotestsrc is-live=true\`, \`! queue !\` in front of the sink so the sink
has its own thread) send across a veth pair in a private namespace; an \`MctxSubscription\` on
the far end records each datagram's kernel receive time. Streams: RTP raw video
(\`rtpvrawpay\`, 1600x900 UYVY at 25 fps, about 2090 datagrams a frame, pushed as 10 buffer
lists with one timestamp) and H.264 (\`x264enc bitrate=20000 tune=zerolatency\`) in MPEG-TS
(\`mpegtsmux ! rtpmp2tpay\`). Frames are the runs of one RTP timestamp; the first five (start-up:
the sink's added latency is redistributed once the frame time is known) and the last are
left out. *Largest 1 ms burst*: the most datagrams that arrived within any 1 ms;
*ideal*: the run's mean rate times 1 ms. *Frame spread*: first to last datagram of a frame
over the 40 ms frame time. *Mean rate / stream's*: bits on the wire (28 header bytes counted)
over the arrival time, against the same bits over the RTP timestamps' time. *CPU*: the sink's
streaming thread (\`CLOCK_THREAD_CPUTIME_ID\`) per datagram, queue pop included. The
SCHED_FIFO row gives the sink's thread priority 10, as \`docs/guide.md\` 11 advises on a busy
host. The goal (issue #14): a 1 ms burst of at most 1.5× the ideal, each frame spread over
at least 80 % of its time, the rate within 1 %. For the MPEG-TS stream \`pacing=rate\` is
shown too, at 22 Mbit/s (the stream is about 20 with headers).

$(cat "$frag")

![Inter-arrival histograms](benchmarks-pacing.png)

The histograms are in \`benchmarks-pacing.csv\` (stream, sink, bin's lower edge in ns, count).

How to read it:

- The *largest* 1 ms burst is a maximum over some 4 s: one stall of the sending thread decides
  it. On the user-space path a thread that wakes late sends every datagram already due at once
  (to keep the frame on time), so on a shared 2-core host the maximum stays well above the
  ideal even when the 99th percentile of the 1 ms bins is close to it; \`late\` in the sink's
  stats counts those datagrams. A real-time priority for the sink's thread removes most of the
  stalls (at the cost of exact wake-ups per slot, hence more CPU); the kernel path (fq) removes
  them, but this kernel has no fq.
- Datagrams due together leave in one \`sendmmsg\` (UDP GSO for equal sizes) and arrive back to
  back: the bin below 100 ns. Without pacing, a whole list does.
- MPEG-TS with H.264: the frames differ in size (an I frame is many times a P frame). The
  pacer spreads a frame by the previous frame's count, so a frame larger than the one before
  leaves its excess in a burst at its end (\`docs/libmctx.md\` 8.2): the largest burst, while
  the 99th percentile is at the ideal. \`pacing=rate\` with a rate a little above the stream's
  is the better fit for a compressed stream.
<!-- pacing: end -->
MD
)

/usr/bin/python3 - docs/benchmarks.md "$section" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path, encoding='utf-8').read()
pat = re.compile(r'<!-- pacing: begin.*?<!-- pacing: end -->\n?', re.S)
if pat.search(text):
    text = pat.sub(lambda m: section + '\n', text)
else:
    text = text.rstrip('\n') + '\n\n' + section + '\n'
open(path, 'w', encoding='utf-8').write(text)
PY
echo "wrote the pacing section of docs/benchmarks.md"
