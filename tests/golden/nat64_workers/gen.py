#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Builds the "nat64_workers" golden case: stateful NAT64 with two workers sharing the CPUs,
# each port with two queues (worker w polls and sends on queue w of both ports). Each worker
# translates its own subscribers' UDP, TCP and ICMP echo both ways, each in its own pool4
# slice (worker 0 ports x000-x001, worker 1 x002-x003); the static BIB entries live in
# worker 0's table (their port is in its slice) and are reached from IPv4 on worker 1, with
# the servers' answers on worker 0. Regenerate: `ninja -C build regen-golden-nat64_workers`.
#
# The workers run concurrently, so only what one worker does with its own queues is
# ordered (phases of 32 frames, as in ../nat64/gen.py). Traffic crossing workers is chosen
# so that either order gives the same frames: static BIB entries exist from the start, and
# a SYN from either side or a UDP datagram either way creates the session it needs. Each
# worker learns every neighbour it sends to from its own phase 0.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nat64"))
from gen import (ICMP, IP, PHASE, POOL, UDP, ICMPv6DestUnreach, ICMPv6EchoReply,  # noqa: E402
                 ICMPv6EchoRequest, IPv6, arp_reply, arp_request, config, data, from_v4,
                 from_v6, na, ns, out4, out6, pad_inside, pad_outside, phase, raw, tcp, to_v4,
                 to_v6, v4, v4_in_pool6, v6, write_case)

POOL4 = [
    {"prefix": POOL + "/32", "protocols": ["tcp"], "ports": {"min": 2000, "max": 2003}},
    {"prefix": POOL + "/32", "protocols": ["udp"], "ports": {"min": 3000, "max": 3003}},
    {"prefix": POOL + "/32", "protocols": ["icmp"], "ports": {"min": 4000, "max": 4003}},
    {"prefix": POOL + "/32", "protocols": ["tcp", "udp"], "ports": {"min": 8080, "max": 8080}},
]


def worker0():
    """Subscriber A, the static servers' answers."""
    a, web, dns = v6("a"), v6("web"), v6("dns")
    server, host2 = v4("server"), v4("host2")
    s6, h6 = v4_in_pool6("server"), v4_in_pool6("host2")
    in0 = [ns("a"), ns("web"), ns("dns")]
    out0 = [arp_request("server"), arp_request("host2")]
    exp_in = [na("a"), na("web"), na("dns")]
    exp_out = [arp_reply("server"), arp_reply("host2")]

    udp_a = IPv6(src=a, dst=s6, hlim=64) / UDP(sport=40000, dport=7000) / data("w0-udp")
    syn_a = IPv6(src=a, dst=s6, hlim=64) / tcp(40001, 80, "S")
    ping_a = IPv6(src=a, dst=s6, hlim=64) / ICMPv6EchoRequest(id=0x1234, seq=1, data=data("w0"))
    udp_a4 = out4(POOL, server, 1) / UDP(sport=3000, dport=7000) / data("w0-udp")
    in1 = [from_v6("a", udp_a), from_v6("a", syn_a), from_v6("a", ping_a)]
    exp_out += [to_v4("server", out4(POOL, server, 1) / UDP(sport=3000, dport=7000)
                      / data("w0-udp")),
                to_v4("server", out4(POOL, server, 2) / tcp(2001, 80, "S")),
                to_v4("server", out4(POOL, server, 3) / ICMP(type=8, id=4000, seq=1)
                      / data("w0"))]

    rep = IP(src=server, dst=POOL, ttl=64) / UDP(sport=7000, dport=3000) / data("w0-rep")
    rep6 = out6(s6, a) / UDP(sport=7000, dport=40000) / data("w0-rep")
    out1 = [from_v4("server", rep),
            from_v4("server", IP(src=server, dst=POOL, ttl=64) / tcp(80, 2001, "SA", 5000, 1001)),
            from_v4("server", IP(src=server, dst=POOL, ttl=64) / ICMP(type=0, id=4000, seq=1)
                    / data("w0")),
            from_v4("server", IP(src=server, dst=POOL, ttl=64) / ICMP(type=3, code=3)
                    / IP(raw(udp_a4)))]
    exp_in += [to_v6("a", rep6),
               to_v6("a", out6(s6, a) / tcp(80, 40001, "SA", 5000, 1001)),
               to_v6("a", out6(s6, a) / ICMPv6EchoReply(id=0x1234, seq=1, data=data("w0"))),
               to_v6("a", out6(s6, a) / ICMPv6DestUnreach(code=4)
                     / IPv6(src=a, dst=s6, hlim=63, tc=0, fl=0) / UDP(sport=40000, dport=7000)
                     / data("w0-udp"))]

    # The static servers answer worker 1's IPv4 clients; SYN-ACK and datagram create the
    # session if worker 1 has not yet, or find the one it made.
    in2 = [from_v6("a", IPv6(src=a, dst=s6, hlim=64) / tcp(40001, 80, "A", 1001, 5001)),
           from_v6("a", IPv6(src=a, dst=s6, hlim=64) / ICMPv6DestUnreach(code=4) / IPv6(raw(rep6))),
           from_v6("web", IPv6(src=web, dst=h6, hlim=64) / tcp(80, 5555, "SA", 9000, 7001)),
           from_v6("dns", IPv6(src=dns, dst=h6, hlim=64) / UDP(sport=53, dport=5353)
                   / data("dns-r"))]
    exp_out += [to_v4("server", out4(POOL, server, 4) / tcp(2001, 80, "A", 1001, 5001)),
                to_v4("server", out4(POOL, server, 5) / ICMP(type=3, code=3)
                      / IP(src=server, dst=POOL, ttl=63, id=0, flags=0, tos=0)
                      / UDP(sport=7000, dport=3000) / data("w0-rep")),
                to_v4("host2", out4(POOL, host2, 6) / tcp(8080, 5555, "SA", 9000, 7001)),
                to_v4("host2", out4(POOL, host2, 7) / UDP(sport=8080, dport=5353)
                      / data("dns-r"))]
    inside = phase(in0, pad_inside) + phase(in1, pad_inside) + in2
    outside = phase(out0, pad_outside) + out1
    pads = 2 * PHASE - len(in0) - len(in1) + PHASE - len(out0)
    return inside, outside, exp_in, exp_out, pads


def worker1():
    """Subscriber B, the IPv4 clients of the static servers."""
    b, web, dns = v6("b"), v6("web"), v6("dns")
    server, host2 = v4("server"), v4("host2")
    s6, h6 = v4_in_pool6("server"), v4_in_pool6("host2")
    in0 = [ns("b"), ns("web"), ns("dns")]
    out0 = [arp_request("server"), arp_request("host2")]
    exp_in = [na("b"), na("web"), na("dns")]
    exp_out = [arp_reply("server"), arp_reply("host2")]

    # Worker 1's slice: 3002-3003 and so on; B's even UDP port gets 3002, odd TCP 2003, the
    # odd echo identifier 4003.
    in1 = [from_v6("b", IPv6(src=b, dst=s6, hlim=64) / UDP(sport=50000, dport=7001)
                   / data("w1-udp")),
           from_v6("b", IPv6(src=b, dst=s6, hlim=64) / tcp(50001, 443, "S")),
           from_v6("b", IPv6(src=b, dst=s6, hlim=64)
                   / ICMPv6EchoRequest(id=0x4321, seq=9, data=data("w1")))]
    exp_out += [to_v4("server", out4(POOL, server, 1) / UDP(sport=3002, dport=7001)
                      / data("w1-udp")),
                to_v4("server", out4(POOL, server, 2) / tcp(2003, 443, "S")),
                to_v4("server", out4(POOL, server, 3) / ICMP(type=8, id=4003, seq=9)
                      / data("w1"))]

    out1 = [from_v4("server", IP(src=server, dst=POOL, ttl=64) / UDP(sport=7001, dport=3002)
                    / data("w1-rep")),
            from_v4("server", IP(src=server, dst=POOL, ttl=64) / tcp(443, 2003, "SA", 6000, 1001)),
            from_v4("server", IP(src=server, dst=POOL, ttl=64) / ICMP(type=0, id=4003, seq=9)
                    / data("w1")),
            # Port 8080 is in worker 0's slice: its table holds the static entries.
            from_v4("host2", IP(src=host2, dst=POOL, ttl=64) / tcp(5555, 8080, "S", 7000)),
            from_v4("host2", IP(src=host2, dst=POOL, ttl=64) / UDP(sport=5353, dport=8080)
                    / data("dns-q"))]
    exp_in += [to_v6("b", out6(s6, b) / UDP(sport=7001, dport=50000) / data("w1-rep")),
               to_v6("b", out6(s6, b) / tcp(443, 50001, "SA", 6000, 1001)),
               to_v6("b", out6(s6, b) / ICMPv6EchoReply(id=0x4321, seq=9, data=data("w1"))),
               to_v6("web", out6(h6, web) / tcp(5555, 80, "S", 7000)),
               to_v6("dns", out6(h6, dns) / UDP(sport=5353, dport=53) / data("dns-q"))]

    in2 = [from_v6("b", IPv6(src=b, dst=s6, hlim=64) / tcp(50001, 443, "A", 1001, 6001))]
    exp_out += [to_v4("server", out4(POOL, server, 4) / tcp(2003, 443, "A", 1001, 6001))]
    inside = phase(in0, pad_inside) + phase(in1, pad_inside) + in2
    outside = phase(out0, pad_outside) + out1
    pads = 2 * PHASE - len(in0) - len(in1) + PHASE - len(out0)
    return inside, outside, exp_in, exp_out, pads


def main(out):
    cfg = config(workers=2)
    cfg["nat64"]["pool4"] = POOL4
    w0, w1 = worker0(), worker1()
    captures = {
        "inside.in.pcap": w0[0], "outside.in.pcap": w0[1],
        "inside.expected.pcap": w0[2], "outside.expected.pcap": w0[3],
        "inside.in.q1.pcap": w1[0], "outside.in.q1.pcap": w1[1],
        "inside.expected.q1.pcap": w1[2], "outside.expected.q1.pcap": w1[3],
    }
    write_case(out, cfg, captures, {"not_for_us": w0[4] + w1[4]})


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
