#!/usr/bin/env bash
# Fold what fuzz/run.sh found into the committed corpus, minimised:
#
#   fuzz/cmin.sh TARGET [MAX_LEN]
#
# The committed corpus (fuzz/corpus/TARGET) and the inputs found since (fuzz/target/corpus/
# TARGET) are merged by `cargo fuzz cmin` (libFuzzer -merge=1) into the smallest set of inputs
# reaching the same code edges (hit counts aside: a run regains those in seconds), which replaces
# fuzz/corpus/TARGET. MAX_LEN (bytes) cuts every input to that length first: the way to keep a
# corpus of big pages under ~200 KB.
set -euo pipefail
cd "$(dirname "$0")"

t=${1:?usage: fuzz/cmin.sh TARGET [MAX_LEN]}
max=${2:-}
stage="target/cmin/$t"
rm -rf "$stage"
mkdir -p "$stage" "corpus/$t" "target/corpus/$t"
cp -r "corpus/$t/." "target/corpus/$t/." "$stage/"
echo "$t: $(find "$stage" -type f | wc -l) inputs before"
nice -n 19 cargo +nightly fuzz cmin "$t" "$stage" -- \
  -use_counters=0 -rss_limit_mb=2048 -timeout=25 ${max:+-max_len=$max} >"target/cmin-$t.log" 2>&1 || {
  tail -n 20 "target/cmin-$t.log"
  exit 1
}
grep -E 'MERGE-OUTER: [0-9]+ new files' "target/cmin-$t.log" || true
rm -rf "corpus/$t"
mv "$stage" "corpus/$t"
echo "$t: $(find "corpus/$t" -type f | wc -l) inputs, $(cat "corpus/$t"/* | wc -c) bytes"
