# lab.sh: a virtual multicast network for tests and demos (bash, sourced).
# SPDX-License-Identifier: LGPL-2.1-or-later
#
#   LAB_NEEDS="smcrouted:smcroute tshark:tshark"   # optional: COMMAND:PACKAGE
#   source tests/lab/lab.sh                        # re-execs the script isolated
#   lab_lan 3            # LAN a: bridge br-a, hosts a1 a2 a3 (10.1.0.11.., fd01::11..)
#   lab_lan 2 b          # LAN b: bridge br-b, hosts b1 b2 (10.2.0.11.., fd02::11..)
#   lab_router           # namespace r between LAN a and b, running smcrouted
#   lab_mroute 10.1.0.11 232.1.1.1       # (S,G) route from LAN a to LAN b
#   lab_exec a1 CMD...   # run CMD on host a1
#
# Sourcing this file re-executes the calling script under
# `unshare -n -m -p -f --kill-child`: a network namespace of its own (nothing
# it sends can reach a real interface), a private mount namespace with a
# tmpfs on /run/netns (the `ip netns` names of the hosts exist only there)
# and a PID namespace in which the script is PID 1.  When the script ends,
# however it ends (even SIGKILL of the outer unshare), the kernel kills every
# process started in the lab and the namespaces disappear with their last
# user: nothing is left behind.
#
# The hosts are network namespaces, each with one veth "eth0" whose peer
# "to-HOST" is a port of the LAN's bridge br-LAN in the lab's own namespace.
# The bridges snoop IGMPv3/MLDv2 and are queriers, so they forward a group
# only to ports that joined it (and to multicast-router ports).
#
# Results are TAP: lab_ok/lab_check print "ok"/"not ok" lines, lab_finish
# prints the plan and exits.  When the lab cannot be built (not root, no
# namespaces, a package missing) the script is skipped ("1..0 # SKIP"), or
# fails when CI=true: CI must never pass by skipping.  Programs that are not
# tests (the demo) set LAB_STRICT=1: then it always fails, with a message.

lab_bail () {
  if [ -n "${LAB_STRICT:-}" ]; then
    echo "lab: $*" >&2
    exit 1
  fi
  if [ "${CI:-}" = true ]; then
    echo "Bail out! $*"
    exit 1
  fi
  echo "1..0 # SKIP $*"
  exit 0
}

# COMMAND:PACKAGE pairs the caller needs; installed (Debian) when missing,
# before isolation: inside the lab there is no network.
lab_install_needs () {
  local need cmd pkg missing=()
  for need in ${LAB_NEEDS:-}; do
    cmd=${need%%:*}
    pkg=${need#*:}
    command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] \
      || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    return 1
  fi
  echo "# installing ${missing[*]}" >&2
  # tshark asks whether non-root users may capture: answer no, quietly
  echo "wireshark-common wireshark-common/install-setuid boolean false" \
    | debconf-set-selections 2>/dev/null
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get update -qq >&2 \
    && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq \
      --no-install-recommends "${missing[@]}" >&2
}

if [ -z "${MCTX_LAB_ISOLATED:-}" ]; then
  lab_install_needs \
    || lab_bail "missing packages for: ${LAB_NEEDS} (install them as root)"
  if ! unshare -n -m -p -f --kill-child --mount-proc true 2>/dev/null; then
    lab_bail "cannot create private network/mount/PID namespaces (needs root)"
  fi
  MCTX_LAB_ISOLATED=1 exec unshare -n -m -p -f --kill-child --mount-proc \
    --propagation private bash "$0" "$@"
fi

export PATH="$PATH:/usr/sbin:/sbin"
LAB_PIDS=()
LAB_TESTS=0
LAB_FAILS=0
LAB_HOSTS=()
LAB_WORK=

lab_cleanup () {
  local pid deadline
  trap - EXIT
  for pid in "${LAB_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null
  done
  deadline=$((SECONDS + 3))
  for pid in "${LAB_PIDS[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
      sleep 0.02
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  if [ -n "${MCTX_LAB_KEEP:-}" ]; then
    echo "# lab files kept in $LAB_WORK" >&2
  elif [ -n "$LAB_WORK" ]; then
    rm -rf "$LAB_WORK"
  fi
}

# the script is PID 1 here: signals without a handler would be ignored
trap 'exit 130' INT
trap 'exit 143' TERM
trap lab_cleanup EXIT

mkdir -p /run/netns
mount -t tmpfs -o mode=0755 lab-netns /run/netns || lab_bail "cannot mount /run/netns"
LAB_WORK=$(mktemp -d "${TMPDIR:-/tmp}/mctx-lab.XXXXXX") || lab_bail "mktemp failed"
# /sys as this network namespace sees it (interface counters of the ports)
mount -t sysfs lab-sys /sys || lab_bail "cannot mount /sys"
ip link set lo up
# no DAD: MLD reports need a usable link-local source at once, or the bridges
# ignore them; bridge ports themselves get no IPv6 (no stray traffic)
sysctl -q -w net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
  net.ipv6.conf.default.disable_ipv6=1 >/dev/null

# ---- results ----

lab_ok () {
  LAB_TESTS=$((LAB_TESTS + 1))
  if [ "$1" = 0 ]; then
    echo "ok $LAB_TESTS - $2"
  else
    echo "not ok $LAB_TESTS - $2"
    LAB_FAILS=$((LAB_FAILS + 1))
  fi
}

# lab_check "description" COMMAND...
lab_check () {
  local desc=$1
  shift
  "$@"
  lab_ok $? "$desc"
}

lab_finish () {
  echo "1..$LAB_TESTS"
  [ "$LAB_FAILS" -eq 0 ]
  exit
}

lab_die () {
  echo "Bail out! $*"
  exit 1
}

lab_run () {
  "$@" >"$LAB_WORK/run.log" 2>&1 || lab_die "'$*' failed: $(cat "$LAB_WORK/run.log")"
}

# ---- topology ----

# LAN letter -> number: a -> 1, b -> 2, ...
lab_lan_index () {
  printf '%d' $(($(printf '%d' "'$1") - 96))
}

# lab_addr HOST [-6]: a2 -> 10.1.0.12 (fd01::12); r on LAN x -> .1
lab_addr () {
  local host=$1 lan idx n
  lan=${host:0:1}
  n=${host:1}
  idx=$(lab_lan_index "$lan")
  if [ "${2:-}" = -6 ]; then
    echo "fd0$idx::$((10 + n))"
  else
    echo "10.$idx.0.$((10 + n))"
  fi
}

# lab_host NAME LAN N: host namespace NAME on bridge br-LAN, eth0 holding
# the addresses lab_addr gives
lab_host () {
  local name=$1 lan=$2 idx
  idx=$(lab_lan_index "$lan")
  lab_run ip netns add "$name"
  lab_run ip -n "$name" link set lo up
  # rp_filter off: test sources have no route back; no DAD (see above)
  lab_run ip netns exec "$name" sysctl -q -w net.ipv4.conf.all.rp_filter=0 \
    net.ipv4.conf.default.rp_filter=0 net.ipv6.conf.all.accept_dad=0 \
    net.ipv6.conf.default.accept_dad=0
  lab_run ip link add "to-$name" type veth peer name eth0 netns "$name"
  lab_run ip link set "to-$name" master "br-$lan" up
  lab_run ip -n "$name" addr add "$(lab_addr "$name")/24" dev eth0
  lab_run ip -n "$name" addr add "$(lab_addr "$name" -6)/64" dev eth0 nodad
  lab_run ip -n "$name" link set eth0 up
  LAB_HOSTS+=("$name")
}

# lab_bridge NAME: bridge br-NAME with IGMPv3/MLDv2 snooping and, unless
# LAB_QUERIER=0, the querier; lab_bridge_wait waits out the querier's start
# (LAB_BRIDGE_READY: when, in us; 0: no querier)
lab_bridge () {
  # querier on at once; a leave is noticed after 2 x 100 ms of
  # group-specific queries instead of 2 x 1 s, to keep tests short
  lab_run ip link add "br-$1" type bridge mcast_snooping 1 \
    mcast_igmp_version 3 mcast_mld_version 2 mcast_last_member_interval 10 \
    mcast_query_response_interval 10
  # the bridge needs a link-local address to be the MLD querier
  lab_run sysctl -q -w "net.ipv6.conf.br-$1.disable_ipv6=0"
  lab_run ip link set "br-$1" up
  # Enabling the querier arms a delay of one query response interval
  # (br_multicast_set_querier(): other_query.delay_timer) during which the
  # bridge still floods every group to every port, as if no querier existed.
  # Hence the short response interval (100 ms, set first), and the wait.
  LAB_BRIDGE_READY=0
  if [ "${LAB_QUERIER:-1}" = 1 ]; then
    lab_run ip link set "br-$1" type bridge mcast_querier 1
    LAB_BRIDGE_READY=$(( ${EPOCHREALTIME//[.,]/} + 150000 ))
  fi
}

# the kernel's timer cannot be read with iproute2 6.1: wait out its fixed
# length (bounded, 150 ms from the querier's start)
lab_bridge_wait () {
  while [ "${EPOCHREALTIME//[.,]/}" -lt "$LAB_BRIDGE_READY" ]; do
    sleep 0.02
  done
}

# lab_lan N [LAN]: bridge br-LAN (lab_bridge) and hosts LAN1..LANN.  With
# LAB_QUERIER=0 the bridge snoops but does not query (a router on the LAN
# does: lab-pim.sh)
lab_lan () {
  local n=$1 lan=${2:-a} i
  lab_bridge "$lan"
  for i in $(seq 1 "$n"); do
    lab_host "$lan$i" "$lan"
  done
  lab_bridge_wait
}

# lab_router [LAN_IN LAN_OUT]: namespace r with "lan-a" on br-a (10.1.0.1,
# fd01::1) and "lan-b" on br-b (10.2.0.1, fd02::1), forwarding on, running
# smcrouted; its bridge ports are permanent multicast-router ports (a router
# has no membership of its own, the bridge must still give it the traffic).
# Hosts get default routes through it.
lab_router () {
  local lan idx host
  lab_run ip netns add r
  lab_run ip -n r link set lo up
  lab_run ip netns exec r sysctl -q -w net.ipv4.ip_forward=1 \
    net.ipv6.conf.all.forwarding=1 net.ipv4.conf.all.rp_filter=0 \
    net.ipv4.conf.default.rp_filter=0 net.ipv6.conf.all.accept_dad=0 \
    net.ipv6.conf.default.accept_dad=0
  for lan in "${1:-a}" "${2:-b}"; do
    idx=$(lab_lan_index "$lan")
    lab_run ip link add "to-r-$lan" type veth peer name "lan-$lan" netns r
    lab_run ip link set "to-r-$lan" master "br-$lan" up
    lab_run bridge link set dev "to-r-$lan" mcast_router 2
    lab_run ip -n r addr add "10.$idx.0.1/24" dev "lan-$lan"
    lab_run ip -n r addr add "fd0$idx::1/64" dev "lan-$lan" nodad
    lab_run ip -n r link set "lan-$lan" up
    for host in "${LAB_HOSTS[@]}"; do
      [ "${host:0:1}" = "$lan" ] || continue
      lab_run ip -n "$host" route add default via "10.$idx.0.1"
      lab_run ip -n "$host" -6 route add default via "fd0$idx::1"
    done
  done
  : >"$LAB_WORK/smcroute.conf"
  lab_bg r "$LAB_WORK/smcrouted.log" smcrouted -n -l info \
    -f "$LAB_WORK/smcroute.conf" -u "$LAB_WORK/smcroute.sock" \
    -P "$LAB_WORK/smcroute.pid"
  lab_wait_cmd 5 smcroutectl -u "$LAB_WORK/smcroute.sock" show \
    || lab_die "smcrouted did not start: $(cat "$LAB_WORK/smcrouted.log")"
}

# lab_mroute SOURCE GROUP [IIF OIF]: a static (S,G) route in r, by default
# from LAN a to LAN b; returns once the kernel has it
lab_mroute () {
  local src=$1 grp=$2 iif=${3:-lan-a} oif=${4:-lan-b} fam=-4
  case $grp in *:*) fam=-6 ;; esac
  lab_run smcroutectl -u "$LAB_WORK/smcroute.sock" add "$iif" "$src" "$grp" "$oif"
  lab_wait_cmd 5 lab_grep_cmd "($src,$grp)" ip -n r $fam mroute show \
    || lab_die "route ($src,$grp) not installed: $(ip -n r $fam mroute show)"
}

# ---- processes ----

lab_exec () {
  local host=$1
  shift
  ip netns exec "$host" "$@"
}

# lab_bg HOST LOG CMD...: CMD on HOST in the background, stdout+stderr to
# LOG; pid in LAB_LAST_PID, stopped by lab_cleanup if still running.  CMD
# must flush what is waited on itself (no stdbuf: its LD_PRELOAD would come
# before the sanitizer runtime of a sanitized program)
lab_bg () {
  local host=$1 log=$2
  shift 2
  ip netns exec "$host" "$@" >"$log" 2>&1 &
  LAB_LAST_PID=$!
  LAB_PIDS+=("$LAB_LAST_PID")
}

# lab_wait_cmd SECONDS CMD...: polls CMD until it succeeds (bounded)
lab_wait_cmd () {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.02
  done
}

# lab_wait_log LOG REGEX SECONDS [PID]: until LOG matches (bounded; gives up
# early when PID has exited)
lab_wait_log () {
  local deadline=$((SECONDS + $3))
  until grep -q -E "$2" "$1" 2>/dev/null; do
    if [ -n "${4:-}" ] && ! kill -0 "$4" 2>/dev/null; then
      grep -q -E "$2" "$1" 2>/dev/null
      return
    fi
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.02
  done
}

# lab_wait_pid PID SECONDS: until PID exits (bounded), its status returned
lab_wait_pid () {
  local deadline=$((SECONDS + $2))
  while kill -0 "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 124
    sleep 0.02
  done
  wait "$1"
}

# lab_wait_peer PID SECONDS: like lab_wait_pid, but a receiver still running
# at the deadline is stopped with SIGTERM, so that it prints its counts
# (the test then reports what did arrive); fails in that case
lab_wait_peer () {
  lab_wait_pid "$1" "$2" && return 0
  kill -TERM "$1" 2>/dev/null
  lab_wait_pid "$1" 3
  return 1
}

# lab_grep_cmd PATTERN CMD...: CMD's output contains the fixed string
lab_grep_cmd () {
  local pat=$1
  shift
  "$@" 2>/dev/null | grep -q -F -- "$pat"
}

# ---- observation ----

# bridge multicast database of LAN
lab_mdb () {
  bridge mdb show dev "br-$1"
}

# lab_mdb_has LAN HOST GROUP [SOURCE]: HOST's port is in the database for
# GROUP (for SOURCE: an (S,G) entry)
lab_mdb_has () {
  local lan=$1 host=$2 grp=$3 src=${4:-}
  if [ -n "$src" ]; then
    lab_mdb "$lan" | grep -q -E "port to-$host grp $grp src $src( |$)"
  else
    lab_mdb "$lan" | grep -q -E "port to-$host grp $grp( |$)"
  fi
}

# lab_port_tx LAN-PORT-HOST: frames the bridge has sent to HOST's port
lab_port_tx () {
  cat "/sys/class/net/to-$1/statistics/tx_packets"
}

# lab_field LOG KEY: the value after "KEY " in a peer's report
lab_field () {
  awk -v k="$2" '$1 == k { print $2; exit }' "$1"
}

# lab_count LOG ADDR [TAG]: data packets a receiver counted from ADDR (with
# TAG), 0 if none
lab_count () {
  awk -v a="$2" -v t="${3:-}" '
    $1 == "source" && $2 == a && (t == "" || $4 == t) { n += $6 }
    END { print n + 0 }' "$1"
}

# lab_check_count "description" WANT LOG ADDR [TAG]: a TAP line, ok when the
# receiver's LOG counted WANT data packets from ADDR (with TAG); "{}" in the
# description stands for the count
lab_check_count () {
  local c
  c=$(lab_count "$3" "$4" "${5:-}")
  lab_check "${1//\{\}/$c}" [ "$c" -eq "$2" ]
}

# lab_capture_start PORT-HOST FILE: dumpcap on HOST's bridge port (both
# directions: what HOST sends, e.g. its reports, and what the bridge gives
# it); returns once dumpcap is capturing.  pid in LAB_CAPTURE_PID
lab_capture_start () {
  dumpcap -i "to-$1" -w "$2" >"$2.log" 2>&1 &
  LAB_CAPTURE_PID=$!
  LAB_PIDS+=("$LAB_CAPTURE_PID")
  lab_wait_log "$2.log" "^Capturing on" 10 "$LAB_CAPTURE_PID" \
    || lab_die "dumpcap did not start: $(cat "$2.log")"
}

# lab_mac HOST: MAC address of HOST's eth0
lab_mac () {
  ip -n "$1" -br link show eth0 | awk '{ print $3 }'
}

# lab_wait_reports FILE HOST REGEX SECONDS: polls (bounded) until a report line
# (of HOST's) in a running capture matches: dumpcap hands packets over in blocks that
# the kernel retires 250 ms after their first packet, and loses what has not
# been retired when it is stopped, so a capture is only stopped once it is
# seen to hold what the test looks for
lab_wait_reports () {
  local deadline=$((SECONDS + $4))
  # grep reads to the end: the report writer must not see a closed pipe
  until lab_reports "$1" "$2" | grep -E "$3" >/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.1
  done
}

# lab_capture_stop PID: dumpcap finishes its file on SIGTERM (background
# jobs of a script ignore SIGINT)
lab_capture_stop () {
  kill -TERM "$1" 2>/dev/null
  lab_wait_pid "$1" 10 >/dev/null 2>&1
}

# lab_reports FILE [HOST]: one line per group record of each IGMP/MLD report
# in a capture (only those HOST sent, if given): "igmpv3|mldv2 GROUP RECORD-TYPE SOURCES" (SOURCES comma
# separated, "-" for none), and "igmpv1|igmpv2|mldv1 GROUP - -" for the
# older reports, which cannot carry sources
lab_reports () {
  local from=
  # reports to 224.0.0.22 / ff02::16 are flooded to every port: keep HOST's
  [ -n "${2:-}" ] && from="eth.src == $(lab_mac "$2") && "
  tshark -r "$1" -Y "$from(igmp || icmpv6.type == 131 || icmpv6.type == 143)" \
    -T json 2>/dev/null | python3 -c '
import json, sys
def keep_all(pairs):
    # a report with several records repeats keys: keep every one
    out = {}
    for key, value in pairs:
        while key in out:
            key += "+"
        out[key] = value
    return out

try:
    packets = json.load(sys.stdin, object_pairs_hook=keep_all)
except ValueError:
    packets = []   # a capture still being written can end mid-packet

def records(node, key):
    """dicts holding a group record (key = its group address field)"""
    if isinstance(node, dict):
        if key in node:
            yield node
        for value in node.values():
            yield from records(value, key)
    elif isinstance(node, list):
        for value in node:
            yield from records(value, key)

def listed(record, field):
    """every value of field (repeated keys carry "+" suffixes)"""
    values = []
    for key, value in record.items():
        if key.rstrip("+") == field:
            values += value if isinstance(value, list) else [value]
    return ",".join(values) or "-"

for p in packets:
    layers = p["_source"]["layers"]
    igmp = layers.get("igmp")
    if isinstance(igmp, dict):
        kind = igmp.get("igmp.type")
        if kind == "0x22":
            for r in records(igmp, "igmp.maddr"):
                print("igmpv3", r["igmp.maddr"], r.get("igmp.record_type", "-"),
                      listed(r, "igmp.saddr"))
        elif kind in ("0x12", "0x16"):
            print("igmpv1" if kind == "0x12" else "igmpv2",
                  igmp.get("igmp.maddr", "-"), "-", "-")
    icmp = layers.get("icmpv6")
    if isinstance(icmp, dict):
        if icmp.get("icmpv6.type") == "143":
            for r in records(icmp, "icmpv6.mldr.mar.multicast_address"):
                print("mldv2", r["icmpv6.mldr.mar.multicast_address"],
                      r.get("icmpv6.mldr.mar.record_type", "-"),
                      listed(r, "icmpv6.mldr.mar.source_address"))
        elif icmp.get("icmpv6.type") == "131":
            print("mldv1", icmp.get("icmpv6.mld.multicast_address", "-"), "-", "-")
'
}
