#!/usr/bin/env bash
# Runs each libFuzzer target for a bounded time (default 60 s each) with
# clang, ASan and UBSan, starting from the seed corpus in fuzz/corpus/.
# New interesting inputs stay in a scratch copy; crashes are written to
# build-fuzz/ and make the script fail.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
bash tools/install-deps.sh
if ! command -v clang >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq clang libclang-rt-14-dev >/dev/null
fi
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang meson setup build-fuzz -Dfuzzing=true -Dgst=disabled \
    -Dintrospection=disabled -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
ninja -C build-fuzz >/dev/null
for t in fuzz/corpus/*; do
  name=$(basename "$t")
  work=$(mktemp -d)
  cp "$t"/* "$work"/
  echo "fuzz-$name: ${secs}s"
  (cd build-fuzz && ./fuzz/fuzz-"$name"-libfuzzer -max_total_time="$secs" \
    -max_len=512 "$work" 2>&1 | tail -2)
  rm -rf "$work"
done
