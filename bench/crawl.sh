#!/usr/bin/env bash
# Crawl-engine benchmarks on the bundled synthetic portal (many hosts on 127.0.0.x).
#
#   bench/crawl.sh throughput   # 20 hosts x 250 reports, no politeness delay: pages/s, CPU s, peak RSS
#   bench/crawl.sh politeness   # 20 hosts at 2 req/s/host: achieved / (hosts x rate)
#   bench/crawl.sh memory       # peak RSS at ~1k, ~10k, ~100k pages (fetch-only; full crawl at 100k with FULL=1)
#   bench/crawl.sh rerun        # nightly rerun of the unchanged portal vs the first crawl
#   bench/crawl.sh engine       # nianbao vs Scrapy on the same portal, plus wrk's requests/s ceiling
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

# crawl DB RATE CONCURRENCY [ARGS…] → prints "pages secs cpu_secs rss_mb" and the summary line to $WORK/last.txt
crawl() {
  local db=$1 rate=$2 conc=$3
  shift 3
  /usr/bin/time -v "$BIN" --db "$db" crawl --rate "$rate" --concurrency "$conc" "$@" $SEEDS 2> "$WORK/last.txt" >/dev/null || true
  local pages secs user sys rss
  pages=$(grep -oP '(?<=, )\d+(?= responses)' "$WORK/last.txt" | tail -1)
  secs=$(grep -oP '(?<= in )[0-9.]+(?=s:)' "$WORK/last.txt" | tail -1)
  user=$(grep -oP '(?<=User time \(seconds\): )[0-9.]+' "$WORK/last.txt")
  sys=$(grep -oP '(?<=System time \(seconds\): )[0-9.]+' "$WORK/last.txt")
  rss=$(grep -oP '(?<=Maximum resident set size \(kbytes\): )\d+' "$WORK/last.txt")
  echo "$pages $secs $(printf "%.2f" "$(echo "$user + $sys" | bc)") $((rss / 1024))"
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
  # The crawler's own log of each request's release (RUST_LOG=nianbao::pace=debug) gives the
  # busiest 1-second window of every host.
  read -r p s c r < <(RUST_LOG=nianbao::pace=debug crawl "$WORK/p.db" 2 64)
  local budget worst
  budget=$(echo "20 * 2 * $s" | bc -l)
  worst=$(python3 - "$WORK/last.txt" <<'PY'
import re, sys
from collections import defaultdict
from datetime import datetime
times = defaultdict(list)
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"(\S+Z)\s+DEBUG\s+released host=\"?([^\s\"]+)", line)
    if m:
        times[m.group(2)].append(datetime.fromisoformat(m.group(1).replace("Z", "+00:00")).timestamp())
worst = 0
for ts in times.values():
    ts.sort()
    j = 0
    for i, t in enumerate(ts):
        while ts[j] <= t - 1.0:
            j += 1
        worst = max(worst, i - j + 1)
print(worst)
PY
)
  row "politeness 20 hosts x 2 req/s" "$p" "$s" "$c" "$r" "$(printf 'achieved %.1f%% of hosts x rate; busiest 1-s window of any host: %s requests' "$(echo "100 * $p / $budget" | bc -l)" "$worst")"
  stop_portal
}

# Peak RSS as the crawl grows: the engine alone (--fetch-only) at ~1k, ~10k and ~100k pages;
# the full pipeline at ~1k and ~10k (and ~100k with FULL=1, ≈7 minutes).
memory() {
  for spec in "4 250" "20 500" "40 2500"; do
    set -- $spec
    start_portal "$1" "$2" 70
    read -r p s c r < <(crawl "$WORK/f$1.db" 0 64 --fetch-only)
    row "memory $1 hosts x $2, fetch-only" "$p" "$s" "$c" "$r"
    rm -f "$WORK/f$1.db"*
    if [ "$1" != 40 ] || [ -n "${FULL:-}" ]; then
      read -r p s c r < <(crawl "$WORK/m$1.db" 0 64)
      row "memory $1 hosts x $2, full crawl" "$p" "$s" "$c" "$r"
      rm -f "$WORK/m$1.db"*
    fi
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

# --- engine: nianbao vs Scrapy (bench/scrapy/nianbao_bench_spider.py), wrk as the ceiling ---

# Installs Scrapy (pip) and wrk (apt) when missing; says so when it cannot.
ensure_tools() {
  if ! python3 -c 'import scrapy' 2>/dev/null; then
    echo "installing scrapy with pip" >&2
    python3 -m pip install -q scrapy >&2 || python3 -m pip install -q --break-system-packages scrapy >&2 ||
      echo "could not install scrapy" >&2
  fi
  if ! command -v wrk >/dev/null; then
    echo "installing wrk with apt-get" >&2
    { apt-get install -y -q wrk || { apt-get update -q && apt-get install -y -q wrk; }; } >/dev/null 2>&1 ||
      echo "could not install wrk (apt-get failed); the ceiling row is skipped" >&2
  fi
}

# time_v FILE → "wall_s cpu_s rss_mb" from a /usr/bin/time -v report (wall as h:mm:ss or m:ss).
time_v() {
  local wall user sys rss
  wall=$(grep -oP '(?<=Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): )[0-9:.]+' "$1" |
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
  user=$(grep -oP '(?<=User time \(seconds\): )[0-9.]+' "$1")
  sys=$(grep -oP '(?<=System time \(seconds\): )[0-9.]+' "$1")
  rss=$(grep -oP '(?<=Maximum resident set size \(kbytes\): )\d+' "$1")
  echo "$wall $(echo "$user + $sys" | bc) $((rss / 1024))"
}

# wrk_rps URL → requests/s of `wrk -t2 -c64 -d10s URL` (empty when wrk is missing).
wrk_rps() {
  command -v wrk >/dev/null || return 0
  wrk -t2 -c64 -d10s "$1" 2>/dev/null | grep -oP '(?<=Requests/sec:)\s*[0-9.]+' | tr -d ' ' || true
}

ENGINE_CONC=${ENGINE_CONC:-64}
ENGINE_PER_HOST=${ENGINE_PER_HOST:-2}

engine() {
  ensure_tools
  start_portal 20 250 130
  # nianbao: its own config file, so the per-host limit is the one given to Scrapy.
  printf '[crawl]\nrate = 0.0\nconcurrency = %s\nper_host_concurrency = %s\n' \
    "$ENGINE_CONC" "$ENGINE_PER_HOST" > "$WORK/engine.toml"
  # 1. The engine alone, like for like with the Scrapy spider: fetch, follow links, store every
  #    page (zstd + SHA-256 in SQLite); extraction, table parsing and checks deferred.
  /usr/bin/time -v "$BIN" --config "$WORK/engine.toml" --db "$WORK/f.db" crawl --fetch-only $SEEDS \
    2> "$WORK/fetch.txt" >/dev/null || true
  local fp fw fc fr
  fp=$(grep -oP '(?<=, )\d+(?= responses)' "$WORK/fetch.txt" | tail -1)
  read -r fw fc fr < <(time_v "$WORK/fetch.txt")
  # 2. The deferred analysis of that archive (no network).
  /usr/bin/time -v "$BIN" --config "$WORK/engine.toml" --db "$WORK/f.db" analyse \
    2> "$WORK/analyse.txt" >/dev/null || true
  local ap as aw ac ar
  ap=$(grep -oP '(?<=analysed )\d+(?= pages)' "$WORK/analyse.txt" | tail -1)
  as=$(grep -oP '(?<=reports )\d+(?= new)' "$WORK/analyse.txt" | tail -1)
  read -r aw ac ar < <(time_v "$WORK/analyse.txt")
  # 3. The full pipeline in one pass: fetch, extract, parse, check, index, into a fresh archive.
  /usr/bin/time -v "$BIN" --config "$WORK/engine.toml" --db "$WORK/e.db" crawl $SEEDS \
    2> "$WORK/nianbao.txt" >/dev/null || true
  local np ns nw nc nr
  np=$(grep -oP '(?<=, )\d+(?= responses)' "$WORK/nianbao.txt" | tail -1)
  ns=$(grep -oP '(?<=reports )\d+(?= new)' "$WORK/nianbao.txt" | tail -1)
  read -r nw nc nr < <(time_v "$WORK/nianbao.txt")
  # Scrapy: the same seeds, concurrency, per-host limit; every page stored in SQLite.
  local sv sp si sw sc sr
  sv=$(python3 -c 'import scrapy; print(scrapy.__version__)' 2>/dev/null || echo missing)
  /usr/bin/time -v python3 -m scrapy runspider bench/scrapy/nianbao_bench_spider.py \
    -a seeds="$WORK/seeds.txt" -a db="$WORK/scrapy.sqlite" \
    -s CONCURRENT_REQUESTS="$ENGINE_CONC" -s CONCURRENT_REQUESTS_PER_DOMAIN="$ENGINE_PER_HOST" \
    > /dev/null 2> "$WORK/scrapy.txt" || true
  sp=$(grep -oP "(?<='downloader/response_count': )\d+" "$WORK/scrapy.txt" || echo 0)
  si=$(grep -oP "(?<='item_scraped_count': )\d+" "$WORK/scrapy.txt" || echo 0)
  read -r sw sc sr < <(time_v "$WORK/scrapy.txt")
  # wrk against one report page and one listing page of the same portal, nothing else running.
  local report listing wr wl
  report=$(python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(
    "SELECT url FROM pages WHERE url LIKE ? LIMIT 1", ("%/t20%",)).fetchone()[0])' "$WORK/scrapy.sqlite" 2>/dev/null || true)
  listing=$(head -1 "$WORK/seeds.txt")
  wr=""
  if [ -n "$report" ]; then wr=$(wrk_rps "$report"); fi
  wl=$(wrk_rps "$listing")
  stop_portal

  printf '%-22s %7s %7s %8s %8s %7s %11s  %s\n' tool pages wall_s pages/s cpu_s rss_mb cpu_ms/page note
  erow() {
    printf '%-22s %7s %7.1f %8.1f %8.1f %7s %11.2f  %s\n' "$1" "$2" "$3" "$(echo "$2 / $3" | bc -l)" \
      "$4" "$5" "$(echo "1000 * $4 / $2" | bc -l)" "$6"
  }
  erow "nianbao --fetch-only" "$fp" "$fw" "$fc" "$fr" "engine: pages (zstd + sha256) in SQLite, analysis queued"
  erow "nianbao analyse" "$ap" "$aw" "$ac" "$ar" "no network: reports $as, tables, checks, FTS"
  erow "nianbao (full crawl)" "$np" "$nw" "$nc" "$nr" "reports $ns; fetch + analyse in one pass"
  erow "scrapy $sv" "$sp" "$sw" "$sc" "$sr" "pages stored $si; url + body in SQLite"
  ratio() {
    printf 'ratio %-24s pages/s %5.2f, peak RSS %.2f, CPU s %.2f\n' "$1/scrapy:" \
      "$(echo "($2 / $3) / ($sp / $sw)" | bc -l)" "$(echo "$5 / $sr" | bc -l)" "$(echo "$4 / $sc" | bc -l)"
  }
  ratio "nianbao --fetch-only" "$fp" "$fw" "$fc" "$fr"
  ratio "nianbao full crawl" "$np" "$nw" "$nc" "$nr"
  echo "(concurrency $ENGINE_CONC, per host $ENGINE_PER_HOST; target: engine >= 10x pages/s at <= 0.25x peak RSS)"
  if command -v wrk >/dev/null; then
    printf 'wrk -t2 -c64 -d10s ceiling: report page %s req/s, listing page %s req/s\n' "${wr:-?}" "${wl:-?}"
  else
    echo "wrk ceiling: skipped (wrk not installed)"
  fi
}

case "${1:-all}" in
  engine) engine; exit ;;
esac
header
case "${1:-all}" in
  throughput) throughput ;;
  politeness) politeness ;;
  memory) memory ;;
  rerun) rerun ;;
  all) throughput; politeness; memory; rerun; echo; engine ;;
  *) echo "unknown benchmark $1" >&2; exit 2 ;;
esac
