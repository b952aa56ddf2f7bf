# SPDX-License-Identifier: Apache-2.0
# The RFC 7915 conformance cases beside the "siit" case (gen.py writes each into
# tests/golden/siit/<name>/): RFC 6791 sources for ICMPv6 errors from unmapped routers,
# plain and hairpinned (RFC 7757 §4.2), RFC 4884 extensions both ways, and No Next Header,
# zero UDP checksums (RFC 7915 §4.5) and the hairpin hop count. Expected frames are built
# field by field from the RFCs with scapy, never captured from straitd.
#
# Each case: the worker reads the whole inside capture before the outside one, so a
# packet for the IPv4 server waits for ARP until the server's own ARP request (first in
# outside.in.pcap) teaches straitd its MAC; then straitd answers that request.
from scapy.all import (ARP, ICMP, IP, UDP, Ether, ICMPv6DestUnreach, ICMPv6ND_NA, ICMPv6ND_NS,
                       ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr, ICMPv6TimeExceeded, IPv6, Raw,
                       raw)
from scapy.contrib.icmp_extensions import ICMPExtensionHeader, ICMPExtensionMPLS
from scapy.contrib.mpls import MPLS

GW_IN = "02:70:63:61:70:00"   # net_pcap0
GW_OUT = "02:70:63:61:70:01"  # net_pcap1
SERVER = "02:00:00:00:00:20"
ROUTER6_MAC = "02:00:00:00:00:fe"
ROUTER4_MAC = "02:00:00:00:00:fd"
GW6, GW4 = "2001:db8:6::1", "198.51.100.1"
A6, A4, A_MAC = "2001:db8:6::10", "192.0.2.10", "02:00:00:00:00:10"
B6, B4, B_MAC = "2001:db8:6::20", "192.0.2.20", "02:00:00:00:00:11"
SERVER4 = "198.51.100.2"
ROUTER6 = "2001:db8:6::fe"  # a native address: neither in pool6 nor in the EAMT
ROUTER4 = "203.0.113.9"
POOL6 = "2001:db8:64::"


def pool6(a4):
    """RFC 6052 /96 embedding under 2001:db8:64::/96."""
    return POOL6 + a4


def ns(mac, addr):
    """A host's solicitation for the gateway: teaches straitd the host's MAC."""
    return (Ether(dst="33:33:ff:00:00:01", src=mac) / IPv6(src=addr, dst="ff02::1:ff00:1", hlim=255)
            / ICMPv6ND_NS(tgt=GW6) / ICMPv6NDOptSrcLLAddr(lladdr=mac))


def na(mac, addr):
    return (Ether(dst=mac, src=GW_IN) / IPv6(src=GW6, dst=addr, hlim=255)
            / ICMPv6ND_NA(R=1, S=1, O=1, tgt=GW6) / ICMPv6NDOptDstLLAddr(lladdr=GW_IN))


def arp_frames():
    """(straitd's request for the server, the server's own request, straitd's reply)."""
    req = Ether(dst="ff:ff:ff:ff:ff:ff", src=GW_OUT) / ARP(
        op=1, hwsrc=GW_OUT, psrc=GW4, hwdst="00:00:00:00:00:00", pdst=SERVER4)
    server = Ether(dst="ff:ff:ff:ff:ff:ff", src=SERVER) / ARP(
        op=1, hwsrc=SERVER, psrc=SERVER4, hwdst="00:00:00:00:00:00", pdst=GW4)
    reply = Ether(dst=SERVER, src=GW_OUT) / ARP(op=2, hwsrc=GW_OUT, psrc=GW4, hwdst=SERVER,
                                                pdst=SERVER4)
    return req, server, reply


def config(eamt, **siit):
    c = {"workers": 1,
         "ports": {"inside": {"ipv6": [GW6 + "/64"]}, "outside": {"ipv4": [GW4 + "/24"]}},
         "mode": "siit",
         "siit": {"pool6": POOL6 + "/96",
                  "eamt": [{"ipv6": v6 + "/128", "ipv4": v4 + "/32"} for v6, v4 in eamt]}}
    c["siit"].update(siit)
    return c


def pad(b, n):
    """An RFC 4884 original datagram field: zero-padded to n bytes."""
    return Raw(b + bytes(max(0, n - len(b))))


def mpls_ext():
    """RFC 4950 MPLS label stack object in an RFC 4884 extension structure (12 bytes)."""
    return raw(ICMPExtensionHeader() / ICMPExtensionMPLS(stack=[MPLS(label=16001, s=1, ttl=1)]))


def rfc6791():
    """The server's UDP reached A; a router with a native IPv6 address reports Time
    Exceeded to the server's pool6 address. RFC 7915 §5.1 / RFC 6791: translated with the
    source from siit.rfc6791_pool4 (a single address, so the pick is known)."""
    data = b"strait-rfc6791-0123456789"
    to_a4 = IP(src=SERVER4, dst=A4, ttl=64, id=0x77) / UDP(sport=53, dport=40000) / data
    to_a6 = IPv6(src=pool6(SERVER4), dst=A6, hlim=63) / UDP(sport=53, dport=40000) / data
    expired_at_router = IPv6(src=pool6(SERVER4), dst=A6, hlim=1) / UDP(sport=53, dport=40000) / data
    err6 = (Ether(dst=GW_IN, src=ROUTER6_MAC) / IPv6(src=ROUTER6, dst=pool6(SERVER4), hlim=64)
            / ICMPv6TimeExceeded(code=0) / expired_at_router)
    # §5.1: TTL = 64 - 1, Identification 1 (the first this lcore hands out), DF clear; the
    # quoted packet translated too (§5.3: its hop limit as quoted, no Identification).
    quoted4 = IP(src=SERVER4, dst=A4, ttl=1, id=0, flags=0) / UDP(sport=53, dport=40000) / data
    err4 = (Ether(dst=SERVER, src=GW_OUT) / IP(src="203.0.113.8", dst=SERVER4, ttl=63, id=1)
            / ICMP(type=11, code=0) / quoted4)
    req, server_arp, reply = arp_frames()
    return {
        "inside_in": [ns(A_MAC, A6), err6],
        "outside_in": [server_arp, Ether(dst=GW_OUT, src=SERVER) / to_a4],
        "inside_out": [na(A_MAC, A6), Ether(dst=A_MAC, src=GW_IN) / to_a6],
        "outside_out": [req, err4, reply],
        "config": config([(A6, A4)], rfc6791_pool4="203.0.113.8"),
        "drops": {},
        "xlat": {"rfc6791_pool": 1},
    }


def rfc6791_hairpin():
    """A sends to B through B's pool6 address: hairpinned (RFC 7757 §4.2), hop limit 64 ->
    63, one gateway being one hop. A router with a native address between the gateway and
    B reports Time Exceeded to A's pool6 form. The error is hairpinned too and reaches A
    from the RFC 6791 source, here the gateway's own IPv4 (no pool configured) under
    pool6, quoting the packet as A sent it (A's own address to B's pool6 address)."""
    data = b"strait-hairpin-0123456789"
    a_to_b = IPv6(src=A6, dst=pool6(B4), hlim=64) / UDP(sport=40000, dport=7000) / data
    at_b = IPv6(src=pool6(A4), dst=B6, hlim=63) / UDP(sport=40000, dport=7000) / data
    expired = IPv6(src=pool6(A4), dst=B6, hlim=1) / UDP(sport=40000, dport=7000) / data
    err_in = (Ether(dst=GW_IN, src=ROUTER6_MAC) / IPv6(src=ROUTER6, dst=pool6(A4), hlim=64)
              / ICMPv6TimeExceeded(code=0) / expired)
    quoted = IPv6(src=A6, dst=pool6(B4), hlim=1) / UDP(sport=40000, dport=7000) / data
    err_out = (Ether(dst=A_MAC, src=GW_IN) / IPv6(src=pool6(GW4), dst=A6, hlim=63)
               / ICMPv6TimeExceeded(code=0) / quoted)
    return {
        "inside_in": [ns(A_MAC, A6), ns(B_MAC, B6), Ether(dst=GW_IN, src=A_MAC) / a_to_b, err_in],
        "outside_in": [],
        "inside_out": [na(A_MAC, A6), na(B_MAC, B6), Ether(dst=B_MAC, src=GW_IN) / at_b, err_out],
        "outside_out": [],
        "config": config([(A6, A4), (B6, B4)]),
        "drops": {},
        "xlat": {"rfc6791_self": 1},
    }


def rfc4884():
    """RFC 7915 §4.2/§5.2 with RFC 4884 extensions (an MPLS label stack, RFC 4950), kept
    byte for byte: an IPv4 router's Time Exceeded about A's datagram (length 32 words ->
    16 64-bit words, the quote padded again to 128 bytes), and an EAMT-mapped IPv6
    router's Destination Unreachable about the server's datagram (16 -> 32 words)."""
    r6, r4 = "2001:db8:6::fe", "192.0.2.254"  # this case maps the IPv6 router by EAMT
    data = b"strait-rfc4884-0123456789"
    q4 = IP(src=A4, dst=SERVER4, ttl=1, id=0x99, flags=0) / UDP(sport=40000, dport=33434) / data
    te4 = (Ether(dst=GW_OUT, src=ROUTER4_MAC) / IP(src=ROUTER4, dst=A4, ttl=250, id=0x4884)
           / ICMP(type=11, code=0, length=32) / pad(raw(q4), 128) / mpls_ext())
    q6 = IPv6(src=A6, dst=pool6(SERVER4), hlim=1) / UDP(sport=40000, dport=33434) / data
    te6 = (Ether(dst=A_MAC, src=GW_IN) / IPv6(src=pool6(ROUTER4), dst=A6, hlim=249)
           / ICMPv6TimeExceeded(code=0, length=16) / pad(raw(q6), 128) / mpls_ext())
    s6 = IPv6(src=pool6(SERVER4), dst=A6, hlim=62) / UDP(sport=53, dport=40000) / data
    du6 = (Ether(dst=GW_IN, src=ROUTER6_MAC) / IPv6(src=r6, dst=pool6(SERVER4), hlim=64)
           / ICMPv6DestUnreach(code=3, length=16) / pad(raw(s6), 128) / mpls_ext())
    s4 = IP(src=SERVER4, dst=A4, ttl=62, id=0, flags=0) / UDP(sport=53, dport=40000) / data
    du4 = (Ether(dst=SERVER, src=GW_OUT) / IP(src=r4, dst=SERVER4, ttl=63, id=1)
           / ICMP(type=3, code=1, length=32) / pad(raw(s4), 128) / mpls_ext())
    req, server_arp, reply = arp_frames()
    return {
        "inside_in": [ns(A_MAC, A6), du6],
        "outside_in": [server_arp, te4],
        "inside_out": [na(A_MAC, A6), te6],
        "outside_out": [req, du4, reply],
        "config": config([(A6, A4), (r6, r4)]),
        "drops": {},
        "xlat": {"icmp_ext_kept": 2},
    }


def no_next_header_and_udp_zero():
    """IPv6 No Next Header becomes IPv4 protocol 59 (RFC 7915 §5.1). IPv4 UDP without a
    checksum (RFC 7915 §4.5): computed when whole; the first fragment of such a datagram
    cannot be summed statelessly: dropped, and the sender gets Destination Unreachable,
    administratively prohibited (code 13) from the gateway, quoting the fragment."""
    nonext6 = IPv6(src=A6, dst=pool6(SERVER4), hlim=64, nh=59, plen=0)
    nonext4 = IP(src=A4, dst=SERVER4, ttl=63, id=1, proto=59)
    data = b"strait-udp-zero-checksum-0123456789"
    zero4 = IP(src=SERVER4, dst=A4, ttl=64) / UDP(sport=53, dport=40000, chksum=0) / data
    summed6 = IPv6(src=pool6(SERVER4), dst=A6, hlim=63) / UDP(sport=53, dport=40000) / data
    whole = raw(UDP(sport=53, dport=40000, chksum=0) / (data * 4))
    first = IP(src=SERVER4, dst=A4, ttl=64, id=0x5151, flags="MF", proto=17) / Raw(whole[:48])
    prohibited = (IP(src=GW4, dst=SERVER4, ttl=64, id=2) / ICMP(type=3, code=13)
                  / raw(first))
    req, server_arp, reply = arp_frames()
    return {
        "inside_in": [ns(A_MAC, A6), Ether(dst=GW_IN, src=A_MAC) / nonext6],
        "outside_in": [server_arp, Ether(dst=GW_OUT, src=SERVER) / zero4,
                       Ether(dst=GW_OUT, src=SERVER) / first],
        "inside_out": [na(A_MAC, A6), Ether(dst=A_MAC, src=GW_IN) / summed6],
        "outside_out": [req, Ether(dst=SERVER, src=GW_OUT) / nonext4, reply,
                        Ether(dst=SERVER, src=GW_OUT) / prohibited],
        "config": config([(A6, A4)]),
        "drops": {"udp_zero_checksum_fragment": 1},
        "xlat": {"udp_checksums_computed": 1, "icmp_errors_sent": 1},
    }


CASES = {
    "rfc6791": rfc6791,
    "rfc6791_hairpin": rfc6791_hairpin,
    "rfc4884": rfc4884,
    "no_next_header_udp_zero": no_next_header_and_udp_zero,
}
