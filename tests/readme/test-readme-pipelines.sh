#!/usr/bin/env bash
# Runs every receiver/sender pipeline pair of README.md as written, inside a
# private network namespace with an "eth0" of its own (a veth end holding
# 192.0.2.10), and checks what each receiver got.
#   usage: test-readme-pipelines.sh README.md   (GST_PLUGIN_PATH set by meson)
set -uo pipefail
. "$(dirname "$0")/../test-lib.sh"
mctx_enter_netns "$0" "$@"

readme=$(realpath "$1")
work=$(mktemp -d)
trap 'kill -KILL $(jobs -p) 2>/dev/null; [ -n "${MCTX_KEEP:-}" ] || rm -rf "$work"' EXIT
cd "$work" || exit 1

mctx_lo_multicast
ip link add eth0 type veth peer name eth0-peer
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up multicast on
ip link set eth0-peer up
for c in eth0 eth0-peer; do
  echo 0 > /proc/sys/net/ipv4/conf/$c/rp_filter
done

# The fenced block after "<!-- test: NAME ROLE -->", continuation lines joined.
block() {
  awk -v want="<!-- test: $1 $2 -->" '
    $0 == want { armed = 1; next }
    armed && /^```/ { if (inside) exit; inside = 1; next }
    inside { sub(/\\$/, ""); printf "%s ", $0 }
  ' "$readme"
}

run_pair() {
  local name=$1 recv send
  recv=$(block "$name" receiver)
  send=$(block "$name" sender)
  if [ -z "$recv" ] || [ -z "$send" ]; then
    echo "not ok - $name: README has no receiver/sender pair"; fails=$((fails + 1)); return
  fi
  # what the test changes: print messages (-m) and buffers (-v), post a
  # timeout message after 1 s without data, count frames instead of
  # showing them
  recv=${recv/gst-launch-1.0/gst-launch-1.0 -m -v}
  recv=${recv/mctxsrc /mctxsrc timeout=1000000000 }
  recv=${recv/autovideosink/fakesink silent=false}
  echo "# $name receiver: $recv"
  echo "# $name sender:   $send"
  # line-buffered, so progress can be waited for
  eval "exec stdbuf -oL -eL $recv" > "$name.recv.log" 2>&1 &
  local rpid=$!
  # the socket is joined once the pipeline is live
  if ! wait_for_file "$name.recv.log" "Setting pipeline to PLAYING" 20 $rpid; then
    echo "not ok - $name: receiver did not start"; cat "$name.recv.log"
    fails=$((fails + 1)); kill $rpid; wait $rpid; return
  fi
  local before
  before=$(grep -c GstMctxSrcTimeout "$name.recv.log")
  if ! timeout 60 bash -c "$send" > "$name.send.log" 2>&1; then
    echo "not ok - $name: sender failed"; cat "$name.send.log"; fails=$((fails + 1))
  fi
  # done when the receiver has been idle for a second after the sender
  local deadline=$((SECONDS + 20))
  while [ "$(grep -c GstMctxSrcTimeout "$name.recv.log")" -le "$before" ] && [ $SECONDS -lt $deadline ]; do
    sleep 0.05
  done
  # EOS (-e) so filesink flushes; bounded, then forced
  kill -INT $rpid
  deadline=$((SECONDS + 10))
  while kill -0 $rpid 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
  kill -KILL $rpid 2>/dev/null
  wait $rpid 2>/dev/null
}

run_pair raw
check "raw: received file equals the sent one" \
  "cmp -s received.bin /usr/share/common-licenses/GPL-3"

run_pair rtp
frames=$(grep -c 'fakesink0: last-message = chain' rtp.recv.log)
check "rtp: decoded $frames of 90 frames (>= 80)" "[ $frames -ge 80 ]"

run_pair ts
frames=$(grep -c 'fakesink0: last-message = chain' ts.recv.log)
check "ts: decoded $frames of 90 frames (>= 80)" "[ $frames -ge 80 ]"

[ $fails -eq 0 ]
