#!/usr/bin/env bash
# Crawl-engine benchmarks on the bundled synthetic portal (many hosts on 127.0.0.x).
#
#   bench/crawl.sh throughput   # 20 hosts x 250 reports, no politeness delay: pages/s, CPU s, peak RSS
#   bench/crawl.sh politeness   # 20 hosts at 2 req/s/host: achieved / (hosts x rate)
#   bench/crawl.sh memory       # peak RSS at ~1k, ~10k (and ~100k with FULL=1) pages
#   bench/crawl.sh rerun        # nightly rerun of the unchanged portal vs the first crawl
#   bench/crawl.sh all
#
# Prints one table row per measurement. Uses target/release/nianbao (built first).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
BIN=$PWD/target/release/nianbao
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

# start_portal HOSTS REPORTS FIRST_IP → sets SEEDS (as --seed args) and PORTAL_PID
start_portal() {
  rm -f "$WORK/seeds.txt"
  "$BIN" demo --serve --hosts "$1" --reports-per-host "$2" --first-ip "$3" --seeds-out "$WORK/seeds.txt" >/dev/null &
  PORTAL_PID=$!
  for _ in $(seq 100); do [ -s "$WORK/seeds.txt" ] && break; sleep 0.1; done
  SEEDS=$(sed 's/^/--seed /' "$WORK/seeds.txt" | tr '\n' ' ')
}
stop_portal() { kill "$PORTAL_PID" 2>/dev/null || true; wait "$PORTAL_PID" 2>/dev/null || true; }

# crawl DB RATE CONCURRENCY → prints "pages secs cpu_secs rss_mb" and the summary line to $WORK/last.txt
crawl() {
  local db=$1 rate=$2 conc=$3
  /usr/bin/time -v "$BIN" --db "$db" crawl --rate "$rate" --concurrency "$conc" $SEEDS 2> "$WORK/last.txt" >/dev/null || true
  local pages secs user sys rss
  pages=$(grep -oP '(?<=, )\d+(?= responses)' "$WORK/last.txt" | tail -1)
  secs=$(grep -oP '(?<= in )[0-9.]+(?=s:)' "$WORK/last.txt" | tail -1)
  user=$(grep -oP '(?<=User time \(seconds\): )[0-9.]+' "$WORK/last.txt")
  sys=$(grep -oP '(?<=System time \(seconds\): )[0-9.]+' "$WORK/last.txt")
  rss=$(grep -oP '(?<=Maximum resident set size \(kbytes\): )\d+' "$WORK/last.txt")
  echo "$pages $secs $(echo "$user + $sys" | bc) $((rss / 1024))"
}

header() { printf '%-34s %8s %8s %9s %9s %8s %s\n' bench pages secs pages/s cpu_s rss_mb note; }
row() { printf '%-34s %8s %8s %9.1f %9s %8s %s\n' "$1" "$2" "$3" "$(echo "$2 / $3" | bc -l)" "$4" "$5" "${6:-}"; }

throughput() {
  start_portal 20 250 10
  read -r p s c r < <(crawl "$WORK/t.db" 0 64)
  row "throughput 20 hosts, no delay" "$p" "$s" "$c" "$r"
  stop_portal
}

politeness() {
  start_portal 20 20 40
  read -r p s c r < <(crawl "$WORK/p.db" 2 64)
  local budget; budget=$(echo "20 * 2 * $s" | bc -l)
  row "politeness 20 hosts x 2 req/s" "$p" "$s" "$c" "$r" "$(printf 'achieved %.1f%% of hosts x rate' "$(echo "100 * $p / $budget" | bc -l)")"
  stop_portal
}

memory() {
  for spec in "4 250" "20 500" ${FULL:+"40 2500"}; do
    set -- $spec
    start_portal "$1" "$2" 70
    read -r p s c r < <(crawl "$WORK/m$1.db" 0 64)
    row "memory $1 hosts x $2 reports" "$p" "$s" "$c" "$r"
    stop_portal
  done
}

rerun() {
  start_portal 20 250 110
  read -r p1 s1 c1 r1 < <(crawl "$WORK/r.db" 0 64)
  local b1; b1=$(grep -oP '[0-9.]+(?= MB\))' "$WORK/last.txt" | tail -1)
  row "first crawl" "$p1" "$s1" "$c1" "$r1" "${b1} MB"
  read -r p2 s2 c2 r2 < <(crawl "$WORK/r.db" 0 64)
  local b2; b2=$(grep -oP '[0-9.]+(?= MB\))' "$WORK/last.txt" | tail -1)
  row "nightly rerun, unchanged" "$p2" "$s2" "$c2" "$r2" "$(printf '%s MB; wall %.1f%% of first' "$b2" "$(echo "100 * $s2 / $s1" | bc -l)")"
  stop_portal
}

header
case "${1:-all}" in
  throughput) throughput ;;
  politeness) politeness ;;
  memory) memory ;;
  rerun) rerun ;;
  all) throughput; politeness; memory; rerun ;;
  *) echo "unknown benchmark $1" >&2; exit 2 ;;
esac
