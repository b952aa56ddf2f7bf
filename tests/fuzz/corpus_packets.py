# SPDX-License-Identifier: Apache-2.0
"""Seeds of the packet fuzz targets (pkt_classify, xlat_siit), built with scapy on the demo
topology's addresses; imported by make_corpus.py. Each seed is the target's setup byte(s)
(format at the top of the target's .cc) followed by one frame or packet."""
from scapy.all import (ARP, ICMP, IP, TCP, UDP, Ether, ICMPv6DestUnreach, ICMPv6EchoRequest,
                       ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6ND_RS, ICMPv6NDOptDstLLAddr,
                       ICMPv6NDOptSrcLLAddr, ICMPv6PacketTooBig, ICMPv6ParamProblem,
                       ICMPv6TimeExceeded, ICMPv6MLReport2, IPOption_RR, IPOption_LSRR, IPv6,
                       IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                       IPv6ExtHdrRouting, RouterAlert, raw)
from scapy.layers.dns import DNS, DNSQR

GW_IN, GW_OUT = "02:00:00:00:00:01", "02:00:00:00:00:02"  # pkt_classify_fuzz.cc ports
CLIENT, SERVER = "02:00:00:00:00:10", "02:00:00:00:00:20"
GW6, CLIENT6, SERVICE6 = "2001:db8:6::1", "2001:db8:6::10", "2001:db8:6::53"
GW4, SERVER4, CLIENT4 = "198.51.100.1", "198.51.100.2", "192.0.2.10"
SERVER6 = "2001:db8:64::c633:6402"   # 198.51.100.2 under pool6 2001:db8:64::/96
HAIRPIN6 = "2001:db8:64::c000:20a"   # 192.0.2.10 under pool6: EAMT-mapped, hairpins
DATA = b"strait-fuzz-seed-0123456789abcdef"


def classify_seeds():
    out, inside, dns64 = 1, 0, 2
    e4 = Ether(dst=GW_OUT, src=SERVER)
    e6 = Ether(dst=GW_IN, src=CLIENT)
    s = {
        "arp_request": (out, Ether(dst="ff:ff:ff:ff:ff:ff", src=SERVER) /
                        ARP(op=1, hwsrc=SERVER, psrc=SERVER4, pdst=GW4)),
        "arp_reply": (out, e4 / ARP(op=2, hwsrc=SERVER, psrc=SERVER4, hwdst=GW_OUT, pdst=GW4)),
        "echo4": (out, e4 / IP(src=SERVER4, dst=GW4) / ICMP(id=7, seq=1) / DATA),
        "echo4_options": (out, e4 / IP(src=SERVER4, dst=GW4, options=[IPOption_RR()]) /
                          ICMP(id=7, seq=2) / DATA),
        "transit4_tcp": (out, e4 / IP(src=SERVER4, dst=CLIENT4) / TCP(sport=80, dport=40000)),
        "fragment4_to_us": (out, e4 / IP(src=SERVER4, dst=GW4, flags="MF") / ICMP() / DATA),
        "upstream_answer": (out | dns64, e4 / IP(src=SERVER4, dst=GW4) /
                            UDP(sport=53, dport=50000) /
                            DNS(id=1, qr=1, qd=DNSQR(qname="a.strait.test."))),
        "ns_for_gw": (inside, Ether(dst="33:33:ff:00:00:01", src=CLIENT) /
                      IPv6(src=CLIENT6, dst="ff02::1:ff00:1", hlim=255) / ICMPv6ND_NS(tgt=GW6) /
                      ICMPv6NDOptSrcLLAddr(lladdr=CLIENT)),
        "ns_dad": (inside, Ether(dst="33:33:ff:00:00:01", src=CLIENT) /
                   IPv6(src="::", dst="ff02::1:ff00:1", hlim=255) / ICMPv6ND_NS(tgt=GW6)),
        "na_from_client": (inside, e6 / IPv6(src=CLIENT6, dst=GW6, hlim=255) /
                           ICMPv6ND_NA(R=0, S=1, O=1, tgt=CLIENT6) /
                           ICMPv6NDOptDstLLAddr(lladdr=CLIENT)),
        "rs": (inside, Ether(dst="33:33:00:00:00:02", src=CLIENT) /
               IPv6(src=CLIENT6, dst="ff02::2", hlim=255) / ICMPv6ND_RS()),
        "mld_report": (inside, Ether(dst="33:33:00:00:00:16", src=CLIENT) /
                       IPv6(src=CLIENT6, dst="ff02::16", hlim=1) /
                       IPv6ExtHdrHopByHop(options=[RouterAlert()]) / ICMPv6MLReport2()),
        "echo6": (inside, e6 / IPv6(src=CLIENT6, dst=GW6) / ICMPv6EchoRequest(id=7) / DATA),
        "transit6_udp": (inside, e6 / IPv6(src=CLIENT6, dst=SERVER6) /
                         UDP(sport=40000, dport=7000) / DATA),
        "dns64_query_udp": (inside | dns64, e6 / IPv6(src=CLIENT6, dst=SERVICE6) /
                            UDP(sport=40001, dport=53) / DNS(id=2, qd=DNSQR(qname="a.test."))),
        "dns64_query_tcp": (inside | dns64, e6 / IPv6(src=CLIENT6, dst=SERVICE6) /
                            TCP(sport=40002, dport=53, flags="S")),
    }
    return {k: bytes([setup]) + raw(f) for k, (setup, f) in s.items()}


# xlat_siit_fuzz.cc setup: byte 0 bit 0 = IPv4 in; pool6 2001:db8:64::/96 (bits 3-4 = 0);
# headroom 256 (bits 6-7 = 3). Byte 1: mtu4 1500, mtu6 1500, lowest_ipv6_mtu 1280,
# tailroom 64; TIGHT: mtu4 and mtu6 1280 (too-big paths).
V6_IN, V4_IN = 0xC0, 0xC1
NORMAL, TIGHT = 0x02 | 0x08 | 0x80, 0x80


def v6(payload, src=CLIENT6, dst=SERVER6, hlim=64, **kw):
    return IPv6(src=src, dst=dst, hlim=hlim, tc=0x20, **kw) / payload


def v4(payload, src=SERVER4, dst=CLIENT4, ttl=64, flags="DF", **kw):
    return IP(src=src, dst=dst, ttl=ttl, tos=0x20, flags=flags, id=0x4242, **kw) / payload


def xlat_v6_seeds():
    udp = UDP(sport=40000, dport=7000) / DATA
    tcp = TCP(sport=40000, dport=80, flags="PA", seq=1000) / DATA
    inner_udp = IPv6(src=SERVER6, dst=CLIENT6, hlim=60) / UDP(sport=7000, dport=40000) / DATA
    inner_tcp = IPv6(src=SERVER6, dst=CLIENT6) / TCP(sport=80, dport=40000, seq=5)
    big = UDP(sport=40000, dport=7000) / (DATA * 40)
    s = {
        "udp": (NORMAL, v6(udp)),
        "tcp": (NORMAL, v6(tcp)),
        "echo": (NORMAL, v6(ICMPv6EchoRequest(id=0x77, seq=3) / DATA)),
        "ext_headers": (NORMAL, v6(IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() / udp)),
        "routing_segments_left": (NORMAL, v6(IPv6ExtHdrRouting(addresses=[SERVER6],
                                                               segleft=1) / udp)),
        "first_fragment": (NORMAL, v6(IPv6ExtHdrFragment(id=0xabcd, nh=17, m=1, offset=0) /
                                      raw(udp)[:24])),
        "later_fragment": (NORMAL, v6(IPv6ExtHdrFragment(id=0xabcd, nh=17, offset=3) / DATA)),
        "atomic_fragment": (NORMAL, v6(IPv6ExtHdrFragment(id=0xabcd, m=0, offset=0) / udp)),
        "hop_limit_1": (NORMAL, v6(udp, hlim=1)),
        "too_big_for_mtu4": (TIGHT, v6(big)),
        "no_next_header": (NORMAL, v6(b"", nh=59)),
        "udp_zero_checksum": (NORMAL, v6(UDP(sport=40000, dport=7000, chksum=0) / DATA)),
        "hairpin": (NORMAL, v6(udp, dst=HAIRPIN6)),
        "unmapped": (NORMAL, v6(udp, dst="2001:db8:99::1")),
        "eamt_prefix_source": (NORMAL, v6(udp, src="2001:db8:6:100::21")),
        "err_port_unreach": (NORMAL, v6(ICMPv6DestUnreach(code=4) / inner_udp,
                                        src=CLIENT6, dst=SERVER6)),
        "err_packet_too_big": (NORMAL, v6(ICMPv6PacketTooBig(mtu=1400) / inner_tcp)),
        "err_param_problem": (NORMAL, v6(ICMPv6ParamProblem(code=0, ptr=7) / inner_udp)),
        "err_time_exceeded_echo": (NORMAL, v6(ICMPv6TimeExceeded() /
                                              IPv6(src=SERVER6, dst=CLIENT6) /
                                              ICMPv6EchoRequest(id=9) / DATA)),
        "err_about_error": (NORMAL, v6(ICMPv6DestUnreach() / IPv6(src=SERVER6, dst=CLIENT6) /
                                       ICMPv6DestUnreach() / DATA)),
        "err_inner_fragment": (NORMAL, v6(ICMPv6DestUnreach(code=4) /
                                          IPv6(src=SERVER6, dst=CLIENT6) /
                                          IPv6ExtHdrFragment(nh=17, m=1, id=5) / raw(udp)[:16])),
    }
    return {"v6_" + k: bytes([V6_IN, b1]) + raw(p) for k, (b1, p) in s.items()}


def xlat_v4_seeds():
    udp = UDP(sport=7000, dport=40000) / DATA
    inner_udp = IP(src=CLIENT4, dst=SERVER4, ttl=60, id=3) / UDP(sport=40000, dport=7000) / DATA
    inner_tcp = IP(src=CLIENT4, dst=SERVER4) / TCP(sport=40000, dport=80, seq=5)
    big = UDP(sport=7000, dport=40000) / (DATA * 42)
    s = {
        "udp": (NORMAL, v4(udp)),
        "tcp": (NORMAL, v4(TCP(sport=80, dport=40000, flags="SA", seq=9) / DATA)),
        "echo_reply": (NORMAL, v4(ICMP(type=0, id=0x77, seq=3) / DATA)),
        "options_rr": (NORMAL, v4(udp, options=[IPOption_RR()])),
        "source_route": (NORMAL, v4(udp, options=[IPOption_LSRR(routers=["203.0.113.1"])])),
        "ttl_1": (NORMAL, v4(udp, ttl=1)),
        "df_too_big": (TIGHT, v4(big)),
        "no_df_fragmented": (NORMAL, v4(big, flags=0)),
        "first_fragment": (NORMAL, v4(raw(udp)[:24], flags="MF", proto=17)),
        "middle_fragment": (NORMAL, v4(DATA[:24], flags="MF", frag=3, proto=17)),
        "last_fragment": (NORMAL, v4(DATA, flags=0, frag=6, proto=17)),
        "udp_zero_checksum": (NORMAL, v4(UDP(sport=7000, dport=40000, chksum=0) / DATA)),
        "udp_zero_checksum_drop": (NORMAL, v4(UDP(sport=7000, dport=40000, chksum=0) / DATA)),
        "eamt_prefix_destination": (NORMAL, v4(udp, dst="192.0.2.33")),
        "err_port_unreach": (NORMAL, v4(ICMP(type=3, code=3) / inner_udp)),
        "err_frag_needed": (NORMAL, v4(ICMP(type=3, code=4, nexthopmtu=1400) / inner_tcp)),
        "err_param_problem": (NORMAL, v4(ICMP(type=12, code=0, ptr=8) / inner_udp)),
        "err_time_exceeded_echo": (NORMAL, v4(ICMP(type=11) / IP(src=CLIENT4, dst=SERVER4) /
                                              ICMP(type=8, id=9) / DATA)),
        "err_about_error": (NORMAL, v4(ICMP(type=3, code=1) / IP(src=CLIENT4, dst=SERVER4) /
                                       ICMP(type=3, code=3) / DATA)),
        "err_inner_fragment": (NORMAL, v4(ICMP(type=3, code=3) /
                                          IP(src=CLIENT4, dst=SERVER4, flags="MF", proto=17) /
                                          raw(udp)[:16])),
    }
    seeds = {"v4_" + k: bytes([V4_IN, b1]) + raw(p) for k, (b1, p) in s.items()}
    drop = bytearray(seeds["v4_udp_zero_checksum_drop"])
    drop[0] |= 0x04  # drop zero-checksum UDP (RFC 7915 §4.5 knob)
    seeds["v4_udp_zero_checksum_drop"] = bytes(drop)
    return seeds


def xlat_seeds():
    return {**xlat_v6_seeds(), **xlat_v4_seeds()}
