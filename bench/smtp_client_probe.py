#!/usr/bin/python3
"""Sends COUNT one-recipient messages to an SMTP server on 127.0.0.1:PORT, in one of three
ways: "plain" (MAIL, RCPT, DATA, the text: four round trips, as Roundtable's client does),
"pipe" (MAIL+RCPT+DATA pipelined, RFC 2920: two) or "bdat" (MAIL+RCPT+BDAT LAST with the
text, RFC 3030: one). Prints the rate on stderr. For bench/postfix_probe.sh: whether
fewer round trips make a relay's work per copy lighter on the pages beside it.

    smtp_client_probe.py PORT plain|pipe|bdat COUNT
"""
import socket
import sys
import time

port, mode, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
sock = socket.create_connection(("127.0.0.1", port))
replies = sock.makefile("rb")


def reply():
    while True:
        line = replies.readline()
        if line[3:4] != b"-":
            return int(line[:3])


reply()
sock.sendall(b"EHLO bench.test\r\n")
reply()
body = (b"From: a@example.org\r\nTo: b@example.net\r\nSubject: probe\r\nMessage-ID: <probe@example.org>\r\n\r\n"
        + b"Hello all ten thousand.\r\n" * 10)
start = time.time()
for i in range(count):
    mail = b"MAIL FROM:<policy-bounces+reader%d=example.net@lists.bench.test>\r\n" % i
    rcpt = b"RCPT TO:<reader%d@example.net>\r\n" % i
    if mode == "plain":
        for command, code in ((mail, 250), (rcpt, 250), (b"DATA\r\n", 354), (body + b".\r\n", 250)):
            sock.sendall(command)
            assert reply() == code
    elif mode == "pipe":
        sock.sendall(mail + rcpt + b"DATA\r\n")
        assert (reply(), reply(), reply()) == (250, 250, 354)
        sock.sendall(body + b".\r\n")
        assert reply() == 250
    else:
        sock.sendall(mail + rcpt + b"BDAT %d LAST\r\n" % len(body) + body)
        assert (reply(), reply(), reply()) == (250, 250, 250)
print(f"{mode}: {count / (time.time() - start):.0f} messages/s", file=sys.stderr)
