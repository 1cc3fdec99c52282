#!/bin/sh
# Runs one test of a sanitized build (-Db_sanitize=address,undefined; the
# test setup in tests/meson.build puts this before every test there).
# Every sanitized process under the test -- the test itself, the app that an
# AT-SPI test starts from Python, the server that test-sync starts -- writes
# its reports to a file here instead of a stderr that a test may not read.
# Any report fails the test, whatever the test itself concluded.
# Usage: sanitize-run.sh COMMAND [ARGS...]
set -u

# The stack kept of each allocation is what a leak report shows and what
# tests/lsan.supp matches. The fast unwinder follows frame pointers, which
# Debian's libraries do not keep: its stacks stop at the first library
# frame (malloc, g_malloc), so a suppression naming a library cannot match.
# The slow one (libgcc's, from the unwind tables) walks through them, but
# made test-stats ten times slower (65 s against 6 s), too slow for the
# whole suite (and sync's fault cases time out under it). So: ASan's default, the fast
# one, but for the processes that meet the third-party leaks of lsan.supp:
# those of the tests that set KUULOLLA_SLOW_UNWIND=1 (tests/meson.build),
# and test-sync's own (its __asan_default_options). A report with a stack
# too short to read: run that test again with KUULOLLA_SLOW_UNWIND=1.
unwind=""
if [ "${KUULOLLA_SLOW_UNWIND:-0}" = 1 ]; then
  unwind=":fast_unwind_on_malloc=0:malloc_context_size=30"
fi

reports=$(mktemp -d "${TMPDIR:-/tmp}/kuulolla-sanitize-XXXXXX")
trap 'rm -rf "$reports"' EXIT
ASAN_OPTIONS="${ASAN_OPTIONS:-}$unwind:log_path=$reports/asan"
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
