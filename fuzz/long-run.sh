#!/bin/sh
# A long fuzzing run of one target, in the background at the lowest
# priority (docs/fuzzing.md). libFuzzer stops at its first finding (a
# crash, a leak, a timeout; the input is kept in DIR/TARGET/artifacts/):
# it is started again, on the corpus grown so far, until the time is up.
# (Its fork mode would go on by itself, but it starts a process for every
# short job, and the server targets spend most of that starting the
# server: a tenth of the speed.)
# Usage: fuzz/long-run.sh BUILD_DIR DIR TARGET SECONDS
#   e.g. fuzz/long-run.sh _build-san /work/fuzz-runs region 3600
# The log goes to DIR/TARGET.log; the growing corpus to DIR/TARGET/corpus.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=$1 dir=$2 target=$3 seconds=$4
run="$dir/$target"

mkdir -p "$run/corpus" "$run/artifacts" "$dir/bin"
cp "$top/fuzz/corpus/$target"/* "$run/corpus/"
# A copy of the binary: a rebuild meanwhile does not touch the run.
cp "$build/fuzz/fuzz-$target" "$dir/bin/fuzz-$target"

# The request target meets libsoup's own leaks (tests/lsan.supp): their
# suppressions need the slow unwinder. The others take the fast one.
unwind=1
[ "$target" = request ] && unwind=0
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1:fast_unwind_on_malloc=$unwind:malloc_context_size=20"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
export G_SLICE=always-malloc

cd "$run"
end=$(( $(date +%s) + seconds ))
nohup nice -n 19 sh -c '
  end=$1; shift
  while left=$(( end - $(date +%s) )); [ "$left" -gt 0 ]; do
    echo "=== $(date -u +%FT%TZ) fuzz run, $left s left"
    "$@" -max_total_time="$left"
    sleep 5
  done' sh "$end" "$dir/bin/fuzz-$target" -dict="$top/fuzz/$target.dict" \
  -max_len=65536 -timeout=60 -rss_limit_mb=3072 \
  -artifact_prefix="$run/artifacts/" -print_final_stats=1 "$run/corpus" \
  >"$dir/$target.log" 2>&1 &
echo "fuzz-$target: pid $! for $seconds s, log $dir/$target.log"
