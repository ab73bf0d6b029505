#!/usr/bin/env bash
# Runs the lab demo (tools/lab-demo.sh) three times, short, on an existing
# build: the defaults (IPv4, VP8 + Opus), other flags (IPv6, VP9, no audio,
# other groups and port) and the FRR plant (--plant pim), each with ST 2022-7
# redundancy (a second, blue network; the red one fails mid-stream), and once
# without (--no-redundancy).  Checks that both receivers got every packet the
# sender sent with no loss and no kernel drop, decoded the streams, wrote a
# PNG that shows the test picture, and that nothing is left behind; with
# redundancy, that the red outage shows (red lost packets that only blue
# brought, red reported down and up again) and the timeline PNG was written.
#   test-lab-demo.sh SOURCE_ROOT BUILD_ROOT     (TAP)
set -u
top=$1
build=$2
tests=0
fails=0

ok () {
  tests=$((tests + 1))
  if [ "$1" = 0 ]; then echo "ok $tests - $2"; else echo "not ok $tests - $2"; fails=$((fails + 1)); fi
}

if ! unshare -n -m -p -f --kill-child --mount-proc true 2>/dev/null; then
  if [ "${CI:-}" = true ]; then echo "Bail out! cannot create namespaces (needs root)"; exit 1; fi
  echo "1..0 # SKIP cannot create namespaces (needs root)"
  exit 0
fi

out=$(mktemp -d)
mkdir "$out/tmp"
trap 'rm -rf "$out"' EXIT

# what a run could leave behind: its lab work directory (in its TMPDIR),
# processes (every one has a path under $out on its command line), the
# lab's namespace names and interfaces here.  Other runs of the lab may be
# going on at the same time on this machine: only ours are looked for.
leftovers () {
  ls -A "$out/tmp"
  pgrep -a -f "$out/" 2>/dev/null
  ip netns list 2>/dev/null | grep -E '^(a[0-9]|b[0-9]|c[0-9]|r|r[0-9])( |$)'
  ip -br link | awk '$1 ~ /^(br-|to-)/ { print $1 }'
}

# png_bars FILE: the decoded picture is the sender's: 640x360, and the
# seven SMPTE colour bars where videotestsrc draws them
png_bars () {
  /usr/bin/python3 - "$1" <<'PY'
import sys
import gi
gi.require_version("Gst", "1.0")
from gi.repository import Gst
Gst.init(None)
p = Gst.parse_launch(f'filesrc location="{sys.argv[1]}" ! pngdec ! videoconvert ! '
                     'video/x-raw,format=RGB ! appsink name=s')
s = p.get_by_name("s")
p.set_state(Gst.State.PLAYING)
sample = s.emit("try-pull-sample", 5 * Gst.SECOND)
p.set_state(Gst.State.NULL)
if sample is None:
    sys.exit("not a PNG picture")
st = sample.get_caps().get_structure(0)
w, h = st.get_value("width"), st.get_value("height")
buf = sample.get_buffer()
data = buf.extract_dup(0, buf.get_size())
stride = len(data) // h
bars = [(255, 255, 255), (255, 255, 0), (0, 255, 255), (0, 255, 0),
        (255, 0, 255), (255, 0, 0), (0, 0, 255)]
y = h // 3
for i, want in enumerate(bars):
    x = int((i + 0.5) * w / 7)
    got = tuple(data[y * stride + 3 * x: y * stride + 3 * x + 3])
    if any(abs(a - b) > 40 for a, b in zip(got, want)):
        sys.exit(f"bar {i} at ({x},{y}) is {got}, expected about {want}")
print(f"{w}x{h}")
PY
}

# check NAME STREAMS ARGS...: one demo run and its checks
check () {
  local name=$1 streams=$2
  shift 2
  local args=" $* "
  local before after log="$out/$name.log"
  before=$(leftovers)
  local t0=$SECONDS
  TMPDIR=$out/tmp timeout -k 5 60 bash "$top/tools/lab-demo.sh" --no-build --build-dir "$build" \
    --out "$out/$name" "$@" >"$log" 2>&1
  ok $? "$name: the demo ran ($((SECONDS - t0)) s): $*"
  sed 's/^/# /' "$log"
  after=$(leftovers)
  [ "$before" = "$after" ]
  ok $? "$name: nothing left behind (work directories, namespaces, interfaces, processes)"
  diff <(echo "$before") <(echo "$after") | sed 's/^/# leftover: /'

  local kind sent h line
  for kind in $streams; do
    sent=$(awk -v k="$kind" '$1 == k && $2 == "->" { print $6 }' "$log")
    for h in a2 b1; do
      line=$(awk -v h="$h" -v k="$kind" '$1 == h && $2 == k && $3 ~ /^[0-9]+$/' "$log")
      # receiver stream packets lost kdrops kbit/s decoded...
      set -- $line
      [ -n "$line" ] && [ "${sent:-0}" -gt 0 ] && [ "$3" = "$sent" ] && [ "$4" = 0 ] \
        && [ "$5" = 0 ] && [ "$7" != 0 ] && [ "$7" != 0.0 ]
      ok $? "$name: $h $kind: ${3:-?} of ${sent:-?} packets, ${4:-?} lost, ${5:-?} kernel drops, decoded ${7:-?} ${8:-}"
    done
  done
  for h in a2 b1; do
    local bars
    bars=$(png_bars "$out/$name/$h.png" 2>&1)
    ok $? "$name: $h.png shows the test picture ($bars)"
  done
  grep -q "^every receiver decoded every stream" "$log"
  ok $? "$name: the demo says every receiver decoded everything"
  case $args in *" --no-redundancy "*) return ;; esac

  # ST 2022-7: the outage on red shows, blue covered it, nothing lost
  local red blue merge
  for h in a2 b1; do
    red=$(awk -v h="$h" '$1 == h && $2 == "video" && $3 == "red" && $4 ~ /^[0-9]+$/' "$log")
    blue=$(awk -v h="$h" '$1 == h && $2 == "video" && $3 == "blue" && $4 ~ /^[0-9]+$/' "$log")
    merge=$(awk -v h="$h" '$1 == h && $2 == "video" && $3 == "merge"' "$log")
    # receiver stream leg received lost unique late skew...
    [ -n "$red" ] && [ -n "$blue" ] && [ "$(echo "$red" | awk '{ print ($5 > 0) }')" = 1 ] \
      && [ "$(echo "$blue" | awk '{ print $5 }')" = 0 ] \
      && [ "$(echo "$red" | awk '{ print $5 }')" = "$(echo "$blue" | awk '{ print $6 }')" ]
    ok $? "$name: $h video: red lost $(echo "$red" | awk '{ print $5 }') in the outage, blue brought exactly those ($(echo "$blue" | awk '{ print $6 }') unique), blue lost none"
    echo "$merge" | grep -q " 0 unrecoverable$"
    ok $? "$name: $h video: $merge"
    grep -q "^$h *video *red *leg down" "$log" && grep -q "^$h *video *red *leg up" "$log"
    ok $? "$name: $h: the red leg was reported down and up again"
  done
  [ "$(head -c 8 "$out/$name/timeline.png" | od -An -c | tr -d ' ')" = '211PNG\r\n032\n' ]
  ok $? "$name: the timeline PNG was written"
}

check default "video audio" --duration 3
check flags "video" --duration 2 --ipv6 --codec vp9 --audio none \
  --group ff3e::4:5 --port 6000
# the same demo over the FRR plant (three routers, OSPF and PIM-SSM)
check pim "video audio" --duration 2 --plant pim
check single "video" --duration 2 --audio none --no-redundancy
grep -q "^PIM join state at r1" "$out/pim.log" && grep -q "^  r2: (10.1.0.11,232.1.1.1) Iif: to-r1 Oifs: lan-b" "$out/pim.log"
ok $? "pim: r2's join reached r1 and r2 routed the video from to-r1 to lan-b"

echo "1..$tests"
[ $fails -eq 0 ]
