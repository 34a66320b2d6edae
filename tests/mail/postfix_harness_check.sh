#!/usr/bin/env bash
# Self-check of tests/mail/postfix_harness.py against the real postfix, as root:
#  (a) SMTP in -> LMTP out for the list domain (every address form Roundtable uses);
#  (b) other domains relayed to a capture SMTP server;
#  retry: LMTP listener down -> mail deferred, delivered once it is back;
#  two instances at once; the watchdog stops postfix when its owner dies;
#  stop leaves no process, and /etc/postfix and the system queue are untouched.
# Exits non-zero on the first failure. Takes well under 20 s.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY=/usr/bin/python3
HARNESS="$HERE/postfix_harness.py"
WORK="$(mktemp -d /tmp/pfhc-XXXXXX)"
chmod 755 "$WORK"
SINK_PIDS=()
T0=$(date +%s.%N)

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
say() { printf '[%5ss] %s\n' "$(elapsed "$T0")" "$*"; }
listening() { $PY -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' "$1" 2>/dev/null; }
# Live (non-zombie) processes whose MAIL_CONFIG is under $1; without $1, the
# system instance's master processes (no MAIL_CONFIG, or /etc/postfix), so that
# other harness instances running in parallel do not count.
live_procs() {
  $PY - "${1:-}" <<'EOF'
import os, sys
under = sys.argv[1]
for pid in sorted(p for p in os.listdir("/proc") if p.isdigit()):
    try:
        stat = open(f"/proc/{pid}/stat").read()
        if stat.rsplit(")", 1)[1].split()[0] in "ZX":
            continue
        env = open(f"/proc/{pid}/environ", "rb").read().split(b"\0")
        conf = next((e[12:].decode() for e in env if e.startswith(b"MAIL_CONFIG=")), "")
        if under:
            if conf.startswith(under):
                print(pid, open(f"/proc/{pid}/cmdline").read().replace("\0", " "))
        elif (open(f"/proc/{pid}/comm").read().strip() == "master"
              and conf.rstrip("/") in ("", "/etc/postfix")):
            print(pid)
    except (OSError, IndexError):
        pass
EOF
}
fail() {
  echo "FAIL: $*" >&2
  for d in "$WORK"/pf*; do [ -f "$d/maillog" ] && { echo "--- $d/maillog" >&2; tail -n 25 "$d/maillog" >&2; }; done
  exit 1
}
cleanup() {
  local rc=$?
  for d in "$WORK"/pf*; do
    if [ -d "$d" ]; then $PY "$HARNESS" stop --dir "$d" || true; fi
  done
  for p in "${SINK_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT

snapshot() { find /etc/postfix /var/spool/postfix /var/lib/postfix -printf '%p %m %u %s %T@\n' 2>/dev/null | sort; }
snapshot > "$WORK/before.txt"
MASTERS_BEFORE="$(live_procs)"

# A throwaway LMTP (or SMTP) sink: one JSON line per accepted message, one
# reply per recipient after DATA as LMTP requires (RFC 2033).
cat > "$WORK/sink.py" <<'EOF'
import asyncio, json, os, signal, sys
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP
kind, port, ready, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
class Handler:
    async def handle_DATA(self, server, session, envelope):
        with open(out, "a") as f:
            f.write(json.dumps({"from": envelope.mail_from, "rcpts": envelope.rcpt_tos,
                                "options": envelope.mail_options,
                                "data": envelope.original_content.decode("utf-8", "replace")}) + "\n")
        return "\r\n".join(["250 2.0.0 OK"] * (len(envelope.rcpt_tos) if kind == "lmtp" else 1))
async def main():
    loop = asyncio.get_running_loop()
    cls = LMTP if kind == "lmtp" else SMTP
    srv = await loop.create_server(lambda: cls(Handler(), enable_SMTPUTF8=True, hostname="sink.test"),
                                   "127.0.0.1", port)
    with open(ready + ".tmp", "w") as f:
        f.write(str(srv.sockets[0].getsockname()[1]))
    os.replace(ready + ".tmp", ready)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
asyncio.run(main())
EOF

wait_file() {  # wait_file FILE SECONDS
  local end=$(( $(date +%s) + $2 ))
  until [ -s "$1" ]; do [ "$(date +%s)" -lt "$end" ] || return 1; sleep 0.05; done
}
wait_grep() {  # wait_grep PATTERN FILE SECONDS
  local end=$(( $(date +%s) + $3 ))
  until grep -qF -- "$1" "$2" 2>/dev/null; do [ "$(date +%s)" -lt "$end" ] || return 1; sleep 0.1; done
}
start_lmtp() {  # start_lmtp PORT(0=any) -> sets LMTP_PID, LMTP_PORT
  rm -f "$WORK/lmtp.port"
  $PY "$WORK/sink.py" lmtp "$1" "$WORK/lmtp.port" "$WORK/lmtp.jsonl" 2>>"$WORK/sink.err" &
  LMTP_PID=$!; SINK_PIDS+=("$LMTP_PID")
  wait_file "$WORK/lmtp.port" 5 || fail "LMTP sink did not start: $(cat "$WORK/sink.err")"
  LMTP_PORT=$(cat "$WORK/lmtp.port")
}

start_lmtp 0
mkdir -p "$WORK/capture"
if [ -f "$HERE/smtp_capture.py" ]; then
  $PY "$HERE/smtp_capture.py" --port 0 --dir "$WORK/capture" --ready-file "$WORK/capture.port" 2>>"$WORK/sink.err" &
else
  $PY "$WORK/sink.py" smtp 0 "$WORK/capture.port" "$WORK/capture/all.jsonl" 2>>"$WORK/sink.err" &
fi
SINK_PIDS+=($!)
wait_file "$WORK/capture.port" 5 || fail "capture server did not start: $(cat "$WORK/sink.err")"
CAPTURE_PORT=$(cat "$WORK/capture.port")
say "LMTP sink on $LMTP_PORT, capture on $CAPTURE_PORT"

# Two instances started at the same time (distinct folders and ports).
$PY "$HARNESS" start --dir "$WORK/pf1" --lmtp-port "$LMTP_PORT" --capture-port "$CAPTURE_PORT" \
  --watch-pid $$ > "$WORK/pf1.port" 2> "$WORK/pf1.err" &
S1=$!
$PY "$HARNESS" start --dir "$WORK/pf2" --lmtp-port "$LMTP_PORT" --watch-pid $$ \
  --list-domain other-lists.example.test > "$WORK/pf2.port" 2> "$WORK/pf2.err" &
S2=$!
wait $S1 || fail "start pf1: $(cat "$WORK/pf1.err")"
wait $S2 || fail "start pf2: $(cat "$WORK/pf2.err")"
P1=$(cat "$WORK/pf1.port"); P2=$(cat "$WORK/pf2.port")
[[ "$P1" =~ ^[0-9]+$ && "$P2" =~ ^[0-9]+$ && "$P1" != "$P2" ]] || fail "bad ports '$P1' '$P2'"
say "two instances up: SMTP $P1 and $P2"
for p in $P1 $P2; do listening "$p" || fail "nothing on 127.0.0.1:$p"; done

# (a) every list address form, one SMTP transaction -> one LMTP delivery.
RCPTS="policy@lists.example.test,policy-request@lists.example.test,policy-join@lists.example.test,policy-leave@lists.example.test,policy-bounces+alice=example.org@lists.example.test"
swaks --server "127.0.0.1:$P1" --from alice@example.org --to "$RCPTS" \
  --header "Subject: check-a" > "$WORK/swaks-a.txt" 2>&1 || fail "swaks (a): $(tail -5 "$WORK/swaks-a.txt")"
wait_grep "check-a" "$WORK/lmtp.jsonl" 10 || fail "(a) not delivered over LMTP"
for r in ${RCPTS//,/ }; do
  grep "check-a" "$WORK/lmtp.jsonl" | grep -qF "\"$r\"" || fail "(a) recipient $r missing"
done
$PY "$HARNESS" wait-empty --dir "$WORK/pf1" --timeout 5 || fail "(a) queue not empty"
say "(a) ok: 5 list recipients delivered over LMTP"

# SMTPUTF8 passes through to LMTP.
$PY - "$P1" <<'EOF' || fail "SMTPUTF8 submission"
import smtplib, sys
msg = "From: jörg@example.org\r\nTo: policy@lists.example.test\r\nSubject: check-utf8 ünïcode\r\n\r\nbody\r\n"
with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=10) as s:
    s.sendmail("jörg@example.org", ["policy@lists.example.test"], msg.encode(), mail_options=["SMTPUTF8"])
EOF
wait_grep "check-utf8" "$WORK/lmtp.jsonl" 10 || fail "SMTPUTF8 message not delivered"
grep "check-utf8" "$WORK/lmtp.jsonl" | grep -q '"SMTPUTF8"' || fail "SMTPUTF8 option not passed to LMTP"
say "SMTPUTF8 ok"

# Second instance relays its own list domain to the same LMTP port.
swaks --server "127.0.0.1:$P2" --from bob@example.org --to x@other-lists.example.test \
  --header "Subject: check-pf2" > "$WORK/swaks-pf2.txt" 2>&1 || fail "swaks pf2"
wait_grep "check-pf2" "$WORK/lmtp.jsonl" 10 || fail "pf2 not delivered"
say "second instance ok"

# (b) other domains go to the capture server.
swaks --server "127.0.0.1:$P1" --from policy-bounces@lists.example.test --to bob@example.org,carol@example.net \
  --header "Subject: check-b" > "$WORK/swaks-b.txt" 2>&1 || fail "swaks (b)"
end=$(( $(date +%s) + 10 ))
until cat "$WORK"/capture/* 2>/dev/null | grep -q "check-b"; do
  [ "$(date +%s)" -lt "$end" ] || fail "(b) not relayed to capture"; sleep 0.1
done
cat "$WORK"/capture/*.json* 2>/dev/null | grep -q 'carol@example.net' || fail "(b) carol missing"
say "(b) ok: relayed to capture server"

# Retry: LMTP down -> deferred; up again -> delivered without any flush.
kill "$LMTP_PID"; wait "$LMTP_PID" 2>/dev/null || true
swaks --server "127.0.0.1:$P1" --from alice@example.org --to policy@lists.example.test \
  --header "Subject: check-retry" > "$WORK/swaks-r.txt" 2>&1 || fail "swaks retry"
wait_grep "status=deferred" "$WORK/pf1/maillog" 10 || fail "no deferral logged"
say "deferred while LMTP is down: $(grep -c . <($PY "$HARNESS" queue --dir "$WORK/pf1")) queued"
sleep 1
start_lmtp "$LMTP_PORT"
UP=$(date +%s.%N)
wait_grep "check-retry" "$WORK/lmtp.jsonl" 15 || fail "deferred mail not retried"
say "retry ok: delivered $(elapsed "$UP")s after LMTP came back"

# Watchdog: instance 3 belongs to a short-lived process; it must stop with it.
sleep 30 & OWNER=$!
P3=$($PY "$HARNESS" start --dir "$WORK/pf3" --lmtp-port "$LMTP_PORT" --watch-pid $OWNER) || fail "start pf3"
$PY "$HARNESS" status --dir "$WORK/pf3" >/dev/null || fail "pf3 not running"
kill $OWNER; wait $OWNER 2>/dev/null || true
end=$(( $(date +%s) + 5 ))
while $PY "$HARNESS" status --dir "$WORK/pf3" >/dev/null; do
  [ "$(date +%s)" -lt "$end" ] || fail "watchdog did not stop pf3"; sleep 0.2
done
say "watchdog ok: pf3 (SMTP $P3) stopped when its owner exited"

# Stop: no process of any instance remains, ports closed.
for d in pf1 pf2 pf3; do $PY "$HARNESS" stop --dir "$WORK/$d" || fail "stop $d"; done
sleep 0.2
LEFT="$(live_procs "$WORK/")"
[ -z "$LEFT" ] || fail "processes survived stop: $LEFT"
for p in $P1 $P2 $P3; do listening "$p" && fail "port $p still listening"; done
snapshot > "$WORK/after.txt"
cmp -s "$WORK/before.txt" "$WORK/after.txt" || fail "system postfix files changed: $(diff "$WORK/before.txt" "$WORK/after.txt" | head)"
[ "$(live_procs)" = "$MASTERS_BEFORE" ] || fail "system postfix master processes changed: [$MASTERS_BEFORE] -> [$(live_procs)]"
say "stop ok; /etc/postfix, /var/spool/postfix, /var/lib/postfix untouched"
echo "postfix_harness_check: all checks passed"
