#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""UDP flows for the NAT64 end-to-end tests.

echo ADDR PORT LOG
    UDP echo server (IPv4, or IPv6 when ADDR has a colon): answers every datagram and appends "peer_addr peer_port payload" to
    LOG (one line per datagram, flushed), so a test sees the pool4 transport addresses.
flows DST PORT N [--src ADDR] [--sources] [--sport P] [--window W] [--timeout S]
    N flows to [DST]:PORT, each one datagram "src sport" and its echo, at most W in flight
    (default 64), one resend after S seconds (default 1). --sources: flow i comes from
    ADDR + i (addresses already on the interface), kernel-chosen port; else all from ADDR
    (default: any) with ports P, P+1, ... (default 20000). Prints JSON
    {"flows", "answered", "sent", "unanswered_sent", "ports": {"src sport": echoed}}.
"""
import argparse
import ipaddress
import json
import selectors
import socket
import sys
import time


def echo(addr, port, log):
    s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    s.bind((addr, port))
    with open(log, "a", buffering=1) as out:
        while True:
            data, peer = s.recvfrom(2048)
            s.sendto(data, peer)
            out.write(f"{peer[0]} {peer[1]} {data.decode(errors='replace')}\n")


def flows(a):
    sel = selectors.DefaultSelector()
    base = ipaddress.IPv6Address(a.src) if a.src else None
    pending = list(range(a.n))
    pending.reverse()
    inflight = {}  # socket -> [label, sends, deadline]
    answered, sent, unanswered_sent = {}, 0, 0

    def send(s, st):
        nonlocal sent
        s.send(st[0].encode())
        st[1] += 1
        st[2] = time.monotonic() + a.timeout
        sent += 1

    while pending or inflight:
        while pending and len(inflight) < a.window:
            i = pending.pop()
            s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            if a.sources:
                s.bind((str(base + i), 0))
            else:
                s.bind((a.src or "::", a.sport + i))
            s.connect((a.dst, a.port))
            st = [f"{s.getsockname()[0]} {s.getsockname()[1]}", 0, 0.0]
            inflight[s] = st
            sel.register(s, selectors.EVENT_READ)
            send(s, st)
        for key, _ in sel.select(timeout=0.05):
            s = key.fileobj
            try:
                data = s.recv(2048)
            except OSError:  # an ICMPv6 error for this flow: keep waiting for its resend
                continue
            st = inflight.pop(s)
            answered[st[0]] = data.decode() == st[0]
            sel.unregister(s)
            s.close()
        now = time.monotonic()
        for s, st in list(inflight.items()):
            if now < st[2]:
                continue
            if st[1] < 2:
                send(s, st)
                continue
            unanswered_sent += st[1]
            del inflight[s]
            sel.unregister(s)
            s.close()
    print(json.dumps({"flows": a.n, "answered": len(answered), "sent": sent,
                      "unanswered_sent": unanswered_sent, "ports": answered}))
    return 0 if all(answered.values()) else 1


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("echo")
    e.add_argument("addr")
    e.add_argument("port", type=int)
    e.add_argument("log")
    f = sub.add_parser("flows")
    f.add_argument("dst")
    f.add_argument("port", type=int)
    f.add_argument("n", type=int)
    f.add_argument("--src")
    f.add_argument("--sources", action="store_true")
    f.add_argument("--sport", type=int, default=20000)
    f.add_argument("--window", type=int, default=64)
    f.add_argument("--timeout", type=float, default=1.0)
    a = p.parse_args()
    if a.cmd == "echo":
        echo(a.addr, a.port, a.log)
        return 0
    return flows(a)


if __name__ == "__main__":
    sys.exit(main())
