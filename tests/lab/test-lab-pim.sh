#!/usr/bin/env bash
# PIM-SSM across three FRR routers (tests/lab/lab-pim.sh): a receiver's
# (S,G) join builds the tree hop by hop and the stream flows on exactly the
# links towards joined receivers; a second receiver joining with mctxsrc
# grows a branch, and its leave prunes it; TTL limits hold across routers.
# Prints the figures: plant build time, join latency, prune time.
#   MCTX_LAB_PEER=path/to/mctx-lab-peer [MCTX_LAB_PLUGIN_DIR=build/gst] \
#     bash test-lab-pim.sh
LAB_NEEDS="/usr/lib/frr/pimd:frr vtysh:frr"
source "$(dirname "$0")/lab-test.sh"
source "$(dirname "$0")/lab-pim.sh"

S=$(lab_addr a1)
G=232.1.1.1

t0=$(lab_now_ms)
lab_pim_plant
if lab_pim_wait_converged 60; then
  lab_ok 0 "plant built and converged (OSPF routes to every LAN, PIM neighbours on every link) in $(($(lab_now_ms) - t0)) ms"
else
  lab_ok 1 "plant built and converged"
  lab_pim_dump
  lab_die "the plant did not converge"
fi
echo "# figure: plant build $(($(lab_now_ms) - t0)) ms"

# ---- the stream, before anyone joins: it stays on LAN a
lab_bg a1 "$W/send.log" "$peer" send "$G" 5000 --interface eth0 --source "$S" --ttl 8 \
  --rate 1000 --count 60000 --tag s --timeout 70000
sender=$LAB_LAST_PID
lab_rx () {
  lab_exec "$1" cat "/sys/class/net/$2/statistics/rx_packets"
}
rx0=$(lab_rx r1 lan-a)
lab_wait_cmd 10 lab_grep_cmd "($S,$G)" ip -n r1 mroute show \
  || lab_die "r1 never saw the stream: $(ip -n r1 mroute show)"
lab_wait_cmd 10 eval '[ $(($(lab_rx r1 lan-a) - rx0)) -ge 300 ]'
in1=$(($(lab_rx r1 lan-a) - rx0))
out12=$(lab_vif_out r1 to-r2)
out13=$(lab_vif_out r1 to-r3)
ip -n r1 mroute show | sed 's/^/# r1 kernel: /'
# with no join pimd leaves the kernel's entry unresolved: nothing forwarded
[ "$in1" -ge 300 ] && [ "$out12" = 0 ] && [ "$out13" = 0 ] && [ -z "$(lab_mroute_oifs r1 "$S" "$G")" ]
lab_ok $? "no join: r1 received $in1 frames on lan-a and forwarded none (to-r2 $out12, to-r3 $out13)"

# ---- b1 joins (S,G): the tree r1 -> r2 -> LAN b
lab_bg b1 "$W/b1.log" "$peer" recv "$G" 5000 --interface eth0 --sources "$S" --ends 0 \
  --timeout 60000
b1=$LAB_LAST_PID
lab_wait_log "$W/b1.log" '^first-data-ms' 20 "$b1"
lab_ok $? "b1's (S,G) join brought the stream across two routers"
join_ms=$(lab_field "$W/b1.log" first-data-ms)
echo "# figure: join latency (b1's join to its first datagram) ${join_ms:-?} ms"

lab_wait_cmd 5 lab_grep_cmd "$S" lab_vtysh r1 "show ip pim join"
j1=$(lab_vtysh r1 "show ip pim join")
j2=$(lab_vtysh r2 "show ip mroute")
echo "$j1" | sed 's/^/# r1 show ip pim join: /'
echo "$j2" | sed 's/^/# r2 show ip mroute: /'
echo "$j1" | awk -v s="$S" -v g="$G" '$1 == "to-r2" && $3 == s && $4 == g && $5 == "JOIN"' | grep -q .
lab_ok $? "r1: PIM join state for ($S, $G) on to-r2 (show ip pim join)"
! echo "$j1" | awk -v s="$S" '$1 == "to-r3" && $3 == s' | grep -q .
lab_ok $? "r1: no join state on to-r3"
echo "$j2" | awk -v s="$S" -v g="$G" '$1 == s && $2 == g && $4 == "IGMP" && $5 == "to-r1" && $6 == "lan-b"' | grep -q .
lab_ok $? "r2: (S,G) from IGMP, input to-r1, output lan-b (show ip mroute)"
[ "$(lab_mroute_iif r1 "$S" "$G")" = lan-a ] && [ "$(lab_mroute_oifs r1 "$S" "$G")" = to-r2 ] \
  && [ "$(lab_mroute_iif r2 "$S" "$G")" = to-r1 ] && [ "$(lab_mroute_oifs r2 "$S" "$G")" = lan-b ]
lab_ok $? "kernel routes: r1 lan-a -> to-r2, r2 to-r1 -> lan-b"

# traffic over a window of 500 datagrams: only on the links towards b1
b2_before=$(lab_port_tx b2)
b1_before=$(lab_port_tx b1)
r13=$(lab_vif_out r1 to-r3)
r23=$(lab_vif_out r2 to-r3)
r3c=$(lab_vif_out r3 lan-c)
lab_vif_grows r2 lan-b 500 10
lab_ok $? "r2 forwarded 500 more datagrams to LAN b"
d_b1=$(($(lab_port_tx b1) - b1_before))
d_b2=$(($(lab_port_tx b2) - b2_before))
d13=$(($(lab_vif_out r1 to-r3) - r13))
d23=$(($(lab_vif_out r2 to-r3) - r23))
d3c=$(($(lab_vif_out r3 lan-c) - r3c))
echo "# frames to b1's port $d_b1, to b2's $d_b2; forwarded r1 to-r3 $d13, r2 to-r3 $d23, r3 lan-c $d3c"
[ "$d_b1" -ge 500 ] && [ "$d_b2" -lt 50 ] && [ "$d13" = 0 ] && [ "$d23" = 0 ] && [ "$d3c" = 0 ]
lab_ok $? "stream only on r1-r2, r2-LAN b and b1's port (not to b2, not to r3 or LAN c)"

# ---- c1 joins with mctxsrc: a branch r1 -> r3 -> LAN c; its leave prunes it
gst=0
if [ -n "${MCTX_LAB_PLUGIN_DIR:-}" ] && command -v gst-launch-1.0 >/dev/null; then
  gst=1
fi
n_c1=5000
if [ $gst = 1 ]; then
  lab_bg c1 "$W/c1.log" env GST_PLUGIN_PATH="$MCTX_LAB_PLUGIN_DIR" timeout 30 \
    gst-launch-1.0 -q mctxsrc address="$G" port=5000 sources="$S" interface=eth0 \
    num-buffers=$n_c1 ! fakesink
else
  echo "# no plugin (MCTX_LAB_PLUGIN_DIR unset): c1 joins with mctx-lab-peer"
  lab_bg c1 "$W/c1.log" "$peer" recv "$G" 5000 --interface eth0 --sources "$S" --ends 0 \
    --leave-after 3000 --timeout 20000
fi
c1=$LAB_LAST_PID
lab_wait_cmd 20 lab_grep_cmd to-r3 lab_mroute_oifs r1 "$S" "$G"
lab_ok $? "c1's join (mctxsrc: $gst) added to-r3 to r1's route ($(lab_mroute_oifs r1 "$S" "$G"))"
lab_vif_grows r3 lan-c 300 10
lab_ok $? "r3 forwards the stream to LAN c"
j3=$(lab_vtysh r3 "show ip mroute")
echo "$j3" | sed 's/^/# r3 show ip mroute: /'
echo "$j3" | awk -v s="$S" -v g="$G" '$1 == s && $2 == g && $5 == "to-r1" && $6 == "lan-c"' | grep -q .
lab_ok $? "r3: (S,G) input to-r1 (its own shortest path), output lan-c"
d23=$(lab_vif_out r2 to-r3)
d32=$(lab_vif_out r3 to-r2)
[ "$d23" = 0 ] && [ "$d32" = 0 ]
lab_ok $? "nothing on the r2-r3 link (r2 to-r3 $d23, r3 to-r2 $d32)"

if [ $gst = 1 ]; then
  lab_wait_pid "$c1" 25
  lab_ok $? "mctxsrc on c1 received its $n_c1 datagrams and exited"
  sed 's/^/# c1: /' "$W/c1.log"
else
  lab_wait_log "$W/c1.log" '^left' 20 "$c1"
  lab_ok $? "c1 left"
fi
left=$(lab_now_ms)
stopped=$(lab_vif_stops r1 to-r3 1000 30)
lab_ok $? "after c1's leave r1 stopped forwarding to r3"
prune_ms=$(( ${stopped:-0} - left ))
echo "# figure: prune (c1's leave to r1's last datagram on to-r3) $prune_ms ms"
# without a Prune, r1's join state would only expire with its holdtime
# (3.5 x the 5 s join/prune interval): earlier means r3 sent one
[ -n "$stopped" ] && [ "$prune_ms" -lt 17500 ]
lab_ok $? "the branch went before the join holdtime (17.5 s) could expire: pruned by r3's Prune"
stopped3=$(lab_vif_stops r3 lan-c 1000 30)
echo "# r3 stopped sending to LAN c $(( ${stopped3:-0} - left )) ms after the leave"
lab_wait_cmd 10 eval '! lab_grep_cmd to-r3 lab_mroute_oifs r1 "$S" "$G"'
lab_ok $? "r1's route lost to-r3 ($(lab_mroute_oifs r1 "$S" "$G")), b1's branch stays"
! lab_vtysh r3 "show ip mroute" | awk -v s="$S" '$1 == s && $6 == "lan-c"' | grep -q .
lab_ok $? "r3 no longer routes the group to lan-c"
lab_vif_grows r2 lan-b 200 10
lab_ok $? "b1 still gets the stream"

kill -TERM "$sender" 2>/dev/null
lab_wait_pid "$sender" 10
kill -TERM "$b1" 2>/dev/null
lab_wait_pid "$b1" 10
echo "# b1: $(tr '\n' ' ' <"$W/b1.log")"

# ---- TTL across routers: r1 and r2 each take one off; b1 needs 3
G2=232.1.1.2
lab_bg a2 "$W/a2.ttl" "$peer" recv "$G2" 5000 --interface eth0 --sources "$S" --ends 2
a2=$LAB_LAST_PID
lab_bg b1 "$W/b1.ttl" "$peer" recv "$G2" 5000 --interface eth0 --sources "$S" --ends 1
b1=$LAB_LAST_PID
lab_wait_log "$W/a2.ttl" joined 5 "$a2" && lab_wait_log "$W/b1.ttl" joined 5 "$b1" \
  || lab_die "TTL receivers did not start: $(cat "$W/a2.ttl" "$W/b1.ttl")"
lab_wait_cmd 10 lab_grep_cmd "$G2" lab_vtysh r1 "show ip pim join" \
  || lab_die "no join for $G2 at r1: $(lab_vtysh r1 "show ip pim join")"
N=200
lab_exec a1 "$peer" send "$G2" 5000 --interface eth0 --source "$S" --ttl 1 --count $N --tag ttl1 >/dev/null
lab_exec a1 "$peer" send "$G2" 5000 --interface eth0 --source "$S" --ttl 2 --count $N --tag ttl2 --end >/dev/null
# the kernel routes exist along the way before the TTL 3 burst (the first
# datagrams of a new (S,G) wait in each router for pimd to install it)
lab_wait_cmd 10 lab_grep_cmd lan-b lab_mroute_oifs r2 "$S" "$G2"
lab_exec a1 "$peer" send "$G2" 5000 --interface eth0 --source "$S" --ttl 3 --count $N --tag ttl3 --end >/dev/null
lab_wait_peer "$b1" 10
lab_ok $? "b1 got the TTL 3 marker across two routers"
lab_wait_peer "$a2" 10
lab_ok $? "a2 (sender's LAN) got both markers"
for t in ttl1 ttl2 ttl3; do
  c=$(lab_count "$W/a2.ttl" "$S" $t)
  lab_check "a2 (same LAN) received $c of $N $t datagrams" [ "$c" -eq $N ]
done
for t in ttl1 ttl2; do
  c=$(lab_count "$W/b1.ttl" "$S" $t)
  lab_check "b1 (two routers away) received $c $t datagrams" [ "$c" -eq 0 ]
done
c=$(lab_count "$W/b1.ttl" "$S" ttl3)
lab_check "b1 (two routers away) received $c of $N ttl3 datagrams" [ "$c" -eq $N ]

[ "$LAB_FAILS" -eq 0 ] || lab_pim_dump
lab_finish
