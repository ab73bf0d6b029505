#!/usr/bin/env bash
# mctx-monitor end to end, in private namespaces: known faults are injected
# on veth pairs (nftables loss and duplication, a test sender that reorders,
# changes SSRC, wraps the sequence and leaves TS packets out, a tiny receive
# buffer for kernel drops) and the counters of --json must equal them.
# Exit codes 0/1/2 and the bad-argument messages are checked too.
#   MCTX_MONITOR=... MCTX_TEST_SENDER=... bash test-monitor.sh
#
# Topology (one namespace): sender -> s0 == s1 -(nft fwd/dup)-> r1 == r0 ->
# mctx-monitor joined on r0.  Loss rules sit on r0's ingress.
set -u

# shellcheck source=../test-lib.sh
. "$(dirname "$0")/../test-lib.sh"
tap_start nft mctx-monitor-test MON=MCTX_MONITOR SND=MCTX_TEST_SENDER -- "$0" "$@"

set -e
fault_topology mon
ip addr add fd00:9::1/64 dev s0 nodad
ip addr add fd00:9:1::2/64 dev r0 nodad
set +e

# json_final FILE KEY: KEY of the final object (exactly one expected)
json_final () {
  python3 - "$1" "$2" <<'PY'
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
final = [o for o in objs if o.get("final")]
if len(final) != 1:
    print("finals=%d" % len(final)); sys.exit(0)
print(final[0][sys.argv[2]])
PY
}

# run_case NAME "SENDER ARGS" "MONITOR ARGS": monitor in the background,
# sender once it has joined; the monitor's --json output in $W/NAME.json
run_case () {
  # shellcheck disable=SC2086
  tap_run_sender "$1" json joined "$2" "$MON" --json $3
}

# expect NAME KEY VALUE
expect () {
  local got
  got=$(json_final "$W/$1.json" "$2")
  [ "$got" = "$3" ]
  ok $? "$1: $2 = $3 (got $got)"
}

G=239.9.9.1
S="-i s0 $G 5004"
M="--interface r0 --duration 15"

# 1. clean RTP
run_case clean "-n 100 $S" "$M --count 100 $G:5004"
ok $((RC != 0)) "clean: exit status 0 (got $RC)"
expect clean kind rtp
expect clean packets 100
expect clean lost 0
expect clean duplicates 0
expect clean source 10.9.0.1
expect clean group $G
expect clean port 5004

# 2. loss: 1 in 10 dropped on the receiver's ingress
nft add rule netdev mon rin udp dport 5004 numgen inc mod 10 == 3 drop
run_case loss "-n 100 $S" "$M --count 90 $G:5004"
ok $((RC != 1)) "loss: exit status 1 (got $RC)"
expect loss packets 90
expect loss lost 10
expect loss kernel_drops 0

# 3. loss across the sequence wrap (65500..65599 -> 65535, 0)
run_case wrap "-n 100 --seq-start 65500 $S" "$M --count 90 $G:5004"
expect wrap packets 90
expect wrap lost 10
expect wrap reordered 0
nft flush chain netdev mon rin

# 4. clean wrap
run_case wrapclean "-n 100 --seq-start 65486 $S" "$M --count 100 $G:5004"
ok $((RC != 0)) "wrap without loss: exit status 0 (got $RC)"
expect wrapclean lost 0

# 5. duplicates: 1 in 10 duplicated on the way
fault_forward mon udp dport 5004 numgen inc mod 10 == 0 dup to r1
run_case dup "-n 100 $S" "$M --count 110 $G:5004"
ok $((RC != 1)) "duplicates: exit status 1 (got $RC)"
expect dup packets 110
expect dup duplicates 10
expect dup lost 0
fault_forward mon

# 6. reordering by the sender: pairs swapped every 10
run_case reorder "-n 100 --reorder-every 10 $S" "$M --count 100 $G:5004"
expect reorder reordered 10
expect reorder lost 0
expect reorder duplicates 0

# 7. SSRC change half way (the sequence jumps to 30000: not loss)
run_case ssrc "-n 100 --ssrc-change-at 50 $S" "$M --count 100 $G:5004"
ok $((RC != 0)) "ssrc change: exit status 0 (got $RC)"
expect ssrc ssrc_changes 1
expect ssrc lost 0
expect ssrc ssrc $((0x5eed0002))

# 8. MPEG-TS, every 50th TS packet left out of its datagram: 14 of 700,
# the last of them at the very end, where no later packet shows it: 13
run_case ts "-n 100 -k ts --ts-drop-every 50 $S" "$M --count 100 $G:5004"
ok $((RC != 1)) "ts: exit status 1 (got $RC)"
expect ts kind mpegts
expect ts cc_errors 13
expect ts pids 1

# 9. the same inside RTP PT 33
run_case rtpts "-n 100 -k rtp-ts --ts-drop-every 50 $S" "$M --count 100 $G:5004"
expect rtpts kind rtp-mpegts
expect rtpts cc_errors 13
expect rtpts lost 0

# 10. IPv6 SSM through a URI
run_case v6 "-n 100 -i s0 ff3e::9:1 5006" \
  "--duration 15 --count 100 mctx://[fd00:9::1]@[ff3e::9:1]:5006?interface=r0"
ok $((RC != 0)) "ipv6 ssm: exit status 0 (got $RC)"
expect v6 source fd00:9::1
expect v6 group ff3e::9:1
expect v6 packets 100

# 11. kernel drops: a tiny receive buffer and a burst; the last datagram
# comes later and carries the socket's final drop count
run_case drops "-n 3000 --gap-us 0 --size 1400 --final-after-ms 300 $S" \
  "--interface r0 --duration 3 --rx-buffer-size 1024 $G:5004"
drops=$(json_final "$W/drops.json" kernel_drops)
pk=$(json_final "$W/drops.json" packets)
lost=$(json_final "$W/drops.json" lost)
tap_expect_drops 3000 "$drops" "$pk" "$lost" kernel_drops packets lost
ok $((RC != 1)) "drops: exit status 1 (got $RC)"

# 12. per-interval lines before the final one, and a plot
run_case plot "-n 400 --gap-us 5000 $S" \
  "--interface r0 --duration 15 --count 400 --interval 0.5 --plot $W/p.png $G:5004"
n=$(grep -c '"time"' "$W/plot.json")
[ "$n" -ge 3 ]
ok $? "interval lines are written (got $n lines)"
head -c 8 "$W/p.png" 2>/dev/null | od -An -tx1 | grep -q '89 50 4e 47'
ok $? "--plot wrote a PNG ($(cat "$W/plot.err" | tr '\n' ' '))"

# 13. a stream that receives nothing: exit 1, a final object with 0 packets
"$MON" --json --interface r0 --duration 0.3 239.9.9.77:5004 >"$W/none.json" 2>/dev/null
RC=$?
ok $((RC != 1)) "nothing received: exit status 1 (got $RC)"
expect none packets 0

# 14. SIGINT ends a run without --duration: the final objects, then the status
"$MON" --json --interval 0.2 --interface r0 $G:5004 239.9.9.78:5004 \
  >"$W/sigint.json" 2>"$W/sigint.err" &
mpid=$!
wait_for_file "$W/sigint.err" joined 10 $mpid
timeout 30 "$SND" -n 50 $S >/dev/null 2>&1
wait_for_file "$W/sigint.json" '"packets":50' 10 $mpid
kill -INT $mpid
wait $mpid
RC=$?
n=$(grep -c '"final":true' "$W/sigint.json")
[ "$n" = 2 ]
ok $? "SIGINT: one final object per stream (got $n)"
grep '"final":true' "$W/sigint.json" | grep -q '"packets":50'
ok $? "SIGINT: the final object has the 50 datagrams"
ok $((RC != 1)) "SIGINT: exit status 1, one stream received nothing (got $RC)"

# 14b. ST 2022-7: the stream also duplicated to a second network (b1 -> b0),
# a different tenth lost on each; --redundant merges them: nothing lost in
# the merged stream, each leg's losses counted and covered by the other
ip link add b1 type veth peer name b0
for d in b0 b1; do
  ip link set "$d" up multicast on
  sysctl -q -w "net.ipv4.conf.$d.rp_filter=0" "net.ipv4.conf.$d.accept_local=1"
done
ip addr add 10.9.2.2/24 dev b0
nft add chain netdev mon bin '{ type filter hook ingress device b0 priority 0; }'
fault_forward mon udp dport 5004 dup to b1
nft add rule netdev mon rin udp dport 5004 numgen inc mod 10 == 3 drop
nft add rule netdev mon bin udp dport 5004 numgen inc mod 10 == 7 drop
run_case merge "-n 200 --seq-start 65450 $S" \
  "--duration 15 --count 200 mctx://$G:5004?interface=r0 --redundant mctx://$G:5004?interface=b0"
ok $((RC != 0)) "redundant: exit status 0, nothing lost after the merge (got $RC)"
expect merge packets 200
expect merge lost 0
expect merge duplicates 0
merged=$(python3 - "$W/merge.json" <<'PY'
import json, sys
f = [json.loads(l) for l in open(sys.argv[1]) if l.strip()][-1]
m, l = f["merge"], f["legs"]
print(m["delivered"], m["unrecoverable"], l[0]["received"], l[0]["lost"],
      l[0]["unique"], l[1]["received"], l[1]["lost"], l[1]["unique"])
PY
)
[ "$merged" = "200 0 180 20 20 180 20 20" ]
ok $? "redundant: merge delivered unrecoverable, per leg received lost unique = 200 0 180 20 20 180 20 20 (got $merged)"

# 14c. the usual ST 2022-7 set-up: the second network's copy from another
# sender to another group (rewritten on b0's ingress); still one stream
nft add rule netdev mon bin udp dport 5004 ip daddr set 239.9.9.2 ip saddr set 10.9.2.1
run_case merge2 "-n 200 --seq-start 65450 $S" \
  "--duration 15 --count 200 mctx://$G:5004?interface=r0 --redundant mctx://239.9.9.2:5004?interface=b0"
ok $((RC != 0)) "redundant, two groups: exit status 0, nothing lost after the merge (got $RC)"
n=$(grep -c '"final":true' "$W/merge2.json")
[ "$n" = 1 ]
ok $? "redundant, two groups: one stream (got $n final objects)"
expect merge2 packets 200
expect merge2 lost 0
nft flush chain netdev mon rin
nft flush chain netdev mon bin
fault_forward mon

# 15. bad arguments: exit 2 and a message naming the argument and value
bad () {  # description needle args...
  local what=$1 needle=$2 out rc
  shift 2
  out=$("$MON" --duration 1 "$@" 2>&1 >/dev/null)
  rc=$?
  [ $rc -eq 2 ] && grep -q -F -- "$needle" <<<"$out"
  ok $? "bad argument, $what: exit 2, message has '$needle' (got $rc: $out)"
}
bad "unknown option" "--bogus" --bogus $G:5004
bad "not multicast" "10.1.2.3" 10.1.2.3:5004
bad "unknown interface" "nope0" --interface nope0 $G:5004
bad "interface named" "--interface" --interface nope0 $G:5004
bad "port out of range" "70000" $G:70000
bad "URI key" "colour" "mctx://$G:5004?colour=red"
bad "no stream" "no stream"
bad "bad source" "--source" --source 239.1.1.1 232.1.1.1:5004
bad "plot name" "x.jpg" --plot "$W/x.jpg" $G:5004
bad "negative duration" "--duration" --duration -1 $G:5004
bad "redundant with two streams" "--redundant" --redundant "mctx://$G:5004?interface=b0" $G:5004 239.9.9.78:5004
bad "redundant identical leg" "identical" --interface r0 --redundant $G:5004 $G:5004

echo "1..$N"
[ $FAILS -eq 0 ]
