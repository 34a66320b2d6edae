#!/usr/bin/env bash
# Mail gateway benchmark (issue 4), all on loopback:
#  1. LMTP: MESSAGES posts from subscribers over 8 connections into `serve --lmtp`; each
#     250 comes only once the post is durable (synchronous=FULL, group commit). Beside it,
#     the same client against an aiosmtpd LMTP server that stores nothing: the client's
#     ceiling, since Python's smtplib is the load generator.
#  2. One post to a list of 10,000 subscribers: time to the LMTP 250, which comes after
#     the post and its 10,000 deliveries are queued in one transaction.
#  3. Those 10,000 copies sent through a local SMTP server (aiosmtpd, then Postfix, both
#     discarding), while wrk reads a thread page: the page's p99 before and while sending,
#     with wrk paced at about 2,000 pages/s (bench/paced.lua) and with wrk saturating the
#     machine, in ROUNDS alternating pairs each (default 3), summed up as medians; then a
#     last post with nothing else running, for the CPU time per copy of Roundtable and of
#     the relay.
#     SMTP_NICE=N runs the SMTP servers at that nice value (a background relay; Postfix's
#     daemons inherit it from its master); SMTP_IDLE=1 runs them under SCHED_IDLE
#     (chrt --idle 0), as the sender thread runs. SMTP_RATE=N sends at most N copies a
#     second (serve --smtp-rate), SMTP_BUSY_RATE=N at most N while every web thread is
#     busy (serve --smtp-busy-rate, default 200; 0 for no limit). RELAYS="postfix" (say)
#     runs only those relays.
# Usage: bench/mail_bench.sh [MESSAGES=3000]
# Needs a build in build/ and the bench packages (scripts/install-deps.sh bench).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-3000}"
dir="${BENCH_DIR:-/tmp/roundtable-bench}/mail"
web_port=8191; lmtp_port=8124; sink_port=8125; smtp_port=8126
rm -rf "$dir"; mkdir -p "$dir"
db="$dir/rt.db"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
now_ms() { date +%s%3N; }
busy_jiffies() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }  # user nice system irq softirq
process_jiffies() { awk '{print $14 + $15}' "/proc/$1/stat"; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.1; done; echo "port $1 never opened" >&2; exit 1; }

build/roundtable list create --db "$db" --forum bench lmtp --address lmtp@lists.bench.test >/dev/null
build/roundtable list create --db "$db" --forum bench big --address big@lists.bench.test >/dev/null
# 10 subscribers for the LMTP list; 10,000 for the big one (written in SQL: 10,000 CLI runs
# would measure process start-up).
sqlite3 "$db" "WITH RECURSIVE i(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM i WHERE x < 9)
  INSERT INTO subscriptions (list_id, address, mode, created_at)
  SELECT (SELECT id FROM lists WHERE name = 'lmtp'), 'member' || x || '@example.org', 'each', unixepoch() FROM i;
  WITH RECURSIVE i(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM i WHERE x < 9999)
  INSERT INTO subscriptions (list_id, address, mode, created_at)
  SELECT (SELECT id FROM lists WHERE name = 'big'), 'reader' || x || '@example.net', 'each', unixepoch() FROM i;"
python3 bench/gen_list_mail.py "$n" lmtp@lists.bench.test 10 "$dir/posts"

echo "== 1. LMTP: $n posts, 8 connections, each acknowledged once durable"
build/roundtable serve --db "$db" --listen 127.0.0.1:$web_port --lmtp 127.0.0.1:$lmtp_port --access-log off \
  --rate-limit 0 --held-first-posts 0 --posts-per-hour 1000000 2>"$dir/serve1.log" &
pids+=($!)
wait_port $lmtp_port
rt=$(/usr/bin/python3 tests/mail/lmtp_send.py --bench $lmtp_port "$dir/posts" 8 lmtp@lists.bench.test)
echo "roundtable: $rt"
python3 - "$rt" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); print(f"roundtable: {r['messages'] / r['seconds']:.0f} messages/s durable, {r['refused']} refused")
PY
stored=$(sqlite3 "$db" "SELECT count(*) FROM messages; SELECT count(*) FROM deliveries;" | tr '\n' ' ')
echo "stored messages, queued deliveries: $stored"
/usr/bin/python3 - $sink_port <<'PY' &
import asyncio, sys
from aiosmtpd.lmtp import LMTP
class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "\r\n".join(["250 2.0.0 ok"] * len(envelope.rcpt_tos))
async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: LMTP(Sink(), loop=loop), "127.0.0.1", int(sys.argv[1]))
    await asyncio.Event().wait()
asyncio.run(main())
PY
pids+=($!)
wait_port $sink_port
sink=$(/usr/bin/python3 tests/mail/lmtp_send.py --bench $sink_port "$dir/posts" 8 lmtp@lists.bench.test)
python3 - "$sink" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); print(f"aiosmtpd LMTP sink (stores nothing): {r['messages'] / r['seconds']:.0f} messages/s")
PY
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true
sqlite3 "$db" "UPDATE deliveries SET state = 'sent'"  # the LMTP run's copies are not part of step 3

# Paced (20 connections, 10 ms apart: about 2,000 pages/s, a busy site) and saturated (32
# connections, as fast as they go), each for 7 s, in ROUNDS (default 3) alternating pairs:
# before a post to the 10,000 subscribers, then while its copies go out (each wrk run lies
# within its sending). One 7-8 s run's p99 moves by a fifth between identical runs, so
# the summary compares the medians of the rounds.
wrk_pages() {  # paced|saturated -> "req/s p50-ms p99-ms"
  local args=(-t2 -c32)
  [ "$1" = paced ] && args=(-t1 -c20 -s bench/paced.lua)
  wrk "${args[@]}" -d7s --latency "http://127.0.0.1:$web_port/t/$thread" | awk '
    function ms(v) { return v ~ /us$/ ? v / 1000 : v ~ /ms$/ ? v + 0 : v * 1000 }
    /Requests\/sec/ {r = $2} / 50%/ {m = ms($2)} / 99%/ {p = ms($2)}
    END {printf "%.0f %.3f %.3f\n", r, m, p}'
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# One post to the 10,000 subscribers, named $1; prints the time to its LMTP 250.
post_to_all() {
  printf 'From: Member <member1@example.org>\r\nTo: big@lists.bench.test\r\nSubject: To everyone\r\nMessage-ID: <big-%s@example.org>\r\nDate: Tue, 24 Nov 2026 12:00:00 +0000\r\n\r\nHello all ten thousand.\r\n' "$1" >"$dir/big.eml"
  local start; start=$(now_ms)
  /usr/bin/python3 tests/mail/lmtp_send.py $lmtp_port "$dir/big.eml" big@lists.bench.test >/dev/null
  echo "250 after $(( $(now_ms) - start )) ms, $(sqlite3 "$db" "SELECT count(*) FROM deliveries WHERE state = 'queued'") deliveries queued"
}
queued() { sqlite3 "$db" "SELECT count(*) FROM deliveries WHERE state = 'queued'"; }
sqlite3 "$db" "INSERT INTO subscriptions (list_id, address, mode, created_at) SELECT id, 'member1@example.org', 'none', unixepoch() FROM lists WHERE name = 'big'"
# The relay's CPU per copy is what moves the page p99 on two cores: aiosmtpd (Python) as
# in the tests, and Postfix (C, its queue fsync'd per message, delivering to discard) as
# a deployment's MTA on the same machine would be.
for relay in ${RELAYS:-aiosmtpd postfix}; do
  echo "== 2 and 3. one post to 10,000 subscribers, sent through a local SMTP server: $relay"
  if [ "$relay" = aiosmtpd ]; then
    ${SMTP_NICE:+nice -n $SMTP_NICE} ${SMTP_IDLE:+chrt --idle 0} /usr/bin/python3 tests/mail/smtp_capture.py --port $smtp_port --dir "$dir" --discard &
    relay_pid=$!
    relay_port=$smtp_port
  else
    relay_port=$(${SMTP_NICE:+nice -n $SMTP_NICE} ${SMTP_IDLE:+chrt --idle 0} /usr/bin/python3 tests/mail/postfix_harness.py start --dir "$dir/pf" --lmtp-port $lmtp_port \
      --set default_transport=discard --watch-pid $$)
    relay_pid=""
  fi
  build/roundtable serve --db "$db" --listen 127.0.0.1:$web_port --lmtp 127.0.0.1:$lmtp_port --access-log off \
    --rate-limit 0 --held-first-posts 0 --posts-per-hour 1000000 --smtp 127.0.0.1:$relay_port --digest-hour -1 \
    --smtp-rate "${SMTP_RATE:-0}" --smtp-busy-rate "${SMTP_BUSY_RATE:-200}" \
    2>"$dir/serve-$relay.log" &
  serve_pid=$!
  pids+=($serve_pid ${relay_pid})
  wait_port $web_port; wait_port $lmtp_port; wait_port $relay_port
  thread=$(sqlite3 "$db" "SELECT thread_id FROM messages ORDER BY id LIMIT 1")
  curl -sf -o /dev/null "http://127.0.0.1:$web_port/t/$thread"
  for load in paced saturated; do
    befores=""; whiles=""
    for round in $(seq "${ROUNDS:-3}"); do
      before=$(wrk_pages $load)
      start=$(now_ms)
      queued_line=$(post_to_all "$relay-$load-$round")
      while_sending=$(wrk_pages $load)
      left=$(queued)
      while [ "$(queued)" != 0 ]; do sleep 0.2; done
      sent_ms=$(( $(now_ms) - start ))
      echo "$load, round $round: p99 ${before##* } ms before, ${while_sending##* } ms while sending (req/s ${before%% *} -> ${while_sending%% *}); post: $queued_line; $left still queued when wrk ended; all sent after $sent_ms ms: $(( 10000 * 1000 / sent_ms )) copies/s"
      befores+=" ${before##* }"; whiles+=" ${while_sending##* }"
    done
    b=$(echo "$befores" | median); w=$(echo "$whiles" | median)
    awk -v b="$b" -v w="$w" -v load="$load" -v relay="$relay" \
      'BEGIN {printf "SUMMARY %s, %s: median page p99 %.3f ms before, %.3f ms while sending: %+.0f %%\n", relay, load, b, w, (w / b - 1) * 100}'
  done
  # A last post with nothing else running: the machine's CPU time is Roundtable's plus the
  # relay's (and this loop's few sqlite3 runs).
  busy_before=$(busy_jiffies); serve_before=$(process_jiffies $serve_pid); start=$(now_ms)
  echo "quiet: $(post_to_all "$relay-quiet")"
  while [ "$(queued)" != 0 ]; do sleep 0.2; done
  sent_ms=$(( $(now_ms) - start ))
  serve_ms=$(( ($(process_jiffies $serve_pid) - serve_before) * 10 ))
  other_ms=$(( ($(busy_jiffies) - busy_before) * 10 - serve_ms ))
  awk -v r="$serve_ms" -v o="$other_ms" -v relay="$relay" -v s="$sent_ms" \
    'BEGIN {printf "nothing else running: all sent after %d ms (%.0f copies/s); CPU per copy: roundtable %.2f ms, %s and the rest %.2f ms\n", s, 1e7 / s, r / 10000, relay, o / 10000}'
  kill $serve_pid ${relay_pid}; wait $serve_pid ${relay_pid} 2>/dev/null || true
  if [ "$relay" = postfix ]; then /usr/bin/python3 tests/mail/postfix_harness.py stop --dir "$dir/pf"; fi
done
