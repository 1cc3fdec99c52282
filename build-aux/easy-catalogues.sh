#!/bin/sh
# Compiles the kiosk's easy-language catalogues (po/easy/<lang>.po) into
# <localedir>/<lang>@easy/LC_MESSAGES/kuulolla.mo. They hold only the
# strings that have an easy version: gettext looks a message up in
# "fi@easy" first and falls back to "fi" (kuu_i18n_use_language, HACKING.md).
# Usage: easy-catalogues.sh SOURCE_PO_DIR LOCALEDIR [STAMP]
#   at install: easy-catalogues.sh SOURCE_PO_DIR --install
set -eu
src=$1
out=$2
if [ "$out" = "--install" ]; then
  out="${MESON_INSTALL_DESTDIR_PREFIX}/${3:-share/locale}"
fi
for po in "$src"/easy/*.po; do
  lang=$(basename "$po" .po)
  mkdir -p "$out/$lang@easy/LC_MESSAGES"
  msgfmt --check -o "$out/$lang@easy/LC_MESSAGES/kuulolla.mo" "$po"
done
if [ $# -ge 3 ] && [ "$2" != "--install" ]; then
  touch "$3"
fi
