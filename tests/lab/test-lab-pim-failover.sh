#!/usr/bin/env bash
# PIM-SSM failover on the triangle of the FRR plant (tests/lab/lab-pim.sh):
# with b1 (behind r2) and c1 (behind r3) receiving a 1000 datagram/s
# stream from a1 (behind r1), the r1-r2 link fails; OSPF routes r2 to the
# source through r3, r2's PIM join follows the new RPF neighbour, and the
# stream comes back to b1 over r1 -> r3 -> r2.  Then the link is restored
# and the tree moves back.  Then the same link fails silently (carrier
# kept, nothing passes): the protocols' timers have to notice.  The outages
# b1 sees are measured and reported; c1, whose path never changes, must see
# none.
#   MCTX_LAB_PEER=path/to/mctx-lab-peer bash test-lab-pim-failover.sh
LAB_NEEDS="/usr/lib/frr/pimd:frr vtysh:frr"
source "$(dirname "$0")/lab-test.sh"
source "$(dirname "$0")/lab-pim.sh"

S=$(lab_addr a1)
G=232.1.1.1
RATE=1000

t0=$(lab_now_ms)
lab_pim_plant
lab_pim_wait_converged 60 || { lab_pim_dump; lab_die "the plant did not converge"; }
lab_ok 0 "plant converged in $(($(lab_now_ms) - t0)) ms"

lab_bg a1 "$W/send.log" "$peer" send "$G" 5000 --interface eth0 --source "$S" --ttl 8 \
  --rate $RATE --count 90000 --tag s --timeout 100000
sender=$LAB_LAST_PID
for h in b1 c1; do
  # any silence of 20 ms (20 datagrams) or more is reported
  lab_bg $h "$W/$h.log" "$peer" recv "$G" 5000 --interface eth0 --sources "$S" --ends 0 \
    --gaps 20 --timeout 95000
  eval "pid_$h=$LAB_LAST_PID"
done
lab_wait_log "$W/b1.log" '^first-data-ms' 20 "$pid_b1" \
  && lab_wait_log "$W/c1.log" '^first-data-ms' 20 "$pid_c1"
lab_ok $? "b1 and c1 receive the stream"
lab_vif_grows r2 lan-b 500 10 && lab_vif_grows r3 lan-c 200 10
[ "$(lab_mroute_iif r2 "$S" "$G")" = to-r1 ] && [ "$(lab_mroute_oifs r1 "$S" "$G")" = "to-r2 to-r3" ]
lab_ok $? "tree before the failure: r1 -> to-r2 and to-r3, r2 receives on to-r1"

# ---- the r1-r2 link fails (both ends lose carrier)
fail_at=$(lab_now_ms)
lab_run ip -n r1 link set to-r2 down
# unicast first: r2's OSPF route to the source's LAN moves to r3 ...
lab_wait_cmd 30 lab_grep_cmd "via 10.23.0.3" ip -n r2 route show 10.1.0.0/24
lab_ok $? "r2's unicast route to the source LAN goes through r3 (OSPF, $(($(lab_now_ms) - fail_at)) ms after the failure)"
unicast_ms=$(($(lab_now_ms) - fail_at))
# ... then PIM: r2's RPF neighbour is r3, its join goes there
lab_wait_cmd 30 eval '[ "$(lab_mroute_iif r2 "$S" "$G")" = to-r3 ]'
lab_ok $? "r2's route for (S,G) now comes in on to-r3 ($(($(lab_now_ms) - fail_at)) ms after the failure)"
rpf_ms=$(($(lab_now_ms) - fail_at))
lab_vif_grows r3 to-r2 1 30
back_at=$(lab_now_ms)
lab_vif_grows r3 to-r2 500 30
lab_ok $? "r3 forwards the stream to r2"
lab_vif_grows r2 lan-b 200 10
lab_ok $? "b1's LAN gets the stream again"
j3=$(lab_vtysh r3 "show ip mroute")
echo "$j3" | sed 's/^/# r3 show ip mroute after the failure: /'
echo "$j3" | grep -q -E "^ +PIM +to-r2 " && [ "$(lab_mroute_iif r3 "$S" "$G")" = to-r1 ] \
  && [ "$(lab_mroute_oifs r3 "$S" "$G")" = "lan-c to-r2" ]
lab_ok $? "r3: (S,G) from to-r1 out of lan-c and, for r2's PIM join, to-r2 (show ip mroute, kernel)"
lab_vtysh r2 "show ip pim upstream" "show ip pim rpf" | sed 's/^/# r2: /'
outage1=$(awk '$1 == "gap" { print $2 }' "$W/b1.log" | sort -n | tail -1)
echo "# figure: failover outage at b1 ${outage1:-<20} ms (unicast rerouted after $unicast_ms ms, r2's (S,G) on the new RPF interface after $rpf_ms ms, stream back at the routers after $((back_at - fail_at)) ms)"

# ---- the link comes back: OSPF prefers it again (cost 20 against 30)
gaps_before=$(grep -c '^gap' "$W/b1.log")
restore_at=$(lab_now_ms)
lab_run ip -n r1 link set to-r2 up
lab_wait_cmd 60 eval '[ "$(lab_mroute_iif r2 "$S" "$G")" = to-r1 ]'
lab_ok $? "after the repair r2 receives on to-r1 again ($(($(lab_now_ms) - restore_at)) ms)"
stopped=$(lab_vif_stops r3 to-r2 1000 30)
lab_ok $? "r3 stopped forwarding to r2 (pruned $(( ${stopped:-0} - restore_at )) ms after the repair)"
lab_vif_grows r2 lan-b 500 10
lab_ok $? "b1's LAN still gets the stream"
outage2=$(awk '$1 == "gap" { print $2 }' "$W/b1.log" | tail -n +$((gaps_before + 1)) | sort -n | tail -1)
echo "# figure: outage at b1 when the link came back ${outage2:-<20} ms"

# ---- a silent failure: the r1-r2 link keeps its carrier but carries
# nothing (nftables drops everything arriving at either end).  Only the
# protocols' timers notice: OSPF's dead interval and PIM's hello holdtime
# (3 s each here)
cut () {
  lab_run ip netns exec "$1" nft add table netdev lab-cut
  lab_run ip netns exec "$1" nft add chain netdev lab-cut in \
    "{ type filter hook ingress device $2 priority 0; policy drop; }"
}
lab_wait_cmd 10 lab_grep_cmd "Full" lab_vtysh r2 "show ip ospf neighbor" \
  && [ "$(lab_mroute_iif r2 "$S" "$G")" = to-r1 ]
lab_ok $? "before the silent failure: r2 has its OSPF neighbours and receives on to-r1"
gaps_before=$(grep -c '^gap' "$W/b1.log")
silent_at=$(lab_now_ms)
cut r1 to-r2
cut r2 to-r1
lab_wait_cmd 30 eval '[ "$(lab_mroute_iif r2 "$S" "$G")" = to-r3 ]'
lab_ok $? "silent failure: r2's (S,G) moved to to-r3 after $(($(lab_now_ms) - silent_at)) ms (dead interval 3 s)"
lab_vif_grows r2 lan-b 500 10
lab_ok $? "b1's LAN gets the stream again"
outage3=$(awk '$1 == "gap" { print $2 }' "$W/b1.log" | tail -n +$((gaps_before + 1)) | sort -n | tail -1)
echo "# figure: silent failure outage at b1 ${outage3:-<20} ms"
awk -v o="${outage3:-0}" 'BEGIN { exit !(o >= 1000) }'
lab_ok $? "the silent failure cost b1 an outage of the order of the timers (${outage3:-<20} ms)"
lab_run ip netns exec r1 nft delete table netdev lab-cut
lab_run ip netns exec r2 nft delete table netdev lab-cut
lab_wait_cmd 60 eval '[ "$(lab_mroute_iif r2 "$S" "$G")" = to-r1 ]'
lab_ok $? "the link carries again: r2 back on to-r1"

kill -TERM "$sender" 2>/dev/null
lab_wait_pid "$sender" 10
for h in b1 c1; do
  eval "kill -TERM \$pid_$h"
  eval "lab_wait_pid \$pid_$h 10"
  echo "# $h: $(tr '\n' ' ' <"$W/$h.log")"
done
sent=$(lab_field "$W/send.log" sent)
got_b1=$(lab_field "$W/b1.log" total)
lost_b1=$(lab_field "$W/b1.log" missing)
echo "# figure: b1 lost $lost_b1 datagrams (at $RATE/s) across both failures and repairs"
[ "$(lab_field "$W/b1.log" kernel-drops)" = 0 ]
lab_ok $? "b1: no kernel drop; it got $got_b1 of $sent sent, $lost_b1 missing in between"
[ "$(lab_field "$W/c1.log" missing)" = 0 ] && [ "$(lab_field "$W/c1.log" kernel-drops)" = 0 ]
lab_ok $? "c1's path (r1 -> r3) never changed: it missed $(lab_field "$W/c1.log" missing) datagrams (longest silence $(lab_field "$W/c1.log" max-gap-ms) ms)"

[ "$LAB_FAILS" -eq 0 ] || lab_pim_dump
lab_finish
