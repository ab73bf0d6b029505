#!/usr/bin/env bash
# Instructions libmctx spends per datagram in user space, counted by
# callgrind on a fixed workload (bench/mctx-instructions.c): batch send,
# batch receive, and batch receive with GRO. Unlike packet rates these
# counts do not depend on how busy the machine is, so two builds can be
# compared on a shared machine. Needs root (private network namespace).
#
#   tools/instructions.sh [BUILD-DIR]     (default build-bench, release)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-bench}

if ! command -v valgrind >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq valgrind >/dev/null
fi
if [ ! -f "$dir/build.ninja" ]; then
  meson setup "$dir" -Dbenchmarks=true -Dtests=false --buildtype=release \
    >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; exit 1; }
fi
ninja -C "$dir" bench/mctx-instructions >/dev/null
ninja -C "$dir" bench/mctxsrc-instructions gst/libgstmctx.so >/dev/null 2>&1 \
  || echo "no GStreamer: mctxsrc not counted" >&2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
datagrams=48000
for mode in plain gro; do
  valgrind --tool=callgrind --callgrind-out-file="$out/$mode.cg" \
    "$dir/bench/mctx-instructions" "$mode" >"$out/$mode.log" 2>&1 \
    || { cat "$out/$mode.log"; exit 1; }
  callgrind_annotate --inclusive=yes "$out/$mode.cg" 2>/dev/null |
    awk -v mode="$mode" -v n=$datagrams '
      /mctx_subscription_receive_messages/ && !r {
        gsub(",", "", $1); r = 1
        printf "receive (%s): %.1f instructions per datagram\n", mode, $1 / n }
      /mctx_publication_send_messages/ && !s && mode == "plain" {
        gsub(",", "", $1); s = 1
        printf "send:            %.1f instructions per datagram\n", $1 / n }'
done

# mctxsrc ! fakesink (bench/mctxsrc-instructions.c): 10000 datagrams read
# one per read (batch-size=1, as at a steady rate) and in full batches (as
# in a burst); create() is the element, push the buffers' way through
# fakesink and back to being freed
if [ -x "$dir/bench/mctxsrc-instructions" ]; then
  n=10000
  for props in "batch-size=1" "" "preserve-packetization=false"; do
    name=${props:-batch-size=32}
    # shellcheck disable=SC2086
    GST_PLUGIN_PATH="$(cd "$dir" && pwd)/gst" GST_REGISTRY="$out/registry.bin" \
      valgrind --tool=callgrind --callgrind-out-file="$out/src.cg" \
      "$dir/bench/mctxsrc-instructions" $props >"$out/src.log" 2>&1 \
      || { cat "$out/src.log"; exit 1; }
    callgrind_annotate --inclusive=yes "$out/src.cg" 2>/dev/null |
      awk -v name="$name" -v n=$n '
        / [^ ]*gst_mctx_src_create / && !c { gsub(",", "", $1); c = $1 }
        / [^ ]*gst_pad_push(_list)? / && !p { gsub(",", "", $1); p = $1 }
        END { printf "mctxsrc %s: create %.0f + push %.0f instructions per datagram\n", name, c / n, p / n }'
  done
fi
