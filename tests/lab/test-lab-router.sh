#!/usr/bin/env bash
# Two LANs joined by a router namespace running smcroute with static (S,G)
# routes, IPv4 and IPv6: datagrams sent with TTL / hop limit 1 stop at the
# router, those sent with 2 cross it and reach the receiver on the far LAN
# (and, there too, only the host that joined).
#   MCTX_LAB_PEER=path/to/mctx-lab-peer bash test-lab-router.sh
LAB_NEEDS="smcrouted:smcroute"
source "$(dirname "$0")/lab-test.sh"

N=200

lab_lan 2     # a1 sends, a2 receives on the sender's LAN
lab_lan 2 b   # b1 receives behind the router, b2 only watches
lab_router

# lab_vif_out IFACE FAMILY: datagrams the router's multicast routing sent
# out of IFACE (/proc/net/ip_mr_vif, ip6_mr_vif: Interface BytesIn PktsIn
# BytesOut PktsOut ...)
lab_vif_out () {
  local f=/proc/net/ip_mr_vif
  [ "$2" = 6 ] && f=/proc/net/ip6_mr_vif
  lab_exec r awk -v i="$1" '$2 == i { print $6 }' "$f"
}

run () {
  local fam=$1 grp=$2 v=
  [ "$fam" = 6 ] && v=-6
  local src
  src=$(lab_addr a1 $v)

  lab_mroute "$src" "$grp"
  lab_ok 0 "IPv$fam: smcroute installed ($src, $grp) from lan-a to lan-b"

  lab_bg a2 "$W/a2.$fam" "$peer" recv "$grp" 5000 --interface eth0 --sources "$src" --ends 2
  local a2=$LAB_LAST_PID
  lab_bg b1 "$W/b1.$fam" "$peer" recv "$grp" 5000 --interface eth0 --sources "$src" --ends 1
  local b1=$LAB_LAST_PID
  lab_wait_log "$W/a2.$fam" joined 5 "$a2" && lab_wait_log "$W/b1.$fam" joined 5 "$b1" \
    || lab_die "IPv$fam receivers did not start: $(cat "$W/a2.$fam" "$W/b1.$fam")"
  lab_check "IPv$fam: br-b's mdb has ($src, $grp) for b1" \
    lab_wait_cmd 3 lab_mdb_has b b1 "$grp" "$src"
  lab_wait_cmd 3 lab_mdb_has a a2 "$grp" "$src"

  local b1_before b2_before out_before
  out_before=$(lab_vif_out lan-b $fam)
  b1_before=$(lab_port_tx b1)
  b2_before=$(lab_port_tx b2)
  # TTL 1 first, with a marker: it ends a2's first half; it must not
  # reach b1, whose run ends only with the TTL 2 marker
  lab_exec a1 "$peer" send "$grp" 5000 --interface eth0 --source "$src" --ttl 1 \
    --count $N --tag ttl1 --end >"$W/send1.$fam" 2>&1
  lab_exec a1 "$peer" send "$grp" 5000 --interface eth0 --source "$src" --ttl 2 \
    --count $N --tag ttl2 --end >"$W/send2.$fam" 2>&1
  if ! lab_wait_peer "$b1" 5; then
    lab_ok 1 "IPv$fam: b1 got the TTL 2 marker across the router"
    sed 's/^/# b1: /' "$W/b1.$fam"
    lab_exec b1 nstat -az 2>/dev/null | grep -E "^(Ip6|Ip|Udp6|Udp)(In|.*Err|.*Drop)" \
      | awk '$2 != 0' | sed 's/^/# b1 nstat: /'
  else
    lab_ok 0 "IPv$fam: b1 got the TTL 2 marker across the router"
  fi
  lab_wait_peer "$a2" 5
  lab_ok $? "IPv$fam: a2 got both markers"

  lab_check_count "IPv$fam: a2 (same LAN) received {} of $N TTL 1 datagrams" $N "$W/a2.$fam" "$src" ttl1
  lab_check_count "IPv$fam: a2 (same LAN) received {} of $N TTL 2 datagrams" $N "$W/a2.$fam" "$src" ttl2
  lab_check_count "IPv$fam: b1 (behind the router) received {} TTL 1 datagrams" 0 "$W/b1.$fam" "$src" ttl1
  lab_check_count "IPv$fam: b1 (behind the router) received {} of $N TTL 2 datagrams" $N "$W/b1.$fam" "$src" ttl2

  local d1 d2
  d1=$(($(lab_port_tx b1) - b1_before))
  d2=$(($(lab_port_tx b2) - b2_before))
  echo "# IPv$fam: frames br-b sent to b1: $d1, to b2: $d2"
  [ "$d1" -ge $((N + 1)) ] && [ "$d1" -lt $((N + 10)) ] && [ "$d2" -lt 10 ]
  lab_ok $? "IPv$fam: on LAN b only b1's port got the routed stream"

  # the kernel's own counts: the route matched both bursts; the router
  # sent only the TTL 2 one (and its marker) out of lan-b
  local matched out
  matched=$(ip -n r $v -s mroute show | awk -v s="($src," \
    'index($0, s) { want = 1 } want && /packets/ { print $1; exit }')
  out=$(($(lab_vif_out lan-b $fam) - out_before))
  ip -n r $v -s mroute show | sed 's/^/# r: /'
  [ "${matched:-0}" -eq $((2 * N + 2)) ] && [ "$out" -eq $((N + 1)) ]
  lab_ok $? "IPv$fam: the route matched ${matched:-?} datagrams ($((2 * N + 2)) sent), the router sent $out out of lan-b ($((N + 1)) with TTL 2)"
}

run 4 232.1.1.1
run 6 ff3e::1:1
lab_finish
