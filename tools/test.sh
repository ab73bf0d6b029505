#!/usr/bin/env bash
# The README's test command: installs dependencies, builds, and runs every
# test twice: a normal build, then AddressSanitizer + UBSan.
# Each test binary makes its own private network namespace (needs root).
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

bash tools/install-deps.sh || exit 1

passed=0; failed=0; skipped=0
count_results() {
  # testlog.json has one JSON object per test
  local log="$1/meson-logs/testlog.json"
  [ -f "$log" ] || return
  local p f s
  p=$(grep -c '"result": "OK"' "$log" || true)
  f=$(grep -c -E '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log" || true)
  s=$(grep -c '"result": "SKIP"' "$log" || true)
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
}

run_suite() {
  local dir="$1"; shift
  echo "=== build $dir ($*)"
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" -Dtests=true "$@" >"$dir.setup.log" 2>&1 \
      || { cat "$dir.setup.log"; failed=$((failed + 1)); return; }
  fi
  if ! ninja -C "$dir" >"$dir.build.log" 2>&1; then
    tail -50 "$dir.build.log"; failed=$((failed + 1)); return
  fi
  echo "=== test $dir"
  meson test -C "$dir" --print-errorlogs --num-processes 2 \
    --timeout-multiplier "${MCTX_TIMEOUT_MULTIPLIER:-1}"
  count_results "$dir"
}

run_suite build-test --buildtype=debugoptimized

# Sanitizers: GStreamer's plugin scanner is not built with ASan, so scan
# in-process; GLib/GStreamer keep one-time allocations, so leak checks are
# left to the libmctx tests (LSan) and valgrind.
export GST_REGISTRY_FORK=no
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
MCTX_TIMEOUT_MULTIPLIER=3 run_suite build-asan --buildtype=debug \
  -Db_sanitize=address,undefined -Db_lundef=false

# Each libFuzzer target for a bounded time (clang, ASan+UBSan), from the
# seed corpus; longer runs: tools/fuzz.sh SECONDS
echo "=== fuzz"
if bash tools/fuzz.sh 15; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
