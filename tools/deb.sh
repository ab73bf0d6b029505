#!/usr/bin/env bash
# Builds the Debian binary packages (libmctx0, libmctx-dev, gir1.2-mctx-0.1,
# gstreamer1.0-mctx, mctx-tools) from this tree with dpkg-buildpackage and
# checks them with lintian.
#
#   tools/deb.sh [--out DIR]     build; the .deb files go to DIR
#                                (default build-deb/)
#   tools/deb.sh --test [--out DIR]
#                                build, then install the packages on this
#                                machine, check that the plugin and the
#                                typelib work with no environment set, and
#                                remove them again (TAP; needs root)
#
# The build runs on a copy of the tree (the files git tracks or would track,
# uncommitted changes included) in a temporary directory, so the tree itself
# is left as it was.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build-deb
test_mode=0
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2; shift ;;
    --test) test_mode=1 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "deb.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

PACKAGES=(libmctx0 libmctx-dev gir1.2-mctx-0.1 gstreamer1.0-mctx mctx-tools)

# ok STATUS DESCRIPTION: the TAP lines, counted in $N and $FAILS
# shellcheck source=SCRIPTDIR/../tests/test-lib.sh
. "$top/tests/test-lib.sh"
# a failed step: a TAP failure in --test mode, an error otherwise
fail () {
  if [ "$test_mode" = 1 ]; then
    ok 1 "$1"
    echo "1..$N"
  else
    echo "deb.sh: $1" >&2
  fi
  exit 1
}

for cmd in dpkg-buildpackage dh lintian fakeroot; do
  command -v "$cmd" >/dev/null || fail "$cmd is missing (tools/install-deps.sh installs it)"
done
if [ "$test_mode" = 1 ] && [ "$(id -u)" -ne 0 ]; then
  if [ "${CI:-}" = true ]; then echo "Bail out! deb.sh --test needs root"; exit 1; fi
  echo "1..0 # SKIP deb.sh --test installs packages: needs root"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mctx-deb.XXXXXX") || exit 1
installed=0
cleanup () {
  # never leave our packages installed, whatever happened
  if [ "$installed" = 1 ]; then
    dpkg --purge "${PACKAGES[@]}" >"$work/purge.log" 2>&1
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version) \
  || fail "cannot read debian/changelog"
src=$work/mctx-$version
mkdir "$src"
# the tree as git sees it (build directories and other ignored files left out)
# (outside git: everything but build directories)
list_tree () {
  if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
    git -C "$top" ls-files -z --cached --others --exclude-standard
  else
    (cd "$top" && find . -path './build*' -prune -o -path './_build*' -prune \
      -o -type f -print0)
  fi
}
(cd "$top" && list_tree | while IFS= read -r -d '' f; do
  [ -e "$f" ] && printf '%s\0' "$f"   # deleted but not yet committed
done | tar --null -T - -cf -) | tar -C "$src" -xf - || fail "cannot copy the tree"

t0=$SECONDS
echo "# dpkg-buildpackage in $src" >&2
if ! (cd "$src" && timeout 1200 dpkg-buildpackage -us -uc -j2 >"$work/build.log" 2>&1); then
  tail -40 "$work/build.log" | sed 's/^/# /'
  fail "dpkg-buildpackage failed"
fi
build_s=$((SECONDS - t0))
[ "$test_mode" = 1 ] && ok 0 "dpkg-buildpackage built the packages (${build_s} s)"
echo "# dpkg-buildpackage: ${build_s} s" >&2

changes=$(ls "$work"/mctx_"$version"_*.changes 2>/dev/null | head -1)
[ -n "$changes" ] || fail "no .changes file"
mkdir -p "$out" || exit 1
for p in "${PACKAGES[@]}"; do
  deb=$(ls "$work/${p}_${version}_"*.deb 2>/dev/null | head -1)
  if [ -z "$deb" ]; then
    fail "package $p was not built"
  fi
  cp "$deb" "$out/"
done
echo "# packages in $out:" >&2
for p in "${PACKAGES[@]}"; do
  echo "#   $(basename "$(ls "$out/${p}_${version}_"*.deb)")" >&2
done

# lintian on the source and binary packages: errors fail, the rest is shown
t0=$SECONDS
lintian --display-info --fail-on error "$changes" >"$work/lintian.log" 2>&1
lint=$?
cp "$work/lintian.log" "$out/lintian.log"
sed 's/^/# lintian: /' "$work/lintian.log" >&2
echo "# lintian: $((SECONDS - t0)) s, $(grep -c '^E:' "$work/lintian.log") errors, $(grep -c '^W:' "$work/lintian.log") warnings" >&2
if [ "$test_mode" = 1 ]; then
  ok $lint "lintian reports no errors ($(grep -c '^W:' "$work/lintian.log") warnings)"
elif [ $lint -ne 0 ]; then
  echo "deb.sh: lintian reports errors" >&2
  exit 1
fi
[ "$test_mode" = 1 ] || exit 0

# ---- --test: install, use with an empty environment, remove
for p in "${PACKAGES[@]}"; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    fail "$p is already installed on this machine: not touching it"
  fi
done
debs=()
for p in "${PACKAGES[@]}"; do debs+=("$(ls "$out/${p}_${version}_"*.deb)"); done
installed=1
DEBIAN_FRONTEND=noninteractive dpkg -i "${debs[@]}" >"$work/install.log" 2>&1
ok $? "dpkg -i ${PACKAGES[*]}"
sed 's/^/# /' "$work/install.log"

# no variables at all: only what the packages put in the system's paths
clean=(env -i PATH=/usr/bin:/bin HOME="$work")
# (/lib is /usr/lib on Debian 12: the registry may name either)
"${clean[@]}" gst-inspect-1.0 mctxsink >"$work/inspect.log" 2>&1 \
  && [ "$(readlink -f "$(awk '$1 == "Filename" { print $2 }' "$work/inspect.log")")" \
    = "$(readlink -f "$(dpkg -L gstreamer1.0-mctx | grep 'libgstmctx.so$')")" ]
ok $? "gst-inspect-1.0 mctxsink finds the packaged plugin"
grep -E "^ *(Filename|Version) " "$work/inspect.log" | sed 's/^/# /'
"${clean[@]}" gst-inspect-1.0 mctxsrc >/dev/null 2>&1
ok $? "gst-inspect-1.0 mctxsrc"
"${clean[@]}" /usr/bin/python3 -c "
import gi
gi.require_version('GIRepository', '2.0')
gi.require_version('Mctx', '0.1')
from gi.repository import GIRepository, Mctx
print(Mctx.Address.__name__, GIRepository.Repository.get_default().get_typelib_path('Mctx'))
" >"$work/gi.log" 2>&1 && grep -q " /usr/lib/.*/girepository-1.0/Mctx-0.1.typelib$" "$work/gi.log"
ok $? "python3: gi.require_version('Mctx', '0.1') and the typelib loads"
sed 's/^/# /' "$work/gi.log"
"${clean[@]}" pkg-config --modversion mctx-0.1 >"$work/pc.log" 2>&1 \
  && [ "$(cat "$work/pc.log")" = "$(sed -n "s/^  version : '\(.*\)',/\1/p" "$top/meson.build")" ]
ok $? "pkg-config finds mctx-0.1 ($(cat "$work/pc.log"))"
[ -x /usr/bin/mctx-demo ] && "${clean[@]}" /usr/bin/mctx-demo --packets 200 >"$work/demo.log" 2>&1
ok $? "mctx-tools: /usr/bin/mctx-demo runs"
tail -3 "$work/demo.log" | sed 's/^/# /'

dpkg --purge "${PACKAGES[@]}" >"$work/purge.log" 2>&1
ok $? "dpkg --purge ${PACKAGES[*]}"
installed=0
left=0
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "installed" && left=1
done
[ $left = 0 ] && [ ! -e /usr/lib/"$(dpkg-architecture -qDEB_HOST_MULTIARCH)"/gstreamer-1.0/libgstmctx.so ]
ok $? "the packages and their files are gone"

echo "1..$N"
[ "$FAILS" -eq 0 ]
