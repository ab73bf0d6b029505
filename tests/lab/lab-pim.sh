# lab-pim.sh: a routed multicast plant for the lab (bash, sourced after
# lab.sh).  SPDX-License-Identifier: LGPL-2.1-or-later
#
#   LAB_NEEDS="/usr/lib/frr/pimd:frr"
#   source tests/lab/lab.sh
#   source tests/lab/lab-pim.sh
#   lab_pim_plant        # LANs a, b, c and routers r1 r2 r3 (below)
#   lab_pim_wait_converged  # OSPF routes, PIM neighbours, first IGMP queries
#   lab_vtysh r2 "show ip pim join"
#
#        a1 a2 (sender LAN a, 10.1.0.0/24)
#          |
#         r1 ---------- r3 --- LAN c (10.3.0.0/24): c1 c2
#          \           /
#           \         /
#             r2 ----
#              |
#        LAN b (10.2.0.0/24): b1 b2
#
# Three FRR routers (zebra, ospfd, pimd) in a triangle: r1 holds the
# sender's LAN, r2 and r3 a receiver LAN each.  Unicast routing is OSPF
# (area 0, point-to-point links, 1 s hellos, 3 s dead interval); multicast is
# PIM-SSM (FRR's default SSM range 232.0.0.0/8) with IGMPv3 on the receiver
# LANs, where the routers are the queriers.  The links are 10.XY.0.0/24
# between rX and rY (rX holds 10.XY.0.X), interface "to-rY" in rX.  The
# receiver LANs' bridges snoop but do not query (a router does, as in a
# plant); the sender LAN keeps lab.sh's querying bridge.
#
# Each router's daemons run in its namespace, as FRR's own user, with their
# own files in /run/frr/rN (config, pid files, the zebra API socket, vty
# sockets, logs).  The lab mounts tmpfs file systems on /run/frr and on
# /var/tmp/frr (FRR's crash logs): its mount namespace is private, so the
# host's FRR files are neither seen nor touched, and nothing is left behind.
#
# FRR 8.4 (Debian 12) has no pim6d: the plant routes IPv4 only.

LAB_FRR=/usr/lib/frr
LAB_FRR_RUN=/run/frr
LAB_ROUTERS=()

# lab_vtysh ROUTER CMD...: runs vtysh commands on ROUTER's daemons
lab_vtysh () {
  local r=$1 c args=()
  shift
  for c in "$@"; do args+=(-c "$c"); done
  lab_exec "$r" vtysh --vty_socket "$LAB_FRR_RUN/$r" "${args[@]}"
}

# lab_frr_router NAME ID: namespace NAME with forwarding on and loopback
# 10.255.0.ID (the router id)
lab_frr_router () {
  local r=$1
  lab_run ip netns add "$r"
  lab_run ip -n "$r" link set lo up
  lab_run ip -n "$r" addr add "10.255.0.$2/32" dev lo
  lab_run ip netns exec "$r" sysctl -q -w net.ipv4.ip_forward=1 \
    net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
    net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
  mkdir -p "$LAB_FRR_RUN/$r"
  LAB_ROUTERS+=("$r")
}

# lab_frr_link X Y: a veth link between routers rX and rY (X < Y),
# 10.XY.0.X and 10.XY.0.Y
lab_frr_link () {
  local x=$1 y=$2
  lab_run ip link add "to-r$y" netns "r$x" type veth peer name "to-r$x" netns "r$y"
  lab_run ip -n "r$x" addr add "10.$x$y.0.$x/24" dev "to-r$y"
  lab_run ip -n "r$y" addr add "10.$x$y.0.$y/24" dev "to-r$x"
  lab_run ip -n "r$x" link set "to-r$y" up
  lab_run ip -n "r$y" link set "to-r$x" up
}

# lab_frr_lan ROUTER LAN: ROUTER's "lan-LAN" on br-LAN (10.N.0.1); the
# LAN's hosts route through it
lab_frr_lan () {
  local r=$1 lan=$2 idx host
  idx=$(lab_lan_index "$lan")
  lab_run ip link add "to-$r-$lan" type veth peer name "lan-$lan" netns "$r"
  lab_run ip link set "to-$r-$lan" master "br-$lan" up
  # a permanent multicast-router port: the bridge gives the router every
  # group (what it forwards is the router's business)
  lab_run bridge link set dev "to-$r-$lan" mcast_router 2
  lab_run ip -n "$r" addr add "10.$idx.0.1/24" dev "lan-$lan"
  lab_run ip -n "$r" link set "lan-$lan" up
  for host in "${LAB_HOSTS[@]}"; do
    [ "${host:0:1}" = "$lan" ] || continue
    lab_run ip -n "$host" route add default via "10.$idx.0.1"
  done
}

# lab_frr_config ROUTER ID "LINKS" "LANS" "RECEIVER_LANS": writes the
# router's zebra, ospfd and pimd configuration
lab_frr_config () {
  local r=$1 id=$2 links=$3 lans=$4 rx=$5 d=$LAB_FRR_RUN/$1 i
  {
    echo "hostname $r"
    echo "log file $d/zebra.log"
  } >"$d/zebra.conf"
  {
    echo "hostname $r"
    echo "log file $d/ospfd.log"
    for i in $links; do
      echo "interface $i"
      echo " ip ospf network point-to-point"
      echo " ip ospf hello-interval 1"
      echo " ip ospf dead-interval 3"
    done
    echo "router ospf"
    echo " ospf router-id 10.255.0.$id"
    # SPF at once on a change, then at most every 200 ms: a failed link is
    # routed around in well under a second
    echo " timers throttle spf 0 50 200"
    # and a changed router LSA goes out at once (not 5 s after the last
    # one, OSPF's MinLSInterval) and is taken at once (MinLSArrival 1 s):
    # with the defaults a link that fails soon after a change is routed
    # around only seconds later
    echo " timers throttle lsa all 0"
    echo " timers lsa min-arrival 0"
    echo " network 10.0.0.0/8 area 0"
    for i in $lans; do echo " passive-interface $i"; done
  } >"$d/ospfd.conf"
  {
    echo "hostname $r"
    echo "log file $d/pimd.log"
    # joins refreshed every 5 s (holdtime 17.5 s) instead of 60 s
    echo "ip pim join-prune-interval 5"
    for i in $links; do
      echo "interface $i"
      echo " ip pim"
      echo " ip pim hello 1 3"
    done
    for i in $lans; do
      echo "interface $i"
      echo " ip pim"
      echo " ip pim hello 1 3"
      case " $rx " in
        *" $i "*)
          echo " ip igmp"
          echo " ip igmp version 3"
          # general queries every 5 s, answered within 100 ms (which is
          # also how long a snooping bridge still floods after the first)
          echo " ip igmp query-max-response-time 1"
          echo " ip igmp query-interval 5"
          # a leave is acted on after 2 group-and-source queries, 100 ms apart
          echo " ip igmp last-member-query-interval 1"
          echo " ip igmp last-member-query-count 2"
          ;;
      esac
    done
  } >"$d/pimd.conf"
}

# lab_frr_start ROUTER: zebra, then ospfd and pimd on it
lab_frr_start () {
  local r=$1 d=$LAB_FRR_RUN/$1 daemon
  # the daemons run as FRR's own user (frr; group frrvty for the vty
  # sockets): their directory is theirs
  local common=(--vty_socket "$d" -z "$d/zserv.api")
  chown -R frr:frr "$d"
  lab_bg "$r" "$d/zebra.out" "$LAB_FRR/zebra" "${common[@]}" \
    -i "$d/zebra.pid" -f "$d/zebra.conf"
  lab_wait_cmd 10 test -S "$d/zserv.api" \
    || lab_die "zebra did not start on $r: $(cat "$d/zebra.out" "$d/zebra.log" 2>/dev/null)"
  for daemon in ospfd pimd; do
    lab_bg "$r" "$d/$daemon.out" "$LAB_FRR/$daemon" "${common[@]}" \
      -i "$d/$daemon.pid" -f "$d/$daemon.conf"
  done
  for daemon in ospfd pimd; do
    lab_wait_cmd 10 test -S "$d/$daemon.vty" \
      || lab_die "$daemon did not start on $r: $(cat "$d/$daemon.out" "$d/$daemon.log" 2>/dev/null)"
  done
}

# lab_pim_plant: the plant above, daemons started (not yet converged)
lab_pim_plant () {
  # FRR's state and crash log directories, private to the lab
  local dir
  for dir in "$LAB_FRR_RUN" /var/tmp/frr; do
    mkdir -p "$dir"
    mount -t tmpfs -o mode=0755 lab-frr "$dir" || lab_die "cannot mount $dir"
  done
  lab_lan 2 a
  LAB_QUERIER=0 lab_lan 2 b
  LAB_QUERIER=0 lab_lan 2 c
  lab_frr_router r1 1
  lab_frr_router r2 2
  lab_frr_router r3 3
  lab_frr_link 1 2
  lab_frr_link 1 3
  lab_frr_link 2 3
  lab_frr_lan r1 a
  lab_frr_lan r2 b
  lab_frr_lan r3 c
  lab_frr_config r1 1 "to-r2 to-r3" "lan-a" ""
  lab_frr_config r2 2 "to-r1 to-r3" "lan-b" "lan-b"
  lab_frr_config r3 3 "to-r1 to-r2" "lan-c" "lan-c"
  local r
  for r in "${LAB_ROUTERS[@]}"; do
    lab_frr_start "$r"
  done
}

# lab_pim_converged: every router has an OSPF route to every LAN and sees
# its two PIM neighbours, and the receiver LANs' routers have sent a general
# query (until a bridge has seen one it floods every group to every port)
lab_pim_converged () {
  local r net
  lab_vtysh r2 "show ip igmp statistics interface lan-b json" \
    | grep -q -E '"generalQueriesSent": *[1-9]' || return 1
  lab_vtysh r3 "show ip igmp statistics interface lan-c json" \
    | grep -q -E '"generalQueriesSent": *[1-9]' || return 1
  for r in "${LAB_ROUTERS[@]}"; do
    for net in 10.1.0.0/24 10.2.0.0/24 10.3.0.0/24; do
      ip -n "$r" route show "$net" | grep -q . || return 1
    done
    [ "$(lab_vtysh "$r" "show ip pim neighbor" | grep -c -E '^ *to-r[0-9] ')" -ge 2 ] \
      || return 1
  done
}

# lab_pim_wait_converged [SECONDS]: until lab_pim_converged (bounded).
# A bridge that has seen its first query still floods for the query's
# maximum response time (the kernel's other_query.delay_timer, which
# iproute2 6.1 cannot show): that fixed 100 ms is waited out, twice over.
lab_pim_wait_converged () {
  lab_wait_cmd "${1:-60}" lab_pim_converged || return 1
  sleep 0.2
}

# lab_vif_out ROUTER IFACE: datagrams ROUTER's multicast forwarding sent out
# of IFACE (/proc/net/ip_mr_vif: Interface BytesIn PktsIn BytesOut PktsOut);
# only forwarded data counts, not the routers' own PIM and OSPF packets
lab_vif_out () {
  lab_exec "$1" awk -v i="$2" '$2 == i { n = $6 } END { print n + 0 }' /proc/net/ip_mr_vif
}

# lab_pim_dump: every router's view, as TAP comments
lab_pim_dump () {
  local r
  for r in "${LAB_ROUTERS[@]}"; do
    lab_vtysh "$r" "show ip mroute" "show ip pim join" "show ip igmp sources" \
      "show ip route ospf" 2>&1 | sed "s/^/# $r: /"
    lab_exec "$r" cat /proc/net/ip_mr_vif | sed "s/^/# $r vif: /"
  done
}

# lab_now_ms: monotonic enough wall time in milliseconds (bash's clock)
lab_now_ms () {
  local t=${EPOCHREALTIME//[.,]/}
  echo $((t / 1000))
}

# lab_vif_grows ROUTER IFACE N SECONDS: until ROUTER has forwarded N more
# datagrams out of IFACE than when called (bounded)
lab_vif_grows () {
  local start deadline=$((SECONDS + $4))
  start=$(lab_vif_out "$1" "$2")
  until [ "$(lab_vif_out "$1" "$2")" -ge $((start + $3)) ]; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.02
  done
}

# lab_vif_stops ROUTER IFACE QUIET_MS SECONDS: waits (bounded) until
# ROUTER's count out of IFACE has not moved for QUIET_MS, and prints the
# time (lab_now_ms) of the last change seen: when forwarding stopped
lab_vif_stops () {
  local last now n prev deadline=$((SECONDS + $4))
  prev=$(lab_vif_out "$1" "$2")
  last=$(lab_now_ms)
  while [ $SECONDS -lt $deadline ]; do
    sleep 0.02
    n=$(lab_vif_out "$1" "$2")
    now=$(lab_now_ms)
    if [ "$n" != "$prev" ]; then
      prev=$n
      last=$now
    elif [ $((now - last)) -ge "$3" ]; then
      echo "$last"
      return 0
    fi
  done
  return 1
}

# lab_mroute_oifs ROUTER SOURCE GROUP: the outgoing interfaces of the
# kernel's (SOURCE, GROUP) entry in ROUTER, sorted, space separated (empty:
# no entry or none)
lab_mroute_oifs () {
  ip -n "$1" mroute show 2>/dev/null | grep -F "($2,$3)" \
    | sed -n '/Oifs:/ { s/.*Oifs: *//; s/ *State:.*//; p; }' | tr ' ' '\n' | sed 's/(.*//' | grep . | sort \
    | tr '\n' ' ' \
    | sed 's/ $//'
}

# lab_mroute_iif ROUTER SOURCE GROUP: its incoming interface
lab_mroute_iif () {
  ip -n "$1" mroute show 2>/dev/null | grep -F "($2,$3)" | sed -n 's/.*Iif: *\([^ ]*\).*/\1/p'
}

# lab_mroute_pkts ROUTER SOURCE GROUP: datagrams that matched the kernel's
# (SOURCE, GROUP) entry in ROUTER (forwarded or not)
lab_mroute_pkts () {
  ip -n "$1" -s mroute show 2>/dev/null \
    | awk -v e="($2,$3)" 'index($0, e) == 1 { want = 1 } want && $2 == "packets," { print $1; exit }
      END { if (!want) print 0 }'
}
