#!/usr/bin/env bash
# One sender, two receivers and a bystander on one snooping bridge, IPv4 and
# IPv6 any-source groups: the bridge's multicast database lists exactly the
# joined ports, the bridge forwards the group only to them (counted at each
# host's bridge port), each receiver gets every datagram, and a receiver
# that leaves (socket still open) stops getting traffic.
#   MCTX_LAB_PEER=path/to/mctx-lab-peer bash test-lab-snooping.sh
source "$(dirname "$0")/lab-test.sh"

N=200

lab_lan 4   # a1 sends, a2 and a3 receive, a4 only watches

# run FAMILY GROUP: the whole scenario for one address family
run () {
  local fam=$1 grp=$2 v=
  [ "$fam" = 6 ] && v=-6
  local src
  src=$(lab_addr a1 $v)

  # a2 stays for both bursts; a3 leaves after the first
  lab_bg a2 "$W/a2.$fam" "$peer" recv "$grp" 5000 --interface eth0 --ends 2
  local a2=$LAB_LAST_PID
  lab_bg a3 "$W/a3.$fam" "$peer" recv "$grp" 5000 --interface eth0 --ends 1 --leave
  local a3=$LAB_LAST_PID
  lab_wait_log "$W/a2.$fam" joined 5 "$a2" && lab_wait_log "$W/a3.$fam" joined 5 "$a3" \
    || lab_die "IPv$fam receivers did not start: $(cat "$W"/a[23]."$fam")"

  # the joins' reports reach the bridge within milliseconds
  lab_check "IPv$fam: mdb lists a2 for $grp" lab_wait_cmd 3 lab_mdb_has a a2 "$grp"
  lab_check "IPv$fam: mdb lists a3 for $grp" lab_wait_cmd 3 lab_mdb_has a a3 "$grp"
  lab_mdb a >"$W/mdb.$fam"
  ! lab_mdb_has a a1 "$grp" && ! lab_mdb_has a a4 "$grp"
  lab_ok $? "IPv$fam: mdb has no entry for the sender a1 or the bystander a4"

  local h before=()
  for h in a1 a2 a3 a4; do before+=("$(lab_port_tx "$h")"); done
  lab_exec a1 "$peer" send "$grp" 5000 --interface eth0 --count $N --tag first --end \
    >"$W/send1.$fam" 2>&1
  lab_ok $? "IPv$fam: a1 sent $N datagrams to $grp"
  lab_wait_log "$W/a3.$fam" '^left' 5 "$a3"
  lab_ok $? "IPv$fam: a3 got the marker and left the group"
  local d=()
  local i=0
  for h in a1 a2 a3 a4; do
    d+=($(($(lab_port_tx "$h") - before[i])))
    i=$((i + 1))
  done
  echo "# IPv$fam first burst, frames the bridge sent to a1..a4: ${d[*]}"
  # N data + 1 marker to each member.  Every port also gets the bridge's
  # IGMP/MLD queries (general ones, and group-specific ones after a leave):
  # a handful of frames, hence the margin of 10 (5% of a burst)
  [ "${d[1]}" -ge $((N + 1)) ] && [ "${d[1]}" -le $((N + 10)) ] \
    && [ "${d[2]}" -ge $((N + 1)) ] && [ "${d[2]}" -le $((N + 10)) ]
  lab_ok $? "IPv$fam: the bridge forwarded the burst to a2 and a3 (${d[1]}, ${d[2]} frames for $((N + 1)))"
  [ "${d[0]}" -lt 10 ] && [ "${d[3]}" -lt 10 ]
  lab_ok $? "IPv$fam: the bridge kept it from a1 and a4 (${d[0]}, ${d[3]} frames)"

  # IGMPv3/MLDv2 leave: the bridge's group-specific queries go unanswered,
  # and after 2 x 100 ms the port is out of the group
  lab_check "IPv$fam: a3's port left the mdb after its leave" \
    lab_wait_cmd 3 eval "! lab_mdb_has a a3 '$grp'"
  lab_check "IPv$fam: a2's port is still in the mdb" lab_mdb_has a a2 "$grp"

  before=()
  for h in a1 a2 a3 a4; do before+=("$(lab_port_tx "$h")"); done
  lab_exec a1 "$peer" send "$grp" 5000 --interface eth0 --count $N --tag second --end \
    >"$W/send2.$fam" 2>&1
  lab_wait_peer "$a2" 5
  lab_ok $? "IPv$fam: a2 got both markers and finished"
  kill -TERM "$a3"
  lab_wait_pid "$a3" 5
  d=()
  i=0
  for h in a1 a2 a3 a4; do
    d+=($(($(lab_port_tx "$h") - before[i])))
    i=$((i + 1))
  done
  echo "# IPv$fam second burst, frames the bridge sent to a1..a4: ${d[*]}"
  [ "${d[1]}" -ge $((N + 1)) ] && [ "${d[2]}" -lt 10 ]
  lab_ok $? "IPv$fam: after the leave the bridge sends the group to a2 (${d[1]}) and not a3 (${d[2]})"

  lab_check_count "IPv$fam: a2 received {} of $N first datagrams" $N "$W/a2.$fam" "$src" first
  lab_check_count "IPv$fam: a2 received {} of $N second datagrams" $N "$W/a2.$fam" "$src" second
  lab_check_count "IPv$fam: a3 received {} of $N first datagrams" $N "$W/a3.$fam" "$src" first
  local c
  c=$(lab_field "$W/a3.$fam" after-leave)
  lab_check "IPv$fam: a3's socket got $c datagrams after leaving" [ "$c" = 0 ]
  [ "$(lab_field "$W/a2.$fam" kernel-drops)" = 0 ] \
    && [ "$(lab_field "$W/a3.$fam" kernel-drops)" = 0 ]
  lab_ok $? "IPv$fam: no kernel drops"
}

run 4 239.1.2.3
run 6 ff1e::1:2:3
lab_finish
