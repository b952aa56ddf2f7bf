#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Builds the "nat64" golden case: stateful NAT64 (RFC 6146) with one worker. UDP, TCP and
# ICMP echo both ways, an ICMP error each way with its quoted packet translated through the
# session (RFC 6146 §3.5.3, RFC 7915 §4.2-4.4/§5.2-5.4), hairpinning between two
# subscribers (§3.8), endpoint-independent filtering, static BIB entries reached from IPv4
# (§3.5.1) and the drops NAT64 owes. The expected frames are written out field by field
# from the RFCs, not captured from straitd. Regenerate: `ninja -C build regen-golden-nat64`.
#
# pool4 ports are random (RFC 6056) but exact here: each protocol's dynamic range holds one
# even and one odd port, and RFC 4787 REQ-3 gives a mapping the parity of its source port
# (the other one when that is taken), so every pick has a single candidate.
#
# Phases: a worker reads up to 32 frames of a capture per burst, inside before outside. So
# each capture is cut into phases of exactly 32 frames (padded with frames for another MAC,
# dropped as not_for_us): inside phase k is translated before outside phase k, which comes
# before inside phase k+1. Phase 0 teaches straitd every neighbour (NS and ARP), so no
# packet ever waits for resolution.
import json
import os
import sys

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Ether, ICMPv6DestUnreach, ICMPv6EchoReply,
                       ICMPv6EchoRequest, ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptDstLLAddr,
                       ICMPv6NDOptSrcLLAddr, IPv6, PcapWriter, raw)

GW_IN = "02:70:63:61:70:00"   # net_pcap0
GW_OUT = "02:70:63:61:70:01"  # net_pcap1
OTHER_MAC = "02:00:00:00:00:99"
GW6, GW4 = "2001:db8:6::1", "198.51.100.1"
POOL = "192.0.2.1"
POOL6 = "2001:db8:64::c000:201"  # 192.0.2.1 under pool6 (RFC 6052 /96)
PHASE = 32

# IPv6-only hosts (name -> (address, MAC)) and IPv4 hosts (address, MAC, pool6 name).
V6 = {"a": ("2001:db8:6::a", "02:00:00:00:00:0a"), "b": ("2001:db8:6::b", "02:00:00:00:00:0b"),
      "web": ("2001:db8:6::80", "02:00:00:00:00:80"),
      "dns": ("2001:db8:6::53", "02:00:00:00:00:53")}
V4 = {"server": ("198.51.100.2", "02:00:00:00:00:20", "2001:db8:64::c633:6402"),
      "host2": ("198.51.100.3", "02:00:00:00:00:21", "2001:db8:64::c633:6403")}

POOL4 = [  # one even and one odd dynamic port per protocol (see above), static ports apart
    {"prefix": POOL + "/32", "protocols": ["tcp"], "ports": {"min": 2000, "max": 2001}},
    {"prefix": POOL + "/32", "protocols": ["udp"], "ports": {"min": 3000, "max": 3001}},
    {"prefix": POOL + "/32", "protocols": ["icmp"], "ports": {"min": 4000, "max": 4001}},
    {"prefix": POOL + "/32", "protocols": ["tcp", "udp"], "ports": {"min": 8080, "max": 8080}},
]
BIB = [
    {"protocol": "tcp", "ipv6": V6["web"][0], "port6": 80, "ipv4": POOL, "port4": 8080},
    {"protocol": "udp", "ipv6": V6["dns"][0], "port6": 53, "ipv4": POOL, "port4": 8080},
]


def data(tag):
    return ("strait-nat64-golden-" + tag).encode()


# ---- frames -------------------------------------------------------------------------------

def ns(host):
    addr, mac = V6[host]
    return (Ether(dst="33:33:ff:00:00:01", src=mac) / IPv6(src=addr, dst="ff02::1:ff00:1", hlim=255)
            / ICMPv6ND_NS(tgt=GW6) / ICMPv6NDOptSrcLLAddr(lladdr=mac))


def na(host):
    addr, mac = V6[host]
    return (Ether(dst=mac, src=GW_IN) / IPv6(src=GW6, dst=addr, hlim=255)
            / ICMPv6ND_NA(R=1, S=1, O=1, tgt=GW6) / ICMPv6NDOptDstLLAddr(lladdr=GW_IN))


def arp_request(host):
    addr, mac, _ = V4[host]
    return Ether(dst="ff:ff:ff:ff:ff:ff", src=mac) / ARP(
        op=1, hwsrc=mac, psrc=addr, hwdst="00:00:00:00:00:00", pdst=GW4)


def arp_reply(host):
    addr, mac, _ = V4[host]
    return Ether(dst=mac, src=GW_OUT) / ARP(op=2, hwsrc=GW_OUT, psrc=GW4, hwdst=mac, pdst=addr)


def pad_inside(n):
    """Frames for another MAC: dropped as not_for_us, they only fill a phase."""
    return [Ether(dst=OTHER_MAC, src=V6["a"][1]) / IPv6(src=V6["a"][0], dst=GW6) / UDP()
            for _ in range(n)]


def pad_outside(n):
    return [Ether(dst=OTHER_MAC, src=V4["server"][1]) / IP(src=V4["server"][0], dst=GW4) / UDP()
            for _ in range(n)]


def phase(frames, pad):
    assert len(frames) <= PHASE, len(frames)
    return frames + pad(PHASE - len(frames))


def from_v6(host, ip):
    """A frame from an IPv6 host to the gateway carrying `ip`."""
    return Ether(dst=GW_IN, src=V6[host][1]) / ip


def to_v6(host, ip):
    return Ether(dst=V6[host][1], src=GW_IN) / ip


def from_v4(host, ip):
    return Ether(dst=GW_OUT, src=V4[host][1]) / ip


def to_v4(host, ip):
    return Ether(dst=V4[host][1], src=GW_OUT) / ip


def v6(host):
    return V6[host][0]


def v4(host):
    return V4[host][0]


def v4_in_pool6(host):
    return V4[host][2]


def out4(src, dst, ident, ttl=63):
    """RFC 7915 §5.1: TTL = hop limit - 1, DF clear up to 1260 bytes, Identification from
    the worker's counter (one per IPv6 packet that reaches translation)."""
    return IP(src=src, dst=dst, ttl=ttl, id=ident, flags=0, tos=0)


def out6(src, dst, hlim=63):
    """RFC 7915 §4.1: hop limit = TTL - 1, traffic class = TOS, flow label 0."""
    return IPv6(src=src, dst=dst, hlim=hlim, tc=0, fl=0)


def tcp(sport, dport, flags, seq=1000, ack=0):
    return TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack, window=8192)


# ---- the case -----------------------------------------------------------------------------

def frames():
    """(inside in, outside in, inside expected, outside expected)."""
    a, b, web, dns = v6("a"), v6("b"), v6("web"), v6("dns")
    server, host2 = v4("server"), v4("host2")
    s6, h6 = v4_in_pool6("server"), v4_in_pool6("host2")

    # Phase 0: neighbours.
    in0 = [ns(h) for h in ("a", "b", "web", "dns")]
    out0 = [arp_request("server"), arp_request("host2")]
    exp_in = [na(h) for h in ("a", "b", "web", "dns")]
    exp_out = [arp_reply("server"), arp_reply("host2")]

    # Phase 1 inside: subscribers open flows. Identification counts 1, 2, ...
    udp_a = IPv6(src=a, dst=s6, hlim=64) / UDP(sport=40000, dport=7000) / data("udp-a")
    udp_a4 = out4(POOL, server, 1) / UDP(sport=3000, dport=7000) / data("udp-a")  # even: 3000
    syn_a = IPv6(src=a, dst=s6, hlim=64) / tcp(40001, 80, "S")
    syn_a4 = out4(POOL, server, 2) / tcp(2001, 80, "S")  # odd: 2001
    ping_a = IPv6(src=a, dst=s6, hlim=64) / ICMPv6EchoRequest(id=0x1234, seq=1, data=data("ping"))
    ping_a4 = out4(POOL, server, 3) / ICMP(type=8, id=4000, seq=1) / data("ping")
    udp_b = IPv6(src=b, dst=s6, hlim=64) / UDP(sport=50000, dport=7001) / data("udp-b")
    udp_b4 = out4(POOL, server, 4) / UDP(sport=3001, dport=7001) / data("udp-b")  # 3000 taken
    # RFC 6146 §3.8 hairpin: A to B's pool4 transport address and back. The gateway is one
    # hop (the second pass keeps the TTL); the source is the other's pool4 transport address
    # under pool6.
    hp_ab = IPv6(src=a, dst=POOL6, hlim=64) / UDP(sport=40000, dport=3001) / data("hairpin-ab")
    hp_ab6 = out6(POOL6, b, 63) / UDP(sport=3000, dport=50000) / data("hairpin-ab")
    hp_ba = IPv6(src=b, dst=POOL6, hlim=64) / UDP(sport=50000, dport=3000) / data("hairpin-ba")
    hp_ba6 = out6(POOL6, a, 63) / UDP(sport=3001, dport=40000) / data("hairpin-ba")
    ack_nosession = IPv6(src=a, dst=s6, hlim=64) / tcp(40003, 80, "A")  # nat64_tcp_no_session
    no_pool6 = IPv6(src=a, dst="2001:db8:99::1", hlim=64) / UDP(sport=1, dport=2)  # xlat_no_mapping
    in1 = [from_v6("a", udp_a), from_v6("a", syn_a), from_v6("a", ping_a), from_v6("b", udp_b),
           from_v6("a", hp_ab), from_v6("b", hp_ba), from_v6("a", ack_nosession),
           from_v6("a", no_pool6)]
    exp_out += [to_v4("server", p) for p in (udp_a4, syn_a4, ping_a4, udp_b4)]
    exp_in += [to_v6("b", hp_ab6), to_v6("a", hp_ba6)]

    # Phase 1 outside: replies, an ICMP error, other remotes (EIF), static BIB entries.
    rep_udp = IP(src=server, dst=POOL, ttl=64, id=0x101) / UDP(sport=7000, dport=3000) / data("rep")
    rep_udp6 = out6(s6, a) / UDP(sport=7000, dport=40000) / data("rep")
    synack = IP(src=server, dst=POOL, ttl=64, id=0x102) / tcp(80, 2001, "SA", 5000, 1001)
    synack6 = out6(s6, a) / tcp(80, 40001, "SA", 5000, 1001)
    pong = IP(src=server, dst=POOL, ttl=64, id=0x103) / ICMP(type=0, id=4000, seq=1) / data("ping")
    pong6 = out6(s6, a) / ICMPv6EchoReply(id=0x1234, seq=1, data=data("ping"))
    # Port Unreachable quoting what the server got; the subscriber sees its own packet
    # (RFC 7915 §4.2: type 3 code 3 -> type 1 code 4; §4.4: the quote keeps its TTL as hop
    # limit).
    unreach = (IP(src=server, dst=POOL, ttl=64, id=0x104) / ICMP(type=3, code=3)
               / IP(raw(udp_a4)))
    unreach6 = (out6(s6, a) / ICMPv6DestUnreach(code=4)
                / IPv6(src=a, dst=s6, hlim=63, tc=0, fl=0) / UDP(sport=40000, dport=7000)
                / data("udp-a"))
    eif = IP(src=host2, dst=POOL, ttl=64) / UDP(sport=6000, dport=3000) / data("eif")
    eif6 = out6(h6, a) / UDP(sport=6000, dport=40000) / data("eif")
    web_syn = IP(src=host2, dst=POOL, ttl=64) / tcp(5555, 8080, "S", 7000)
    web_syn6 = out6(h6, web) / tcp(5555, 80, "S", 7000)
    dns_q = IP(src=host2, dst=POOL, ttl=64) / UDP(sport=5353, dport=8080) / data("dns-q")
    dns_q6 = out6(h6, dns) / UDP(sport=5353, dport=53) / data("dns-q")
    no_bib = IP(src=host2, dst=POOL, ttl=64) / tcp(5556, 2000, "S")  # nat64_no_bib
    out1 = [from_v4("server", p) for p in (rep_udp, synack, pong, unreach)]
    out1 += [from_v4("host2", p) for p in (eif, web_syn, dns_q, no_bib)]
    exp_in += [to_v6("a", p) for p in (rep_udp6, synack6, pong6, unreach6, eif6)]
    exp_in += [to_v6("web", web_syn6), to_v6("dns", dns_q6)]

    # Phase 2 inside: the connection goes on, A refuses the server's datagram with an
    # ICMPv6 error (its source is the session's pool4 address, RFC 6146 §3.5.3), the static
    # servers answer, A's mapping reaches the other remote (EIM).
    ack_a = IPv6(src=a, dst=s6, hlim=64) / tcp(40001, 80, "A", 1001, 5001)
    ack_a4 = out4(POOL, server, 9) / tcp(2001, 80, "A", 1001, 5001)
    refused = IPv6(src=a, dst=s6, hlim=64) / ICMPv6DestUnreach(code=4) / IPv6(raw(rep_udp6))
    refused4 = (out4(POOL, server, 10) / ICMP(type=3, code=3)
                / IP(src=server, dst=POOL, ttl=63, id=0, flags=0, tos=0)
                / UDP(sport=7000, dport=3000) / data("rep"))
    web_synack = IPv6(src=web, dst=h6, hlim=64) / tcp(80, 5555, "SA", 9000, 7001)
    web_synack4 = out4(POOL, host2, 11) / tcp(8080, 5555, "SA", 9000, 7001)
    dns_r = IPv6(src=dns, dst=h6, hlim=64) / UDP(sport=53, dport=5353) / data("dns-r")
    dns_r4 = out4(POOL, host2, 12) / UDP(sport=8080, dport=5353) / data("dns-r")
    a_h2 = IPv6(src=a, dst=h6, hlim=64) / UDP(sport=40000, dport=6000) / data("a-h2")
    a_h24 = out4(POOL, host2, 13) / UDP(sport=3000, dport=6000) / data("a-h2")
    # Hop limit 2 to a hairpin: the IPv4 pass leaves TTL 1, which the second pass keeps:
    # B gets it with hop limit 1 (not an ICMP error, not internal_bug).
    hp_ttl = IPv6(src=a, dst=POOL6, hlim=2) / UDP(sport=40000, dport=3001) / data("hairpin-ttl")
    hp_ttl6 = out6(POOL6, b, 1) / UDP(sport=3000, dport=50000) / data("hairpin-ttl")
    in2 = [from_v6("a", ack_a), from_v6("a", refused), from_v6("web", web_synack),
           from_v6("dns", dns_r), from_v6("a", a_h2), from_v6("a", hp_ttl)]
    exp_out += [to_v4("server", ack_a4), to_v4("server", refused4), to_v4("host2", web_synack4),
                to_v4("host2", dns_r4), to_v4("host2", a_h24)]
    exp_in += [to_v6("b", hp_ttl6)]

    inside_in = phase(in0, pad_inside) + phase(in1, pad_inside) + in2
    outside_in = phase(out0, pad_outside) + out1
    pads = 2 * PHASE - len(in0) - len(in1) + PHASE - len(out0)
    drops = {"not_for_us": pads, "nat64_tcp_no_session": 1, "xlat_no_mapping": 1,
             "nat64_no_bib": 1}
    return inside_in, outside_in, exp_in, exp_out, drops


# ---- files --------------------------------------------------------------------------------

def write_pcap(path, pkts):
    w = PcapWriter(path, sync=True)
    for p in pkts:
        w.write(Ether(raw(p)))
    w.close()


def config(workers=1):
    return {
        "workers": workers,
        "ports": {"inside": {"ipv6": [GW6 + "/64"]}, "outside": {"ipv4": [GW4 + "/24"]}},
        "mode": "nat64",
        "nat64": {"pool6": "2001:db8:64::/96", "pool4": POOL4, "bib": BIB, "capacity": 4096},
    }


def write_case(out, cfg, captures, drops):
    """captures: {file name: frames}; drops: the exact final drop counters."""
    for name, pkts in captures.items():
        write_pcap(os.path.join(out, name), pkts)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    with open(os.path.join(out, "expected_drops.json"), "w") as f:
        json.dump(drops, f, indent=2, sort_keys=True)
        f.write("\n")


def main(out):
    inside_in, outside_in, exp_in, exp_out, drops = frames()
    write_case(out, config(), {"inside.in.pcap": inside_in, "outside.in.pcap": outside_in,
                               "inside.expected.pcap": exp_in,
                               "outside.expected.pcap": exp_out}, drops)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
