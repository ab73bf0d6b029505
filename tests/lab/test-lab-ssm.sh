#!/usr/bin/env bash
# Source-specific multicast on a snooping bridge, IPv4 and IPv6: a1 and a2
# both send to one SSM group; a3 joins it for a1 only, a4 for both.  a3 gets
# only a1's datagrams, and the bridge itself keeps a2's stream off a3's port
# (its database holds (S,G) entries); the joins go out as IGMPv3/MLDv2
# reports naming the sources, seen on the wire with tshark.
#   MCTX_LAB_PEER=path/to/mctx-lab-peer bash test-lab-ssm.sh
LAB_NEEDS="tshark:tshark dumpcap:tshark"
source "$(dirname "$0")/lab-test.sh"

N=200

lab_lan 4

run () {
  local fam=$1 grp=$2 v= proto=igmpv3 old="igmpv[12]"
  if [ "$fam" = 6 ]; then v=-6; proto=mldv2; old=mldv1; fi
  local s1 s2
  s1=$(lab_addr a1 $v)
  s2=$(lab_addr a2 $v)

  # capture both receivers' ports from before their joins
  lab_capture_start a3 "$W/a3.$fam.pcap"
  local cap3=$LAB_CAPTURE_PID
  lab_capture_start a4 "$W/a4.$fam.pcap"
  local cap4=$LAB_CAPTURE_PID

  lab_bg a3 "$W/a3.$fam" "$peer" recv "$grp" 5000 --interface eth0 --sources "$s1" --ends 1
  local a3=$LAB_LAST_PID
  lab_bg a4 "$W/a4.$fam" "$peer" recv "$grp" 5000 --interface eth0 --sources "$s1,$s2" --ends 2
  local a4=$LAB_LAST_PID
  lab_wait_log "$W/a3.$fam" joined 5 "$a3" && lab_wait_log "$W/a4.$fam" joined 5 "$a4" \
    || lab_die "IPv$fam receivers did not start: $(cat "$W"/a[34]."$fam")"

  lab_check "IPv$fam: mdb has ($s1, $grp) for a3" \
    lab_wait_cmd 3 lab_mdb_has a a3 "$grp" "$s1"
  lab_check "IPv$fam: mdb has ($s1, $grp) and ($s2, $grp) for a4" \
    lab_wait_cmd 3 eval "lab_mdb_has a a4 '$grp' '$s1' && lab_mdb_has a a4 '$grp' '$s2'"
  ! lab_mdb_has a a3 "$grp" "$s2"
  lab_ok $? "IPv$fam: mdb has no ($s2, $grp) for a3"

  # the reports, as the hosts sent them
  lab_check "IPv$fam: a3 sent a $proto report for $grp naming $s1" \
    lab_wait_reports "$W/a3.$fam.pcap" a3 "^$proto $grp [0-9]+ $s1\$" 5
  # one join per source: one record per source, or one for both
  lab_check "IPv$fam: a4 sent $proto reports for $grp naming $s1 and $s2" \
    eval "lab_wait_reports '$W/a4.$fam.pcap' a4 '^$proto $grp [0-9]+ (.*,)?$s1(,.*)?\$' 5 \
      && lab_wait_reports '$W/a4.$fam.pcap' a4 '^$proto $grp [0-9]+ (.*,)?$s2(,.*)?\$' 5"
  lab_capture_stop "$cap3"
  lab_capture_stop "$cap4"
  lab_reports "$W/a3.$fam.pcap" a3 >"$W/a3.$fam.reports"
  lab_reports "$W/a4.$fam.pcap" a4 >"$W/a4.$fam.reports"
  sed 's/^/# a3: /' "$W/a3.$fam.reports" | grep -F " $grp "
  ! grep -F " $grp " "$W/a3.$fam.reports" | grep -q -F "$s2"
  lab_ok $? "IPv$fam: no report of a3 names $s2"
  ! grep -q -E "^$old " "$W/a3.$fam.reports" "$W/a4.$fam.reports"
  lab_ok $? "IPv$fam: no ${old} report (those cannot carry sources)"

  local before
  before=$(lab_port_tx a3)
  # a2 first: if anything of it reached a3, it would be counted before
  # a1's marker ends a3's run
  lab_exec a2 "$peer" send "$grp" 5000 --interface eth0 --source "$s2" --count $N --tag a2 --end \
    >"$W/send2.$fam" 2>&1
  lab_exec a1 "$peer" send "$grp" 5000 --interface eth0 --source "$s1" --count $N --tag a1 --end \
    >"$W/send1.$fam" 2>&1
  lab_wait_peer "$a3" 5
  lab_ok $? "IPv$fam: a3 got a1's marker and finished"
  lab_wait_peer "$a4" 5
  lab_ok $? "IPv$fam: a4 got both markers and finished"
  local d=$(($(lab_port_tx a3) - before))
  echo "# IPv$fam: frames the bridge sent to a3 while a1 and a2 each sent $((N + 1)): $d"
  [ "$d" -ge $((N + 1)) ] && [ "$d" -lt $((N + 10)) ]
  lab_ok $? "IPv$fam: the bridge forwarded a1's stream, not a2's, to a3 ($d frames)"

  lab_check_count "IPv$fam: a3 received {} of $N datagrams from a1" $N "$W/a3.$fam" "$s1"
  lab_check_count "IPv$fam: a3 received {} datagrams from a2" 0 "$W/a3.$fam" "$s2"
  lab_check_count "IPv$fam: a4 received {} of $N datagrams from a1" $N "$W/a4.$fam" "$s1"
  lab_check_count "IPv$fam: a4 received {} of $N datagrams from a2" $N "$W/a4.$fam" "$s2"
}

run 4 232.1.1.1
run 6 ff3e::1:1
lab_finish
