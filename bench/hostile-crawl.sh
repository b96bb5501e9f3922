#!/usr/bin/env bash
# The crawl against hostile servers (the experiments behind tests/hostile/), measured with
# /usr/bin/time -v: requests made, wall time, exit code, peak RSS. Run it for a build before
# and after a change:
#
#   bench/hostile-crawl.sh target/release/nianbao after
#
# (Exit 124: stopped by Ctrl-C at the limit; 137: killed at the limit.) Scenarios (servers: bench/hostile_server.py, and `nianbao demo --serve` for the disk):
#   trap         the default crawl (built-in settings: 1 request/s) of a trap portal for 120 s
#                (Ctrl-C then): reports found, listing pages fetched
#   disk         the demo portal (rate 20) into an archive on a 2 MB tmpfs (root only): requests
#                before it stopped (killed at 120 s if it does not stop)
#   robots-302   robots.txt redirecting twice within the host
#   robots-500   robots.txt answering 500 (the only host)
#   crawl-delay  robots.txt Crawl-delay: 86400 (killed at 120 s if it waits)
#   ctrl-c       Ctrl-C 2 s after robots.txt while the host sleeps on that Crawl-delay (obeyed
#                on purpose): seconds from Ctrl-C to exit (killed at 60 s)
set -u
BIN=$(realpath "${1:?usage: bench/hostile-crawl.sh BINARY LABEL}")
LABEL=${2:-run}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; umount -l "$WORK/tiny" 2>/dev/null; rm -rf "$WORK"' EXIT
cd "$WORK"   # no config.toml here: built-in settings unless a scenario writes one

row() { printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$LABEL" "$@"; }
rss() { awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}' "$1"; }
wall() { awk -F': ' '/Elapsed \(wall/ {print $2}' "$1"; }
serve() { # scenario ip port → log file
    : > "$WORK/$1.log"
    python3 "$HERE/hostile_server.py" "$1" "127.0.0.$2" "$3" "$WORK/$1.log" &
    sleep 1
}
lines() { grep -c -e "${2:-}" "$1" 2>/dev/null || true; }

echo "| build | scenario | exit | wall | peak RSS MB | requests | what |"
echo "|---|---|---:|---:|---:|---:|---|"

# trap
serve trap 31 8931
/usr/bin/time -v -o t.time timeout --foreground -k 30 -s INT 120 "$BIN" --db trap.db crawl \
    --seed "http://127.0.0.31:8931/zfxxgknb/list?page=1" 2> trap.err
code=$?
reports=$(sqlite3 trap.db 'SELECT count(*) FROM reports' 2>/dev/null || echo ?)
listings=$(grep -v -e t20240126 -e robots.txt trap.log | wc -l)
reportpages=$(lines trap.log t20240126)
queued=$(sqlite3 trap.db "SELECT count(*) FROM frontier WHERE state = 'queued' AND kind = 'listing'" 2>/dev/null)
skipped=$(sqlite3 trap.db "SELECT count(*) FROM frontier WHERE state = 'skipped'" 2>/dev/null)
row trap "$code" "$(wall t.time)" "$(rss t.time)" "$(wc -l < trap.log)" \
    "$reports reports, $listings listing pages, $reportpages report pages; $queued listings queued, $skipped skipped"

# disk
if [ "$(id -u)" = 0 ] && mkdir -p tiny && mount -t tmpfs -o size=2m tmpfs tiny; then
    "$BIN" demo --serve --first-ip 60 --seeds-out seeds.txt > demo.out 2>&1 &
    for _ in $(seq 50); do [ -s seeds.txt ] && break; sleep 0.2; done
    printf '[crawl]\nrate = 20\n' > disk.toml
    args=(); while read -r s; do args+=(--seed "$s"); done < seeds.txt
    # A whole crawl on a roomy disk, for comparison.
    RUST_LOG=nianbao::pace=debug "$BIN" --config disk.toml --db roomy.db crawl "${args[@]}" 2> roomy.err
    full=$(lines roomy.err ' sending')
    RUST_LOG=nianbao::pace=debug /usr/bin/time -v -o d.time timeout --foreground -s KILL 120 \
        "$BIN" --config disk.toml --db tiny/archive.db crawl "${args[@]}" 2> disk.err
    code=$?
    sent=$(lines disk.err ' sending')
    stored=$(sqlite3 tiny/archive.db 'SELECT count(*) FROM reports' 2>/dev/null || echo ?)
    summary=$(grep -o 'reports [0-9]* new' disk.err | tail -1)
    row disk "$code" "$(wall d.time)" "$(rss d.time)" "$sent" \
        "a whole crawl needs $full; summary says '${summary:-no summary}', archive holds $stored; $(lines disk.err 'disk is full') 'disk is full' lines"
    kill %?demo 2>/dev/null
else
    row disk - - - - "skipped: needs root to mount a tmpfs"
fi

# robots-302, robots-500, crawl-delay
port=8932
for s in robots-302 robots-500 crawl-delay; do
    serve "$s" 32 "$port"
    /usr/bin/time -v -o r.time timeout --foreground -s KILL 120 "$BIN" --db "$s.db" crawl \
        --seed "http://127.0.0.32:$port/zfxxgknb/index.html" 2> "$s.err"
    code=$?
    reports=$(sqlite3 "$s.db" 'SELECT count(*) FROM reports' 2>/dev/null || echo ?)
    host=$(sqlite3 "$s.db" "SELECT state || ': ' || coalesce(last_error, robots_status) FROM hosts" 2>/dev/null)
    row "$s" "$code" "$(wall r.time)" "$(rss r.time)" "$(wc -l < "$s.log")" "$reports reports; host $host"
    port=$((port + 1))
done

# ctrl-c: the same Crawl-delay, obeyed (a build that knows max_crawl_delay_secs is told to)
serve crawl-delay 33 8940
: > ctrlc.toml
if "$BIN" --help >/dev/null && grep -q max_crawl_delay "$BIN" 2>/dev/null; then
    printf '[crawl]\nmax_crawl_delay_secs = 100000.0\n' > ctrlc.toml
fi
/usr/bin/time -v -o c.time "$BIN" --config ctrlc.toml --db ctrlc.db crawl \
    --seed "http://127.0.0.33:8940/zfxxgknb/index.html" 2> ctrlc.err &
pid=$!
for _ in $(seq 100); do [ -s crawl-delay.log ] && break; sleep 0.1; done
sleep 2
crawler=$(pgrep -P $pid)
start=$(date +%s.%N)
kill -INT "$crawler"
for _ in $(seq 600); do kill -0 "$crawler" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$crawler" 2>/dev/null; then
    kill -KILL "$crawler"; stop="killed after 60 s"
else
    stop="exited $(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)") s after Ctrl-C"
fi
wait $pid; code=$?
row ctrl-c "$code" "$(wall c.time)" "$(rss c.time)" "$(wc -l < crawl-delay.log)" "$stop"
