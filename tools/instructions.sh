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
