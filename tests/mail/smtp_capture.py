#!/usr/bin/python3
"""A real SMTP server for tests: stores every message it accepts as files.

    smtp_capture.py --port 0 --dir DIR [--reject-rcpt REGEX] [--tempfail-rcpt REGEX]
                    [--reject-data REGEX] [--ready-file FILE] [--idle-timeout SECONDS] [--discard]

Listens on 127.0.0.1 (port 0: the system picks one) and, once listening, writes the port
into --ready-file (written to a temporary name, then renamed, so a reader never sees half
of it). Each accepted message becomes DIR/<seq>.json, then DIR/<seq>.eml (seq = 1, 2, ...
after any numbers already there; both written under a temporary name and renamed, the .eml
last, so a harness that sees the .eml can read both). The .eml holds the message exactly
as received, dot-unstuffed, CRLF line endings as sent; the .json holds mail_from, rcpt_tos,
received_at (UTC, ISO 8601) and, to help tests, mail_options and peer ([host, port]).

Recipients matching --reject-rcpt (re.search) get 550, those matching --tempfail-rcpt
451; messages whose bytes match --reject-data get 554 after their data (the whole
message refused, whoever it was for). --idle-timeout closes connections idle that long (aiosmtpd's default: 300 s).
--discard accepts every message and keeps nothing (benchmarks).
SIGTERM or SIGINT stops the server cleanly (exit 0).

Run with Debian's python (/usr/bin/python3, package python3-aiosmtpd).
"""

import argparse
import asyncio
import datetime
import json
import os
import re
import signal

from aiosmtpd.smtp import SMTP


def write_atomically(path, data):
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


class CaptureHandler:
    def __init__(self, directory, reject, tempfail, discard=False, reject_data=None):
        self.directory = directory
        self.reject_data = reject_data
        self.discard = discard
        self.reject = reject
        self.tempfail = tempfail
        numbers = [int(n.split(".")[0]) for n in os.listdir(directory) if re.fullmatch(r"\d+\.eml", n)]
        self.seq = max(numbers, default=0)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject and self.reject.search(address):
            return "550 5.1.1 <%s>: recipient rejected" % address
        if self.tempfail and self.tempfail.search(address):
            return "451 4.3.0 <%s>: try again later" % address
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.reject_data and self.reject_data.search(envelope.original_content):
            return "554 5.6.0 message content refused"
        self.seq += 1
        if self.discard:  # benchmarks: a relay as fast as the protocol allows
            return "250 2.0.0 OK discarded %d" % self.seq
        base = os.path.join(self.directory, str(self.seq))
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "received_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
            "mail_options": envelope.mail_options,
            "peer": list(session.peer[:2]),
        }
        write_atomically(base + ".json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        write_atomically(base + ".eml", envelope.original_content)
        return "250 2.0.0 OK queued as %d" % self.seq


async def serve(args):
    loop = asyncio.get_running_loop()
    handler = CaptureHandler(args.dir, args.reject_rcpt and re.compile(args.reject_rcpt),
                             args.tempfail_rcpt and re.compile(args.tempfail_rcpt), args.discard,
                             args.reject_data and re.compile(args.reject_data.encode()))
    server = await loop.create_server(
        lambda: SMTP(handler, enable_SMTPUTF8=True, hostname="capture.test", timeout=args.idle_timeout, loop=loop),
        "127.0.0.1", args.port)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if args.ready_file:
        write_atomically(args.ready_file, b"%d\n" % server.sockets[0].getsockname()[1])
    await stop.wait()
    server.close()
    await server.wait_closed()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--reject-rcpt")
    parser.add_argument("--tempfail-rcpt")
    parser.add_argument("--reject-data")
    parser.add_argument("--ready-file")
    parser.add_argument("--idle-timeout", type=float, default=300)
    parser.add_argument("--discard", action="store_true", help="accept and forget every message (benchmarks)")
    args = parser.parse_args()
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
