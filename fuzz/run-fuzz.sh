#!/bin/sh
# Runs one fuzz target as a test: every input of its seed corpus, then new
# inputs for a bounded time, with its dictionary. The corpus is copied
# first, so a run never writes into the source tree; a crash's input is
# printed (base64) so the CI log is enough to reproduce it.
# Usage: run-fuzz.sh TARGET DICT CORPUS LSAN_SUPPRESSIONS
# KUULOLLA_FUZZ_SECONDS / KUULOLLA_FUZZ_RUNS: the bound (default 45 s,
# 200000 inputs, whichever comes first). KUULOLLA_FUZZ_MAX_LEN: the
# longest input (default 65536). KUULOLLA_FUZZ_DEEP=TARGET: add the
# target's deeply nested seeds, made here rather than kept in git
# (fuzz/make-corpus.py --deep).
set -u

target=$1 dict=$2 corpus=$3 supp=$4
work=$(mktemp -d "${TMPDIR:-/tmp}/kuulolla-fuzz-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/artifacts"
cp "$corpus"/* "$work/corpus/"
if [ -n "${KUULOLLA_FUZZ_DEEP:-}" ]; then
  python3 "$(dirname "$0")/make-corpus.py" --deep "$KUULOLLA_FUZZ_DEEP" "$work/corpus" || exit 1
fi

# Third-party leaks only are let pass (tests/lsan.supp). Their suppressions
# need the library frames, which only the slow unwinder finds (Debian's
# libraries have no frame pointers); it costs a fuzzer 3-5 times the
# speed, so only the targets that meet them ask for it
# (KUULOLLA_FUZZ_SLOW_UNWIND=1).
unwind=1
[ "${KUULOLLA_FUZZ_SLOW_UNWIND:-0}" = 1 ] && unwind=0
ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1:fast_unwind_on_malloc=$unwind:malloc_context_size=20"
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
LSAN_OPTIONS="suppressions=$supp:print_suppressions=0"
G_SLICE=always-malloc
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS G_SLICE

# libFuzzer's own exit status for a finding is 77, which meson takes for
# a skipped test.
"$target" -dict="$dict" -max_len="${KUULOLLA_FUZZ_MAX_LEN:-65536}" -timeout=30 -rss_limit_mb=3072 -error_exitcode=1 -timeout_exitcode=1 \
  -max_total_time="${KUULOLLA_FUZZ_SECONDS:-45}" -runs="${KUULOLLA_FUZZ_RUNS:-200000}" \
  -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$work/corpus"
status=$?
for crash in "$work/artifacts"/*; do
  [ -f "$crash" ] || continue
  echo "--- input ${crash##*/} (base64) ---"
  base64 "$crash"
done
exit $status
