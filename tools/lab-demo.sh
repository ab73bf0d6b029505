#!/usr/bin/env bash
# The lab demo: builds what is needed, creates a virtual network (two LANs
# with snooping bridges, a router running smcroute between them; or, with
# --plant pim, three FRR routers running OSPF and PIM-SSM), streams a
# test video and a test tone as RTP over source-specific multicast from one
# host to a receiver on each LAN with mctxsink/mctxsrc, and prints what each
# receiver got.  By default each stream also goes over a second network
# ("blue", one bridge that the sender and the receivers are also attached
# to; the plant is "red") as SMPTE ST 2022-7 seamless protection: mid-stream
# the red network fails for a few seconds (nftables drops the sender's red
# traffic at its bridge port) and comes back, the receivers merge the legs
# and lose nothing, and a timeline PNG shows each leg's packets per second
# (--no-redundancy: the plant alone).  Everything runs in namespaces the script creates
# (tests/lab/lab.sh): no packet reaches a real interface, and nothing is left
# behind but the PNGs of the decoded frames.  Needs root.
set -uo pipefail

usage () {
  cat <<USAGE
usage: tools/lab-demo.sh [options]
  --duration SECONDS   how long to stream (default 10)
  --codec NAME         video codec: vp8, vp9 or h264 (default vp8)
  --audio NAME         audio codec: opus, pcmu or none (default opus)
  --group ADDR         video group (default 232.1.1.1, with --ipv6 ff3e::1:1)
  --audio-group ADDR   audio group (default 232.1.1.2, with --ipv6 ff3e::1:2)
  --port PORT          video port; audio uses PORT + 2 (default 5004)
  --size WxH           picture size (default 640x360)
  --ipv6               IPv6 addresses and groups (not with --plant pim)
  --plant NAME         the network: smcroute (one router with static routes,
                       the default) or pim (three FRR routers, OSPF and
                       PIM-SSM; IPv4)
  --out DIR            where the PNGs go (default \${TMPDIR:-/tmp}/mctx-lab-demo)
  --build-dir DIR      build directory (default build/)
  --no-build           use the build directory as it is: no install, no build
  --no-redundancy      the plant alone: no second (blue) network, no outage
USAGE
}

duration=10 codec=vp8 audio=opus group= audio_group= port=5004 size=640x360
ipv6=0 out=${TMPDIR:-/tmp}/mctx-lab-demo build_dir= no_build=0 plant=smcroute
redundancy=1
top=$(cd "$(dirname "$0")/.." && pwd)
args=("$@")
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift ;;
    --codec) codec=$2; shift ;;
    --audio) audio=$2; shift ;;
    --group) group=$2; shift ;;
    --audio-group) audio_group=$2; shift ;;
    --port) port=$2; shift ;;
    --size) size=$2; shift ;;
    --ipv6) ipv6=1 ;;
    --plant) plant=$2; shift ;;
    --out) out=$2; shift ;;
    --build-dir) build_dir=$2; shift ;;
    --no-build) no_build=1 ;;
    --no-redundancy) redundancy=0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "lab-demo: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
case $codec in vp8|vp9|h264) ;; *) echo "lab-demo: --codec vp8, vp9 or h264" >&2; exit 2 ;; esac
case $audio in opus|pcmu|none) ;; *) echo "lab-demo: --audio opus, pcmu or none" >&2; exit 2 ;; esac
case $plant in smcroute|pim) ;; *) echo "lab-demo: --plant smcroute or pim, not '$plant'" >&2; exit 2 ;; esac
if [ "$plant" = pim ] && [ "$ipv6" = 1 ]; then
  echo "lab-demo: --plant pim routes IPv4 only (Debian 12's FRR 8.4 has no pim6d)" >&2; exit 2
fi
if ! [[ $duration =~ ^[0-9]+([.][0-9]+)?$ ]] || ! awk -v d="$duration" 'BEGIN { exit !(d >= 1 && d <= 600) }'; then
  echo "lab-demo: --duration between 1 and 600 seconds" >&2; exit 2
fi
if ! [[ $port =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65533 ]; then
  echo "lab-demo: --port between 1 and 65533" >&2; exit 2
fi
if ! [[ $size =~ ^[0-9]+x[0-9]+$ ]]; then
  echo "lab-demo: --size WxH" >&2; exit 2
fi
build=${build_dir:-$top/build}

if [ -z "${MCTX_LAB_ISOLATED:-}" ]; then
  # outside the lab (it has no network): dependencies and the build
  if [ "$no_build" = 0 ]; then
    bash "$top/tools/install-deps.sh" >&2 || exit 1
    if [ ! -f "$build/build.ninja" ]; then
      meson setup "$build" -Dtests=false >/dev/null || exit 1
    fi
    echo "lab-demo: building in $build" >&2
    ninja -C "$build" >/dev/null || exit 1
  fi
  if [ ! -d "$build/gst" ]; then
    echo "lab-demo: no plugin in $build/gst (build first)" >&2
    exit 1
  fi
  mkdir -p "$out" || exit 1
  out=$(cd "$out" && pwd)
  export GST_PLUGIN_PATH="$build/gst${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"
fi

if [ "$plant" = pim ]; then
  LAB_NEEDS="/usr/lib/frr/pimd:frr vtysh:frr"
else
  LAB_NEEDS="smcrouted:smcroute"
fi
[ "$redundancy" = 1 ] && LAB_NEEDS+=" nft:nftables"
LAB_STRICT=1
# re-executes this script in the lab's namespaces, with the same arguments
set -- "${args[@]}"
source "$top/tests/lab/lab.sh"

out=$(cd "$out" && pwd)
W=$LAB_WORK
v=
[ "$ipv6" = 1 ] && v=-6
if [ "$ipv6" = 1 ]; then
  group=${group:-ff3e::1:1}
  audio_group=${audio_group:-ff3e::1:2}
else
  group=${group:-232.1.1.1}
  audio_group=${audio_group:-232.1.1.2}
fi
demo=("/usr/bin/python3" "$top/examples/media-demo.py")

src=$(lab_addr a1 $v)
streams=("$group:$port")
[ "$audio" = none ] || streams+=("$audio_group:$((port + 2))")
if [ "$plant" = pim ]; then
  source "$top/tests/lab/lab-pim.sh"
  t0=$SECONDS
  lab_pim_plant   # a1 sends, a2 receives; b1 receives behind r1 and r2, b2 joins nothing
  lab_pim_wait_converged 60 || lab_die "the FRR plant did not converge: $(lab_pim_dump)"
  bystander_host=b2
  cat <<EOF_TOPOLOGY
lab: LAN a (bridge br-a, IGMPv3 snooping): a1 $src (sender), a2 $(lab_addr a2) (receiver)
     routers r1 r2 r3 (FRR: OSPF and PIM-SSM, a triangle; converged in $((SECONDS - t0)) s), r1 on LAN a
     LAN b (bridge br-b, behind r2): b1 $(lab_addr b1) (receiver), b2 (joins nothing)
     LAN c (bridge br-c, behind r3): nobody joins
stream: $codec video$([ "$audio" = none ] || echo " + $audio audio") as RTP, source-specific (${streams[*]}), TTL 4, $duration s
EOF_TOPOLOGY
else
  lab_lan 3     # a1 sends, a2 receives, a3 joins nothing
  lab_lan 1 b   # b1 receives, behind the router
  lab_router
  lab_mroute "$src" "$group"
  [ "$audio" = none ] || lab_mroute "$src" "$audio_group"
  bystander_host=a3
  cat <<EOF_TOPOLOGY
lab: LAN a (bridge br-a, IGMPv3/MLDv2 snooping): a1 $src (sender), a2 $(lab_addr a2 $v) (receiver), a3 (joins nothing)
     router r (smcroute, routes $(printf '(%s, %s) ' "$src" "$group"; [ "$audio" = none ] || printf '(%s, %s) ' "$src" "$audio_group")from LAN a to LAN b)
     LAN b (bridge br-b): b1 $(lab_addr b1 $v) (receiver)
stream: $codec video$([ "$audio" = none ] || echo " + $audio audio") as RTP, source-specific (${streams[*]}), TTL 4, $duration s
EOF_TOPOLOGY
fi

# blue_addr HOST [-6]: HOST's address on the blue network: a1 -> 10.9.0.11,
# b1 -> 10.9.0.21 (fd09::11, fd09::21)
blue_addr () {
  local n=$(( $(lab_lan_index "${1:0:1}") * 10 + ${1:1} ))
  if [ "${2:-}" = -6 ]; then echo "fd09::$n"; else echo "10.9.0.$n"; fi
}

# lab_blue HOST...: the second network, one bridge br-blue (lab_bridge)
# with a port "blue-HOST" for each host, whose end in the host is "blue0"
lab_blue () {
  local h
  lab_bridge blue
  for h; do
    lab_run ip link add "blue-$h" type veth peer name blue0 netns "$h"
    lab_run ip link set "blue-$h" master br-blue up
    lab_run ip -n "$h" addr add "$(blue_addr "$h")/24" dev blue0
    lab_run ip -n "$h" addr add "$(blue_addr "$h" -6)/64" dev blue0 nodad
    lab_run ip -n "$h" link set blue0 up
  done
  lab_bridge_wait
}

# red_outage AT LENGTH FILE: AT seconds after the stream started (the
# sender's red bridge port has taken 20 kB, a few video packets: its packet
# count would lag, a GSO batch counts once; bounded wait: 30 s) the red
# network fails for LENGTH seconds: nftables drops every UDP datagram the
# sender puts on that port (a silent failure: carrier and addresses stay).
# The wall clock times of the failure and the repair go to FILE. A schedule,
# not a synchronisation: the receivers must cope whenever it happens.
red_outage () {
  local rx=/sys/class/net/to-a1/statistics/rx_bytes base i
  base=$(cat $rx)
  for ((i = 0; i < 600; i++)); do
    [ "$(cat $rx)" -ge $((base + 20000)) ] && break
    sleep 0.05
  done
  sleep "$1"
  nft add table netdev demo_red &&
    nft add chain netdev demo_red in "{ type filter hook ingress device to-a1 priority 0 ; }" &&
    nft add rule netdev demo_red in meta l4proto udp drop || return 1
  date +%s.%N >"$3"
  sleep "$2"
  nft delete table netdev demo_red
  date +%s.%N >>"$3"
}

common=(--source "$src" --group "$group" --audio-group "$audio_group" --port "$port"
  --codec "$codec" --audio "$audio" --duration "$duration" --size "$size")
if [ "$redundancy" = 1 ]; then
  lab_blue a1 a2 b1
  common+=(--redundant-source "$(blue_addr a1 $v)" --redundant-interface blue0)
  # the outage: from 30 % of the stream, 30 % of it long (0.8 to 3 s)
  fail_at=$(awk -v d="$duration" 'BEGIN { print d * 0.3 }')
  fail_len=$(awk -v d="$duration" 'BEGIN { l = d * 0.3; if (l < 0.8) l = 0.8; if (l > 3) l = 3; print l }')
  cat <<EOF_BLUE
     network blue (bridge br-blue, IGMPv3/MLDv2 snooping): a1 $(blue_addr a1 $v), a2 $(blue_addr a2 $v), b1 $(blue_addr b1 $v)
ST 2022-7: every stream on red (the plant above) and blue; the receivers merge the two legs
     the red network fails $fail_at s into the stream for $fail_len s (nftables drops a1's red traffic)
EOF_BLUE
fi
lab_bg a2 "$W/a2.log" "${demo[@]}" receive --name a2 "${common[@]}" \
  --json "$W/a2.json" --png "$out/a2.png"
rx_a2=$LAB_LAST_PID
lab_bg b1 "$W/b1.log" "${demo[@]}" receive --name b1 "${common[@]}" \
  --json "$W/b1.json" --png "$out/b1.png"
rx_b1=$LAB_LAST_PID
lab_wait_log "$W/a2.log" '^ready' 30 "$rx_a2" && lab_wait_log "$W/b1.log" '^ready' 30 "$rx_b1" \
  || lab_die "a receiver did not start: $(cat "$W/a2.log" "$W/b1.log")"
# both joins have reached the bridges before anything is sent
lab_wait_cmd 5 lab_mdb_has a a2 "$group" "$src" && lab_wait_cmd 5 lab_mdb_has b b1 "$group" "$src" \
  || lab_die "the joins did not reach the bridges: $(lab_mdb a; lab_mdb b)"
echo "bridge databases (the stream's groups):"
{ lab_mdb a; lab_mdb b; } | grep -F -e " $group " -e " $audio_group " | sed 's/^/  /'
if [ "$plant" = pim ]; then
  # b1's IGMPv3 reports made r2 join towards the source, hop by hop
  lab_wait_cmd 10 lab_grep_cmd "$group" lab_vtysh r1 "show ip pim join" \
    || lab_die "r2's PIM join did not reach r1: $(lab_pim_dump)"
  echo "PIM join state at r1 (show ip pim join):"
  lab_vtysh r1 "show ip pim join" | sed 's/^/  /'
fi

bystander=$(lab_port_tx $bystander_host)
echo "streaming for $duration s ..."
if [ "$redundancy" = 1 ]; then
  rm -f "$W/outage"
  red_outage "$fail_at" "$fail_len" "$W/outage" &
  outage_pid=$!
fi
lab_exec a1 "${demo[@]}" send --name a1 "${common[@]}" --ttl 4 --json "$W/a1.json" \
  >"$W/a1.log" 2>&1
sent=$?
if [ "$redundancy" = 1 ]; then
  wait "$outage_pid" || echo "lab-demo: the red outage could not be made" >&2
fi
end=$(awk -v d="$duration" 'BEGIN { print int(d) + 20 }')
lab_wait_pid "$rx_a2" "$end"
lab_wait_pid "$rx_b1" 5
bystander=$(($(lab_port_tx $bystander_host) - bystander))
if [ "$sent" -ne 0 ]; then
  cat "$W/a1.log" >&2
fi
for h in a2 b1; do
  [ -f "$W/$h.json" ] || { echo "receiver $h wrote no report:" >&2; cat "$W/$h.log" >&2; }
done
if [ "$plant" = pim ]; then
  echo
  # the kernel's routes, as pimd installed them, with their counters
  echo "multicast routes after the stream (ip -s mroute in each router):"
  for r in r1 r2 r3; do
    ip -n $r -s mroute show | awk -v r=$r '/^\(/ { e = $0; next }
      /packets/ && e != "" { gsub(/ +/, " ", e); print "  " r ": " e ": " $1 " packets"; e = "" }'
  done
  echo "  (the kernel counts what it forwards: a video frame that mctxsink sent with UDP GSO counts once)"
fi
echo
extra=()
if [ "$redundancy" = 1 ]; then
  extra=(--timeline "$out/timeline.png")
  [ -s "$W/outage" ] && extra+=(--outage "$W/outage")
fi
/usr/bin/python3 "$top/examples/media-demo.py" summary "$W/a1.json" "$W/a2.json" "$W/b1.json" \
  --bystander "$bystander_host=$bystander" "${extra[@]}"
status=$?
[ "$sent" -eq 0 ] && [ "$status" -eq 0 ]
