#!/usr/bin/python3
"""Delivers messages to an LMTP server as an MTA would, and prints each recipient's reply.

    lmtp_send.py PORT MESSAGE_FILE RECIPIENT...      one message; prints one JSON line
                                                     {"recipient": [code, "text"], ...}
    lmtp_send.py --bench PORT DIR CONNECTIONS RCPT   every *.eml in DIR over CONNECTIONS
                                                     parallel connections; prints
                                                     {"messages": n, "seconds": s, "refused": r}
"""
import json
import os
import smtplib
import sys
import threading
import time


def deliver(client, sender, message, recipients):
    """smtplib's LMTP reads one reply after DATA; LMTP sends one per recipient."""
    client.mail(sender)
    accepted = []
    replies = {}
    for r in recipients:
        code, text = client.rcpt(r)
        if code == 250:
            accepted.append(r)
        else:
            replies[r] = [code, text.decode()]
    if not accepted:
        client.rset()
        return replies
    code, text = client.docmd("DATA")
    if code != 354:
        raise RuntimeError(f"DATA refused: {code} {text}")
    data = message.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    data = b"\r\n".join(b"." + line if line.startswith(b".") else line for line in data.split(b"\r\n"))
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    client.send(data + b".\r\n")
    for r in accepted:
        code, text = client.getreply()
        replies[r] = [code, text.decode()]
    return replies


def main():
    if sys.argv[1] == "--bench":
        port, folder, connections, rcpt = int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
        files = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".eml"))
        refused = [0]
        lock = threading.Lock()

        def worker(share):
            client = smtplib.LMTP("127.0.0.1", port)
            client.ehlo_or_helo_if_needed = lambda: None
            client.docmd("LHLO", "bench")
            for path in share:
                with open(path, "rb") as f:
                    replies = deliver(client, "sender@example.org", f.read(), [rcpt])
                if any(code != 250 for code, _ in replies.values()):
                    with lock:
                        refused[0] += 1
            client.quit()

        start = time.monotonic()
        threads = [threading.Thread(target=worker, args=(files[i::connections],)) for i in range(connections)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(json.dumps({"messages": len(files), "seconds": time.monotonic() - start, "refused": refused[0]}))
        return
    port, path, recipients = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    client = smtplib.LMTP("127.0.0.1", port)
    client.docmd("LHLO", "test")
    with open(path, "rb") as f:
        print(json.dumps(deliver(client, "sender@example.org", f.read(), recipients)))
    client.quit()


if __name__ == "__main__":
    main()
