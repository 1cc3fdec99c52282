#!/bin/sh
# Installs the project the way the Flatpak manifest builds it — prefix /app,
# the manifest's own config-opts — into a staging folder, then checks that
# everything the app needs lands where the built app looks for it.
# Usage: check-install.sh SOURCE_ROOT
set -eu
top=$1
manifest="$top/flatpak/io.github.kuulolla.Kuulolla.json"
work=$(mktemp -d "${TMPDIR:-/tmp}/kuulolla-install-XXXXXX")
trap 'rm -rf "$work"' EXIT
id=io.github.kuulolla.Kuulolla
failed=0

fail () { echo "not installed right: $*" >&2; failed=1; }

if command -v flatpak-builder >/dev/null 2>&1; then
  # It leaves a state folder in the current one: keep that in the scratch dir.
  (cd "$work" && flatpak-builder --show-manifest "$manifest" >/dev/null) || fail "flatpak-builder cannot read $manifest"
fi

# The options of the manifest's kuulolla module, read from the manifest.
opts=$(python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
print(" ".join(next(x for x in m["modules"] if isinstance(x, dict) and x.get("name") == "kuulolla")["config-opts"]))
' "$manifest")
echo "meson setup --prefix=/app $opts"
# shellcheck disable=SC2086
meson setup "$work/build" "$top" --prefix=/app $opts >"$work/setup.log" 2>&1 || { cat "$work/setup.log" >&2; exit 1; }
DESTDIR="$work/stage" meson install -C "$work/build" --quiet >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; exit 1; }
stage="$work/stage"

# Where the built app looks: the paths compiled into it.
config="$work/build/config.h"
pkgdatadir=$(sed -n 's/^#define PKGDATADIR "\(.*\)"$/\1/p' "$config")
localedir=$(sed -n 's/^#define LOCALEDIR "\(.*\)"$/\1/p' "$config")
[ "$pkgdatadir" = /app/share/kuulolla ] || fail "PKGDATADIR is $pkgdatadir"
[ "$localedir" = /app/share/locale ] || fail "LOCALEDIR is $localedir"

for f in \
  /app/bin/kuulolla \
  /app/share/applications/$id.desktop \
  /app/share/metainfo/$id.metainfo.xml \
  /app/share/icons/hicolor/scalable/apps/$id.svg \
  /app/share/icons/hicolor/symbolic/apps/$id-symbolic.svg \
  /app/share/glib-2.0/schemas/$id.gschema.xml \
  "$localedir/fi/LC_MESSAGES/kuulolla.mo" \
  "$localedir/sv/LC_MESSAGES/kuulolla.mo" \
  "$localedir/fi@easy/LC_MESSAGES/kuulolla.mo" \
  "$localedir/sv@easy/LC_MESSAGES/kuulolla.mo" \
  "$pkgdatadir/regions/kainuu.json" \
  "$pkgdatadir/regions/keski-suomi.json" \
  "$pkgdatadir/regions/keski-uusimaa.json" \
  "$pkgdatadir/regions/kymenlaakso.json"; do
  [ -s "$stage$f" ] || fail "$f is missing"
done

# Nothing a Flatpak must not carry.
[ ! -e "$stage/app/bin/kuulolla-server" ] || fail "kuulolla-server is in the Flatpak"
[ ! -e "$stage/app/lib/systemd" ] || fail "systemd units are in the Flatpak"

# The installed files pass the validators a reviewer runs.
desktop-file-validate "$stage/app/share/applications/$id.desktop" || fail "desktop file"
appstreamcli validate --no-net "$stage/app/share/metainfo/$id.metainfo.xml" >"$work/as.log" 2>&1 || {
  cat "$work/as.log" >&2; fail "metainfo"; }
glib-compile-schemas --strict --dry-run "$stage/app/share/glib-2.0/schemas" || fail "schema"
# The translated metainfo and desktop file carry Finnish and Swedish.
for lang in fi sv; do
  grep -q "xml:lang=\"$lang\"" "$stage/app/share/metainfo/$id.metainfo.xml" || fail "metainfo has no $lang"
  grep -q "^Comment\[$lang\]=" "$stage/app/share/applications/$id.desktop" || fail "desktop file has no $lang"
done

# The installed app, started on the installed files, loads every region.
for region in kainuu keski-suomi keski-uusimaa kymenlaakso; do
  KUULOLLA_REGIONS_DIR="$stage$pkgdatadir/regions" GSETTINGS_BACKEND=memory \
    GSETTINGS_SCHEMA_DIR="$stage/app/share/glib-2.0/schemas" \
    "$stage/app/bin/kuulolla" --check --region="$stage$pkgdatadir/regions/$region.json" >/dev/null ||
    fail "the installed app does not load the installed $region.json"
done

[ $failed -eq 0 ] && echo "installed as the Flatpak would install it: all in place"
exit $failed
