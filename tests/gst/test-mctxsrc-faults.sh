#!/usr/bin/env bash
# mctxsrc's stream analysis against injected faults, in private namespaces:
# loss and duplicates with nftables on veth pairs, reordering and an SSRC
# change from the test sender, kernel drops with a tiny receive buffer. The
# counters of the "stats" property and of the GstMctxSrcStats message posted
# at stop must equal them.
#   MCTX_SRC_PROBE=... MCTX_TEST_SENDER=... GST_PLUGIN_PATH=... bash test-mctxsrc-faults.sh
#
# Topology (one namespace): sender -> s0 == s1 -(nft fwd/dup)-> r1 == r0 ->
# mctxsrc joined on r0. Loss rules sit on r0's ingress.
set -u

# shellcheck source=../test-lib.sh
. "$(dirname "$0")/../test-lib.sh"
tap_start nft mctxsrc-faults PROBE=MCTX_SRC_PROBE SND=MCTX_TEST_SENDER -- "$0" "$@"

set -e
fault_topology srcf
set +e

G=239.9.8.1
S="-i s0 $G 5004"
P="address=$G port=5004 interface=r0 stats-interval=50"

# run_case NAME "SENDER ARGS" "PROBE ARGS": the probe in the background,
# the sender once mctxsrc plays; key=value lines in $W/NAME.out
run_case () {
  # shellcheck disable=SC2086
  tap_run_sender "$1" out playing "$2" "$PROBE" $3
  [ $RC -eq 0 ] || echo "# probe: $(cat "$W/$1.err")"
}

get () {  # NAME KEY
  sed -n "s/^$2=//p" "$W/$1.out"
}

# expect NAME KEY VALUE: the same in the stop message and the property
expect () {
  local m p
  m=$(get "$1" "msg.$2")
  p=$(get "$1" "prop.$2")
  [ "$m" = "$3" ] && [ "$p" = "$3" ]
  ok $? "$1: $2 = $3 (message $m, property $p)"
}

# 1. clean RTP (the periodic messages are tested in test-gst-receive.c;
# here the one at stop is always there)
run_case clean "-n 100 $S" "--count 100 $P"
expect clean stream.kind rtp
expect clean packets-received 100
expect clean stream.packets 100
expect clean stream.lost 0
expect clean stream.source 10.9.0.1
expect clean streams 1
m=$(get clean messages)
[ "${m:-0}" -ge 1 ]
ok $? "clean: GstMctxSrcStats messages posted (got $m)"

# 2. loss: 1 in 10 dropped on the receiver's ingress
nft add rule netdev srcf rin udp dport 5004 numgen inc mod 10 == 3 drop
run_case loss "-n 100 $S" "--count 90 $P"
expect loss stream.packets 90
expect loss stream.lost 10
expect loss kernel-drops 0
nft flush chain netdev srcf rin

# 3. duplicates: 1 in 10 duplicated on the way
fault_forward srcf udp dport 5004 numgen inc mod 10 == 0 dup to r1
run_case dup "-n 100 $S" "--count 110 $P"
expect dup packets-received 110
expect dup stream.duplicates 10
expect dup stream.lost 0
fault_forward srcf

# 4. reordering by the sender: pairs swapped every 10
run_case reorder "-n 100 --reorder-every 10 $S" "--count 100 $P"
expect reorder stream.reordered 10
expect reorder stream.lost 0
expect reorder stream.duplicates 0

# 5. SSRC change half way (the sequence jumps to 30000: not loss)
run_case ssrc "-n 100 --ssrc-change-at 50 $S" "--count 100 $P"
expect ssrc stream.ssrc-changes 1
expect ssrc stream.lost 0
expect ssrc stream.ssrc $((0x5eed0002))

# 6. kernel drops: a tiny receive buffer and a burst; the last datagram
# comes later and carries the socket's final drop count
run_case drops "-n 3000 --gap-us 0 --size 1400 --final-after-ms 300 $S" \
  "--duration 3 address=$G port=5004 interface=r0 stats-interval=50 buffer-size=1024"
drops=$(get drops prop.kernel-drops)
pk=$(get drops prop.packets-received)
lost=$(get drops prop.stream.lost)
sdrops=$(get drops msg.stream.kernel-drops)
tap_expect_drops 3000 "$drops" "$pk" "$lost" kernel-drops packets-received "the stream's lost"
[ "$sdrops" = "$drops" ]
ok $? "drops: the stream's kernel-drops in the message (got $sdrops)"

echo "1..$N"
