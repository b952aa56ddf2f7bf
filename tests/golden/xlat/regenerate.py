#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Regenerates vectors.txt: RFC 7915 input/expected-output byte pairs built independently
# with scapy (its own checksum code). Run: /usr/bin/python3 tests/golden/xlat/regenerate.py
# The unit test translates each input with SiitMapper (pool6 2001:db8:64::/96, empty EAMT),
# default XlatConfig, and a fresh XlatContext whose next_ipv4_id is 1.
import os
from scapy.all import (IP, IPv6, UDP, TCP, ICMP, ICMPv6EchoRequest, ICMPv6EchoReply,
                       ICMPv6DestUnreach, ICMPv6TimeExceeded, IPv6ExtHdrHopByHop,
                       IPv6ExtHdrFragment, Raw, raw)
from scapy.contrib.icmp_extensions import (ICMPExtensionHeader, ICMPExtensionMPLS,
                                           ICMPExtensionObject)
from scapy.contrib.mpls import MPLS

P6 = "2001:db8:64::"
H4, C4, R4 = "198.51.100.7", "192.0.2.33", "203.0.113.9"
H6, C6, R6 = P6 + H4, P6 + C4, P6 + R4
DATA = bytes(range(32))


def v4_to_v6():
    out = []
    out.append(("udp_v4_to_v6",
                IP(src=H4, dst=C4, ttl=64, tos=0x20, id=0x1234, flags="DF") / UDP(sport=5000, dport=53) / DATA,
                IPv6(src=H6, dst=C6, hlim=63, tc=0x20) / UDP(sport=5000, dport=53) / DATA))
    out.append(("tcp_v4_to_v6",
                IP(src=H4, dst=C4, ttl=50, flags="DF") / TCP(sport=443, dport=40000, flags="SA", seq=7) / DATA,
                IPv6(src=H6, dst=C6, hlim=49) / TCP(sport=443, dport=40000, flags="SA", seq=7) / DATA))
    out.append(("echo_v4_to_v6",
                IP(src=H4, dst=C4) / ICMP(type=8, id=0x42, seq=3) / DATA,
                IPv6(src=H6, dst=C6, hlim=63) / ICMPv6EchoRequest(id=0x42, seq=3) / DATA))
    inner4 = IP(src=C4, dst=H4, ttl=3, id=9) / UDP(sport=4000, dport=53) / DATA
    inner6 = IPv6(src=C6, dst=H6, hlim=3) / UDP(sport=4000, dport=53) / DATA
    out.append(("port_unreach_v4_to_v6",
                IP(src=R4, dst=C4) / ICMP(type=3, code=3) / inner4,
                IPv6(src=R6, dst=C6, hlim=63) / ICMPv6DestUnreach(code=4) / inner6))
    # First fragment: the UDP checksum covers the whole datagram.
    full4 = raw(IP(src=H4, dst=C4) / UDP(sport=7, dport=9) / bytes(range(64)) / bytes(range(64)))[20:]
    full6 = raw(IPv6(src=H6, dst=C6) / UDP(sport=7, dport=9) / bytes(range(64)) / bytes(range(64)))[40:]
    # RFC 7915 §4.2 / RFC 4884: the extension is kept byte for byte; the length attribute
    # goes from 32-bit words (32 = 128 bytes) to 64-bit words (16), the quoted packet grows
    # by 20 bytes and is padded again to 128.
    quoted4 = IP(src=C4, dst=H4, ttl=1, id=9) / UDP(sport=4000, dport=33434) / DATA
    quoted6 = IPv6(src=C6, dst=H6, hlim=1) / UDP(sport=4000, dport=33434) / DATA
    out.append(("rfc4884_time_exceeded_v4_to_v6",
                IP(src=R4, dst=C4) / ICMP(type=11, code=0, length=32) / pad(raw(quoted4), 128)
                / mpls_ext(),
                IPv6(src=R6, dst=C6, hlim=63) / ICMPv6TimeExceeded(code=0, length=16)
                / pad(raw(quoted6), 128) / mpls_ext()))
    # RFC 7915 §4.5: a zero UDP checksum is computed for IPv6 (scapy sums it independently).
    out.append(("udp_zero_checksum_v4_to_v6",
                IP(src=H4, dst=C4) / UDP(sport=53, dport=4000, chksum=0) / DATA,
                IPv6(src=H6, dst=C6, hlim=63) / UDP(sport=53, dport=4000) / DATA))
    out.append(("first_fragment_v4_to_v6",
                IP(src=H4, dst=C4, id=0xbeef, flags="MF", proto=17) / Raw(full4[:72]),
                IPv6(src=H6, dst=C6, hlim=63) / IPv6ExtHdrFragment(nh=17, m=1, offset=0, id=0xbeef)
                / Raw(full6[:72])))
    return out


def v6_to_v4():
    out = []
    out.append(("udp_v6_to_v4",
                IPv6(src=C6, dst=H6, hlim=64, tc=0x48) / UDP(sport=4000, dport=53) / DATA,
                IP(src=C4, dst=H4, ttl=63, tos=0x48, id=1, flags=0) / UDP(sport=4000, dport=53) / DATA))
    big = bytes(1300)
    out.append(("tcp_df_v6_to_v4",
                IPv6(src=C6, dst=H6) / TCP(sport=40000, dport=80, flags="A") / big,
                IP(src=C4, dst=H4, ttl=63, id=1, flags="DF") / TCP(sport=40000, dport=80, flags="A") / big))
    out.append(("echo_v6_to_v4",
                IPv6(src=C6, dst=H6) / ICMPv6EchoRequest(id=0x77, seq=1) / DATA,
                IP(src=C4, dst=H4, ttl=63, id=1) / ICMP(type=8, id=0x77, seq=1) / DATA))
    inner6 = IPv6(src=C6, dst=H6, hlim=1) / TCP(sport=40000, dport=80, flags="S") / DATA
    inner4 = IP(src=C4, dst=H4, ttl=1, id=0, flags=0) / TCP(sport=40000, dport=80, flags="S") / DATA
    out.append(("time_exceeded_v6_to_v4",
                IPv6(src=R6, dst=C6) / ICMPv6TimeExceeded(code=0) / inner6,
                IP(src=R4, dst=C4, ttl=63, id=1) / ICMP(type=11, code=0) / inner4))
    out.append(("hop_by_hop_v6_to_v4",
                IPv6(src=C6, dst=H6) / IPv6ExtHdrHopByHop() / UDP(sport=1, dport=2) / DATA,
                IP(src=C4, dst=H4, ttl=63, id=1) / UDP(sport=1, dport=2) / DATA))
    out.append(("fragment_v6_to_v4",
                IPv6(src=C6, dst=H6) / IPv6ExtHdrFragment(nh=17, m=1, offset=5, id=0xabcd1234) / Raw(DATA),
                IP(src=C4, dst=H4, ttl=63, id=0x1234, flags="MF", frag=5, proto=17) / Raw(DATA)))
    # RFC 8200 §4.7 No Next Header is translated as protocol 59 (RFC 7915 §5.1).
    out.append(("no_next_header_v6_to_v4",
                IPv6(src=C6, dst=H6, nh=59, plen=0),
                IP(src=C4, dst=H4, ttl=63, id=1, proto=59)))
    # RFC 7915 §5.2 / RFC 4884: length 16 (64-bit words) -> 32 (32-bit words), the quoted
    # packet shrinks by 20 bytes and is padded again to 128, the extension kept as is.
    q6 = IPv6(src=C6, dst=H6, hlim=1) / UDP(sport=4000, dport=33434) / DATA
    q4 = IP(src=C4, dst=H4, ttl=1, id=0, flags=0) / UDP(sport=4000, dport=33434) / DATA
    out.append(("rfc4884_dest_unreach_v6_to_v4",
                IPv6(src=R6, dst=C6) / ICMPv6DestUnreach(code=4, length=16) / pad(raw(q6), 128)
                / mpls_ext(),
                IP(src=R4, dst=C4, ttl=63, id=1) / ICMP(type=3, code=3, length=32)
                / pad(raw(q4), 128) / mpls_ext()))
    # Over 576 bytes: the quoted packet is cut first, to (576 - 28 - 100) bytes (the length
    # attribute says 112 words), and the 100-byte extension kept.
    big6 = IPv6(src=C6, dst=H6, hlim=1) / UDP(sport=4000, dport=33434) / (bytes(range(256)) * 3)
    big4 = IP(src=C4, dst=H4, ttl=1, id=0, flags=0) / UDP(sport=4000, dport=33434) / (bytes(range(256)) * 3)
    ext100 = object_ext(92)
    out.append(("rfc4884_cut_v6_to_v4",
                IPv6(src=R6, dst=C6) / ICMPv6TimeExceeded(length=len(raw(big6)) // 8)
                / raw(big6) / ext100,
                IP(src=R4, dst=C4, ttl=63, id=1) / ICMP(type=11, length=112)
                / raw(big4)[:448] / ext100))
    # An extension that cannot fit next to 128 bytes of quote is removed (length 0) and the
    # quote alone fills the 576 bytes.
    ext424 = object_ext(416)
    out.append(("rfc4884_removed_v6_to_v4",
                IPv6(src=R6, dst=C6) / ICMPv6TimeExceeded(length=len(raw(big6)) // 8)
                / raw(big6) / ext424,
                IP(src=R4, dst=C4, ttl=63, id=1) / ICMP(type=11) / raw(big4)[:548]))
    # A length attribute pointing past the message is inconsistent (RFC 4884 §5.4): no
    # extension, the whole payload is the quote, as from a pre-RFC 4884 router.
    out.append(("rfc4884_inconsistent_v6_to_v4",
                IPv6(src=R6, dst=C6) / ICMPv6DestUnreach(code=4, length=40) / raw(q6),
                IP(src=R4, dst=C4, ttl=63, id=1) / ICMP(type=3, code=3) / raw(q4)))
    return out


def pad(b, n):
    """The original datagram field, zero-padded to n bytes (RFC 4884 §4.1)."""
    return Raw(b + bytes(max(0, n - len(b))))


def mpls_ext():
    """An RFC 4950 MPLS label stack object in an RFC 4884 extension structure (12 bytes)."""
    return raw(ICMPExtensionHeader() / ICMPExtensionMPLS(stack=[MPLS(label=100, s=1, ttl=1)]))


def object_ext(n):
    """An extension structure with one opaque object of n payload bytes (4 + 4 + n bytes)."""
    return raw(ICMPExtensionHeader() / ICMPExtensionObject(classnum=200, classtype=1)
               / bytes(i % 251 for i in range(n)))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "vectors.txt"), "w") as f:
        f.write("# name direction input_hex expected_hex (generated by regenerate.py; do not edit)\n")
        for direction, vecs in (("v4_to_v6", v4_to_v6()), ("v6_to_v4", v6_to_v4())):
            for name, pin, pout in vecs:
                f.write(f"{name} {direction} {raw(pin).hex()} {raw(pout).hex()}\n")


if __name__ == "__main__":
    main()
