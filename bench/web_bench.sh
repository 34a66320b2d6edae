#!/usr/bin/env bash
# Web benchmark: `roundtable serve` on a 100,000-message archive under wrk (256
# connections), beside nginx serving a saved copy of the same thread page (the ceiling).
# Usage: bench/web_bench.sh [MESSAGES=100000] [SECONDS=15]
# With DB=postgresql://... it serves that database (already imported; bench/pg_bench.sh
# does) instead of a SQLite file it imports itself.
# Needs a build in build/ and the bench packages (scripts/install-deps.sh bench).
# Work files go to ${BENCH_DIR:-/tmp/roundtable-bench}; figures to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"; secs="${2:-15}"
dir="${BENCH_DIR:-/tmp/roundtable-bench}/web-$n"
rt_port=8181; nginx_port=8182
mkdir -p "$dir/www"
db="${DB:-$dir/rt.db}"
if [ -z "${DB:-}" ] && [ ! -f "$dir/rt.db" ]; then
  python3 bench/gen_archive.py --messages "$n" --seed 1 --format mbox --out "$dir/archive.mbox"
  build/roundtable import --no-progress --db "$dir/rt.db" "$dir/archive.mbox"
fi

cleanup() { kill "$rt_pid" 2>/dev/null || true; [ -f "$dir/nginx.pid" ] && kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true; }
trap cleanup EXIT
build/roundtable serve --db "$db" --listen 127.0.0.1:$rt_port --access-log off --rate-limit 0 2>"$dir/serve.log" &
rt_pid=$!
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$rt_port/" && break; sleep 0.1; done

# A typical thread: the first one of the biggest list with 5 to 15 messages.
thread=$(python3 - "$rt_port" <<'PY'
import json, sys, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}/api/v1"
get = lambda p: json.load(urllib.request.urlopen(base + p))
lists = get("/forums/main/lists")["lists"]
big = max(lists, key=lambda l: l["message_count"])
cursor = ""
while True:
    page = get(f"/forums/main/lists/{big['name']}/threads?limit=200" + (f"&cursor={cursor}" if cursor else ""))
    for t in page["threads"]:
        if 5 <= t["message_count"] <= 15:
            print(t["url"]); sys.exit()
    cursor = page["next_cursor"]
PY
)
curl -s "http://127.0.0.1:$rt_port$thread" > "$dir/www/thread.html"
echo "$thread" > "$dir/thread.path"  # for bench/pg_bench.sh
echo "database: ${DB:+PostgreSQL}${DB:-SQLite}; corpus: $n messages; thread page $thread: $(wc -c < "$dir/www/thread.html") bytes; $(nproc) cores; wrk -t2 -c256 -d${secs}s"

cat > "$dir/nginx.conf" <<NGINX
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on; tcp_nopush on; keepalive_requests 1000000;
  server { listen 127.0.0.1:$nginx_port; root $dir/www; default_type text/html; etag on; }
}
NGINX
nginx -c "$dir/nginx.conf" -e "$dir/nginx-error.log"
sleep 0.3

. bench/wrk_common.sh

rss_peak() { awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$rt_pid/status"; }

read -r ng_rps ng_p50 ng_p99 ng_err < <(run_wrk "http://127.0.0.1:$nginx_port/thread.html")
echo "nginx static copy of the thread page:   $ng_rps req/s, p50 $ng_p50 ms, p99 $ng_p99 ms"
read -r th_rps th_p50 th_p99 th_err < <(run_wrk "http://127.0.0.1:$rt_port$thread")
echo "roundtable thread page:                 $th_rps req/s, p50 $th_p50 ms, p99 $th_p99 ms, non-2xx $th_err ($(python3 -c "print(round(100 * $th_rps / $ng_rps))")% of nginx)"

# Uncached: a counter in the query string makes every request a page-cache miss.
cat > "$dir/uncached.lua" <<LUA
local n = 0
request = function() n = n + 1; return wrk.format("GET", "$thread?n=" .. n) end
LUA
read -r un_rps un_p50 un_p99 un_err < <(run_wrk -s "$dir/uncached.lua" "http://127.0.0.1:$rt_port")
echo "roundtable thread page, never cached:   $un_rps req/s, p50 $un_p50 ms, p99 $un_p99 ms, non-2xx $un_err"

# Search: the benchmark queries in turn, each with a counter so no answer comes from the cache.
python3 - bench/queries.txt > "$dir/search.lua" <<'PY'
import sys, urllib.parse
qs = [l.strip() for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")]
print("local queries = {" + ",".join('"' + urllib.parse.quote(q) + '"' for q in qs) + "}")
print("local n = 0")
print('request = function() n = n + 1; return wrk.format("GET", "/search?q=" .. queries[n % #queries + 1] .. "&n=" .. n) end')
PY
read -r se_rps se_p50 se_p99 se_err < <(run_wrk -s "$dir/search.lua" "http://127.0.0.1:$rt_port")
echo "roundtable search page, never cached:   $se_rps req/s, p50 $se_p50 ms, p99 $se_p99 ms, non-2xx $se_err ($(grep -vc '^#' bench/queries.txt) queries)"
read -r sr_rps sr_p50 sr_p99 sr_err < <(run_wrk "http://127.0.0.1:$rt_port/search?q=internet+governance")
echo "roundtable search page, one query again and again (page cache): $sr_rps req/s, p50 $sr_p50 ms, p99 $sr_p99 ms, non-2xx $sr_err"
# Mixed: readers of a cached thread page while other readers search (16 connections):
# renders run on their own threads, so cached pages keep flowing.
(sleep 2; wrk -t1 -c16 -d"${secs}s" -s "$dir/search.lua" "http://127.0.0.1:$rt_port" > "$dir/wrk-mixed-search.out" 2>&1) &
mixed_pid=$!
read -r mx_rps mx_p50 mx_p99 mx_err < <(run_wrk "http://127.0.0.1:$rt_port$thread")
wait "$mixed_pid"
echo "roundtable thread page while 16 connections search: $mx_rps req/s, p50 $mx_p50 ms, p99 $mx_p99 ms (searches meanwhile: $(awk '/Requests\/sec/ {print int($2)}' "$dir/wrk-mixed-search.out") req/s)"
echo "roundtable peak RSS over the whole run: $(rss_peak) MB"
