#!/usr/bin/env bash
# Valgrind memcheck of the libmctx tests and the GStreamer element tests,
# in a non-sanitized debug build (build-valgrind/).  Fails on any memory
# error and on any definite leak that the suppressions do not explain.
#
#   tools/valgrind.sh [TEST-NAME...]     (default: suites mctx, gst, fuzz)
#
# Suppressions: GLib's own (/usr/share/glib-2.0/valgrind/glib.supp) and
# tests/valgrind/gst.supp (GStreamer's one-time allocations; Debian ships
# no GStreamer suppression file).  Logs: build-valgrind/valgrind-NAME.log.
# Slow (every test runs 20-50 times slower): not part of tools/test.sh.
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
dir=build-valgrind

bash tools/install-deps.sh || exit 1
if ! command -v valgrind >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq valgrind >/dev/null || exit 1
fi

if [ ! -f $dir/build.ninja ]; then
  meson setup $dir --buildtype=debug -Dtests=true -Db_sanitize=none \
    -Dintrospection=disabled >$dir.setup.log 2>&1 \
    || { cat $dir.setup.log; exit 1; }
fi
ninja -C $dir >$dir.build.log 2>&1 || { tail -50 $dir.build.log; exit 1; }

supp=(--suppressions="$top/tests/valgrind/gst.supp")
[ -f /usr/share/glib-2.0/valgrind/glib.supp ] &&
  supp+=(--suppressions=/usr/share/glib-2.0/valgrind/glib.supp)

# the tests to run: C programs of the build (not the shell/python ones),
# with the environment meson gives them
mapfile -t tests < <(/usr/bin/python3 - "$dir" "$@" <<'EOF'
import json, os, sys
build, wanted = sys.argv[1], sys.argv[2:]
for t in json.load(open(os.path.join(build, 'meson-info', 'intro-tests.json'))):
    exe = t['cmd'][0]
    suites = [s.split(':')[-1] for s in t['suite']]
    if wanted:
        if t['name'] not in wanted:
            continue
    elif not set(suites) & {'mctx', 'gst', 'fuzz'} or '/tests/' not in exe \
            and '/fuzz/' not in exe:
        continue
    if not os.path.abspath(exe).startswith(os.path.abspath(build)):
        continue
    env = t['env'] if isinstance(t['env'], dict) else \
        dict(e.split('=', 1) for e in t['env'])
    envs = ' '.join('%s=%s' % kv for kv in env.items() if kv[0] != 'ASAN_OPTIONS')
    print('|'.join([t['name'], envs, ' '.join([exe] + t['cmd'][1:])]))
EOF
)
[ "${#tests[@]}" -gt 0 ] || { echo "no tests selected"; exit 1; }

# gst-check: no fork (valgrind follows one process), no slice allocator,
# GLib clears freed memory so stale pointers show
export CK_FORK=no G_SLICE=always-malloc G_DEBUG=gc-friendly
# plugin scanning in-process under valgrind takes minutes: fill each test's
# registry first, outside valgrind
export GST_REGISTRY_FORK=no

passed=0; failed=()
for line in "${tests[@]}"; do
  IFS='|' read -r name envs cmd <<<"$line"
  reg=$(tr ' ' '\n' <<<"$envs" | sed -n 's/^GST_REGISTRY=//p')
  plug=$(tr ' ' '\n' <<<"$envs" | sed -n 's/^GST_PLUGIN_PATH=//p')
  if [ -n "$reg" ]; then
    GST_REGISTRY="$reg" GST_PLUGIN_PATH="$plug" gst-inspect-1.0 mctxsrc \
      >/dev/null 2>&1
  fi
  log=$dir/valgrind-$name.log
  start=$(date +%s)
  # shellcheck disable=SC2086
  env $envs timeout 1800 valgrind --tool=memcheck --leak-check=full \
    --show-leak-kinds=definite --errors-for-leak-kinds=definite \
    --error-exitcode=99 --num-callers=40 --gen-suppressions=all \
    --track-origins=yes "${supp[@]}" --log-file="$log" $cmd \
    >"$log.out" 2>&1
  rc=$?
  secs=$(($(date +%s) - start))
  errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -1)
  if [ $rc -eq 0 ]; then
    echo "ok    $name (${secs}s, ${errors:-?} errors)"
    passed=$((passed + 1))
  else
    echo "FAIL  $name (exit $rc, ${secs}s, ${errors:-?} errors; $log)"
    grep -E "definitely lost in|Invalid|uninitialised|Mismatched" "$log" | head -5
    tail -5 "$log.out"
    failed+=("$name")
  fi
done

echo
echo "valgrind: $passed clean, ${#failed[@]} failed${failed:+: ${failed[*]}}"
[ "${#failed[@]}" -eq 0 ]
