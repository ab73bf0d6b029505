#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Plots mctx-monitor's per-interval CSV: rate and loss over time per stream.

usage: mctx-monitor-plot CSV PNG
CSV columns: time,stream,packets,bitrate_bps,lost (cumulative packets/lost).
"""
import csv
import sys

import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    series = {}
    with open(argv[1], newline='') as f:
        for row in csv.DictReader(f):
            s = series.setdefault(row['stream'], {'t': [], 'rate': [], 'lost': []})
            s['t'].append(float(row['time']))
            s['rate'].append(int(row['bitrate_bps']) / 1e6)
            s['lost'].append(int(row['lost']))
    fig, (ax1, ax2) = plt.subplots(2, 1, sharex=True, figsize=(9, 6))
    for name, s in sorted(series.items()):
        ax1.plot(s['t'], s['rate'], label=name)
        ax2.plot(s['t'], s['lost'], label=name)
    ax1.set_ylabel('rate (Mbit/s)')
    ax2.set_ylabel('lost (cumulative)')
    ax2.set_xlabel('time (s)')
    ax1.set_title('mctx-monitor')
    if series:
        ax1.legend(fontsize='small')
    else:
        ax1.text(0.5, 0.5, 'no data', ha='center', transform=ax1.transAxes)
    ax1.grid(True)
    ax2.grid(True)
    fig.tight_layout()
    fig.savefig(argv[2])
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
