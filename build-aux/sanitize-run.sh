#!/bin/sh
# Runs one test of a sanitized build (-Db_sanitize=address,undefined; the
# test setup in tests/meson.build puts this before every test there).
# Every sanitized process under the test -- the test itself, the app that an
# AT-SPI test starts from Python, the server that test-sync starts -- writes
# its reports to a file here instead of a stderr that a test may not read.
# Any report fails the test, whatever the test itself concluded.
# Usage: sanitize-run.sh COMMAND [ARGS...]
set -u

reports=$(mktemp -d "${TMPDIR:-/tmp}/kuulolla-sanitize-XXXXXX")
trap 'rm -rf "$reports"' EXIT
ASAN_OPTIONS="${ASAN_OPTIONS:-}:log_path=$reports/asan"
UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:log_path=$reports/ubsan"
export ASAN_OPTIONS UBSAN_OPTIONS

"$@"
status=$?

found=0
for report in "$reports"/*; do
  [ -f "$report" ] || continue
  found=1
  echo "--- sanitizer report ${report##*/} ---" >&2
  cat "$report" >&2
done
if [ "$found" -ne 0 ]; then
  # A TAP line too, so that a test that passed every check still fails.
  echo "not ok - a sanitizer reported an error (above, on stderr)"
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
