#!/bin/sh
# Inside the private session: start the AT-SPI bus, then the command.
set -eu

launcher=/usr/libexec/at-spi-bus-launcher
if [ -x "$launcher" ]; then
  "$launcher" --launch-immediately >/dev/null 2>&1 &
  launcher_pid=$!
  trap 'kill "$launcher_pid" 2>/dev/null || true' EXIT
  # Wait until the bus answers on the session bus (at most 10 s).
  i=0
  while [ $i -lt 100 ]; do
    if dbus-send --session --print-reply --dest=org.a11y.Bus /org/a11y/bus \
         org.a11y.Bus.GetAddress >/dev/null 2>&1; then
      break
    fi
    i=$((i + 1))
    sleep 0.1
  done
fi

"$@"
