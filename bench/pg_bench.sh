#!/usr/bin/env bash
# PostgreSQL beside SQLite, in one run on the same generated archive:
#   1. the import (bench/import_bench.sh's corpus) into a SQLite file and into PostgreSQL;
#   2. the web benchmark (bench/web_bench.sh: thread page, uncached, search, nginx) on each;
#   3. the thread page through nginx with one server node, then with two.
# Usage: bench/pg_bench.sh [MESSAGES=100000] [SECONDS=15]
# PostgreSQL runs as the tests run it (tests/pg/pg_server.sh), on port 55450.
# Work files go to ${BENCH_DIR:-/tmp/roundtable-bench}; figures to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"; secs="${2:-15}"
base="${BENCH_DIR:-/tmp/roundtable-bench}"
dir="$base/web-$n"  # shared with bench/web_bench.sh: same archive, same SQLite file
mkdir -p "$dir"
pg_port=55450
server=$(bash tests/pg/pg_server.sh start "$base/pg-server" $pg_port | tail -1)
db_name="bench_$n"
pg_url="postgresql://postgres@127.0.0.1:$pg_port/$db_name"
[ -f "$dir/archive.mbox" ] || python3 bench/gen_archive.py --messages "$n" --seed 1 --format mbox --out "$dir/archive.mbox"
echo "corpus: $n messages, mbox $(du -mL "$dir/archive.mbox" | cut -f1) MB, $(nproc) cores; PostgreSQL $(psql "$server" -Atc 'SHOW server_version')"

# --- 1. Import ---
import_into() {  # DB LABEL
  /usr/bin/time -f "%e %M" -o "$dir/import.time" build/roundtable import --no-progress --db "$1" "$dir/archive.mbox" >/dev/null
  read -r s kb < "$dir/import.time"
  echo "import into $2: $n messages in $s s = $(python3 -c "print(round($n / $s))") msg/s, peak RSS $((kb / 1024)) MB"
}
rm -f "$dir"/rt.db*
import_into "$dir/rt.db" "SQLite    "
psql "$server" -qc "DROP DATABASE IF EXISTS $db_name" -c "CREATE DATABASE $db_name"
import_into "$pg_url" "PostgreSQL"

# --- 2. The web benchmark on each ---
bench/web_bench.sh "$n" "$secs"
DB="$pg_url" bench/web_bench.sh "$n" "$secs"

# --- 3. One node and two nodes behind nginx (PostgreSQL) ---
thread=$(cat "$dir/thread.path")
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; bash tests/pg/pg_server.sh stop "$base/pg-server" >/dev/null; }
trap cleanup EXIT
for port in 8191 8192; do
  build/roundtable serve --db "$pg_url" --listen 127.0.0.1:$port --access-log off --rate-limit 0 2>"$dir/node-$port.log" &
  pids+=($!)
done
for nodes in "one:8189:server 127.0.0.1:8191;" "two:8190:server 127.0.0.1:8191; server 127.0.0.1:8192;"; do
  IFS=: read -r name port upstream <<< "$nodes"
  cat > "$dir/nginx-$name.conf" <<NGINX
worker_processes 1;
pid $dir/nginx-$name.pid;
error_log $dir/nginx-$name-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  upstream roundtable { $upstream keepalive 64; }
  server {
    listen 127.0.0.1:$port;
    location / { proxy_pass http://roundtable; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
NGINX
  nginx -c "$dir/nginx-$name.conf" -e "$dir/nginx-$name-error.log"
  pids+=("$(sleep 0.3; cat "$dir/nginx-$name.pid")")
done
for port in 8191 8192; do
  for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
done
. bench/wrk_common.sh
read -r one_rps one_p50 one_p99 _ < <(run_wrk "http://127.0.0.1:8189$thread")
echo "thread page via nginx, one node:  $one_rps req/s, p50 $one_p50 ms, p99 $one_p99 ms"
read -r two_rps two_p50 two_p99 _ < <(run_wrk "http://127.0.0.1:8190$thread")
echo "thread page via nginx, two nodes: $two_rps req/s, p50 $two_p50 ms, p99 $two_p99 ms ($(python3 -c "print(round($two_rps / $one_rps, 2))")x)"
cat > "$dir/uncached.lua" <<LUA
local n = 0
request = function() n = n + 1; return wrk.format("GET", "$thread?n=" .. n) end
LUA
read -r one_rps _ one_p99 _ < <(run_wrk -s "$dir/uncached.lua" "http://127.0.0.1:8189")
read -r two_rps _ two_p99 _ < <(run_wrk -s "$dir/uncached.lua" "http://127.0.0.1:8190")
echo "thread page never cached via nginx: one node $one_rps req/s (p99 $one_p99 ms), two nodes $two_rps req/s (p99 $two_p99 ms)"
