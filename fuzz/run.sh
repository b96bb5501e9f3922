#!/usr/bin/env bash
# Run every fuzz target in turn, SECONDS each (default 60), and fail if any of them crashes,
# times out or runs out of memory. Needs cargo-fuzz and a nightly toolchain.
#
#   fuzz/run.sh [SECONDS] [TARGET...]      # e.g. fuzz/run.sh 600 charset robots
#
# Each target starts from its committed corpus (fuzz/corpus/TARGET, read only) and writes the
# inputs it finds to fuzz/target/corpus/TARGET (not committed); to fold them into the committed
# corpus, minimise: see fuzz/README.md. A crashing input is saved in fuzz/artifacts/TARGET/.
# One process per target on one core, at the lowest priority (benchmarks may share the machine).
set -uo pipefail
cd "$(dirname "$0")"

secs=${1:-60}
shift || true
if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo +nightly fuzz list)
fi

# Build all targets in one go first: the per-target runs then start fuzzing at once.
nice -n 19 cargo +nightly fuzz build || exit 1

# Longest input per target. Without it libFuzzer caps inputs at the longest corpus file, and
# the committed corpora are cut short on purpose (cmin.sh MAX_LEN) to stay small.
max_len() {
  case $1 in
    robots) echo 4096 ;;
    parse_html) echo 40000 ;;
    *) echo 16384 ;;
  esac
}

failed=()
summary=()
for t in "${targets[@]}"; do
  mkdir -p "target/corpus/$t" "corpus/$t" "artifacts/$t"
  log="target/fuzz-$t.log"
  echo "== fuzz $t for ${secs}s"
  nice -n 19 cargo +nightly fuzz run "$t" "target/corpus/$t" "corpus/$t" -- \
    -max_total_time="$secs" -max_len="$(max_len "$t")" -rss_limit_mb=2048 -timeout=25 \
    -print_final_stats=1 \
    >"$log" 2>&1
  rc=$?
  # "#123456 DONE cov: 1234 ft: 5678 corp: …" is libFuzzer's closing status line.
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1)
  if [ $rc -eq 0 ]; then
    summary+=("$t: ${done_line:-no DONE line}")
  else
    failed+=("$t")
    summary+=("$t: FAILED (exit $rc), see fuzz/$log and fuzz/artifacts/$t/")
    grep -E -A 40 'ERROR: libFuzzer|panicked at|==[0-9]+==ERROR' "$log" | head -n 80
  fi
done

echo "== fuzz summary (${secs}s per target)"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]}"
  exit 1
fi
echo "fuzzing: ${#targets[@]} targets ran ${secs}s each, no crash"
