# Shell helpers shared by the test scripts (tests/python, tests/readme):
# sourced first thing, as  . "$(dirname "$0")/../test-lib.sh"
# SPDX-License-Identifier: LGPL-2.1-or-later

# fail_or_skip WHY: skipped (exit 77), or failed under CI=true
fail_or_skip() {
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
