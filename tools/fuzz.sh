#!/usr/bin/env bash
# Runs every libFuzzer target (one per directory of fuzz/corpus/) for a
# bounded time, SECONDS each (default 60), built with clang, ASan and UBSan,
# starting from the seed corpus in fuzz/corpus/.
#
#   tools/fuzz.sh [SECONDS]
#
# New interesting inputs stay in a scratch copy (the tree's corpus is not
# changed); a crash, leak, UBSan report or timeout is written to
# build-fuzz/crash-* etc. and makes the script fail after all targets ran.
# Reproduce one with: build-fuzz/fuzz/fuzz-NAME-libfuzzer FILE
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
bash tools/install-deps.sh

# clang and its libFuzzer runtime (libclang-rt-14-dev on Debian 12)
if ! command -v clang >/dev/null ||
   [ ! -f "$(clang -print-resource-dir 2>/dev/null)/lib/linux/libclang_rt.fuzzer-$(uname -m).a" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq clang libclang-rt-14-dev >/dev/null
fi

if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang meson setup build-fuzz -Dfuzzing=true -Dgst=auto \
    -Dintrospection=disabled -Db_sanitize=address,undefined -Db_lundef=false \
    >build-fuzz.setup.log 2>&1 || { cat build-fuzz.setup.log; exit 1; }
else
  # an older build-fuzz may have been set up without GStreamer (uri target)
  meson configure build-fuzz -Dfuzzing=true -Dgst=auto >/dev/null
fi

targets=()
for t in fuzz/corpus/*/; do
  targets+=("$(basename "$t")")
done
ninja -C build-fuzz $(printf 'fuzz/fuzz-%s-libfuzzer ' "${targets[@]}") >/dev/null

export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1"
failed=()
for name in "${targets[@]}"; do
  work=$(mktemp -d)
  cp fuzz/corpus/"$name"/* "$work"/
  echo "fuzz-$name: ${secs}s"
  log=build-fuzz/fuzz-"$name".log
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: runaway
  # allocation is a bug too
  if ./build-fuzz/fuzz/fuzz-"$name"-libfuzzer -max_total_time="$secs" \
      -max_len=512 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix=build-fuzz/ "$work" >"$log" 2>&1; then
    tail -1 "$log"
  else
    tail -40 "$log"
    failed+=("$name")
  fi
  rm -rf "$work"
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]} (inputs in build-fuzz/)"
  exit 1
fi
echo "fuzzing: ${#targets[@]} targets, ${secs}s each, nothing found"
