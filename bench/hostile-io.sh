#!/usr/bin/env bash
# Hostile-input benchmarks: a 45 MB report page and idle connections against `serve`.
#
#   bench/hostile-io.sh parse      # `nianbao parse` of a 45 MB page with one 2.8-million-cell table
#   bench/hostile-io.sh crawl      # crawl a one-report site serving that page (builds $ARCHIVE)
#   bench/hostile-io.sh report     # serve $ARCHIVE; 30 concurrent GETs of the huge report's page
#   bench/hostile-io.sh original   # serve $ARCHIVE; 30 concurrent GETs of its archived original (45 MB)
#   bench/hostile-io.sh idle       # serve; 2,000 connections that never send a request
#   bench/hostile-io.sh all
#
# BIN (default target/release/nianbao, built first) picks the binary, so an older build can be
# measured the same way; ARCHIVE (default $WORK/huge.db) keeps the crawled archive between
# runs. Each measured process runs under /usr/bin/time -v: wall seconds and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BIN:-}" ]; then
  cargo build --release -q
  BIN=$PWD/target/release/nianbao
fi
WORK=$(mktemp -d)
ARCHIVE=${ARCHIVE:-$WORK/huge.db}
IP=127.0.0.251
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

page() { [ -s "$WORK/site/huge.html" ] || { mkdir -p "$WORK/site"; python3 bench/huge_page.py "$WORK/site/huge.html"; }; }

# timed LABEL CMD… → one line: label, exit code, wall s, peak RSS MB (and the command's stderr tail)
timed() {
  local label=$1 rc=0
  shift
  /usr/bin/time -v "$@" > "$WORK/out.txt" 2> "$WORK/time.txt" || rc=$?
  local wall rss
  wall=$(grep -oP '(?<=Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ).*' "$WORK/time.txt")
  rss=$(grep -oP '(?<=Maximum resident set size \(kbytes\): )\d+' "$WORK/time.txt")
  printf '%-28s exit %s  wall %s  peak RSS %s MB\n' "$label" "$rc" "$wall" "$((rss / 1024))"
  grep -v '^\s' "$WORK/time.txt" | grep -v 'Command being timed' | tail -3 | sed 's/^/    /'
}

parse() {
  page
  timed "parse 45 MB page" "$BIN" parse "$WORK/site/huge.html"
}

crawl() {
  page
  cat > "$WORK/site/index.html" <<'HTML'
<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>
<ul><li><a href="huge.html">某某市巨表局2024年政府信息公开工作年度报告</a></li></ul></body></html>
HTML
  printf 'User-agent: *\nDisallow:\n' > "$WORK/site/robots.txt"
  (cd "$WORK/site" && exec python3 -m http.server 8751 --bind "$IP" >/dev/null 2>&1) &
  local server=$!
  sleep 1
  rm -f "$ARCHIVE"*
  timed "crawl the 45 MB page" "$BIN" --db "$ARCHIVE" crawl --rate 0 --seed "http://$IP:8751/index.html"
  kill "$server"; wait "$server" 2>/dev/null || true
  sqlite3 "$ARCHIVE" "SELECT '    report ' || substr(id, 1, 12) || ' ' || status || ', text ' || length(text) || ' chars' FROM reports"
}

# serve_start → SERVE_PID, PORT
serve_start() {
  PORT=8752
  /usr/bin/time -v "$BIN" --db "$ARCHIVE" serve --bind "$IP:$PORT" 2> "$WORK/serve.txt" &
  SERVE_PID=$!
  for _ in $(seq 100); do grep -q serving "$WORK/serve.txt" 2>/dev/null && break; sleep 0.1; done
}
serve_stop() {
  local inner
  inner=$(pgrep -P "$SERVE_PID" || true)
  kill -INT "${inner:-$SERVE_PID}" 2>/dev/null || true
  wait "$SERVE_PID" 2>/dev/null || true
  local rss
  rss=$(grep -oP '(?<=Maximum resident set size \(kbytes\): )\d+' "$WORK/serve.txt")
  echo "    serve peak RSS $((rss / 1024)) MB"
}

# report [SUFFIX]: 30 concurrent GETs of /reports/ID$SUFFIX
report() {
  [ -s "$ARCHIVE" ] || crawl
  local id
  id=$(sqlite3 "$ARCHIVE" "SELECT id FROM reports ORDER BY length(text) DESC LIMIT 1")
  serve_start
  python3 bench/hostile_client.py get "http://$IP:$PORT/reports/$id${1:-}" 30
  serve_stop
}

idle() {
  [ -s "$ARCHIVE" ] || crawl
  ulimit -n 20000
  serve_start
  local inner
  inner=$(pgrep -P "$SERVE_PID" || echo "$SERVE_PID")
  python3 bench/hostile_client.py idle "$IP" "$PORT" 2000 "${IDLE_SECS:-70}" "$inner"
  python3 bench/hostile_client.py get "http://$IP:$PORT/reports" 1
  serve_stop
}

case "${1:-all}" in
  parse) parse ;;
  crawl) crawl ;;
  report) report ;;
  original) report /original ;;
  idle) idle ;;
  all) parse; crawl; report; report /original; idle ;;
  *) echo "usage: $0 parse|crawl|report|original|idle|all" >&2; exit 2 ;;
esac
