#!/bin/sh
# Runs a command on a private X server, with a private D-Bus session bus and
# the AT-SPI bus, as a screen reader would find the app.
# Usage: run-under-xvfb.sh COMMAND [ARGS...]
set -eu

# A private runtime dir keeps the AT-SPI bus socket away from any other run.
XDG_RUNTIME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/kuulolla-ui-XXXXXX")
export XDG_RUNTIME_DIR
chmod 700 "$XDG_RUNTIME_DIR"
xvfb_pid=""
trap '[ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null; rm -rf "$XDG_RUNTIME_DIR"' EXIT

export GTK_A11Y=atspi
export NO_AT_BRIDGE=0
export GDK_BACKEND=x11
export GSETTINGS_BACKEND=memory

# Xvfb picks a free display itself and writes its number once it accepts
# connections (-displayfd). xvfb-run's search for a free number raced
# between tests started together: two could take the same display, and
# the first to end took it away from the other ("cannot open display").
displayfile="$XDG_RUNTIME_DIR/display"
# -noreset: an X server resets when its last client leaves, and a client
# that connects during the reset gets "cannot open display". The probe
# below (xwd) is such a last client: an app started right after it failed
# that way now and then (seen in CI, atspi-welcome, "cannot open display: :0").
# KUU_XVFB_SCREEN: a screen size other than the default, WIDTHxHEIGHT.
Xvfb -displayfd 3 -screen 0 "${KUU_XVFB_SCREEN:-1280x860}x24" -nolisten tcp -noreset 3>"$displayfile" 2>"$XDG_RUNTIME_DIR/xvfb.log" &
xvfb_pid=$!
i=0
until [ -s "$displayfile" ]; do
  i=$((i + 1))
  if [ $i -ge 300 ] || ! kill -0 "$xvfb_pid" 2>/dev/null; then
    echo "run-under-xvfb.sh: Xvfb did not start:" >&2
    cat "$XDG_RUNTIME_DIR/xvfb.log" >&2
    exit 1
  fi
  sleep 0.1
done
DISPLAY=":$(head -n 1 "$displayfile")"
export DISPLAY

# Not exec: the trap above stops Xvfb and removes the runtime dir.
dbus-run-session -- "$(dirname "$0")/with-atspi.sh" "$@"
