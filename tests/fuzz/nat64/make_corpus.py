#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Seed scripts for nat64_fuzz (format at the top of nat64_fuzz.cc), packets built by scapy
# for the gateway nat64_fuzz.cc sets up: pool6 2001:db8:64::/96; pool4 192.0.2.1 with ports
# 2000-2003 per protocol (worker 0's slice 2000-2001, worker 1's 2002-2003: one even and one
# odd port each, so a new mapping's port follows from its source port's parity) and 8080 for
# the static entries (TCP and ICMP [2001:db8:6::80]:80, UDP [2001:db8:6::53]:53); capacity 64
# a table. Every input starts with 2001:db8:6::a's UDP 40000 -> 198.51.100.2:7000 (worker 0,
# pool4 port 2000), TCP 40001 -> :80 (worker 1, 2003) and ping 0x1234 (worker 0, 2000).
#   /usr/bin/python3 tests/fuzz/nat64/make_corpus.py   rewrites tests/fuzz/nat64/corpus/
import os
import random
import sys

from scapy.all import (ICMP, IP, TCP, UDP, ICMPv6DestUnreach, ICMPv6EchoReply,
                       ICMPv6EchoRequest, ICMPv6TimeExceeded, IPv6, IPv6ExtHdrFragment, raw)

A, B = "2001:db8:6::a", "2001:db8:6::b"
WEB, DNS = "2001:db8:6::80", "2001:db8:6::53"
S, H2, ROUTER = "198.51.100.2", "198.51.100.3", "198.51.100.254"
S6, H2_6, ROUTER6 = "2001:db8:64::c633:6402", "2001:db8:64::c633:6403", "2001:db8:64::c633:64fe"
POOL, POOL6 = "192.0.2.1", "2001:db8:64::c000:201"


def p6(ip, w=0, alone=False):
    """An IPv6 packet for worker w (a burst with its neighbours unless alone)."""
    b = ip if isinstance(ip, bytes) else raw(ip)
    return bytes([(0x20 if alone else 0) | w]) + len(b).to_bytes(2, "big") + b


def p4(ip, w=0, alone=False):
    b = ip if isinstance(ip, bytes) else raw(ip)
    return bytes([0x40 | (0x20 if alone else 0) | w]) + len(b).to_bytes(2, "big") + b


def clock(seconds):
    out = b""
    while seconds > 0:
        step = min(seconds, 63)
        out += bytes([0x80 | step])
        seconds -= step
    return out


def sweep(entries=64):
    return bytes([0xC0 | (entries - 1)])


def v6(src, dst, hlim=64):
    return IPv6(src=src, dst=dst, hlim=hlim)


def v4(src, dst, ttl=64):
    return IP(src=src, dst=dst, ttl=ttl)


def tcp(sport, dport, flags, seq=1, ack=0):
    return TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack)


def seeds():
    s = {}
    s["replies_both_workers"] = b"".join([
        p4(v4(S, POOL) / UDP(sport=7000, dport=2000) / b"reply-w1", w=1),
        p4(v4(S, POOL) / UDP(sport=7000, dport=2000) / b"reply-w0", w=0),
        p4(v4(S, POOL) / tcp(80, 2003, "SA", 100, 2), w=0),
        p6(v6(A, S6) / tcp(40001, 80, "A", 2, 101), w=1),
        p4(v4(S, POOL) / ICMP(type=0, id=2000, seq=1) / b"pong", w=1),
        p4(v4(H2, POOL) / UDP(sport=53, dport=2000) / b"eif", w=0),
        p6(v6(A, H2_6) / UDP(sport=40000, dport=53) / b"eim", w=1),
    ])
    s["tcp_life"] = b"".join([
        p6(v6(B, S6) / tcp(40011, 443, "S"), w=0),
        p4(v4(S, POOL) / tcp(443, 2001, "SA", 500, 2), w=1),
        p6(v6(B, S6) / tcp(40011, 443, "A", 2, 501) / b"GET", w=0),
        clock(5),
        p6(v6(B, S6) / tcp(40011, 443, "FA", 5, 501), w=1),
        p4(v4(S, POOL) / tcp(443, 2001, "A", 501, 6), w=0),
        p4(v4(S, POOL) / tcp(443, 2001, "FA", 501, 6), w=1),
        p6(v6(B, S6) / tcp(40011, 443, "A", 6, 502), w=0),
        clock(21), sweep(), sweep(),
        p4(v4(S, POOL) / tcp(443, 2001, "A", 502, 6), w=0),
    ])
    s["tcp_rst_and_incoming_syn"] = b"".join([
        p4(v4(S, POOL) / tcp(80, 2003, "SA", 100, 2), w=1),
        p4(v4(S, POOL) / tcp(80, 2003, "R", 101), w=0),
        p6(v6(A, S6) / tcp(40001, 80, "A", 2, 101), w=0),
        p4(v4(H2, POOL) / tcp(7777, 2003, "S", 9), w=1),
        clock(7), sweep(), sweep(),
        p6(v6(A, H2_6) / tcp(40001, 7777, "SA", 50, 10), w=1),
        p6(v6(A, S6) / tcp(40099, 80, "A"), w=0),
    ])
    udp_a4 = IP(src=POOL, dst=S, ttl=63, id=1, flags=0) / UDP(sport=2000, dport=7000) / b"q"
    s["icmp_errors"] = b"".join([
        p4(v4(S, POOL) / ICMP(type=3, code=3) / raw(udp_a4), w=1),
        p4(v4(ROUTER, POOL) / ICMP(type=11, code=0) / raw(udp_a4), w=0),
        p4(v4(ROUTER, POOL) / ICMP(type=3, code=4, nexthopmtu=1400)
           / raw(IP(src=POOL, dst=S, ttl=63) / tcp(2003, 80, "S")), w=0),
        p4(v4(ROUTER, POOL) / ICMP(type=12, code=0, ptr=8) / raw(udp_a4), w=1),
        p4(v4(S, POOL) / ICMP(type=3, code=3)
           / raw(IP(src=POOL, dst=S, ttl=63) / ICMP(type=8, id=2000, seq=1) / b"ping"), w=0),
        p6(v6(A, S6) / ICMPv6DestUnreach(code=4)
           / raw(IPv6(src=S6, dst=A, hlim=63) / UDP(sport=7000, dport=40000) / b"r"), w=0),
        p6(v6("2001:db8:6::fe", S6) / ICMPv6TimeExceeded()
           / raw(IPv6(src=S6, dst=A, hlim=1) / tcp(80, 40001, "SA")), w=1),
        p4(v4(S, POOL) / ICMP(type=3, code=3) / raw(IP(src=POOL, dst=S) / UDP(sport=2002)),
           w=0),  # no session
        p4(v4(S, POOL) / ICMP(type=3, code=3)
           / raw(IP(src=POOL, dst=S) / ICMP(type=3, code=3) / raw(udp_a4)), w=0),
    ])
    s["hairpin"] = b"".join([
        p6(v6(B, POOL6) / UDP(sport=50000, dport=2000) / b"to-a", w=1),
        p6(v6(A, POOL6) / UDP(sport=40000, dport=2002) / b"to-b", w=0),
        p6(v6(A, POOL6, hlim=2) / UDP(sport=40000, dport=2002) / b"ttl", w=0),
        p6(v6(A, POOL6) / ICMPv6EchoRequest(id=0x1234, seq=2), w=1),
        p6(v6(A, POOL6) / tcp(40001, 2002, "S"), w=1, alone=True),
    ])
    s["static_bib"] = b"".join([
        p4(v4(H2, POOL) / tcp(5555, 8080, "S", 77), w=1),
        p6(v6(WEB, H2_6) / tcp(80, 5555, "SA", 900, 78), w=0),
        p4(v4(H2, POOL) / UDP(sport=5353, dport=8080) / b"query", w=0),
        p6(v6(DNS, H2_6) / UDP(sport=53, dport=5353) / b"answer", w=1),
        p4(v4(H2, POOL) / ICMP(type=8, id=8080, seq=3) / b"ping-web", w=1),
        p6(v6(WEB, H2_6) / ICMPv6EchoReply(id=80, seq=3) / b"ping-web", w=0),
        clock(63), clock(63), clock(63), sweep(), sweep(), sweep(),
        p4(v4(H2, POOL) / UDP(sport=5353, dport=8080) / b"again", w=1),
    ])
    s["table_full"] = b"".join(
        p6(v6(A, S6) / UDP(sport=40000, dport=1000 + i) / b"x", w=0) for i in range(70)) + b"".join(
        p4(v4(S, POOL) / UDP(sport=1000 + i, dport=2000) / b"y", w=1) for i in range(0, 70, 7))
    s["pool4_exhausted"] = b"".join(
        [p6(v6(B, S6) / UDP(sport=41000 + i, dport=9) / b"z", w=0) for i in range(4)]
        + [p6(v6(B, S6) / ICMPv6EchoRequest(id=7 + i), w=1) for i in range(3)]
        + [clock(31), sweep(), sweep(), p6(v6(B, S6) / UDP(sport=42000, dport=9), w=0)])
    big = b"B" * 1300  # IPv6 result above 1280: DF clear -> Fragment (RFC 7915 §4)
    s["fragments_and_sizes"] = b"".join([
        p6(v6(A, S6) / IPv6ExtHdrFragment(id=77, m=1, offset=0) / UDP(sport=40000, dport=7000)
           / b"first", w=0),
        p6(v6(A, S6) / IPv6ExtHdrFragment(id=77, m=0, offset=2) / b"second!!", w=0),
        p4(IP(src=S, dst=POOL, ttl=64, flags="MF", frag=0) / UDP(sport=7000, dport=2000)
           / b"first", w=1),
        p4(IP(src=S, dst=POOL, ttl=64, frag=3) / b"later", w=1),
        p4(IP(src=S, dst=POOL, ttl=64, flags=0) / UDP(sport=7000, dport=2000) / big, w=0),
        p6(v6(A, S6) / UDP(sport=40000, dport=7000) / (b"C" * 1480), w=1),  # Packet Too Big
    ])
    s["malformed"] = b"".join([
        p6(raw(v6(A, S6) / UDP(sport=40000, dport=7000))[:30], w=0),  # IPv6 header cut
        p6(IPv6(src=A, dst=S6, plen=900) / UDP(sport=40000, dport=7000), w=0),
        p4(IP(src=S, dst=POOL, chksum=0x1234) / UDP(sport=7000, dport=2000), w=0),
        p4(IP(src=S, dst=POOL, options=b"\x01\x01\x01\x00") / UDP(sport=7000, dport=2000), w=1),
        p4(IP(src=S, dst=POOL) / UDP(sport=7000, dport=2000, chksum=0) / b"nocsum", w=1),
        p4(IP(src=S, dst=POOL, ttl=1) / UDP(sport=7000, dport=2000), w=0),
        p6(v6(A, S6, hlim=1) / UDP(sport=40000, dport=7000), w=0),
        p6(v6(A, S6) / UDP(sport=40000, dport=7000, chksum=0), w=1),
        p6(v6(A, "64:ff9b::c000:201") / UDP(sport=40000, dport=7000), w=1),
        p4(IP(src=S, dst=POOL, proto=47) / b"gre-payload", w=0),
        p6(raw(v6(A, S6) / tcp(40001, 80, "A"))[:52], w=1),  # TCP cut short
        p4(IP(src=S, dst=POOL) / ICMP(type=13), w=0),
    ])
    s["expiry"] = b"".join([
        p6(v6(B, S6) / UDP(sport=50000, dport=5000) / b"u", w=1),
        p6(v6(B, S6) / ICMPv6EchoRequest(id=0x99), w=1),
        clock(9), sweep(),
        p4(v4(S, POOL) / ICMP(type=0, id=2003, seq=0), w=0),
        clock(2), sweep(), sweep(),
        p4(v4(S, POOL) / ICMP(type=0, id=2003, seq=0), w=0),
        clock(25), p4(v4(S, POOL) / UDP(sport=5000, dport=2002), w=0),
        clock(29), sweep(), p4(v4(S, POOL) / UDP(sport=5000, dport=2002), w=0),
        clock(2), sweep(), sweep(), p4(v4(S, POOL) / UDP(sport=5000, dport=2002), w=0),
    ])
    rnd = random.Random(64)
    s["random_bytes"] = bytes(rnd.randrange(256) for _ in range(600))
    return s


def main(out):
    os.makedirs(out, exist_ok=True)
    for name, data in seeds().items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else
         os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus"))
