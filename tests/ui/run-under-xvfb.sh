#!/bin/sh
# Runs a command on a private X server, with a private D-Bus session bus and
# the AT-SPI bus, as a screen reader would find the app.
# Usage: run-under-xvfb.sh COMMAND [ARGS...]
set -eu

# A private runtime dir keeps the AT-SPI bus socket away from any other run.
XDG_RUNTIME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/kuulolla-ui-XXXXXX")
export XDG_RUNTIME_DIR
chmod 700 "$XDG_RUNTIME_DIR"
trap 'rm -rf "$XDG_RUNTIME_DIR"' EXIT

export GTK_A11Y=atspi
export NO_AT_BRIDGE=0
export GDK_BACKEND=x11
export GSETTINGS_BACKEND=memory

# Not exec: the trap above removes the runtime dir when the run ends.
# Each run starts its search for a free display at its own number: two runs
# that both find :99 free at once, or one that finds it while the last
# server on it is still going away, lose their display.
xvfb-run --auto-servernum --server-num=$(( $$ % 400 + 100 )) --server-args="-screen 0 1280x860x24 -nolisten tcp" \
  dbus-run-session -- "$(dirname "$0")/with-atspi.sh" "$@"
