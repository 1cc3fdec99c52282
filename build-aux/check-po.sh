#!/bin/sh
# Fails when a translatable string lacks its Finnish or Swedish translation,
# when a catalogue has a fuzzy or obsolete-but-needed entry, when msgfmt
# --check finds a fault (plural forms, format strings), or when a source file
# with translatable strings is missing from po/POTFILES.in.
# Usage: check-po.sh SOURCE_ROOT
set -eu
top=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

cd "$top"

# Every file that marks a string for translation is listed.
for f in $(grep -rlE '(^|[^A-Za-z_])(N_|_|C_|NC_|g_dngettext|ngettext)\s*\(|translatable="yes"' \
             app ui data --include='*.c' --include='*.h' --include='*.ui' \
             --include='*.desktop.in' --include='*.gschema.xml' | sort) \
         $(ls data/*.desktop.in data/*.metainfo.xml.in); do
  case "$f" in */kuu-i18n-private.h) continue ;; esac  # defines _(), holds none
  if ! grep -qx "$f" po/POTFILES.in; then
    echo "po/POTFILES.in: $f has translatable strings but is not listed" >&2
    status=1
  fi
done

# GLib's g_dgettext family decides once, at its first call, whether to
# translate at all, and in a C.UTF-8 locale started in English it decides
# not to: a kiosk that later switches to Swedish would show those strings
# in English. The app calls gettext/ngettext directly.
if grep -rnE 'g_d(n|p)?(c)?gettext' app --include='*.c' --include='*.h' --exclude='kuu-i18n-private.h' >&2; then
  echo "use gettext()/ngettext() in the app, not GLib's g_d*gettext (see above)" >&2
  status=1
fi

# app/core's messages go through kuu-i18n-private.h, for the same reason.
if grep -rln 'gi18n-lib.h' app server --include='*.c' --include='*.h' | grep -v 'kuu-i18n-private.h' >&2; then
  echo "app/core and the server use kuu-i18n-private.h, not GLib's gi18n-lib.h (see above)" >&2
  status=1
fi

# The same template the build makes (meson's glib preset).
xgettext --package-name=kuulolla --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --files-from=po/POTFILES.in --output="$work/kuulolla.pot" 2>"$work/xgettext.log" || {
    cat "$work/xgettext.log" >&2; exit 1; }

for lang in $(cat po/LINGUAS); do
  po="po/$lang.po"
  msgfmt --check --output-file=/dev/null "$po" 2>"$work/msgfmt.log" || {
    echo "$po: msgfmt --check failed:" >&2; cat "$work/msgfmt.log" >&2; status=1; }
  msgmerge --quiet --no-fuzzy-matching "$po" "$work/kuulolla.pot" -o "$work/$lang.po"
  untranslated=$(msgattrib --untranslated --no-obsolete "$work/$lang.po" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po" | grep -c '^msgid ' || true)
  # msgattrib prints the header entry too when it prints anything.
  [ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
  [ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
  total=$(grep -c '^msgid ' "$work/kuulolla.pot")
  total=$((total - 1))
  if [ "$untranslated" -ne 0 ] || [ "$fuzzy" -ne 0 ]; then
    echo "$po: $untranslated of $total messages untranslated, $fuzzy fuzzy:" >&2
    msgattrib --untranslated --no-obsolete "$work/$lang.po" | grep -A1 '^msgid ' | grep '^msgid' | tail -n +2 | head -20 >&2
    status=1
  else
    echo "$po: $total of $total messages translated"
  fi
done
# The easy-language catalogues (po/easy/, HACKING.md): clean, and every
# message in them still one the sources have — a msgid changed in the
# source would leave its easy version never looked up.
for po in po/easy/*.po; do
  [ -e "$po" ] || continue
  msgfmt --check --output-file=/dev/null "$po" 2>"$work/msgfmt.log" || {
    echo "$po: msgfmt --check failed:" >&2; cat "$work/msgfmt.log" >&2; status=1; }
  msgmerge --quiet --no-fuzzy-matching "$po" "$work/kuulolla.pot" -o "$work/easy.po"
  stale=$(msgattrib --only-obsolete "$work/easy.po" | grep -c '^#~ msgid ' || true)
  if [ "$stale" -ne 0 ]; then
    echo "$po: $stale messages the sources no longer have:" >&2
    msgattrib --only-obsolete "$work/easy.po" | grep '^#~ msgid ' | head -20 >&2
    status=1
  else
    echo "$po: every message is one of the sources'"
  fi
done
exit $status
