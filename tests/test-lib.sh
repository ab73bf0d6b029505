# Shell helpers shared by the test scripts (tests/python, tests/readme):
# sourced first thing, as  . "$(dirname "$0")/../test-lib.sh"
# SPDX-License-Identifier: LGPL-2.1-or-later

# fail_or_skip WHY: skipped (exit 77), or failed under CI=true; in a TAP
# script (tap_isolate) a TAP skip of the whole script, or a bail out
fail_or_skip() {
  if [ -n "${MCTX_TAP:-}" ]; then
    if [ "${CI:-}" = true ]; then echo "Bail out! $*"; exit 1; fi
    echo "1..0 # SKIP $*"; exit 0
  fi
  if [ "${CI:-}" = true ]; then echo "FAIL: $1"; exit 1; fi
  echo "SKIP: $1"; exit 77
}

# mctx_enter_netns SCRIPT ARGS...: runs the script again in a private
# network namespace, unless it already is in one
mctx_enter_netns() {
  [ -z "${MCTX_IN_NETNS:-}" ] || return 0
  unshare -n true 2>/dev/null \
    || fail_or_skip "cannot create a private network namespace (needs root)"
  MCTX_IN_NETNS=1 exec unshare -n bash "$@"
}

# lo up with MULTICAST and the IPv4 multicast route, rp_filter off
mctx_lo_multicast() {
  local c
  ip link set lo up multicast on
  ip route add 224.0.0.0/4 dev lo
  for c in all default lo; do
    echo 0 > /proc/sys/net/ipv4/conf/$c/rp_filter
  done
}

# check DESCRIPTION COMMAND: a TAP line for the command; failures counted
# in $fails
fails=0
check() {
  if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fails=$((fails + 1)); fi
}

# wait_for_file FILE REGEX SECONDS PID: bounded poll until FILE matches;
# fails when PID has exited or the time is up
wait_for_file() {
  local deadline=$((SECONDS + $3))
  until grep -q -E "$2" "$1" 2>/dev/null; do
    kill -0 "$4" 2>/dev/null || return 1
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.05
  done
}

# ---- TAP scripts (tests/monitor, tests/gst/test-mctxsrc-faults.sh) ----

# tap_isolate net|nft SCRIPT ARGS...: runs the script again in private
# namespaces, unless it already is in them. net: a network namespace;
# nft: network, mount and pid namespaces, and nft must be there
tap_isolate() {
  local what=$1
  shift
  MCTX_TAP=1
  if [ "$what" = net ]; then
    mctx_enter_netns "$@"
    return 0
  fi
  [ -z "${MCTX_TAP_ISOLATED:-}" ] || return 0
  command -v nft >/dev/null 2>&1 || [ -x /usr/sbin/nft ] || fail_or_skip "nft missing (tools/install-deps.sh)"
  unshare -n -m -p -f --kill-child --mount-proc true 2>/dev/null \
    || fail_or_skip "cannot create private namespaces (needs root)"
  MCTX_TAP_ISOLATED=1 exec unshare -n -m -p -f --kill-child --mount-proc \
    --propagation private bash "$@"
}

# tap_workdir PREFIX: W, a scratch directory removed at exit
tap_workdir() {
  W=$(mktemp -d "/tmp/$1.XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -rf '$W'" EXIT
}

# tap_start net|nft PREFIX VAR=ENV... -- SCRIPT ARGS...: the start of a TAP
# script: isolated (tap_isolate), /usr/sbin and /sbin in PATH, each VAR set
# to the program the environment variable ENV names (the script stops when
# ENV is unset), W a scratch directory (tap_workdir PREFIX)
tap_start() {
  local what=$1 prefix=$2 progs=() p env
  shift 2
  while [ "$1" != -- ]; do progs+=("$1"); shift; done
  shift
  tap_isolate "$what" "$@"
  export PATH="$PATH:/usr/sbin:/sbin"
  for p in "${progs[@]}"; do
    env=${p#*=}
    [ -n "${!env:-}" ] || { echo "$0: $env: set $env" >&2; exit 1; }
    printf -v "${p%%=*}" %s "${!env}"
  done
  tap_workdir "$prefix"
}

# tap_run_sender NAME EXT READY "SENDER ARGS" COMMAND...: COMMAND in the
# background (stdout in $W/NAME.EXT, stderr in $W/NAME.err); once its
# stderr says READY (bounded, 10 s; or COMMAND ended) the test sender $SND
# with SENDER ARGS (bounded, 30 s; output in $W/NAME.snd); RC is COMMAND's
# exit status
tap_run_sender() {
  local name=$1 ext=$2 ready=$3 sargs=$4 pid
  shift 4
  rm -f "$W/$name.err"
  "$@" >"$W/$name.$ext" 2>"$W/$name.err" &
  pid=$!
  wait_for_file "$W/$name.err" "$ready" 10 $pid
  # shellcheck disable=SC2086
  timeout 30 "$SND" $sargs >"$W/$name.snd" 2>&1 || echo "# sender failed: $(cat "$W/$name.snd")"
  wait $pid
  RC=$?
}

# tap_expect_drops SENT DROPS RECEIVED LOST DROPS-NAME RECEIVED-NAME LOST-NAME:
# the checks of a burst of SENT datagrams into a tiny receive buffer: the
# kernel dropped some, each one was received or dropped, and the drops are
# the stream's loss; the NAMEs are the counters' names in the TAP lines
tap_expect_drops() {
  local sent=$1 drops=$2 pk=$3 lost=$4 dn=$5 pn=$6 ln=$7
  [ "${drops:-0}" -gt 0 ] 2>/dev/null
  ok $? "drops: $dn > 0 (got $drops)"
  [ "$((pk + drops))" = "$sent" ] 2>/dev/null
  ok $? "drops: $pn + $dn = $sent (got $pk + $drops)"
  [ "$lost" = "$drops" ]
  ok $? "drops: $ln = $dn (got $lost, $drops)"
}

# ok STATUS DESCRIPTION: the next TAP line; failures counted in $FAILS
N=0
FAILS=0
ok() {
  N=$((N + 1))
  if [ "$1" -eq 0 ]; then echo "ok $N - $2"; else echo "not ok $N - $2"; FAILS=$((FAILS + 1)); fi
}

# fault_topology TABLE: sender -> s0 == s1 -(nft fwd/dup)-> r1 == r0, with
# 10.9.0.1 on s0 and 10.9.1.2 on r0; netdev table TABLE has chain sfw
# (s1's ingress, forwarding to r1) and chain rin (r0's ingress, for loss)
fault_topology() {
  local d
  ip link set lo up
  ip link add s0 type veth peer name s1
  ip link add r1 type veth peer name r0
  for d in s0 s1 r0 r1; do
    ip link set "$d" up multicast on
    sysctl -q -w "net.ipv4.conf.$d.rp_filter=0" "net.ipv4.conf.$d.accept_local=1"
  done
  sysctl -q -w net.ipv4.conf.all.rp_filter=0
  ip addr add 10.9.0.1/24 dev s0
  ip addr add 10.9.1.2/24 dev r0
  nft add table netdev "$1"
  nft add chain netdev "$1" sfw '{ type filter hook ingress device s1 priority 0; }'
  nft add chain netdev "$1" rin '{ type filter hook ingress device r0 priority 0; }'
  nft add rule netdev "$1" sfw fwd to r1
}

# fault_forward TABLE [RULE...]: s1's ingress chain of fault_topology made
# again: RULE (nft words) if given, then the forwarding to r1
fault_forward() {
  local t=$1
  shift
  nft flush chain netdev "$t" sfw
  [ $# -eq 0 ] || nft add rule netdev "$t" sfw "$@"
  nft add rule netdev "$t" sfw fwd to r1
}
