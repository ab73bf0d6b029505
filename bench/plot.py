#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Plots the medians of mctx-bench's CSV: plot.py RESULTS.csv OUT.png"""

import csv
import statistics
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SEND_PATHS = [
    ("udpsink", "udpsink\nsingle"),
    ("mctxsink", "mctxsink\nsingle"),
    ("udpsink-list", "udpsink\nlists 32"),
    ("mctxsink-list", "mctxsink\nlists 32"),
    ("libmctx", "libmctx\n32"),
    ("raw-send", "raw\nsend()"),
    ("raw-sendmmsg", "raw\nsendmmsg"),
    ("raw-gso", "raw\nGSO"),
]
RECV_PATHS = [
    ("udpsrc", "udpsrc"),
    ("mctxsrc", "mctxsrc"),
    ("mctxsrc-bytestream", "mctxsrc\nbyte stream"),
    ("mctxsrc-gro", "mctxsrc\ngro=true"),
    ("libmctx", "libmctx"),
    ("raw-recvmmsg", "raw\nrecvmmsg"),
]
STEADY_PATHS = [
    ("raw-recvmmsg", "raw\nrecvmmsg"),
    ("libmctx", "libmctx"),
    ("mctxsrc", "mctxsrc"),
    ("mctxsrc-bytestream", "mctxsrc\nbyte stream"),
    ("mctxsrc-noanalyse", "mctxsrc\nanalyse=false"),
    ("mctxsrc-gro", "mctxsrc\ngro=true"),
    ("udpsrc", "udpsrc"),
]
LAT_PATHS = [
    ("udp", "udpsink→\nudpsrc"),
    ("mctx", "mctxsink→\nmctxsrc"),
    ("udpsink-mctxsrc", "udpsink→\nmctxsrc"),
    ("mctxsink-udpsrc", "mctxsink→\nudpsrc"),
    ("raw", "raw→\nraw"),
]


def load(path):
    samples = defaultdict(list)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            key = (row["section"], row["size"], row["path"], row["metric"])
            samples[key].append(float(row["value"]))
    return {k: statistics.median(v) for k, v in samples.items()}


def bars(ax, groups, series, title, ylabel, log=False):
    """groups: x labels; series: [(label, [values or None])]"""
    n = len(series)
    width = 0.8 / n
    for i, (label, values) in enumerate(series):
        xs = [x + (i - (n - 1) / 2) * width for x in range(len(groups))]
        ys = [v if v is not None else 0 for v in values]
        ax.bar(xs, ys, width, label=label)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(groups, fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(ylabel, fontsize=9)
    if log:
        ax.set_yscale("log")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    m = load(sys.argv[1])
    fig, axes = plt.subplots(3, 2, figsize=(13, 12.5))

    def get(*key):
        return m.get(key)

    def kpps(v):
        return v / 1e3 if v is not None else None

    for ax, section, title, log in (
        (axes[0][0], "send", "Send to a joined receiver", False),
        (axes[0][1], "send-alone", "Send, sender alone (log scale)", True),
    ):
        bars(
            ax,
            [label for _, label in SEND_PATHS],
            [
                (f"{size} B", [kpps(get(section, size, p, "pps"))
                               for p, _ in SEND_PATHS])
                for size in ("1316", "188")
            ],
            title,
            "thousand packets/s",
            log,
        )

    bars(
        axes[1][0],
        [label for _, label in RECV_PATHS],
        [
            ("lossless rate",
             [kpps(get("recv", "1316", p, "lossless_pps")) for p, _ in RECV_PATHS]),
            ("burst: receive rate",
             [kpps(get("recv", "1316", p, "burst_recv_pps")) for p, _ in RECV_PATHS]),
        ],
        "Receive, 1316 B",
        "thousand packets/s",
    )

    bars(
        axes[1][1],
        [label for _, label in LAT_PATHS],
        [
            ("p50", [get("latency", "1316", p, "p50_us") for p, _ in LAT_PATHS]),
            ("p99", [get("latency", "1316", p, "p99_us") for p, _ in LAT_PATHS]),
        ],
        "Latency, push into the sink → downstream of the source",
        "µs",
    )

    def us(v):
        return v / 1e3 if v is not None else None

    bars(
        axes[2][0],
        [label for _, label in STEADY_PATHS],
        [
            (f"{rate // 1000}k pkt/s",
             [us(get("steady", str(rate), p, "cpu_ns")) for p, _ in STEADY_PATHS])
            for rate in (100000, 200000)
        ],
        "Receiving thread's CPU per datagram at a steady rate, 1316 B",
        "µs per datagram",
    )
    axes[2][1].axis("off")

    fig.suptitle("mctx-bench: medians (see benchmarks.md)", fontsize=11)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=90)


if __name__ == "__main__":
    main()
