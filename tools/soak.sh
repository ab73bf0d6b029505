#!/usr/bin/env bash
# Soak test: an mctxsink sender and an mctxsrc receiver at a steady rate for
# a set time (default 10 minutes), sampled every 10 s: sent, received, lost
# (sequence numbers in the payload), kernel drops, RSS and open fds of the
# process.  Prints the table and a verdict (nothing lost, RSS growth after
# warm-up under the allowed percentage); exits 0 on PASS.
#
#   tools/soak.sh [--minutes N | --seconds N] [--rate PPS] [--size BYTES] [--interval S]
#                 [--max-rss-growth PCT] [--rx-buffer-size BYTES] [--build DIR]
#
# The receiver asks for a 4 MiB receive buffer, as a broadcast receiver
# should (--rx-buffer-size 0: the kernel default, about 208 KiB, which a
# loaded 2-core machine can overflow: see docs/reliability.md).
#
# Builds (meson + ninja in build-soak unless --build names another build),
# then runs everything inside a private network namespace of its own: a
# veth pair s0 <-> r0, the sender on s0, the receiver on r0.  Nothing
# leaves the machine.  Needs root (unshare -n).
set -uo pipefail

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }

minutes=10; rate=2000; size=1316; interval=10; growth=10; rxbuf=4194304
build=""
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    --seconds) seconds_override=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --interval) interval=$2; shift 2 ;;
    --max-rss-growth) growth=$2; shift 2 ;;
    --rx-buffer-size) rxbuf=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
for v in "$minutes" "$rate" "$size" "$interval" "$rxbuf"; do
  case "$v" in ''|*[!0-9]*) echo "not a number: '$v'" >&2; exit 2 ;; esac
done
seconds=${seconds_override:-$((minutes * 60))}

cd "$(dirname "$0")/.." || exit 1
top=$(pwd)

if [ -z "${MCTX_SOAK_IN_NETNS:-}" ]; then
  build=${build:-build-soak}
  if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" -Dtests=true --buildtype=debugoptimized \
      > "$build.setup.log" 2>&1 || { cat "$build.setup.log"; exit 1; }
  fi
  ninja -C "$build" > "$build.build.log" 2>&1 \
    || { tail -40 "$build.build.log"; exit 1; }
  [ -x "$build/tests/stress/mctx-soak" ] \
    || { echo "no $build/tests/stress/mctx-soak (GStreamer or gst-check missing?)" >&2; exit 1; }
  if ! unshare -n true 2>/dev/null; then
    echo "cannot create a private network namespace (needs root)" >&2
    exit 1
  fi
  export MCTX_SOAK_IN_NETNS=1 MCTX_SOAK_BUILD="$top/$build"
  exec unshare -n bash "$0" --seconds "$seconds" --rate "$rate" \
    --size "$size" --interval "$interval" --max-rss-growth "$growth" \
    --rx-buffer-size "$rxbuf"
fi

# ---- inside the private namespace ----
set -e
ip link set lo up multicast on
ip link add s0 type veth peer name r0
ip addr add 10.77.0.1/24 dev s0
ip addr add 10.77.0.2/24 dev r0
# the source address is local to this namespace too: without these the
# datagrams arriving on r0 are dropped as martians
for c in all default s0 r0; do
  echo 0 > /proc/sys/net/ipv4/conf/$c/rp_filter
  echo 1 > /proc/sys/net/ipv4/conf/$c/accept_local
done
ip link set s0 up multicast on
ip link set r0 up multicast on
set +e

b=$MCTX_SOAK_BUILD
export GST_PLUGIN_PATH="$b/gst" LD_LIBRARY_PATH="$b/src${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export GST_REGISTRY="$b/soak-registry.bin"

echo "# $(uname -sr), $(nproc) CPUs, $(date -u '+%Y-%m-%d %H:%M UTC')"
exec "$b/tests/stress/mctx-soak" --seconds "$seconds" --rate "$rate" \
  --size "$size" --interval "$interval" --max-rss-growth "$growth" \
  --rx-buffer-size "$rxbuf" --tx-interface s0 --rx-interface r0
