#!/usr/bin/python3
"""A private, loopback-only Postfix instance for end-to-end mail tests.

Starts the Debian postfix binaries as an alternate instance whose whole state
(config, queue, data, log) lives in one temporary folder, so several test
processes can each run their own at once and the system instance in
/etc/postfix and port 25 are never touched.

  * SMTP in on 127.0.0.1:<smtp_port> (picked free unless given).
  * Mail for the list domain(s) is relayed over LMTP to 127.0.0.1:<lmtp_port>.
  * Mail for any other domain is relayed over SMTP to 127.0.0.1:<capture_port>
    when one is given, else bounced by the error transport.
  * Short retry times: deferred mail is retried within a few seconds.
  * Logs go to <dir>/maillog (postlogd), not syslog.

Shell use (prints the SMTP port once postfix accepts connections):
  /usr/bin/python3 tests/mail/postfix_harness.py start --dir D --lmtp-port P \
      [--capture-port C] [--list-domain lists.example.test] [--set key=value] \
      [--watch-pid PID] [--ttl SECONDS]
  /usr/bin/python3 tests/mail/postfix_harness.py stop --dir D [--remove]
  ... flush|queue|wait-empty|log --dir D

Python use:
  with PostfixHarness(lmtp_port=P, capture_port=C) as pf:
      smtplib.SMTP("127.0.0.1", pf.smtp_port).sendmail(...)
      pf.wait_queue_empty(10)

Needs root (postfix's master runs as root and drops to the postfix user).
Only the standard library is used, so any python3 works.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

POSTFIX = "/usr/sbin/postfix"
POSTKICK = "/usr/sbin/postkick"
DEFAULT_LIST_DOMAIN = "lists.example.test"
STATE_FILE = "harness.json"
# Unix-domain socket paths (<dir>/spool/private/<service>) must fit in
# sun_path (108 bytes); keep the folder path well below that.
MAX_DIR_LEN = 80

MASTER_CF = """\
# Written by tests/mail/postfix_harness.py. No chroot: nothing is copied into
# the queue folder, and the instance stays self-contained.
# service type  private unpriv  chroot  wakeup  maxproc command
{listen} inet n -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""


class HarnessError(RuntimeError):
    pass


def _free_port():
    """A port the kernel considers free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(pid):
    """True if pid runs and is not a zombie (init here reaps lazily)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def _instance_pids(config_dir):
    """Pids of processes of the instance: postfix passes MAIL_CONFIG to all
    daemons it starts, so this finds master's children even if master is gone."""
    want = b"MAIL_CONFIG=" + config_dir.encode() + b"\0"
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open(f"/proc/{name}/environ", "rb") as f:
                env = f.read() + b"\0"
        except OSError:
            continue
        if want in env:
            pids.append(int(name))
    return pids


def _read_smtp_banner(port, timeout):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                s.settimeout(max(0.5, deadline - time.monotonic()))
                data = b""
                while b"\n" not in data:
                    chunk = s.recv(512)
                    if not chunk:
                        break
                    data += chunk
                if data.startswith(b"220"):
                    s.sendall(b"QUIT\r\n")
                    return data.decode(errors="replace").strip()
                last = data
        except OSError as e:
            last = e
        time.sleep(0.05)
    raise HarnessError(f"no SMTP banner on 127.0.0.1:{port}: {last!r}")


class PostfixHarness:
    """One private postfix instance. start() then stop(); or use `with`."""

    def __init__(self, lmtp_port, capture_port=None, dir=None, smtp_port=None,
                 list_domains=(DEFAULT_LIST_DOMAIN,), settings=None,
                 watch_pid=None, ttl=900, keep_dir=False):
        """watch_pid: stop postfix when this process exits (None: the calling
        process; 0: no process). ttl: stop after that many seconds (0: never)."""
        self.lmtp_port = int(lmtp_port)
        self.capture_port = int(capture_port) if capture_port else None
        self.dir = os.path.abspath(dir) if dir else None
        self.smtp_port = int(smtp_port) if smtp_port else None
        self.list_domains = list(list_domains)
        self.settings = dict(settings or {})
        self.watch_pid = os.getpid() if watch_pid is None else watch_pid
        self.ttl = ttl
        # A folder the caller named is theirs to remove; one we made is ours.
        self.keep_dir = keep_dir or dir is not None

    # ---- paths -----------------------------------------------------------
    @property
    def config_dir(self):
        return os.path.join(self.dir, "etc")

    @property
    def queue_dir(self):
        return os.path.join(self.dir, "spool")

    @property
    def maillog_path(self):
        return os.path.join(self.dir, "maillog")

    # ---- configuration ---------------------------------------------------
    def main_cf(self):
        d = self.dir
        cfg = {
            "compatibility_level": "3.6",
            "config_directory": self.config_dir,
            "queue_directory": self.queue_dir,
            "data_directory": os.path.join(d, "data"),
            "maillog_file": self.maillog_path,
            # postlogd only writes below these prefixes.
            "maillog_file_prefixes": d,
            "syslog_name": "postfix-harness",
            # Distinct from the machine's name: the SMTP client refuses a
            # relay that greets with our own myhostname ("loops back to
            # myself"), and aiosmtpd greets with the machine's FQDN.
            "myhostname": "mta.harness.test",
            "mydomain": "harness.test",
            "myorigin": "$myhostname",
            "mydestination": "",
            "local_recipient_maps": "",
            "local_transport": "error:5.1.1 local delivery disabled",
            "alias_maps": "",
            "alias_database": "",
            "biff": "no",
            "append_dot_mydomain": "no",
            "inet_interfaces": "loopback-only",
            "inet_protocols": "ipv4",
            "mynetworks": "127.0.0.0/8",
            "smtpd_relay_restrictions": "permit_mynetworks, reject_unauth_destination",
            "relay_domains": ", ".join(self.list_domains),
            "relay_recipient_maps": "",
            "relay_transport": f"lmtp:inet:127.0.0.1:{self.lmtp_port}",
            "default_transport": (
                f"smtp:[127.0.0.1]:{self.capture_port}" if self.capture_port
                else "error:5.7.1 no capture relay configured in the test harness"),
            # Act like an internet-facing MX: do not rewrite or complete the
            # headers of mail from 127.0.0.1 (only a Received: line is added),
            # so tests see what the sender (or Roundtable) really sent.
            "local_header_rewrite_clients": "",
            # Keep address extensions verbatim (policy-bounces+alice=...).
            "recipient_delimiter": "",
            "smtputf8_enable": "yes",
            "smtp_tls_security_level": "none",
            "lmtp_tls_security_level": "none",
            "smtpd_tls_security_level": "none",
            "smtp_dns_support_level": "disabled",
            "smtp_connect_timeout": "5s",
            "lmtp_connect_timeout": "5s",
            "smtpd_error_sleep_time": "0",
            "delay_warning_time": "0",
            # Fast retries so tests can watch a deferral turn into delivery.
            "queue_run_delay": "1s",
            "minimal_backoff_time": "2s",
            "maximal_backoff_time": "4s",
            "maximal_queue_lifetime": "1h",
            "bounce_queue_lifetime": "1h",
        }
        cfg.update(self.settings)
        lines = ["# Written by tests/mail/postfix_harness.py"]
        lines += [f"{k} = {v}" for k, v in cfg.items()]
        return "\n".join(lines) + "\n"

    def _write_config(self):
        os.makedirs(self.config_dir, exist_ok=True)
        with open(os.path.join(self.config_dir, "main.cf"), "w") as f:
            f.write(self.main_cf())
        with open(os.path.join(self.config_dir, "master.cf"), "w") as f:
            f.write(MASTER_CF.format(listen=f"127.0.0.1:{self.smtp_port}"))

    def _prepare_dir(self):
        if self.dir is None:
            self.dir = tempfile.mkdtemp(prefix="pfh-", dir="/tmp")
        if len(self.dir) > MAX_DIR_LEN:
            raise HarnessError(f"--dir path too long for unix sockets: {self.dir}")
        os.makedirs(self.dir, exist_ok=True)
        # The postfix user must reach data/ by absolute path: every ancestor
        # needs o+x (pytest's tmp_path, mode 0700, does not qualify).
        os.chmod(self.dir, 0o755)
        p = os.path.dirname(self.dir)
        while p != "/":
            if not os.stat(p).st_mode & 0o001:
                raise HarnessError(f"{p} is not searchable by the postfix user; "
                                   "use a folder under /tmp")
            p = os.path.dirname(p)
        data = os.path.join(self.dir, "data")
        os.makedirs(data, exist_ok=True)
        shutil.chown(data, "postfix", "postfix")
        os.makedirs(self.queue_dir, exist_ok=True)  # post-install fills it

    # ---- lifecycle -------------------------------------------------------
    def start(self, timeout=15):
        """Starts postfix; returns the SMTP port once it greets."""
        if os.geteuid() != 0:
            raise HarnessError("postfix_harness needs root")
        self._prepare_dir()
        fixed_port = self.smtp_port is not None
        last_err = ""
        for _ in range(1 if fixed_port else 5):
            if not fixed_port:
                self.smtp_port = _free_port()
            self._write_config()
            env = dict(os.environ, MAIL_CONFIG=self.config_dir)
            r = subprocess.run([POSTFIX, "-c", self.config_dir, "start"], env=env,
                               stdin=subprocess.DEVNULL, capture_output=True,
                               text=True, timeout=timeout)
            if r.returncode == 0:
                break
            last_err = (r.stdout + r.stderr).strip() + "\n" + self.log_tail()
            # Another process took the port between probe and bind: retry.
            if "Address already in use" not in last_err:
                break
        else:
            r = None
        if r is None or r.returncode != 0:
            self._kill_leftovers()
            raise HarnessError(f"postfix start failed:\n{last_err}")
        try:
            _read_smtp_banner(self.smtp_port, timeout)
        except HarnessError:
            self.stop()
            raise
        self._save_state(self._spawn_watchdog())
        return self.smtp_port

    def master_pid(self):
        try:
            with open(os.path.join(self.queue_dir, "pid", "master.pid")) as f:
                return int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def running(self):
        pid = self.master_pid()
        return pid is not None and _alive(pid)

    def stop(self, remove=None, timeout=10):
        """Stops the instance and its watchdog; safe to call twice."""
        if self.dir is None or not os.path.isdir(self.dir):
            return
        state = self._load_state()
        wd = state.get("watchdog_pid")
        if wd and wd != os.getpid() and _alive(wd):
            try:
                os.kill(wd, signal.SIGTERM)
            except ProcessLookupError:
                pass
        pid = self.master_pid()
        if pid and _alive(pid):
            subprocess.run([POSTFIX, "-c", self.config_dir, "stop"],
                           env=dict(os.environ, MAIL_CONFIG=self.config_dir),
                           stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=timeout)
            deadline = time.monotonic() + timeout
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
        self._kill_leftovers()
        if remove if remove is not None else not self.keep_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def _kill_leftovers(self):
        """SIGKILLs, by pid, any process of this instance still running."""
        for _ in range(20):
            pids = [p for p in _instance_pids(self.config_dir) if _alive(p)]
            if not pids:
                return
            for p in pids:
                try:
                    os.kill(p, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.05)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    # ---- state shared between CLI invocations ----------------------------
    def _save_state(self, watchdog_pid):
        state = {"smtp_port": self.smtp_port, "lmtp_port": self.lmtp_port,
                 "capture_port": self.capture_port, "watchdog_pid": watchdog_pid,
                 "list_domains": self.list_domains, "keep_dir": self.keep_dir}
        with open(os.path.join(self.dir, STATE_FILE), "w") as f:
            json.dump(state, f)

    def _load_state(self):
        try:
            with open(os.path.join(self.dir, STATE_FILE)) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    @classmethod
    def attach(cls, dir):
        """A handle on an instance started earlier (e.g. by another process)."""
        dir = os.path.abspath(dir)
        with open(os.path.join(dir, STATE_FILE)) as f:
            st = json.load(f)
        return cls(st["lmtp_port"], st.get("capture_port"), dir=dir,
                   smtp_port=st["smtp_port"], list_domains=st["list_domains"],
                   keep_dir=st.get("keep_dir", True))

    def _spawn_watchdog(self):
        """Stops postfix when watch_pid exits or after ttl seconds, so a test
        that crashes or is killed does not leave postfix running."""
        if not self.watch_pid and not self.ttl:
            return None
        cmd = [sys.executable, os.path.abspath(__file__), "_watchdog",
               "--dir", self.dir, "--watch-pid", str(self.watch_pid or 0),
               "--ttl", str(self.ttl or 0)]
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True, close_fds=True)
        return p.pid

    # ---- helpers for tests -----------------------------------------------
    def flush(self):
        """Asks qmgr to retry deferred mail now, ignoring backoff. (postqueue
        -f is set-gid and would insist on alternate_config_directories.)"""
        subprocess.run([POSTKICK, "-c", self.config_dir, "public", "qmgr", "FADI"],
                       check=True, capture_output=True, timeout=10)

    def queue_ids(self):
        """Queue ids of messages not yet delivered (or bounced)."""
        ids = []
        for sub in ("maildrop", "incoming", "active", "deferred", "hold"):
            for root, _, files in os.walk(os.path.join(self.queue_dir, sub)):
                ids += files
        return sorted(ids)

    def wait_queue_empty(self, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.queue_ids():
                return True
            time.sleep(0.1)
        return False

    def log(self):
        try:
            with open(self.maillog_path, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def log_tail(self, n=30):
        return "\n".join(self.log().splitlines()[-n:])

    def wait_log(self, pattern, timeout=10):
        """Waits for a maillog line matching the regex; returns the match."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = rx.search(self.log())
            if m:
                return m
            time.sleep(0.1)
        raise HarnessError(f"no log line matching {pattern!r} within {timeout}s; "
                           f"last lines:\n{self.log_tail()}")


def _watchdog(args):
    h = PostfixHarness.attach(args.dir)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    deadline = time.monotonic() + args.ttl if args.ttl > 0 else None
    while not stop:
        if not os.path.isdir(args.dir) or not h.running():
            return 0  # stopped by someone else
        if args.watch_pid and not _alive(args.watch_pid):
            break
        if deadline and time.monotonic() > deadline:
            break
        time.sleep(0.5)
    if not stop:
        h.stop()
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    st = sub.add_parser("start", help="start; print the SMTP port when ready")
    st.add_argument("--dir", required=True, help="private folder (short, under /tmp)")
    st.add_argument("--lmtp-port", type=int, required=True)
    st.add_argument("--capture-port", type=int)
    st.add_argument("--smtp-port", type=int, help="default: a free port")
    st.add_argument("--list-domain", action="append",
                    help=f"repeatable; default {DEFAULT_LIST_DOMAIN}")
    st.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="extra/overriding main.cf setting, repeatable")
    st.add_argument("--watch-pid", type=int,
                    help="stop postfix when this process exits")
    st.add_argument("--ttl", type=float, default=900,
                    help="stop postfix after this many seconds (0: never)")
    sp = sub.add_parser("stop")
    sp.add_argument("--dir", required=True)
    sp.add_argument("--remove", action="store_true", help="also delete --dir")
    for name in ("flush", "queue", "log", "status"):
        sub.add_parser(name).add_argument("--dir", required=True)
    we = sub.add_parser("wait-empty", help="exit 0 once the queue is empty")
    we.add_argument("--dir", required=True)
    we.add_argument("--timeout", type=float, default=10)
    wd = sub.add_parser("_watchdog")
    wd.add_argument("--dir", required=True)
    wd.add_argument("--watch-pid", type=int, default=0)
    wd.add_argument("--ttl", type=float, default=0)
    args = ap.parse_args(argv)

    try:
        if args.cmd == "start":
            settings = {}
            for kv in args.set:
                k, sep, v = kv.partition("=")
                if not sep:
                    ap.error(f"--set wants KEY=VALUE, got {kv!r}")
                settings[k.strip()] = v.strip()
            h = PostfixHarness(args.lmtp_port, args.capture_port, dir=args.dir,
                               smtp_port=args.smtp_port,
                               list_domains=args.list_domain or [DEFAULT_LIST_DOMAIN],
                               settings=settings, watch_pid=args.watch_pid or 0,
                               ttl=args.ttl)
            print(h.start(), flush=True)
            return 0
        if args.cmd == "_watchdog":
            return _watchdog(args)
        if args.cmd == "stop":
            if not os.path.exists(os.path.join(args.dir, STATE_FILE)):
                # Start may have failed half way: still stop what is there.
                h = PostfixHarness(0, dir=args.dir)
            else:
                h = PostfixHarness.attach(args.dir)
            h.stop(remove=args.remove)
            return 0
        h = PostfixHarness.attach(args.dir)
        if args.cmd == "flush":
            h.flush()
        elif args.cmd == "queue":
            print("\n".join(h.queue_ids()))
        elif args.cmd == "log":
            sys.stdout.write(h.log())
        elif args.cmd == "status":
            print("running" if h.running() else "stopped")
            return 0 if h.running() else 1
        elif args.cmd == "wait-empty":
            if not h.wait_queue_empty(args.timeout):
                print("queue not empty: " + " ".join(h.queue_ids()), file=sys.stderr)
                return 1
        return 0
    except HarnessError as e:
        print(f"postfix_harness: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
