#!/usr/bin/env bash
# Runs the Python examples (examples/python/) in a private network namespace
# and checks what they print.  The examples themselves are plain user
# programs: the isolation, interfaces and sysctls are set up here.
#   usage: test-python-examples.sh EXAMPLES_DIR SCENARIO
#   scenarios: send-receive, would-block, asyncio, mctxsrc-stats, sap
# meson sets GI_TYPELIB_PATH, LD_LIBRARY_PATH, GST_PLUGIN_PATH, PYTHON.
set -uo pipefail
. "$(dirname "$0")/../test-lib.sh"
mctx_enter_netns "$0" "$@"

examples=$(realpath "$1")
scenario=$2
py=${PYTHON:-/usr/bin/python3}
"$py" -c 'import gi' 2>/dev/null || fail_or_skip "$py cannot import gi (python3-gi)"

work=$(mktemp -d)
trap 'kill -KILL $(jobs -p) 2>/dev/null; [ -n "${MCTX_KEEP:-}" ] || rm -rf "$work"' EXIT

mctx_lo_multicast

# veth pair $1 <-> $2, $3 on $1, $4 on $2; both up with MULTICAST.  The
# sender's own address comes back over the peer: accept_local + no rp_filter.
veth() {
  ip link add "$1" type veth peer name "$2"
  ip addr add "$3" dev "$1"
  ip addr add "$4" dev "$2"
  for i in "$1" "$2"; do
    echo 0 > /proc/sys/net/ipv4/conf/$i/rp_filter
    echo 1 > /proc/sys/net/ipv4/conf/$i/accept_local
    echo 0 > /proc/sys/net/ipv6/conf/$i/accept_dad
    ip link set "$i" up multicast on
  done
}

# run NAME ARGS...: the example, stdout+stderr in $work/NAME.log, bounded
run() {
  local name=$1; shift
  echo "# $name: $*"
  timeout 30 "$py" "$examples/$@" > "$work/$name.log" 2>&1
  local rc=$?
  sed 's/^/#   /' "$work/$name.log"
  return $rc
}

# start NAME ARGS...: the same in the background; $! in $bg
start() {
  local name=$1; shift
  echo "# $name (background): $*"
  timeout 30 "$py" "$examples/$@" > "$work/$name.log" 2>&1 &
  bg=$!
}

# finish PID NAME: wait for a background example, show its output, its status
finish() {
  wait "$1"
  local rc=$?
  sed 's/^/#   /' "$work/$2.log"
  return $rc
}

# wait_for NAME REGEX SECONDS PID: bounded poll until the log matches
wait_for() { wait_for_file "$work/$1.log" "$2" "$3" "$4"; }

# ifindex NAME (sysfs still shows the host's interfaces: ask ip)
ifindex() { ip -o link show "$1" | cut -d: -f1; }

# count NAME REGEX: matching lines in the log
count() { grep -c -E "$2" "$work/$1.log"; }

case $scenario in
send-receive)
  # v0 sends as 10.5.0.1 (and 10.5.0.3); v1 receives source-specific
  veth v0 v1 10.5.0.1/24 10.5.0.2/24
  ip addr add 10.5.0.3/24 dev v0
  start recv mctx-receive.py --group 232.5.5.5 --port 5005 --interface v1 \
    --sources 10.5.0.1 --count 3 --timeout 10
  rpid=$bg
  check "receiver joined on v1" "wait_for recv '^joined 232.5.5.5:5005 on v1$' 10 $rpid"
  # another source first: SSM must keep it out, so the receiver's three
  # datagrams can only be the second sender's
  run other mctx-send.py --group 232.5.5.5 --port 5005 --source 10.5.0.3 \
    --interface v0 --count 2 --message other
  run send mctx-send.py --group 232.5.5.5 --port 5005 --source 10.5.0.1 \
    --interface v0 --count 3 --message hello
  check "sender exits 0" "[ $? -eq 0 ]"
  check "announce tuple is (source, group, port)" \
    "grep -q -x 'announce source=10.5.0.1 group=232.5.5.5 port=5005' $work/send.log"
  check "effective interface is v0" \
    "grep -q -x 'interface-index $(ifindex v0)' $work/send.log"
  check "three send reports with source, local address and destination" \
    "[ \$(count send '^sent 7 bytes from 10\.5\.0\.1 \(local 10\.5\.0\.1:[1-9][0-9]*\) to 232\.5\.5\.5:5005$') -eq 3 ]"
  check "sender stats" \
    "grep -q -x 'stats packets-sent=3 bytes-sent=21 would-block=0 send-errors=0' $work/send.log"
  finish $rpid recv
  check "receiver exits 0" "[ $? -eq 0 ]"
  for i in 0 1 2; do
    check "datagram $i with sender, destination, interface, timestamp" \
      "grep -q -E \"^received 7 bytes from 10\.5\.0\.1:[0-9]+ to 232\.5\.5\.5 on v1 \(index $(ifindex v1)\) at [1-9][0-9]{18} ns: 'hello $i'\$\" $work/recv.log"
  done
  check "nothing from the other source" "! grep -q other $work/recv.log"
  check "receiver stats" \
    "grep -q -E '^stats packets-received=3 bytes-received=21 kernel-drops=0 filtered=0$' $work/recv.log"
  # IPv6 source-specific (ff3x::/32), the same way
  ip -6 addr add fd05::1/64 dev v0 nodad
  ip -6 addr add fd05::2/64 dev v1 nodad
  start recv6 mctx-receive.py --group ff35::8000:5 --port 5005 --interface v1 \
    --sources fd05::1 --count 2 --timeout 10
  rpid=$bg
  check "IPv6 receiver joined on v1" "wait_for recv6 '^joined ff35::8000:5:5005 on v1$' 10 $rpid"
  run send6 mctx-send.py --group ff35::8000:5 --port 5005 --source fd05::1 \
    --interface v0 --count 2 --message hello
  check "IPv6 announce tuple" \
    "grep -q -x 'announce source=fd05::1 group=ff35::8000:5 port=5005' $work/send6.log"
  check "IPv6 send reports" \
    "[ \$(count send6 '^sent 7 bytes from fd05::1 \(local \[fd05::1\]:[1-9][0-9]*\) to \[ff35::8000:5\]:5005$') -eq 2 ]"
  finish $rpid recv6
  check "IPv6 receiver exits 0" "[ $? -eq 0 ]"
  check "IPv6 datagrams with sender, destination, interface" \
    "[ \$(count recv6 \"^received 7 bytes from \\[fd05::1\\]:[0-9]+ to ff35::8000:5 on v1 \\(index $(ifindex v1)\\) at [1-9][0-9]{18} ns: 'hello [01]'\$\") -eq 2 ]"

  # errors are GLib.Error with the library's domain and code
  run bad mctx-send.py --group 239.1.1.1 --interface nope0
  check "unknown interface: exit 1" "[ $? -eq 1 ]"
  check "unknown interface: Mctx.Error.INTERFACE_NOT_FOUND caught" \
    "grep -q \"^no such interface: .*'nope0'\" $work/bad.log"
  ;;

would-block)
  # w0 drains at 1 Mbit/s: a 4 kB send buffer fills at once
  veth w0 w1 10.6.0.1/24 10.6.0.2/24
  tc qdisc add dev w0 root tbf rate 1mbit burst 10kb latency 1s
  run wb mctx-would-block.py --interface w0 --count 100 --size 1200
  check "exits 0" "[ $? -eq 0 ]"
  check "would-block caught as g-io-error-quark WOULD_BLOCK" \
    "grep -q -E '^would-block at datagram [0-9]+: g-io-error-quark code=27 \(would-block\)$' $work/wb.log"
  n=$(count wb '^would-block at')
  check "all 100 sent after $n waits (> 0)" \
    "grep -q -E '^sent 100 datagrams, would-block $n times; stats packets-sent=100 would-block=$n$' $work/wb.log && [ $n -gt 0 ]"
  ;;

asyncio)
  veth w0 w1 10.7.0.1/24 10.7.0.2/24
  tc qdisc add dev w0 root tbf rate 1mbit burst 10kb latency 1s
  start recv mctx-asyncio-receive.py --group 239.7.7.7 --port 5007 \
    --interface w1 --count 100 --timeout 20
  rpid=$bg
  check "receiver joined" "wait_for recv '^joined' 10 $rpid"
  run send mctx-asyncio-send.py --group 239.7.7.7 --port 5007 \
    --source 10.7.0.1 --interface w0 --count 100 --size 1200 \
    --send-buffer-size 4096
  check "sender exits 0" "[ $? -eq 0 ]"
  waited=$(sed -n -E 's/.*awaited writability ([0-9]+) times.*/\1/p' "$work/send.log")
  check "sender awaited writability (${waited:-?} times, > 0)" "[ ${waited:-0} -gt 0 ]"
  ticks=$(sed -n -E 's/.*the loop ticked ([0-9]+) times.*/\1/p' "$work/send.log")
  check "the event loop ran meanwhile (${ticks:-?} ticks, > 1)" "[ ${ticks:-0} -gt 1 ]"
  check "sender stats count the refusals" \
    "grep -q -E '^stats packets-sent=100 would-block=([0-9]+)$' $work/send.log"
  finish $rpid recv
  check "receiver exits 0" "[ $? -eq 0 ]"
  check "first datagram's metadata" \
    "grep -q -x 'first datagram from 10.7.0.1 to 239.7.7.7 on w1' $work/recv.log"
  check "all 100 received, none dropped" \
    "grep -q -E '^received 100 datagrams in [0-9.]+ s \(kernel timestamps\); stats packets-received=100 kernel-drops=0 filtered=0$' $work/recv.log"
  ;;

sap)
  veth s0 s1 10.9.0.1/24 10.9.0.2/24
  printf 'v=0\r\no=- 77 1 IN IP4 10.9.0.1\r\ns=py session\r\nt=0 0\r\nm=video 5004 RTP/AVP 96\r\nc=IN IP4 239.255.9.9/1\r\na=rtpmap:96 VP8/90000\r\n' > "$work/s.sdp"
  start list mctx-sap.py list --interface s1 --json --duration 20
  lpid=$bg
  check "listener started" "wait_for list '^listening$' 10 $lpid"
  run ann mctx-sap.py announce --sdp "$work/s.sdp" --interface s0 \
    --interval 1 --duration 2.5
  check "announcer exits 0" "[ $? -eq 0 ]"
  check "announcer sent announcements and the deletion" \
    "grep -q -E '^stopped after [3-9] packets$' $work/ann.log"
  check "session added, with its fields, as JSON" \
    "wait_for list '^\{\"event\":\"added\",\"session\":\{\"name\":\"py session\",\"origin\":\"- 77 1 IN IP4 10.9.0.1\",\"origin-source\":\"10.9.0.1\",\"group\":\"239.255.9.9\",\"port\":5004,' 10 $lpid"
  check "session removed by the deletion" \
    "wait_for list '^\{\"event\":\"removed\",\"session\":\{\"name\":\"py session\"' 10 $lpid"
  # to the example itself: timeout(1) forwarding SIGINT to its process
  # group made the status a race (130) on a loaded machine
  pkill -INT -P $lpid || kill -INT $lpid
  finish $lpid list
  rc=$?
  check "listener exits 0 (status $rc) with an empty table" \
    "[ $rc -eq 0 ] && grep -q -x 'sessions \[\]' $work/list.log"
  ;;

mctxsrc-stats)
  veth m0 m1 10.8.0.1/24 10.8.0.2/24
  # runs until interrupted (bounded by its own --duration as a safety net)
  start stats mctxsrc-stats.py --group 239.8.8.8 --port 5008 --interface m1 \
    --duration 20
  spid=$bg
  check "mctxsrc playing" "wait_for stats '^receiving$' 10 $spid"
  run send mctx-send.py --group 239.8.8.8 --port 5008 --interface m0 \
    --count 5 --message stats
  check "sender exits 0" "[ $? -eq 0 ]"
  # the once-a-second line that counts all five, then Ctrl-C
  check "a stats line counts the 5 datagrams" \
    "wait_for stats '^stats packets-received=5 bytes-received=35 kernel-drops=0 filtered=0 truncated=0 interface-changes=0$' 10 $spid"
  kill -INT $spid
  finish $spid stats
  check "exits 0 on SIGINT" "[ $? -eq 0 ]"
  check "final stats after stopping" \
    "grep -q -x 'final packets-received=5 bytes-received=35 kernel-drops=0 filtered=0 truncated=0 interface-changes=0' $work/stats.log"
  check "no errors or warnings" "! grep -q -E '^(error|warning):' $work/stats.log"
  ;;

*)
  echo "unknown scenario $scenario"; exit 2 ;;
esac

[ $fails -eq 0 ]
