#!/bin/sh
# The two things a newcomer does, on a fresh Debian 12 (as root):
#   build-aux/dev.sh run    install what is missing, build, start the app
#   build-aux/dev.sh test   install what is missing, build, run every test
set -eu

case "${1:-}" in
  run|test) ;;
  *) echo "usage: $0 run|test [ARGS...]" >&2; exit 2 ;;
esac

top=$(cd "$(dirname "$0")/.." && pwd)
build="$top/_build"
cd "$top"

sh "$top/build-aux/install-deps.sh"

if [ -f "$build/build.ninja" ]; then
  meson setup --reconfigure "$build" >/dev/null
else
  meson setup "$build"
fi
meson compile -C "$build"

case "${1:-}" in
  run)
    shift
    # The schema compiled in the build dir; the database under the user's
    # data dir; the bundled Kymenlaakso strategy unless told otherwise.
    export GSETTINGS_SCHEMA_DIR="$build/data"
    export KUULOLLA_LOCALEDIR="$build/po"
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      exec "$build/app/kuulolla" "$@"
    fi
    mkdir -p "$build/screenshots"
    echo "No display here: starting Kuulolla on a virtual display (Xvfb)."
    echo "A screenshot of its first screen goes to _build/screenshots/run.png; Ctrl+C stops it."
    exec xvfb-run --auto-servernum --server-args="-screen 0 1280x860x24" \
      sh -c 'shots=$1; shift
             "$@" & app=$!
             sleep 6
             xwd -root -silent | convert xwd:- "$shots/run.png" && echo "Saved $shots/run.png"
             wait $app' sh "$build/screenshots" "$build/app/kuulolla" "$@"
    ;;
  test)
    shift
    exec meson test -C "$build" --print-errorlogs "$@"
    ;;
esac
