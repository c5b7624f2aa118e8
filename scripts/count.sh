#!/usr/bin/env bash
# Counts the instructions of (d)'s two sides on one thread with valgrind
# (callgrind): the whole `scalelint check` process on the 1,000-file corpus,
# and the bare event stream over the same files (also through the input
# scalelint parses with, `load::input::SourceInput`). Unlike times, the counts
# repeat exactly, so they show what a change does on a noisy machine.
#
#   scripts/count.sh
#   CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_TARGET_DIR=target/cgu1 scripts/count.sh
#
# The second form builds with one codegen unit: with the project's profile
# the parser's inlining moves with unrelated code (docs/performance.md,
# "Sixth round"), and with one unit it does not.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "count.sh needs valgrind" >&2; exit 2; }
cargo build --release --quiet --bin scalelint --example bench_corpus --example gen_corpus
bin=${CARGO_TARGET_DIR:-target}/release
corpus=target/corpus
if [ ! -f "$corpus/large.arch.yaml" ]; then
  "$bin/examples/gen_corpus" "$corpus" >/dev/null
fi
count() {
  # `check` exits 1 when it finds problems; the count is all that matters.
  local log
  log=$(RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null || true)
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' <<< "$log"
}
floor=$(count "$bin/examples/bench_corpus" --floor-once "$corpus")
own=$(count "$bin/examples/bench_corpus" --input-floor-once "$corpus")
process=$(count "$bin/scalelint" check --no-config --format json "$corpus/small")
if [ -z "$floor" ] || [ -z "$own" ] || [ -z "$process" ]; then
  echo "count.sh: valgrind gave no count (floor: '$floor', own input: '$own', process: '$process')" >&2
  exit 2
fi
awk -v f="$floor" -v o="$own" -v p="$process" 'BEGIN {
  printf "bare event stream, one thread:  %6.3f billion instructions\n", f / 1e9
  printf "scalelint check, one thread:    %6.3f billion instructions\n", p / 1e9
  printf "beyond the event stream:        %6.3f billion\n", (p - f) / 1e9
  printf "ratio: %.3f\n", p / f
  printf "the stream through scalelint'"'"'s input: %6.3f billion (ratio against it: %.3f)\n", o / 1e9, p / o
}'
