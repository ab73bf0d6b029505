#!/usr/bin/env bash
# Runs the benchmarks (bench/mctx-bench.c) and writes docs/benchmarks.md,
# docs/benchmarks.csv and docs/benchmarks.png, then the paced-sending section
# (tools/bench-pacing.sh).
#
#   tools/bench.sh            full run, about 4 minutes on 2 cores
#   tools/bench.sh --quick    about a minute
#
# Any other arguments go to mctx-bench (see build-bench/bench/mctx-bench
# --help). Needs root: the program moves itself into a private network
# namespace with only lo, so nothing leaves the machine.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "bench: needs root (private network namespace, SO_RCVBUFFORCE)" >&2
  exit 1
fi

bash tools/install-deps.sh

# the plot: matplotlib from Debian, for the system python
if ! /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
  echo "bench: installing python3-matplotlib for the plot"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends \
      python3-matplotlib >/dev/null; } \
    || echo "bench: could not install python3-matplotlib; no plot" >&2
fi

dir=build-bench
if [ ! -f "$dir/build.ninja" ]; then
  meson setup "$dir" -Dbenchmarks=true -Dtests=false --buildtype=release \
    >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; exit 1; }
fi
ninja -C "$dir" >/dev/null
if [ ! -x "$dir/bench/mctx-bench" ]; then
  echo "bench: $dir/bench/mctx-bench not built: meson.build needs" \
    "\"if get_option('benchmarks') subdir('bench') endif\"" >&2
  exit 1
fi

# the plugin of this build tree
export GST_PLUGIN_PATH="$PWD/$dir/gst"

"$dir/bench/mctx-bench" --output docs/benchmarks.md \
  --csv docs/benchmarks.csv "$@"
# the ST 2022-7 merge's cost, a section of its own
"$dir/bench/bench-merge" --markdown >>docs/benchmarks.md

if /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
  /usr/bin/python3 bench/plot.py docs/benchmarks.csv docs/benchmarks.png \
    && echo "wrote docs/benchmarks.png"
fi

# paced sending from real pipelines: its own section of docs/benchmarks.md
# (mctx-bench rewrote the file above, so the section is written again)
bash tools/bench-pacing.sh
