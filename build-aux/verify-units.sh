#!/bin/sh
# Verifies systemd unit files: systemd-analyze verify exits 0 even when it
# ignores an unknown key or a value it cannot parse, so any line it prints
# about them is a failure too.
# Usage: verify-units.sh UNIT...
set -u
out=$(systemd-analyze verify "$@" 2>&1)
status=$?
if [ $status -ne 0 ] || [ -n "$out" ]; then
  printf '%s\n' "$out" >&2
  echo "systemd-analyze verify: status $status" >&2
  exit 1
fi
echo "verified: $*"
