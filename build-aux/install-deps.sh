#!/bin/sh
# Installs what Kuulolla needs to build, run and test on Debian 12.
# Safe to run again: apt-get skips what is already there.
set -eu

packages="
  build-essential pkg-config meson ninja-build gettext itstool
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libsoup-3.0-dev libjson-glib-dev libsqlite3-dev libsodium-dev openssl sqlite3
  desktop-file-utils appstream flatpak-builder systemd cage
  xvfb xauth dbus dbus-x11 at-spi2-core
  python3 python3-gi python3-pyatspi gir1.2-atspi-2.0 gir1.2-gtk-4.0
  libsecret-1-dev gir1.2-secret-1 libsecret-tools gnome-keyring
  x11-apps imagemagick xdotool python3-xlib
  clang libclang-rt-14-dev
  fonts-cantarell fonts-dejavu-core adwaita-icon-theme
  libspeechd-dev speech-dispatcher speech-dispatcher-espeak-ng espeak-ng
"

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing packages:$missing" >&2
    echo "Run this script as root, or install them with apt-get." >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # shellcheck disable=SC2086
  apt-get install -y -q --no-install-recommends $missing
fi
