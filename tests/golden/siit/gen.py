#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Builds the "siit" golden case: straitd in SIIT mode (pool6 2001:db8:64::/96, EAMT
# 2001:db8:6::10 <-> 192.0.2.10) translating UDP both ways, generating an ICMPv6 Time
# Exceeded, translating an ICMP Port Unreachable with its quoted packet (RFC 7915 §4.2-4.4),
# resolving the IPv4 next hop by ARP with the packet held meanwhile, and dropping an
# unmapped destination. The expected frames are written out field by field from the RFC,
# not captured from straitd. Regenerate: `ninja -C build regen-golden-siit` and commit.
# The same run writes the RFC 7915 conformance cases of conformance.py, one folder each
# (tests/golden/siit/<name>/, registered as golden_siit_<name>).
#
# Order matters: the worker reads the whole inside capture (one burst) before the outside
# one, so exactly one IPv6->IPv4 packet waits for ARP, released when the server's ARP
# request teaches straitd its MAC.
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conformance  # noqa: E402  (beside this file)

from scapy.all import (ARP, ICMP, IP, UDP, Ether, ICMPv6DestUnreach, ICMPv6ND_NA, ICMPv6ND_NS,
                       ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr, ICMPv6TimeExceeded, IPv6,
                       PcapWriter, raw)

GW_IN = "02:70:63:61:70:00"   # net_pcap0
GW_OUT = "02:70:63:61:70:01"  # net_pcap1
CLIENT = "02:00:00:00:00:10"
SERVER = "02:00:00:00:00:20"
GW6, CLIENT6 = "2001:db8:6::1", "2001:db8:6::10"
GW4, SERVER4, CLIENT4 = "198.51.100.1", "198.51.100.2", "192.0.2.10"
SERVER6 = "2001:db8:64::c633:6402"  # 198.51.100.2 under pool6 (RFC 6052 /96)
DATA = b"strait-siit-golden-0123456789"


def v6_udp(hlim=64):
    return IPv6(src=CLIENT6, dst=SERVER6, hlim=hlim, tc=0x20) / UDP(sport=40000, dport=7000) / DATA


def v4_udp_back():
    return IP(src=SERVER4, dst=CLIENT4, ttl=64, id=0x1234, tos=0x20) / UDP(sport=7000, dport=40000) / DATA


def frames():
    ns = (Ether(dst="33:33:ff:00:00:01", src=CLIENT) / IPv6(src=CLIENT6, dst="ff02::1:ff00:1", hlim=255)
          / ICMPv6ND_NS(tgt=GW6) / ICMPv6NDOptSrcLLAddr(lladdr=CLIENT))
    na = (Ether(dst=CLIENT, src=GW_IN) / IPv6(src=GW6, dst=CLIENT6, hlim=255)
          / ICMPv6ND_NA(R=1, S=1, O=1, tgt=GW6) / ICMPv6NDOptDstLLAddr(lladdr=GW_IN))
    expired = Ether(dst=GW_IN, src=CLIENT) / v6_udp(hlim=1)
    time_exceeded = (Ether(dst=CLIENT, src=GW_IN) / IPv6(src=GW6, dst=CLIENT6, hlim=64)
                     / ICMPv6TimeExceeded(code=0) / v6_udp(hlim=1))
    unmapped = Ether(dst=GW_IN, src=CLIENT) / IPv6(src=CLIENT6, dst="2001:db8:99::1") / UDP() / DATA
    to_server = Ether(dst=GW_IN, src=CLIENT) / v6_udp()
    # RFC 7915 §5.1: TTL = hop limit - 1, TOS = traffic class, DF clear at or below 1260
    # bytes, Identification from the translator's per-lcore counter. The counter is taken
    # before address mapping, so the unmapped packet dropped earlier used 1: this gets 2.
    translated4 = (Ether(dst=SERVER, src=GW_OUT)
                   / IP(src=CLIENT4, dst=SERVER4, ttl=63, tos=0x20, id=2, flags=0)
                   / UDP(sport=40000, dport=7000) / DATA)
    arp_req = Ether(dst="ff:ff:ff:ff:ff:ff", src=GW_OUT) / ARP(
        op=1, hwsrc=GW_OUT, psrc=GW4, hwdst="00:00:00:00:00:00", pdst=SERVER4)
    server_arp = Ether(dst="ff:ff:ff:ff:ff:ff", src=SERVER) / ARP(
        op=1, hwsrc=SERVER, psrc=SERVER4, hwdst="00:00:00:00:00:00", pdst=GW4)
    arp_reply = Ether(dst=SERVER, src=GW_OUT) / ARP(
        op=2, hwsrc=GW_OUT, psrc=GW4, hwdst=SERVER, pdst=SERVER4)
    back = Ether(dst=GW_OUT, src=SERVER) / v4_udp_back()
    # RFC 7915 §4.1: hop limit = TTL - 1, traffic class = TOS, flow label 0.
    translated6 = (Ether(dst=CLIENT, src=GW_IN) / IPv6(src=SERVER6, dst=CLIENT6, hlim=63, tc=0x20, fl=0)
                   / UDP(sport=7000, dport=40000) / DATA)
    quoted4 = IP(src=CLIENT4, dst=SERVER4, ttl=63, id=2, flags=0) / UDP(sport=40000, dport=7000) / DATA
    port_unreach = (Ether(dst=GW_OUT, src=SERVER) / IP(src=SERVER4, dst=CLIENT4, ttl=64, id=0x55)
                    / ICMP(type=3, code=3) / quoted4)
    # RFC 7915 §4.2: Port Unreachable -> Destination Unreachable code 4; the quoted packet
    # is translated too (§4.4) with its hop limit as it was quoted.
    quoted6 = IPv6(src=CLIENT6, dst=SERVER6, hlim=63, fl=0) / UDP(sport=40000, dport=7000) / DATA
    port_unreach6 = (Ether(dst=CLIENT, src=GW_IN) / IPv6(src=SERVER6, dst=CLIENT6, hlim=63)
                     / ICMPv6DestUnreach(code=4) / quoted6)
    inside_in = [ns, expired, unmapped, to_server]
    outside_in = [server_arp, back, port_unreach]
    inside_out = [na, time_exceeded, translated6, port_unreach6]
    outside_out = [arp_req, translated4, arp_reply]
    return inside_in, outside_in, inside_out, outside_out


def write(path, pkts):
    # Raw bytes, not re-dissected: scapy's icmp_extensions contrib (conformance.py builds
    # RFC 4884 extensions with it) patches ICMP dissection and fails on its own output.
    w = PcapWriter(path, linktype=1, sync=True)
    for p in pkts:
        w.write(raw(p))
    w.close()


def write_json(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


def write_case(out, case):
    """One folder in run_golden.py's layout from a conformance.py case."""
    os.makedirs(out, exist_ok=True)
    for name in ("inside_in", "outside_in", "inside_out", "outside_out"):
        port, kind = name.split("_")
        path = os.path.join(out, f"{port}.{'in' if kind == 'in' else 'expected'}.pcap")
        if case[name]:
            write(path, case[name])
        elif os.path.exists(path):
            os.remove(path)
    write_json(os.path.join(out, "config.json"), case["config"])
    write_json(os.path.join(out, "expected_drops.json"), case["drops"])
    write_json(os.path.join(out, "expected_xlat.json"), case["xlat"])


def main(out):
    for name, build in conformance.CASES.items():
        write_case(os.path.join(out, name), build())
    inside_in, outside_in, inside_out, outside_out = frames()
    write(os.path.join(out, "inside.in.pcap"), inside_in)
    write(os.path.join(out, "outside.in.pcap"), outside_in)
    write(os.path.join(out, "inside.expected.pcap"), inside_out)
    write(os.path.join(out, "outside.expected.pcap"), outside_out)
    cfg = {
        "workers": 1,
        "ports": {"inside": {"ipv6": [GW6 + "/64"]}, "outside": {"ipv4": [GW4 + "/24"]}},
        "mode": "siit",
        "siit": {"pool6": "2001:db8:64::/96",
                 "eamt": [{"ipv6": CLIENT6 + "/128", "ipv4": CLIENT4 + "/32"}]},
    }
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    with open(os.path.join(out, "expected_drops.json"), "w") as f:
        json.dump({"xlat_no_mapping": 1, "ipv6_hop_limit_expired": 1}, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
