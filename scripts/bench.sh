#!/usr/bin/env bash
# Prints the performance figures: the load of a large description against
# the bare YAML event stream (the parse floor), and the whole `check`
# process on a typical 300-line file. Ratios are measured in one run, with
# the measurements interleaved, so that a noisy machine hits them alike.
#
#   scripts/bench.sh            # generates the corpus under target/corpus once
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin scalelint --examples
corpus=target/corpus
if [ ! -f "$corpus/large.arch.yaml" ]; then
  ./target/release/examples/gen_corpus "$corpus" >/dev/null
fi
echo "== load vs parse floor (large file) =="
./target/release/examples/bench_load "$corpus/large.arch.yaml" 5
echo
echo "== whole process, one typical file =="
./target/release/examples/bench_process fixtures/bench/typical-300.arch.yaml 50
echo
echo "== 1,000-file corpus, and peak memory of the large file =="
./target/release/examples/bench_corpus "$corpus" 15
