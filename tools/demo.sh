#!/usr/bin/env bash
# The README's main command: installs dependencies, builds, runs the demo.
# The demo makes its own private network namespace (needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
if [ ! -f build/build.ninja ]; then
  meson setup build -Dtests=false >/dev/null
fi
ninja -C build >/dev/null
exec ./build/examples/mctx-demo "$@"
