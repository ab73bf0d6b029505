#!/usr/bin/env bash
# mctx-monitor --sap in a private network namespace: a MctxSapAnnouncer
# (mctx-test-sap-announcer) announces one session three times at a 1 s
# interval and then deletes it; --json must show it added with its name,
# origin, group, port and source, heard repeatedly, then removed; the
# table shows its row; bad argument combinations exit 2.
#   MCTX_MONITOR=... MCTX_TEST_SAP_ANNOUNCER=... bash test-monitor-sap.sh
set -u

# shellcheck source=../test-lib.sh
. "$(dirname "$0")/../test-lib.sh"
tap_start net mctx-monitor-sap MON=MCTX_MONITOR ANN=MCTX_TEST_SAP_ANNOUNCER -- "$0" "$@"

ip link set lo up multicast on
ip addr add 10.77.0.1/24 dev lo
ip route add 224.0.0.0/4 dev lo src 10.77.0.1

# --json: added, repeats, removed, final
"$MON" --sap --json --interface lo --duration 20 > "$W/out.json" 2> "$W/err" &
MP=$!
wait_for_file "$W/err" "listening for SAP" 10 $MP; ok $? "--sap --json starts listening"
"$ANN" "studio one" 239.255.42.1 5004 10.77.0.1 lo 1 3 > "$W/ann" 2>&1
ok $? "announcer ran ($(cat "$W/ann"))"
# the deletion ends the session: wait for it, bounded
wait_for_file "$W/out.json" session-removed 5 $MP
kill -INT $MP; wait $MP; RC=$?
ok $RC "--sap exits 0 on SIGINT (got $RC)"
python3 - "$W/out.json" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ev = [l['event'] for l in lines]
def check(cond, what):
    print('# ' + ('ok' if cond else 'NOT OK') + ': ' + what)
    return cond
added = [l['session'] for l in lines if l['event'] == 'session-added']
good = check(ev[:1] == ['session-added'], 'first event is session-added (%s)' % ev)
if added:
    s = added[0]
    good &= check(s['name'] == 'studio one' and s['group'] == '239.255.42.1'
                  and s['port'] == 5004 and s['source'] == '10.77.0.1'
                  and s['origin'].endswith('IN IP4 10.77.0.1')
                  and s['origin-source'] == '10.77.0.1',
                  'added session: name, group, port, source, origin (%s)' % s)
removed = [l for l in lines if l['event'] == 'session-removed']
good &= check(len(removed) == 1 and removed[0]['session']['announcements'] >= 3
              and removed[0]['sessions'] == [],
              'removed by the deletion after 3 announcements, none left')
if removed:
    iv = removed[0]['session']['interval-ms']
    good &= check(600 <= iv <= 2000, 'measured interval %d ms near 1 s' % iv)
good &= check(ev[-1] == 'final' and lines[-1]['sessions'] == [], 'final line, empty')
sys.exit(0 if good else 1)
PY
ok $? "--json lines"

# the table: a row with the session's fields while it is announced
"$MON" --sap --interface lo --duration 20 --interval 0.1 > "$W/out.txt" 2> "$W/err2" &
MP=$!
wait_for_file "$W/err2" "listening for SAP" 10 $MP; ok $? "--sap (table) starts listening"
"$ANN" "table row" 239.255.42.2 5006 10.77.0.1 lo 1 2 > /dev/null 2>&1
kill -INT $MP; wait $MP
grep -E "^table row +10\.77\.0\.1 +239\.255\.42\.2 +5006 +10\.77\.0\.1 " "$W/out.txt" > /dev/null
ok $? "table row: name, origin, group, port, source"

# bad combinations
"$MON" --sap 239.1.1.1 > /dev/null 2> "$W/bad1"; RC=$?
ok $((RC != 2)) "--sap with a STREAM: exit 2 (got $RC: $(cat "$W/bad1"))"
"$MON" --sap-group 239.195.255.255 239.1.1.1 > /dev/null 2> "$W/bad2"; RC=$?
ok $((RC != 2)) "--sap-group without --sap: exit 2 (got $RC)"
"$MON" --sap --interface nosuch0 --duration 1 > /dev/null 2> "$W/bad3"; RC=$?
grep -q nosuch0 "$W/bad3"
ok $((RC != 2 || $? != 0)) "--sap --interface nosuch0: exit 2 naming it ($(cat "$W/bad3"))"

echo "1..$N"
[ "$FAILS" -eq 0 ]
