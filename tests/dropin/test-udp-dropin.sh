#!/usr/bin/env bash
# Drop-in: multicast pipelines written for udpsrc/udpsink, run twice each,
# once as written and once with only the element names changed to
# mctxsrc/mctxsink; the bytes received must equal the bytes sent, in both
# runs (so they are also identical to each other).
#   usage: test-udp-dropin.sh   (GST_PLUGIN_PATH set by meson)
#
# Each run gets two fresh network namespaces of its own, inside this
# script's private one: host A (the sender) and host B (the receiver)
# joined by a veth pair (make_hosts below).
# SPDX-License-Identifier: LGPL-2.1-or-later
set -uo pipefail
. "$(dirname "$0")/../test-lib.sh"
mctx_enter_netns "$0" "$@"

work=$(mktemp -d)
hosta= hostb=
drop_hosts() {
  local h
  for h in $hosta $hostb; do kill -KILL "$h" 2>/dev/null; wait "$h" 2>/dev/null; done
  hosta= hostb=
}
cleanup() {
  kill -KILL $(jobs -p) 2>/dev/null
  drop_hosts
  [ -n "${MCTX_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
cd "$work" || exit 1

# a namespace held open by a sleeping process (bounded); its pid
new_host() {
  unshare -n sleep 300 > /dev/null 2>&1 &
  local pid=$!
  # until unshare has moved it (before, it is still in this namespace)
  until [ "$(readlink /proc/$pid/ns/net 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ]; do
    kill -0 $pid 2>/dev/null || return 1
    sleep 0.01
  done
  echo $pid
}
ina() { nsenter -t "$hosta" -n "$@"; }
inb() { nsenter -t "$hostb" -n "$@"; }

# Fresh hosts for each run, so no run sees another's memberships or
# sockets: A (the sender, v0: 10.98.0.1, fd00:98::1) and B (the receiver,
# v1: 10.98.0.2, fd00:98::2, and lo with multicast), joined by a veth pair.
make_hosts() {
  local c
  hosta=$(new_host) && hostb=$(new_host) || return 1
  ina ip link set lo up
  ina ip link add v0 type veth peer name v1
  ina ip link set v1 netns "$hostb"
  ina ip addr add 10.98.0.1/24 dev v0
  ina ip -6 addr add fd00:98::1/64 dev v0 nodad
  ina ip link set v0 up multicast on
  ina ip route add 224.0.0.0/4 dev v0
  inb ip link set lo up multicast on
  inb ip addr add 10.98.0.2/24 dev v1
  inb ip -6 addr add fd00:98::2/64 dev v1 nodad
  inb ip link set v1 up multicast on
  inb ip route add 224.0.0.0/4 dev v1
  for c in all default v0; do ina sh -c "echo 0 > /proc/sys/net/ipv4/conf/$c/rp_filter"; done
  for c in all default v1 lo; do inb sh -c "echo 0 > /proc/sys/net/ipv4/conf/$c/rp_filter"; done
}

# the payloads, and the bytes each one must arrive as
seq 1 20000 | head -c $((40 * 1316)) > raw.bin
RAW="filesrc location=$work/raw.bin blocksize=1316 ! identity sleep-time=1000"
L16_CAPS="audio/x-raw,format=S16BE,rate=44100,channels=1"
L16="audiotestsrc num-buffers=20 samplesperbuffer=441 wave=ticks ! $L16_CAPS ! identity sleep-time=1000"
gst-launch-1.0 -q audiotestsrc num-buffers=20 samplesperbuffer=441 wave=ticks ! \
  $L16_CAPS ! filesink location=l16.bin || exit 1
RTP_CAPS='caps="application/x-rtp,media=audio,clock-rate=44100,encoding-name=L16,channels=1,payload=96"'

have_msource=false
gst-inspect-1.0 udpsrc 2>/dev/null | grep -q multicast-source && have_msource=true

# name | payload | receiver (before its filesink) | sender (after the payload)
# Forms as udpsrc/udpsink's documentation, gst-inspect and GStreamer's RTP
# examples write them; receivers run on B, senders on A.
rows=$(cat <<EOF
group|RAW|udpsrc multicast-group=224.1.1.1 port=5000|udpsink host=224.1.1.1 port=5000 auto-multicast=true
address|RAW|udpsrc address=239.1.1.1 port=5001|udpsink host=239.1.1.1 port=5001
uri|RAW|udpsrc uri=udp://239.0.0.1:5000|udpsink host=239.0.0.1 port=5000
iface|RAW|udpsrc multicast-group=239.1.1.2 multicast-iface=v1 port=5002|udpsink host=239.1.1.2 port=5002 multicast-iface=v0
iface-list|RAW|udpsrc multicast-group=239.1.1.3 multicast-iface=v1,lo port=5003|udpsink host=239.1.1.3 port=5003
ttl-mc|RAW|udpsrc multicast-group=239.1.1.4 port=5004|udpsink host=239.1.1.4 port=5004 ttl-mc=4
ttl-both|RAW|udpsrc multicast-group=239.1.1.4 port=5015|udpsink host=239.1.1.4 port=5015 ttl=64 ttl-mc=1
loop-off|RAW|udpsrc multicast-group=239.1.1.5 port=5005|udpsink host=239.1.1.5 port=5005 loop=false
buffer-size|RAW|udpsrc multicast-group=239.1.1.6 port=5006 buffer-size=1048576|udpsink host=239.1.1.6 port=5006 buffer-size=1048576
bind|RAW|udpsrc multicast-group=239.1.1.7 port=5007|udpsink host=239.1.1.7 port=5007 bind-address=10.98.0.1 bind-port=6007
dscp|RAW|udpsrc multicast-group=239.1.1.8 port=5008 reuse=true|udpsink host=239.1.1.8 port=5008 qos-dscp=46
receive-opts|RAW|udpsrc multicast-group=239.1.1.9 port=5009 mtu=1500 timeout=1000000000 retrieve-sender-address=false|udpsink host=239.1.1.9 port=5009 sync=false async=false
rtp-l16|L16|udpsrc multicast-group=239.1.2.1 port=5010 $RTP_CAPS ! rtpL16depay|rtpL16pay ! udpsink host=239.1.2.1 port=5010
rtp-uri|L16|udpsrc uri=udp://239.1.2.2:5012 $RTP_CAPS ! rtpjitterbuffer ! rtpL16depay|rtpL16pay ! udpsink host=239.1.2.2 port=5012 ttl-mc=2
skip-header|L16|udpsrc multicast-group=239.1.2.3 port=5014 skip-first-bytes=12|rtpL16pay ! udpsink host=239.1.2.3 port=5014
ipv6|RAW|udpsrc address=ff15::1:1 port=5020 multicast-iface=v1|udpsink host=ff15::1:1 port=5020 multicast-iface=v0
ipv6-uri|RAW|udpsrc uri=udp://[ff15::1:2]:5021 multicast-iface=v1|udpsink host=ff15::1:2 port=5021 multicast-iface=v0
ssm|RAW|udpsrc address=232.1.1.1 port=5030 multicast-source=+10.98.0.1|udpsink host=232.1.1.1 port=5030 bind-address=10.98.0.1
ssm-exclude|RAW|udpsrc address=239.1.3.1 port=5031 multicast-source=-10.98.0.99|udpsink host=239.1.3.1 port=5031
EOF
)

# run NAME PAYLOAD RECEIVER SENDER: the receiver on B until it has as many
# bytes as the payload (bounded), the sender on A; "ok" when the bytes match
run() {
  local name=$1 payload=$2 recv=$3 send=$4 src expect out
  case $payload in
    RAW) src=$RAW; expect=raw.bin ;;
    L16) src=$L16; expect=l16.bin ;;
  esac
  out=$name.out
  rm -f "$out"
  make_hosts || { echo "# could not make the hosts"; drop_hosts; return 1; }
  echo "# $name receiver: $recv"
  echo "# $name sender:   $send"
  # exec: the job is gst-launch itself, which -INT ends with EOS
  eval "exec nsenter -t $hostb -n stdbuf -oL -eL gst-launch-1.0 -e $recv ! filesink location=$work/$out buffer-mode=unbuffered" \
    > "$name.recv.log" 2>&1 &
  local rpid=$!
  # the group is joined once the live pipeline is started
  if ! wait_for_file "$name.recv.log" "Setting pipeline to PLAYING" 20 $rpid; then
    echo "# receiver did not start:"; sed 's/^/#   /' "$name.recv.log"
    kill -KILL $rpid 2>/dev/null; wait $rpid 2>/dev/null; drop_hosts; return 1
  fi
  if ! eval "ina timeout 30 gst-launch-1.0 $src ! $send" > "$name.send.log" 2>&1; then
    echo "# sender failed:"; sed 's/^/#   /' "$name.send.log"
  fi
  # bounded wait for every byte, then EOS so the file is closed
  local size=$(stat -c %s "$expect") deadline=$((SECONDS + 10))
  while [ "$(stat -c %s "$out" 2>/dev/null || echo 0)" -lt "$size" ] \
    && [ $SECONDS -lt $deadline ]; do
    sleep 0.05
  done
  kill -INT $rpid 2>/dev/null
  deadline=$((SECONDS + 10))
  while kill -0 $rpid 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
  kill -KILL $rpid 2>/dev/null
  wait $rpid 2>/dev/null
  drop_hosts
  if ! cmp -s "$out" "$expect"; then
    echo "# got $(stat -c %s "$out" 2>/dev/null || echo no) bytes of $size, or other bytes"
    sed 's/^/#   /' "$name.recv.log" | tail -n 15
    return 1
  fi
}

n=0
while IFS='|' read -r name payload recv send; do
  [ -n "$name" ] || continue
  n=$((n + 1))
  mrecv=${recv//udpsrc/mctxsrc}
  msend=${send//udpsink/mctxsink}
  if [[ $recv == *multicast-source* ]] && ! $have_msource; then
    echo "# $name: this udpsrc has no multicast-source (GStreamer < 1.24): only the mctx run"
  else
    check "$name: udpsrc/udpsink receive the payload intact" \
      "run '$name-udp' '$payload' '$recv' '$send'"
  fi
  check "$name: mctxsrc/mctxsink, names changed only, receive it intact" \
    "run '$name-mctx' '$payload' '$mrecv' '$msend'"
done <<< "$rows"

check "at least 15 pipelines ($n)" "[ $n -ge 15 ]"
[ $fails -eq 0 ]
