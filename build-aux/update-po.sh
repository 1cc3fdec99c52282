#!/bin/sh
# Refreshes po/*.po from the sources: makes the template the way
# check-po.sh does, merges it into each catalogue, and first takes in any
# translations waiting in po/pending/*.<lang>.po (written by someone who
# added strings without touching the catalogues, to keep merges clean).
# Usage: build-aux/update-po.sh  (from anywhere)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

xgettext --package-name=kuulolla --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --files-from=po/POTFILES.in --output="$work/kuulolla.pot"

for lang in $(cat po/LINGUAS); do
  po="po/$lang.po"
  pending=$(ls po/pending/*."$lang".po 2>/dev/null || true)
  if [ -n "$pending" ]; then
    # The catalogue's own translations win over a pending one.
    msgcat --use-first "$po" $pending -o "$work/$lang.all.po"
  else
    cp "$po" "$work/$lang.all.po"
  fi
  msgmerge --quiet --no-fuzzy-matching "$work/$lang.all.po" "$work/kuulolla.pot" -o "$work/$lang.po"
  msgattrib --no-obsolete "$work/$lang.po" -o "$po"
  echo "$po: $(msgattrib --untranslated "$po" | grep -c '^msgid ' || true) untranslated (counting the header)"
done
