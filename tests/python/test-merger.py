#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""MctxMerger and MctxRedundantSubscription from Python (GObject
introspection). Run inside a private network namespace (meson runs it
under "unshare -n"): the receive part uses lo only. Prints TAP."""

import os
import subprocess
import sys

import gi
gi.require_version('Mctx', '0.1')
from gi.repository import GLib, Mctx  # noqa: E402

MS = 1000000
results = []


def check(name, cond):
    results.append((name, bool(cond)))


def rtp(seq):
    return GLib.Bytes.new(bytes([0x80, 96, seq >> 8, seq & 0xff]) + bytes(8))


# --- the core, scripted: leg 1 loses 3, leg 0 loses 5
m = Mctx.Merger.new(2)
events = []
m.connect('leg-state-changed', lambda _m, leg, up: events.append((leg, up)))
check('defaults', m.props.max_path_delay == 50 and m.props.leg_timeout == 500)
out = []
for seq in range(10):
    t = seq * MS
    for leg in (0, 1):
        if (leg, seq) in ((1, 3), (0, 5)):
            continue
        m.push_bytes(leg, rtp(seq), t + leg * MS)
    while True:
        b, leg = m.pop_bytes(t + 2 * MS)
        if b is None:
            break
        out.append(b.get_data()[3])
check('all delivered in order', out == list(range(10)))
st = m.get_stats()
check('stats', st.delivered == 10 and st.unrecoverable == 0)
ok, ls = m.get_leg_stats(1)
check('leg stats', ok and ls.received == 9 and ls.skew_mean_ns == MS)
check('non-RTP', m.push_bytes(0, GLib.Bytes.new(b'hello'), 0)
      == Mctx.MergerVerdict.NOT_RTP)
m.check_legs(10 * 1000 * MS)
check('leg-state-changed', events == [(0, False), (1, False)])

try:
    m.set_max_path_delay(2000)
    check('window out of range', False)
except GLib.Error as e:
    check('window out of range', 'max-path-delay 2000 ms' in e.message)

a = Mctx.Subscription.new('239.77.0.1', 5010)
try:
    Mctx.RedundantSubscription.new([a, a])
    check('same leg twice', False)
except GLib.Error as e:
    check('same leg twice', 'same subscription as leg 0' in e.message)

# --- over sockets on lo: two groups, the second leg loses every 4th
if os.environ.get('MCTX_IN_NETNS'):
    subprocess.run(['ip', 'link', 'set', 'lo', 'up', 'multicast', 'on'],
                   check=True)
    subprocess.run(['ip', 'route', 'add', '224.0.0.0/4', 'dev', 'lo'],
                   check=True)
    groups = ['239.77.0.1', '239.77.0.2']
    legs = [Mctx.Subscription.new(g, 5010) for g in groups]
    rs = Mctx.RedundantSubscription.new(legs)
    rs.open()
    pubs = [Mctx.Publication.new(g, 5010) for g in groups]
    for p in pubs:
        p.open()
    for seq in range(100):
        pkt = rtp(seq).get_data()
        pubs[0].send(pkt if seq % 4 != 1 else b'not rtp')
        if seq % 4 != 2:
            pubs[1].send(pkt)
    got = []
    while len(got) < 100:
        try:
            b, leg = rs.receive_bytes(2000000, None)
        except GLib.Error as e:
            print('# receive: %s' % e.message)
            break
        got.append(b.get_data()[3])
    check('merged over sockets', got == list(range(100)))
    ok, ls = rs.get_merger().get_leg_stats(0)
    check('non-RTP counted on leg 0', ls.non_rtp == 25)
    rs.close()

print('1..%d' % len(results))
for i, (name, ok) in enumerate(results, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
sys.exit(0 if all(ok for _, ok in results) else 1)
