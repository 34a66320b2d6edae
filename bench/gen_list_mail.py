#!/usr/bin/env python3
"""Writes N list posts as .eml files (CRLF), from the list's subscribers, for the mail
benchmark: bench/gen_list_mail.py N LIST_ADDRESS SUBSCRIBERS OUT_DIR"""
import os
import random
import sys

n, address, subscribers, out = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
os.makedirs(out, exist_ok=True)
rng = random.Random(1)
words = ("access capacity governance policy internet multistakeholder forum workshop session "
         "agenda report consultation draft community regional national youth").split()
for i in range(n):
    sender = f"member{rng.randrange(subscribers)}@example.org"
    body = "\r\n".join(" ".join(rng.choice(words) for _ in range(12)) for _ in range(rng.randrange(3, 30)))
    msg = (f"From: Member <{sender}>\r\nTo: {address}\r\nSubject: Topic {i % 300}\r\n"
           f"Date: Tue, 24 Nov 2026 10:{i % 60:02d}:00 +0000\r\nMessage-ID: <bench{i}@example.org>\r\n"
           f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n")
    with open(os.path.join(out, f"{i:06d}.eml"), "w", newline="") as f:
        f.write(msg)
