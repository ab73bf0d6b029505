#!/usr/bin/env bash
# Stages "meson install" of the build tree into a temporary DESTDIR and checks
# that what a user or a distribution package gets is complete and usable:
# files in the standard places, a working pkg-config file, headers and
# library a C program compiles and links against, a typelib Python can load,
# and a plugin gst-inspect-1.0 finds.  Nothing is sent on any network.
#   usage: test-install.sh BUILDDIR        (TAP output)
set -uo pipefail

build=$(realpath "$1")
meson=${MESON:-meson}
work=$(mktemp -d)
trap '[ -n "${MCTX_KEEP:-}" ] || rm -rf "$work"' EXIT
D=$work/destdir

n=0; fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; fails=$((fails + 1)); }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

option() {
  "$meson" introspect "$build" --buildoptions |
    "${PYTHON:-python3}" -c 'import json, sys
print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == sys.argv[1]))' "$1"
}

prefix=$(option prefix)
libdir=$(option libdir)
includedir=$(option includedir)
datadir=$(option datadir)
case $libdir in /*) ;; *) libdir=$prefix/$libdir ;; esac
case $includedir in /*) ;; *) includedir=$prefix/$includedir ;; esac
case $datadir in /*) ;; *) datadir=$prefix/$datadir ;; esac
echo "# prefix $prefix, libdir $libdir"

if ! timeout 120 "$meson" install -C "$build" --destdir "$D" --no-rebuild \
    --quiet > "$work/install.log" 2>&1; then
  sed 's/^/# /' "$work/install.log"
  echo "not ok 1 - meson install --destdir"; echo "1..1"; exit 1
fi
ok "meson install --destdir"
find "$D" -type f -o -type l | sed "s|^$D|# |" | sort

# ---- files in their places
check "library $libdir/libmctx-0.1.so.0 (and the .so link)" \
  "[ -f '$D$libdir/libmctx-0.1.so.0.0.0' ] && [ -L '$D$libdir/libmctx-0.1.so.0' ] && [ -L '$D$libdir/libmctx-0.1.so' ]"
for h in mctx.h mctx-version.h mctx-error.h mctx-address.h mctx-interface.h \
    mctx-publication.h mctx-subscription.h mctx-context.h; do
  check "header $includedir/mctx-0.1/$h" "[ -f '$D$includedir/mctx-0.1/$h' ]"
done
# every header mctx.h includes is installed
for h in $(sed -n -E 's/^#include "(.*)"/\1/p' "$D$includedir/mctx-0.1/mctx.h"); do
  check "mctx.h's include $h installed" "[ -f '$D$includedir/mctx-0.1/$h' ]"
done
check "pkg-config file $libdir/pkgconfig/mctx-0.1.pc" \
  "[ -f '$D$libdir/pkgconfig/mctx-0.1.pc' ]"

have_gir=$(grep -c '"Mctx-0.1.typelib"' <("$meson" introspect "$build" --targets) || true)
if [ "$have_gir" -gt 0 ]; then
  check "typelib $libdir/girepository-1.0/Mctx-0.1.typelib" \
    "[ -f '$D$libdir/girepository-1.0/Mctx-0.1.typelib' ]"
  check "gir $datadir/gir-1.0/Mctx-0.1.gir" "[ -f '$D$datadir/gir-1.0/Mctx-0.1.gir' ]"
else
  echo "# introspection not built: no typelib to check"
fi

# The plugin: where meson put it, then whether that is in the prefix like
# libmctx (GStreamer's own plugins go to <libdir>/gstreamer-1.0).
plugin=$(cd "$D" && find . -name 'libgstmctx.so' | sed 's|^\.||' | head -1)
if [ -n "$plugin" ]; then
  ok "plugin installed: $plugin"
  check "plugin installed under the prefix ($libdir/gstreamer-1.0)" \
    "[ '$plugin' = '$libdir/gstreamer-1.0/libgstmctx.so' ]"
else
  echo "# the plugin was not built"
fi

# installed binaries must not point into the build tree
check "no RPATH/RUNPATH into the build tree" \
  "! readelf -d '$D$libdir/libmctx-0.1.so.0.0.0' ${plugin:+'$D$plugin'} | grep -E 'R(UN)?PATH' | grep -F '$build' >/dev/null"

# ---- pkg-config against the staged tree.  The sysroot applies to glib's
# .pc files too, which are not staged: mctx-0.1's own flags are the ones
# its requirements do not give, and the requirements come from the system.
pc() {
  PKG_CONFIG_SYSROOT_DIR=$D PKG_CONFIG_PATH=$D$libdir/pkgconfig pkg-config "$@"
}
requires=$(pc --print-requires mctx-0.1 | awk '{print $1}' | tr '\n' ' ')
all=$(pc --cflags --libs mctx-0.1 2>"$work/pc.err")
theirs=$(pc --cflags --libs $requires)
own=$(awk -v theirs="$theirs" 'BEGIN { split(theirs, t, " "); for (i in t) skip[t[i]] = 1 }
  { for (i = 1; i <= NF; i++) if (!($i in skip)) printf "%s ", $i }' <<< "$all")
check "pkg-config --cflags --libs mctx-0.1 works" "[ -n \"\$own\" ]"
sed 's/^/# /' "$work/pc.err"
echo "# $own"
check "pkg-config points into the staged tree" \
  "[[ \" \$own \" == *' -I$D$includedir/mctx-0.1 '* ]] && [[ \" \$own \" == *' -L$D$libdir '* ]] && [[ \" \$own \" == *' -lmctx-0.1 '* ]]"
echo "# requires: $requires"
check "mctx-0.1 requires glib-2.0, gobject-2.0 and gio-2.0" \
  "[ \"\$requires\" = 'glib-2.0 gobject-2.0 gio-2.0 ' ]"
flags="$own $(pkg-config --cflags --libs $requires)"
check "pkg-config modversion is the project's version (${MCTX_VERSION:-0.1.0})" \
  "[ \"\$(pc --modversion mctx-0.1)\" = '${MCTX_VERSION:-0.1.0}' ]"

# ---- a C program against the installed headers and library
cat > "$work/prog.c" <<'C'
#include <mctx.h>
#include <stdio.h>

int
main (void)
{
  GError *error = NULL;
  MctxAddress group;
  MctxPublication *pub;

  if (!mctx_parse_group ("239.1.2.3", "group", &group, &error)) {
    printf ("parse: %s\n", error->message);
    return 1;
  }
  /* validation needs no network */
  pub = mctx_publication_new ("10.0.0.1", 5004);
  if (mctx_publication_validate (pub, &error) ||
      !g_error_matches (error, MCTX_ERROR, MCTX_ERROR_NOT_MULTICAST))
    return 2;
  printf ("ssm=%d error=%s\n", mctx_address_is_ssm (&group), error->message);
  g_clear_error (&error);
  g_object_unref (pub);
  return 0;
}
C
if ${CC:-cc} -Wall -Werror -o "$work/prog" "$work/prog.c" $flags \
    > "$work/cc.log" 2>&1; then
  ok "a C program compiles and links against the installed tree"
  out=$(LD_LIBRARY_PATH=$D$libdir "$work/prog" 2>&1)
  echo "# $out"
  check "it runs with the installed library" \
    "[[ \"\$out\" == 'ssm=0 error=group '\''10.0.0.1'\'' is not a multicast address'* ]]"
  check "it resolved the installed libmctx" \
    "LD_LIBRARY_PATH=$D$libdir ldd '$work/prog' | grep -F '$D$libdir/libmctx-0.1.so.0' >/dev/null"
else
  sed 's/^/# /' "$work/cc.log"
  not_ok "a C program compiles and links against the installed tree"
fi

# ---- the typelib, from Python
py=${PYTHON:-/usr/bin/python3}
if [ "$have_gir" -gt 0 ] && "$py" -c 'import gi' 2>/dev/null; then
  out=$(GI_TYPELIB_PATH=$D$libdir/girepository-1.0 LD_LIBRARY_PATH=$D$libdir \
    "$py" -c '
import gi
gi.require_version("Mctx", "0.1")
gi.require_version("GIRepository", "2.0")
from gi.repository import GIRepository, Mctx
print(Mctx.Publication.new("239.1.2.3", 5004).get_group())
print(GIRepository.Repository.get_default().get_typelib_path("Mctx"))' 2>&1)
  echo "$out" | sed 's/^/# /'
  check "the installed typelib loads and calls into libmctx" \
    "[ \"\$(echo \"\$out\" | head -1)\" = 239.1.2.3 ]"
  check "it is the staged typelib" \
    "[ \"\$(echo \"\$out\" | tail -1)\" = '$D$libdir/girepository-1.0/Mctx-0.1.typelib' ]"
fi

# ---- gst-inspect-1.0 finds the staged plugin, and only that one
if [ -n "$plugin" ] && command -v gst-inspect-1.0 > /dev/null; then
  plugindir=$(dirname "$D$plugin")
  inspect() {
    env GST_PLUGIN_SYSTEM_PATH_1_0="$plugindir" GST_PLUGIN_PATH_1_0= \
      GST_PLUGIN_PATH= GST_REGISTRY_1_0="$work/registry.bin" \
      GST_REGISTRY_FORK=no LD_LIBRARY_PATH="$D$libdir" \
      timeout 30 gst-inspect-1.0 "$@" 2>&1
  }
  out=$(inspect mctx)
  echo "$out" | grep -E 'Filename|Version|mctx(sink|src):' | sed 's/^/# /'
  check "gst-inspect-1.0 mctx loads the staged plugin" \
    "echo \"\$out\" | grep -E 'Filename +$D$plugin\$' >/dev/null"
  check "gst-inspect-1.0 mctx lists mctxsink and mctxsrc" \
    "echo \"\$out\" | grep -E '^ *mctxsink: ' >/dev/null && echo \"\$out\" | grep -E '^ *mctxsrc: ' >/dev/null"
  out=$(inspect mctxsrc)
  check "gst-inspect-1.0 mctxsrc shows the element" \
    "echo \"\$out\" | grep -E '^ +Long-name +Multicast source\$' >/dev/null"
fi

echo "1..$n"
[ $fails -eq 0 ]
