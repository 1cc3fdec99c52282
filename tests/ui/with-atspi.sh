#!/bin/sh
# Inside the private session: wait for the X server, start the AT-SPI bus,
# then run the command.
set -eu

# xvfb-run gives Xvfb a fixed few seconds to come up; on a loaded machine
# that is not enough, and an app (or the AT-SPI registry) that starts before
# the display answers never reaches the bus. Wait until it answers (30 s).
i=0
until xwd -root -silent >/dev/null 2>&1; do
  i=$((i + 1))
  if [ $i -ge 300 ]; then
    echo "with-atspi.sh: the X server on $DISPLAY never answered" >&2
    exit 1
  fi
  sleep 0.1
done

# Start the AT-SPI bus by hand, its output kept out of the test's TAP, and
# wait until it owns its name. Ask with NameHasOwner, which never activates:
# calling the bus itself first would start a second launcher by D-Bus
# activation, racing this one (and printing into the TAP stream).
/usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
launcher_pid=$!
trap 'kill "$launcher_pid" 2>/dev/null || true' EXIT
i=0
until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.a11y.Bus 2>/dev/null | grep -q "boolean true"; do
  i=$((i + 1))
  if [ $i -ge 300 ]; then
    echo "with-atspi.sh: the AT-SPI bus never came up" >&2
    exit 1
  fi
  sleep 0.1
done

"$@"
