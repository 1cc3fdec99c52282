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

# Start the AT-SPI bus by D-Bus activation, the one way: launching
# at-spi-bus-launcher by hand as well races it against the activated one,
# and the loser's bus address may be the one an app reads. Wait until the
# bus answers (30 s).
i=0
until dbus-send --session --print-reply --dest=org.a11y.Bus /org/a11y/bus \
        org.a11y.Bus.GetAddress >/dev/null 2>&1; do
  i=$((i + 1))
  if [ $i -ge 300 ]; then
    echo "with-atspi.sh: the AT-SPI bus never answered" >&2
    exit 1
  fi
  sleep 0.1
done

"$@"
