#!/usr/bin/env bash
# Why a Postfix on the web server's two cores moves the page p99 (docs/PERFORMANCE.md,
# "Mail gateway"): the thread page paced at about 2,000 requests/s (bench/paced.lua),
# p99 before and while mail goes through a private Postfix that discards it.
#   MODE=relay (default): Roundtable sends two posts to the 10,000 subscribers of the
#     mail bench's database. TMPFS=1 puts Postfix's queue on tmpfs (no fsync reaches a
#     disk); PFSET="--set max_use=1000000" (say) changes main.cf; SERVE_NICE=-10 runs
#     the server and wrk at that nice value.
#   MODE=client: Roundtable sends nothing; bench/smtp_client_probe.py sends 8,000 copies
#     plain, pipelined and with BDAT, under SCHED_IDLE as Roundtable's sender runs.
# Needs root, a build in build/ and the database bench/mail_bench.sh leaves behind.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${BENCH_DIR:-/tmp/roundtable-bench}/mail"; db=$dir/rt.db
web_port=8191; lmtp_port=8124
[ -f "$db" ] || { echo "run bench/mail_bench.sh first: it builds $db" >&2; exit 2; }
sqlite3 "$db" "UPDATE deliveries SET state = 'sent' WHERE state = 'queued'"
umount "$dir/pf" 2>/dev/null || true  # left mounted by a TMPFS=1 run that was killed
rm -rf "$dir/pf"; mkdir -p "$dir/pf"
cleanup() {
  if [ -n "${serve_pid:-}" ]; then kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; fi
  /usr/bin/python3 tests/mail/postfix_harness.py stop --dir "$dir/pf" >/dev/null 2>&1 || true
  if [ "${TMPFS:-0}" = 1 ]; then umount "$dir/pf" 2>/dev/null || true; fi
}
trap cleanup EXIT
if [ "${TMPFS:-0}" = 1 ]; then mount -t tmpfs -o size=512m tmpfs "$dir/pf"; fi
# shellcheck disable=SC2086  # PFSET is a list of --set options
relay_port=$(/usr/bin/python3 tests/mail/postfix_harness.py start --dir "$dir/pf" --lmtp-port $lmtp_port \
  --set default_transport=discard ${PFSET:-} --watch-pid $$)
nice_prefix=(); [ -n "${SERVE_NICE:-}" ] && nice_prefix=(nice -n "$SERVE_NICE")
smtp_args=(); [ "${MODE:-relay}" = relay ] && smtp_args=(--smtp "127.0.0.1:$relay_port")
"${nice_prefix[@]}" build/roundtable serve --db "$db" --listen 127.0.0.1:$web_port --lmtp 127.0.0.1:$lmtp_port \
  --access-log off --rate-limit 0 --held-first-posts 0 --posts-per-hour 1000000 --digest-hour -1 "${smtp_args[@]}" \
  2>"$dir/probe.log" &
serve_pid=$!
sleep 1
thread=$(sqlite3 "$db" "SELECT thread_id FROM messages ORDER BY id LIMIT 1")
paced() {
  "${nice_prefix[@]}" wrk -t1 -c20 -d8s --latency -s bench/paced.lua "http://127.0.0.1:$web_port/t/$thread" |
    awk '/Requests\/sec/ {r = $2} / 99%/ {p = $2} END {print r " req/s, p99 " p}'
}
queued() { sqlite3 "$db" "SELECT count(*) FROM deliveries WHERE state = 'queued'"; }
wait_sent() {  # at most two minutes: a relay that refuses the copies leaves them queued
  for _ in $(seq 240); do [ "$(queued)" = 0 ] && return; sleep 0.5; done
  echo "copies still queued after 2 minutes: see $dir/probe.log and $dir/pf/maillog" >&2; exit 1
}
if [ "${MODE:-relay}" = relay ]; then
  for round in 1 2; do
    echo "before: $(paced)"
    printf 'From: Member <member1@example.org>\r\nTo: big@lists.bench.test\r\nSubject: Probe\r\nMessage-ID: <probe-%s-%s@example.org>\r\nDate: Tue, 24 Nov 2026 12:00:00 +0000\r\n\r\nHello all.\r\n' \
      "$(date +%s%N)" "$round" >"$dir/probe.eml"
    /usr/bin/python3 tests/mail/lmtp_send.py $lmtp_port "$dir/probe.eml" big@lists.bench.test >/dev/null
    echo "while sending: $(paced); $(queued) copies still queued"
    wait_sent
  done
else
  for mode in plain pipe bdat; do
    echo "before: $(paced)"
    chrt --idle 0 /usr/bin/python3 bench/smtp_client_probe.py "$relay_port" "$mode" 8000 &
    client=$!
    sleep 0.3
    echo "while $mode: $(paced)"
    wait $client
    /usr/bin/python3 tests/mail/postfix_harness.py wait-empty --dir "$dir/pf" >/dev/null 2>&1 || true
  done
fi
