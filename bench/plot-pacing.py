#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Inter-arrival histograms of bench-pacing (docs/benchmarks-pacing.csv).

usage: plot-pacing.py CSV PNG
One panel per stream; per sink, the share of datagrams whose gap to the one
before falls in each bin (8 bins a decade, 100 ns .. 1 s).
"""
import csv
import sys

import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

TITLES = {'raw': 'RTP raw video, 1600x900 UYVY 25 fps (~52k datagrams/s)',
          'ts': 'H.264 20 Mbit/s in MPEG-TS over RTP'}


def main():
    data = {}
    with open(sys.argv[1], newline='') as f:
        for row in csv.DictReader(f):
            d = data.setdefault(row['stream'], {}).setdefault(row['sink'], [])
            d.append((float(row['bin_low_ns']), int(row['count'])))
    streams = [s for s in ('raw', 'ts') if s in data]
    fig, axes = plt.subplots(len(streams), 1, figsize=(9, 3.6 * len(streams)),
                             squeeze=False)
    for ax, stream in zip(axes[:, 0], streams):
        for sink, bins in data[stream].items():
            total = sum(c for _, c in bins) or 1
            xs = [b for b, _ in bins]
            ys = [c / total for _, c in bins]
            ax.step(xs, ys, where='post', label=sink)
        ax.set_xscale('log')
        ax.set_xlim(100, 1e8)
        ax.set_xlabel('gap to the previous datagram at the receiver (ns)')
        ax.set_ylabel('share of datagrams')
        ax.set_title(TITLES.get(stream, stream))
        ax.legend(fontsize='small')
        ax.grid(True, which='both', alpha=0.3)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=90)


if __name__ == '__main__':
    main()
