#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test mctx.
# Idempotent; needs root (apt-get).
set -euo pipefail

PKGS=(
  build-essential meson ninja-build pkg-config
  libglib2.0-dev gobject-introspection libgirepository1.0-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad gstreamer1.0-libav
  python3-gi python3-gst-1.0 gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0
  iproute2 util-linux procps
  smcroute tshark gstreamer1.0-x
  clang libclang-rt-14-dev
  nftables frr ffmpeg gstreamer1.0-plugins-ugly python3-matplotlib
  dpkg-dev debhelper lintian fakeroot
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages (${missing[*]}); run as root" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  # tshark asks whether non-root users may capture: non-interactive says no
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "install-deps: all dependencies present"
