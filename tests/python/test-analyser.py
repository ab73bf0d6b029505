#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""MctxStreamAnalyser from Python (GObject introspection): RTP datagrams
sent and received on lo in a private network namespace, one left out and
one sent twice, are fed to the analyser; the stats say so, as boxed structs
and as a GVariant.  Re-executes itself under `unshare -n`."""

import os
import subprocess
import sys

if os.environ.get('MCTX_PY_ISOLATED') != '1':
    env = dict(os.environ, MCTX_PY_ISOLATED='1')
    try:
        r = subprocess.run(['unshare', '-n', sys.executable] + sys.argv,
                           env=env)
    except OSError as e:
        print('SKIP: %s' % e)
        sys.exit(77)
    sys.exit(r.returncode)

subprocess.run(['ip', 'link', 'set', 'lo', 'up', 'multicast', 'on'], check=True)
subprocess.run(['ip', 'route', 'add', '224.0.0.0/4', 'dev', 'lo'], check=True)

import gi  # noqa: E402
gi.require_version('Mctx', '0.1')
from gi.repository import Mctx  # noqa: E402

sub = Mctx.Subscription.new('239.7.7.7', 5004)
sub.props.interfaces = ['lo']
sub.open()
pub = Mctx.Publication.new('239.7.7.7', 5004)
pub.props.interface = 'lo'
pub.open()


def rtp(seq):
    hdr = bytes([0x80, 0, seq >> 8, seq & 0xff, 0, 0, (seq * 160) >> 8 & 0xff,
                 (seq * 160) & 0xff, 1, 2, 3, 4])
    return hdr + bytes(160)


sent = [0, 1, 2, 4, 4, 5]       # 3 missing, 4 twice
for s in sent:
    pub.send(rtp(s))

an = Mctx.StreamAnalyser.new(5004)
got = 0
while got < len(sent):
    if not sub.wait_readable(2000000, None):
        break
    data, info = sub.receive_bytes(2048)
    an.feed(info, data.get_data())
    got += 1

streams = an.get_streams()
fails = 0


def check(what, value, want):
    global fails
    ok = value == want
    fails += not ok
    print('%s %s: %r (want %r)' % ('ok' if ok else 'FAIL', what, value, want))


check('datagrams received', got, len(sent))
check('streams', len(streams), 1)
st = streams[0]
check('kind', st.kind, 'rtp')
check('packets', st.packets, 6)
check('lost', st.lost, 1)
check('duplicates', st.duplicates, 1)
check('ssrc', st.ssrc, 0x01020304)
check('clock rate (PT 0)', st.clock_rate, 8000)
check('port', st.port, 5004)
check('group', st.group, '239.7.7.7')
v = an.get_streams_variant().unpack()
check('variant lost', v[0]['lost'], 1)
check('variant kind', v[0]['kind'], 'rtp')
sys.exit(1 if fails else 0)
