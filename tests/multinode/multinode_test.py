#!/usr/bin/python3
"""Two Roundtable nodes on one PostgreSQL database, nginx in front, real mail in and out.

    multinode_test.py --roundtable BUILD/roundtable --pg postgresql://postgres@127.0.0.1:55432/roundtable [--keep]

Everything is real and on loopback: two `roundtable serve` processes (HTTP, LMTP, and an
outbound sender each) on a fresh schema of the given server, nginx (Debian) balancing the
two HTTP ports, and tests/mail/smtp_capture.py as the SMTP relay. It checks issue 5's
promises:

  1. 100 posts delivered over LMTP alternately to both nodes, for a list of 10
     subscribers, give exactly 1,000 copies at the relay: each (Message-ID, recipient)
     once, none missing.
  2. A post taken by node A is on node B's cached list page at once (LISTEN/NOTIFY drops
     B's page cache), and through nginx.
  3. Killing node B (SIGKILL) in the middle of 50 more posts loses nothing: deliveries B
     did not answer are retried on A, as an MTA does; every copy arrives; the only
     duplicate allowed is the one copy B's sender had in flight; the archive holds every
     Message-ID once; nginx keeps serving.

Run with Debian's python (/usr/bin/python3: aiosmtpd for the capture server). Exit 0
when every check holds; otherwise each failure says what was expected and what was seen.
Takes about 12 s. --keep leaves the temporary folder and the schema for a post-mortem.
"""

import argparse
import collections
import ctypes
import email.parser
import email.utils
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CAPTURE_SCRIPT = os.path.join(HERE, "..", "mail", "smtp_capture.py")
PSQL = "/usr/bin/psql"
NGINX = "/usr/sbin/nginx"

FORUM, LIST = "igf", "policy"
MAIL_DOMAIN = "lists.example.test"
LIST_ADDRESS = f"{LIST}@{MAIL_DOMAIN}"
SUBSCRIBERS = [f"s{i}@example.net" for i in range(1, 11)]
LIST_PAGE = f"/f/{FORUM}/l/{LIST}/"  # an anonymous GET: kept in each node's page cache

# MailSender (src/gateway/mail_sender.cc) looks for due deliveries once a second and
# claims up to 200 at a time for a 600 s lease (SenderOptions; no flag changes them).
SENDER_TICK_S = 1.0


class Failure(Exception):
    """A check that did not hold: the message says what was expected and what was seen."""


def check(condition, message):
    if not condition:
        raise Failure(message)


def log(text):
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def wait_until(predicate, timeout, what, interval=0.1):
    """Polls predicate() until it returns something true; Failure after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise Failure(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def die_with_parent():
    """In the child before exec: SIGKILL when this test dies, so nothing outlives a killed run."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def free_port():
    # Only nginx needs a port chosen in advance; the other servers take port 0 and say theirs.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- Processes --------------------------------------------------------------------------

class Process:
    """A child process whose output goes to a log file; stopped (by its pid) at cleanup."""

    def __init__(self, name, argv, log_path):
        self.name, self.log_path = name, log_path
        with open(log_path, "wb") as out:
            self.popen = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                          preexec_fn=die_with_parent)

    @property
    def pid(self):
        return self.popen.pid

    def output(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def running(self):
        return self.popen.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=5):
        if not self.running():
            return
        self.popen.send_signal(sig)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()


class Node(Process):
    """One `roundtable serve`: HTTP, LMTP and the outbound sender, all on port 0."""

    def __init__(self, name, roundtable, db, smtp_port, public_url, log_path):
        super().__init__(name, [roundtable, "serve", "--db", db, "--listen", "127.0.0.1:0", "--lmtp", "127.0.0.1:0",
                                "--smtp", f"127.0.0.1:{smtp_port}", "--mail-domain", MAIL_DOMAIN,
                                "--public-url", public_url, "--rate-limit", "0", "--trusted-proxy", "127.0.0.1", "--access-log", "off",
                                # Plain subscribers post freely: nothing is held for a moderator,
                                # and 16 posts per address stay under any hourly limit.
                                "--held-first-posts", "0", "--posts-per-hour", "1000", "--digest-hour", "-1"],
                         log_path)
        # serve announces "taking list mail by LMTP on 127.0.0.1:P", then "serving ... on http://127.0.0.1:P".
        def announced():
            if not self.running():
                raise Failure(f"node {name} exited ({self.popen.returncode}) before listening:\n{self.output()}")
            text = self.output()
            http_port = re.search(r" on http://127\.0\.0\.1:(\d+)", text)
            lmtp_port = re.search(r"LMTP on 127\.0\.0\.1:(\d+)", text)
            return http_port and lmtp_port and (int(http_port[1]), int(lmtp_port[1]))
        self.http_port, self.lmtp_port = wait_until(announced, 20, f"node {name} to listen", 0.02)


# --- The database, through the CLI and psql ----------------------------------------------

def new_schema(server_url):
    """A fresh schema on the tests' server, as tests/test_util.cc NewPostgresSchema makes."""
    schema = "t_" + secrets.token_hex(8)
    subprocess.run([PSQL, server_url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", f"CREATE SCHEMA {schema}"],
                   check=True, capture_output=True)
    separator = "&" if "?" in server_url else "?"
    return schema, f"{server_url}{separator}options=-csearch_path%3D{schema}"


def sql(db, query):
    """Rows of one query, as lists of strings."""
    out = subprocess.run([PSQL, db, "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", query],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def queue_counts(db):
    """Deliveries by state, and how many queued ones are due now (not under a lease or backoff)."""
    (queued, due, sent, failed), = sql(db, """
        SELECT count(*) FILTER (WHERE state = 'queued'),
               count(*) FILTER (WHERE state = 'queued' AND next_attempt_at <= extract(epoch FROM now())),
               count(*) FILTER (WHERE state = 'sent'), count(*) FILTER (WHERE state = 'failed')
        FROM deliveries""")
    return {"queued": int(queued), "due": int(due), "sent": int(sent), "failed": int(failed)}


def roundtable_cli(roundtable, *args):
    result = subprocess.run([roundtable, *args], capture_output=True, text=True)
    check(result.returncode == 0,
          f"`roundtable {' '.join(args)}` should exit 0, exited {result.returncode}: {result.stderr}")
    return result.stdout


def set_up_list(roundtable, db):
    roundtable_cli(roundtable, "list", "create", LIST, "--forum", FORUM, "--db", db, "--address", LIST_ADDRESS,
                   "--description", "multi-node test")
    for address in SUBSCRIBERS:
        roundtable_cli(roundtable, "subscribe", address, "--db", db, "--forum", FORUM, "--list", LIST, "--mode", "each")


def archived_message_ids(roundtable, db):
    out = roundtable_cli(roundtable, "export", "jsonl", "-", "--db", db, "--forum", FORUM, "--list", LIST)
    # The export gives Message-IDs without their angle brackets.
    return collections.Counter(f"<{json.loads(line)['message_id']}>" for line in out.splitlines() if line.strip())


# --- Mail in (LMTP) and out (the capture server) ------------------------------------------

def make_post(message_id, sender, subject):
    return (f"From: {sender}\r\nTo: {LIST_ADDRESS}\r\nSubject: {subject}\r\n"
            f"Date: {email.utils.formatdate(localtime=True)}\r\nMessage-ID: {message_id}\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"Body of {subject}.\r\n").encode()


def lmtp_deliver(port, sender, raw):
    """One LMTP transaction; the reply to DATA for the one recipient as (code, text)."""
    with smtplib.LMTP("127.0.0.1", port, timeout=30) as conn:
        conn.ehlo()  # smtplib's LMTP sends LHLO
        code, text = conn.mail(sender)
        check(code == 250, f"MAIL FROM <{sender}> should get 250, got {code} {text!r}")
        code, text = conn.rcpt(LIST_ADDRESS)
        check(code == 250, f"RCPT TO <{LIST_ADDRESS}> should get 250, got {code} {text!r}")
        code, text = conn.data(raw)
        return code, text.decode("utf-8", "replace")


def check_stored(message_id, code, text, duplicate_ok=False):
    """A post is taken when the reply is 250 and it was neither held nor (unless a retry) a duplicate."""
    accepted = [f"2.0.0 stored, queued to {len(SUBSCRIBERS)}"] + (["2.0.0 already archived"] if duplicate_ok else [])
    check(code == 250 and text in accepted,
          f"{message_id}: LMTP DATA should get 250 and one of {accepted}, got {code} {text!r}")


class Capture:
    """The SMTP relay's captured messages, read incrementally from its folder."""

    def __init__(self, directory):
        self.directory = directory
        self.messages = {}  # seq -> (message_id, recipient, the relay's peer port)

    def count(self):
        return sum(1 for name in os.listdir(self.directory) if name.endswith(".eml"))

    def read(self):
        parser = email.parser.BytesHeaderParser()
        for name in os.listdir(self.directory):
            if not name.endswith(".eml") or name.startswith("."):
                continue
            seq = int(name[:-4])
            if seq in self.messages:
                continue
            # smtp_capture.py renames the .json into place before the .eml.
            with open(os.path.join(self.directory, f"{seq}.json")) as f:
                meta = json.load(f)
            with open(os.path.join(self.directory, name), "rb") as f:
                headers = parser.parse(f)
            check(len(meta["rcpt_tos"]) == 1, f"copy {seq} should have one recipient, has {meta['rcpt_tos']}")
            self.messages[seq] = (headers["Message-ID"].strip(), meta["rcpt_tos"][0].lower(), meta["peer"][1])
        return self.messages

    def pairs(self):
        return collections.Counter((mid, rcpt) for mid, rcpt, _ in self.read().values())


def expected_pairs(message_ids):
    return collections.Counter((mid, rcpt) for mid in message_ids for rcpt in SUBSCRIBERS)


def describe_pairs(pairs, limit=5):
    shown = ", ".join(f"{mid} -> {rcpt}" for mid, rcpt in sorted(pairs)[:limit])
    return shown + (f" (and {len(pairs) - limit} more)" if len(pairs) > limit else "")


def wait_all_sent(db, capture, expected, timeout):
    """Until every delivery row is done and the relay holds every expected copy. A row is
    marked sent only after the relay's 250, which comes after the relay wrote the file, so
    once nothing is queued no further copy can arrive: the counts that follow are final."""
    def done():
        counts = queue_counts(db)
        return counts["queued"] == 0 and capture.count() >= sum(expected.values()) and counts
    try:
        return wait_until(done, timeout, "every delivery to be sent", 0.2)
    except Failure as e:
        missing = expected - capture.pairs()
        raise Failure(f"{e}: queue {queue_counts(db)}, {capture.count()} copies captured of "
                      f"{sum(expected.values())} expected; missing: {describe_pairs(missing)}") from None


def sender_connections(pid, smtp_port):
    """Local ports of pid's established TCP connections to 127.0.0.1:smtp_port (from /proc):
    the SMTP connection its mail sender has open, if any."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            fields = line.split()
            local, remote, state, inode = fields[1], fields[2], fields[3], fields[9]
            if inode in inodes and state == "01" and remote == f"0100007F:{smtp_port:04X}":
                ports.add(int(local.split(":")[1], 16))
    return ports


# --- HTTP ----------------------------------------------------------------------------------

def http_get(port, path):
    """(status, body, headers) of an anonymous GET, like a reader's browser without cookies."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace"), dict(response.getheaders())
    finally:
        conn.close()


def nginx_config(directory, port, nodes):
    """deploy/nginx-roundtable.conf's upstream and proxy settings, on loopback, with every
    path inside `directory`. No TLS and no limit_req (this client is the only one). Each
    answer says which node served it (X-Upstream), so the test sees the balancing."""
    servers = "\n".join(f"        server 127.0.0.1:{n.http_port} max_fails=3 fail_timeout=10s;" for n in nodes)
    user = "user root;\n" if os.geteuid() == 0 else ""  # the temp folder is 0700: workers must be its owner
    return f"""{user}worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {directory}/access.log;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    upstream roundtable {{
{servers}
        keepalive 32;
        keepalive_timeout 10s;
        keepalive_requests 10000;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 12m;
        gzip off;
        location / {{
            proxy_pass http://roundtable;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_next_upstream error timeout http_502 http_503 http_504;
            proxy_next_upstream_tries 2;
            proxy_next_upstream_timeout 10s;
            proxy_connect_timeout 2s;
            proxy_send_timeout 60s;
            proxy_read_timeout 60s;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def start_nginx(directory, nodes, port):
    """nginx on `port` (or another free one) in front of the nodes; returns (process, port)."""
    for attempt in range(3):  # the port was free when picked; another process may take it first
        port = port if attempt == 0 else free_port()
        conf = os.path.join(directory, "nginx.conf")
        with open(conf, "w") as f:
            f.write(nginx_config(directory, port, nodes))
        proc = Process("nginx", [NGINX, "-c", conf, "-p", directory, "-g", "daemon off;"],
                       os.path.join(directory, "nginx.out"))

        def listening():
            if not proc.running():
                return "exited"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return "up"
            except OSError:
                return None
        if wait_until(listening, 10, "nginx to listen", 0.02) == "up":
            return proc, port
        with open(os.path.join(directory, "error.log")) as f:
            errors = f.read()
        if "Address already in use" not in errors:
            raise Failure(f"nginx did not start: {proc.output()}{errors}")
    raise Failure("nginx found no free port in 3 tries")


# --- The test ------------------------------------------------------------------------------

class MultiNodeTest:
    def __init__(self, args):
        self.args = args
        self.roundtable = args.roundtable
        self.dir = tempfile.mkdtemp(prefix="rt-multinode-")
        self.processes = []
        self.schema = None
        self.db = None
        self.summary = []
        self.run_id = secrets.token_hex(4)

    # Setup

    def start(self):
        self.schema, self.db = new_schema(self.args.pg)
        log(f"database: schema {self.schema}; folder {self.dir}")
        set_up_list(self.roundtable, self.db)

        capture_dir = os.path.join(self.dir, "captured")
        os.mkdir(capture_dir)
        ready = os.path.join(self.dir, "capture.port")
        self.capture_proc = self.spawn(Process("capture", ["/usr/bin/python3", CAPTURE_SCRIPT, "--port", "0",
                                                           "--dir", capture_dir, "--ready-file", ready],
                                               os.path.join(self.dir, "capture.log")))
        wait_until(lambda: os.path.exists(ready) or not self.capture_proc.running(), 10, "the SMTP capture server")
        check(self.capture_proc.running(), f"the capture server exited: {self.capture_proc.output()}")
        with open(ready) as f:
            self.smtp_port = int(f.read())
        self.capture = Capture(capture_dir)

        # Both nodes give links under the balancer's address, as in production.
        nginx_port = free_port()
        public_url = f"http://127.0.0.1:{nginx_port}"
        for name in ("A", "B"):
            log_path = os.path.join(self.dir, f"{name}.log")
            node = Node(name, self.roundtable, self.db, self.smtp_port, public_url, log_path)
            setattr(self, name.lower(), self.spawn(node))
        self.nginx, self.nginx_port = start_nginx(self.dir, [self.a, self.b], nginx_port)
        self.processes.append(self.nginx)
        log(f"node A: http {self.a.http_port}, lmtp {self.a.lmtp_port}; node B: http {self.b.http_port}, "
            f"lmtp {self.b.lmtp_port}; nginx {self.nginx_port}; relay {self.smtp_port}")

    def spawn(self, process):
        self.processes.append(process)
        return process

    def cleanup(self):
        for p in reversed(self.processes):
            p.stop()
        if self.args.keep:
            log(f"kept {self.dir} and schema {self.schema}")
            return
        shutil.rmtree(self.dir, ignore_errors=True)
        if self.schema:
            subprocess.run([PSQL, self.args.pg, "-X", "-q", "-c", f"DROP SCHEMA {self.schema} CASCADE"],
                           capture_output=True)

    def message_id(self, batch, i):
        return f"<mn-{self.run_id}-{batch}-{i}@example.net>"

    # 1. 100 posts, alternately to both nodes: exactly 1,000 copies

    def exactly_once_delivery(self):
        started = time.monotonic()
        ids = []
        for i in range(100):
            node = (self.a, self.b)[i % 2]
            mid = self.message_id("one", i)
            sender = SUBSCRIBERS[i % len(SUBSCRIBERS)]
            code, text = lmtp_deliver(node.lmtp_port, sender, make_post(mid, sender, f"Batch one post {i}"))
            check_stored(mid, code, text)
            ids.append(mid)
        lmtp_s = time.monotonic() - started
        self.expected = expected_pairs(ids)
        counts = wait_all_sent(self.db, self.capture, self.expected, 120)
        pairs = self.capture.pairs()
        total = sum(pairs.values())
        duplicates = {p: n for p, n in pairs.items() if n > 1}
        missing = self.expected - pairs
        unexpected = set(pairs) - set(self.expected)
        check(total == 1000, f"the relay should hold exactly 1000 copies, holds {total}")
        check(not duplicates, f"no copy should arrive twice; duplicated: {describe_pairs(duplicates)}")
        check(not missing, f"every copy should arrive; missing: {describe_pairs(missing)}")
        check(not unexpected, f"only list copies should arrive; unexpected: {describe_pairs(unexpected)}")
        check(counts["failed"] == 0, f"no delivery should fail, {counts['failed']} did")
        self.summary.append(f"100 posts over LMTP in {lmtp_s:.1f} s; 1000 copies at the relay after "
                            f"{time.monotonic() - started:.1f} s, each (Message-ID, recipient) once")
        log(self.summary[-1])

    # 2. A post on A is on B's cached page at once

    def read_your_writes_across_nodes(self):
        b_port = self.b.http_port
        # Twice: the first renders the page into B's cache (if not there yet), the second is
        # served from it. The new post must then show although B rendered nothing since.
        for _ in range(2):
            status, body, _ = http_get(b_port, LIST_PAGE)
            check(status == 200, f"GET {LIST_PAGE} on node B should give 200, gave {status}")
        subject = f"Fresh news {self.run_id}"
        check(subject not in body, f"{subject!r} should not be on the page before it is posted")
        mid = self.message_id("fresh", 0)
        code, text = lmtp_deliver(self.a.lmtp_port, SUBSCRIBERS[0], make_post(mid, SUBSCRIBERS[0], subject))
        check_stored(mid, code, text)
        # No sleep, no retry: the 250 from A means committed, and B must know at once.
        status, body, _ = http_get(b_port, LIST_PAGE)
        check(status == 200 and subject in body,
              f"right after node A took the post, node B's {LIST_PAGE} should show {subject!r}; got {status}, "
              f"subject {'present' if subject in body else 'absent'}")
        for _ in range(2):  # one request each way through the balancer
            status, body, headers = http_get(self.nginx_port, LIST_PAGE)
            check(status == 200 and subject in body,
                  f"{LIST_PAGE} through nginx (node {headers.get('X-Upstream')}) should show {subject!r}; got {status}")
        self.expected += expected_pairs([mid])
        wait_all_sent(self.db, self.capture, self.expected, 60)
        self.summary.append("a post taken by node A was on node B's cached list page at once, and through nginx")
        log(self.summary[-1])

    def nginx_balances(self):
        served_by = collections.Counter()
        for _ in range(4):
            status, _, headers = http_get(self.nginx_port, LIST_PAGE)
            check(status == 200, f"GET {LIST_PAGE} through nginx should give 200, gave {status}")
            served_by[headers.get("X-Upstream")] += 1
        nodes = {f"127.0.0.1:{n.http_port}" for n in (self.a, self.b)}
        check(set(served_by) == nodes,
              f"nginx should send requests to both nodes {sorted(nodes)}, sent to {dict(served_by)}")

    # 3. Kill B mid-run: nothing lost

    def kill_b(self):
        """SIGSTOP first, so B's open SMTP connections can be read exactly as they are at
        the kill, then SIGKILL: B runs no code in between, which is a kill at that instant."""
        os.kill(self.b.pid, signal.SIGSTOP)
        ports = sender_connections(self.b.pid, self.smtp_port)
        os.kill(self.b.pid, signal.SIGKILL)
        self.b.popen.wait()
        return ports

    def wait_sender_busy(self, node, timeout):
        """Until node's mail sender has an SMTP connection open (it keeps one only while it
        has claimed copies to send); False if it had none within timeout seconds."""
        deadline = time.monotonic() + timeout
        while not sender_connections(node.pid, self.smtp_port):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.002)
        return True

    def deliver_as_mta(self, node, mid, sender, raw):
        """An MTA's delivery: to `node`, and to node A if that fails or gets no 250."""
        try:
            code, text = lmtp_deliver(node.lmtp_port, sender, raw)
            if code == 250:
                return False, code, text
        except (OSError, smtplib.SMTPException):
            pass
        code, text = lmtp_deliver(self.a.lmtp_port, sender, raw)
        return True, code, text

    def kill_one_node(self):
        """50 posts; B dies at the worst moment: its sender in the middle of a batch (copies
        claimed, one on the wire) and an LMTP transaction with it open, the message sent and
        the reply not yet read."""
        started = time.monotonic()
        posts = []
        for i in range(50):
            sender = SUBSCRIBERS[i % len(SUBSCRIBERS)]
            mid = self.message_id("two", i)
            posts.append((mid, sender, make_post(mid, sender, f"Batch two post {i}")))
        in_flight = posts.pop()  # the one B is taking when it dies
        retried = 0

        def deliver_next(count):
            nonlocal retried
            for _ in range(min(count, len(posts))):
                mid, sender, raw = posts.pop(0)
                node = (self.a, self.b)[len(posts) % 2]
                was_retried, code, text = self.deliver_as_mta(node, mid, sender, raw)
                retried += was_retried
                check_stored(mid, code, text)

        # The transaction B will be in when it dies, opened up to DATA now so that the
        # kill can follow the message within a millisecond.
        mid, sender, raw = in_flight
        conn = smtplib.LMTP("127.0.0.1", self.b.lmtp_port, timeout=30)
        conn.ehlo()
        check(conn.mail(sender)[0] == 250 and conn.rcpt(LIST_ADDRESS)[0] == 250, "node B should take MAIL and RCPT")
        conn.putcmd("data")
        check(conn.getreply()[0] == 354, "DATA on node B should get 354")

        # Posts in bursts until B's sender is seen at work. Each sender looks for due copies
        # once a second and takes up to 200; after a burst whichever looks first may take all
        # of it, so it can take a few bursts before B has some.
        deliver_next(25)
        sender_busy = self.wait_sender_busy(self.b, 1.5)
        while not sender_busy and len(posts) > 10:
            deliver_next(4)
            sender_busy = self.wait_sender_busy(self.b, 1.5)

        conn.send(raw + b".\r\n")
        b_ports_at_kill = self.kill_b()
        try:
            code, text = conn.getreply()
        except smtplib.SMTPServerDisconnected:
            code = None
        conn.close()
        if code == 250:  # B answered in the microseconds before the kill: delivered, done
            check_stored(mid, code, text.decode("utf-8", "replace"))
        else:
            # B may or may not have committed it; either way the retry on A must store it
            # once and send it once.
            code, text = lmtp_deliver(self.a.lmtp_port, sender, raw)
            retried += 1
            check_stored(mid, code, text, duplicate_ok=True)
        deliver_next(len(posts))  # those for B fail, and go to A
        lmtp_s = time.monotonic() - started

        # nginx still serves, from A alone (B's failures mark it down).
        for _ in range(6):
            status, _, headers = http_get(self.nginx_port, LIST_PAGE)
            check(status == 200, f"with node B down, nginx should still give 200 for {LIST_PAGE}, gave {status}")
            check(headers.get("X-Upstream", "").endswith(f":{self.a.http_port}"),
                  f"with node B down, nginx should answer from A; X-Upstream: {headers.get('X-Upstream')}")

        orphans = self.expire_dead_leases()
        self.expected += expected_pairs([self.message_id("two", i) for i in range(50)])
        wait_all_sent(self.db, self.capture, self.expected, 120)
        self.check_after_kill(b_ports_at_kill, mid)
        self.summary.append(f"node B killed mid-run ({'while sending' if sender_busy else 'its sender idle'}): "
                            f"50 posts in {lmtp_s:.1f} s, {retried} retried on A; "
                            f"B left {orphans} claimed copies, sent by A after the lease; "
                            f"B had {len(b_ports_at_kill)} SMTP connection(s) open at the kill; "
                            f"{self.duplicates_after_kill} duplicate(s); done after {time.monotonic() - started:.1f} s")
        log(self.summary[-1])

    def expire_dead_leases(self):
        """B's claimed deliveries come back when their 600 s lease ends: too long for a test,
        so once A has sent everything it can, the leases left (only B's, A holds none) are
        ended in the database, as the clock would end them. Returns how many there were."""
        stable_since, last = None, None
        deadline = time.monotonic() + 60
        while True:
            counts = queue_counts(self.db)
            # A is idle when nothing is due and nothing moved for two of its ticks: with
            # claims in hand it would be marking copies sent every few milliseconds.
            state = (counts["queued"], counts["sent"], self.capture.count())
            if counts["due"] == 0 and state == last:
                if time.monotonic() - stable_since >= 2 * SENDER_TICK_S:
                    break
            else:
                stable_since, last = time.monotonic(), state
            check(time.monotonic() < deadline, f"node A should finish its deliveries within 60 s; queue {counts}")
            time.sleep(0.1)
        return len(sql(self.db, "UPDATE deliveries SET next_attempt_at = extract(epoch FROM now())::bigint - 1"
                                " WHERE state = 'queued' RETURNING 1"))

    def check_after_kill(self, b_ports_at_kill, in_flight_mid):
        messages = self.capture.read()
        pairs = self.capture.pairs()
        missing = self.expected - pairs
        unexpected = set(pairs) - set(self.expected)
        check(not missing, f"every copy should arrive although node B was killed; missing: {describe_pairs(missing)}")
        check(not unexpected, f"only list copies should arrive; unexpected: {describe_pairs(unexpected)}")
        # B's sender sends one copy at a time on one connection and records each as soon as
        # the relay answers, so a kill can leave at most one copy sent but not recorded: the
        # last one B sent on the connection open at the kill. A resends that one, nothing else.
        check(len(b_ports_at_kill) <= 1,
              f"node B's sender should have at most one SMTP connection open, had {len(b_ports_at_kill)}")
        duplicates = {p: n for p, n in pairs.items() if n > 1}
        extra = sum(n - 1 for n in duplicates.values())
        check(extra <= len(b_ports_at_kill),
              f"at most {len(b_ports_at_kill)} copy (the one B had in flight) may arrive twice; "
              f"{extra} extra copies: {describe_pairs(duplicates)}")
        for pair in duplicates:
            copies = sorted(seq for seq, (mid, rcpt, _) in messages.items() if (mid, rcpt) == pair)
            first_port = messages[copies[0]][2]
            last_on_connection = max(seq for seq, m in messages.items() if m[2] == first_port)
            check(first_port in b_ports_at_kill and copies[0] == last_on_connection,
                  f"the duplicated copy {pair} should first have been the last one on B's connection "
                  f"(ports {sorted(b_ports_at_kill)}); its first copy came on port {first_port}, "
                  f"copy {copies[0]}, the last on that connection being {last_on_connection}")
        self.duplicates_after_kill = extra
        counts = queue_counts(self.db)
        check(counts["failed"] == 0, f"no delivery should fail, {counts['failed']} did")

        archived = archived_message_ids(self.roundtable, self.db)
        wanted = {mid for mid, _ in self.expected}
        twice = {mid: n for mid, n in archived.items() if n > 1}
        check(not twice, f"each Message-ID should be archived once; more than once: {twice}")
        check(set(archived) == wanted,
              f"the archive should hold the {len(wanted)} posts; missing {sorted(wanted - set(archived))[:5]}, "
              f"extra {sorted(set(archived) - wanted)[:5]}")
        check(in_flight_mid in archived, f"the post B was taking when killed ({in_flight_mid}) should be archived")

    def run(self):
        self.start()
        self.exactly_once_delivery()
        self.nginx_balances()
        self.read_your_writes_across_nodes()
        self.kill_one_node()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--roundtable", required=True, help="the roundtable binary")
    parser.add_argument("--pg", required=True, help="URL of a PostgreSQL database the test may add a schema to")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and schema")
    args = parser.parse_args()
    # CTest's timeout and Ctrl-C end the run through the finally below, not around it.
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda s, _: sys.exit(128 + s))

    started = time.monotonic()
    test = MultiNodeTest(args)
    ok = False
    try:
        test.run()
        ok = True
    except Failure as e:
        print(f"FAIL: {e}", flush=True)
    except Exception:
        import traceback
        traceback.print_exc(file=sys.stdout)
    finally:
        if not ok:
            for p in test.processes:
                print(f"--- end of {p.name}'s output ({p.log_path}):\n{p.output()[-2000:]}")
            nginx_errors = os.path.join(test.dir, "error.log")
            if os.path.exists(nginx_errors):
                with open(nginx_errors) as f:
                    print(f"--- end of nginx's error log:\n{f.read()[-2000:]}")
        test.cleanup()
    print("\n".join(["multinode summary:"] + [f"  - {line}" for line in test.summary] +
                    [f"  {'PASS' if ok else 'FAIL'} in {time.monotonic() - started:.1f} s"]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
