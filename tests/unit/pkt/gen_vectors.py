#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Builds the byte vectors of tests/unit/pkt/vectors.h with scapy, independently of the
# C++ code under test (checksums and field layouts come from scapy). Regenerate with
#   ninja -C build regen-pkt-vectors      (or: /usr/bin/python3 gen_vectors.py vectors.h)
# and commit the result; the unit tests never run python.
import sys

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Ether, ICMPv6EchoReply, ICMPv6EchoRequest,
                       ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr,
                       IPOption_NOP, IPv6, Padding)

GW_IN_MAC = "02:00:00:00:00:01"
GW_OUT_MAC = "02:00:00:00:00:02"
CLIENT_MAC = "02:00:00:00:00:10"
SERVER_MAC = "02:00:00:00:00:20"
GW6 = "2001:db8:6::1"
GW6_LL = "fe80::ff:fe00:1"  # modified EUI-64 of GW_IN_MAC
CLIENT6 = "2001:db8:6::10"
GW4 = "198.51.100.1"
SERVER4 = "198.51.100.2"
SNM_GW6 = "ff02::1:ff00:1"
PAYLOAD = b"strait-ping-012345678"  # odd length on purpose: checksums pad the last byte

vectors = {
    # RFC 826
    "kArpRequest": Ether(dst="ff:ff:ff:ff:ff:ff", src=SERVER_MAC)
    / ARP(op=1, hwsrc=SERVER_MAC, psrc=SERVER4, hwdst="00:00:00:00:00:00", pdst=GW4),
    "kArpRequestPadded": Ether(dst="ff:ff:ff:ff:ff:ff", src=SERVER_MAC)
    / ARP(op=1, hwsrc=SERVER_MAC, psrc=SERVER4, hwdst="00:00:00:00:00:00", pdst=GW4)
    / Padding(load=b"\x00" * 18),
    "kArpReplyExpected": Ether(dst=SERVER_MAC, src=GW_OUT_MAC)
    / ARP(op=2, hwsrc=GW_OUT_MAC, psrc=GW4, hwdst=SERVER_MAC, pdst=SERVER4),
    "kArpReplyFromServer": Ether(dst=GW_OUT_MAC, src=SERVER_MAC)
    / ARP(op=2, hwsrc=SERVER_MAC, psrc=SERVER4, hwdst=GW_OUT_MAC, pdst=GW4),
    "kArpRequestByGateway": Ether(dst="ff:ff:ff:ff:ff:ff", src=GW_OUT_MAC)
    / ARP(op=1, hwsrc=GW_OUT_MAC, psrc=GW4, hwdst="00:00:00:00:00:00", pdst=SERVER4),
    # RFC 4861
    "kNeighborSolicit": Ether(dst="33:33:ff:00:00:01", src=CLIENT_MAC)
    / IPv6(src=CLIENT6, dst=SNM_GW6, hlim=255)
    / ICMPv6ND_NS(tgt=GW6) / ICMPv6NDOptSrcLLAddr(lladdr=CLIENT_MAC),
    "kNeighborAdvertExpected": Ether(dst=CLIENT_MAC, src=GW_IN_MAC)
    / IPv6(src=GW6, dst=CLIENT6, hlim=255)
    / ICMPv6ND_NA(R=1, S=1, O=1, tgt=GW6) / ICMPv6NDOptDstLLAddr(lladdr=GW_IN_MAC),
    "kNeighborSolicitLinkLocal": Ether(dst="33:33:ff:00:00:01", src=CLIENT_MAC)
    / IPv6(src=CLIENT6, dst=SNM_GW6, hlim=255)
    / ICMPv6ND_NS(tgt=GW6_LL) / ICMPv6NDOptSrcLLAddr(lladdr=CLIENT_MAC),
    "kNeighborAdvertLinkLocalExpected": Ether(dst=CLIENT_MAC, src=GW_IN_MAC)
    / IPv6(src=GW6_LL, dst=CLIENT6, hlim=255)
    / ICMPv6ND_NA(R=1, S=1, O=1, tgt=GW6_LL) / ICMPv6NDOptDstLLAddr(lladdr=GW_IN_MAC),
    "kNeighborSolicitUnicastNoOption": Ether(dst=GW_IN_MAC, src=CLIENT_MAC)
    / IPv6(src=CLIENT6, dst=GW6, hlim=255) / ICMPv6ND_NS(tgt=GW6),
    "kDadNeighborSolicit": Ether(dst="33:33:ff:00:00:01", src=CLIENT_MAC)
    / IPv6(src="::", dst=SNM_GW6, hlim=255) / ICMPv6ND_NS(tgt=GW6),
    "kDadNeighborAdvertExpected": Ether(dst="33:33:00:00:00:01", src=GW_IN_MAC)
    / IPv6(src=GW6, dst="ff02::1", hlim=255)
    / ICMPv6ND_NA(R=1, S=0, O=1, tgt=GW6) / ICMPv6NDOptDstLLAddr(lladdr=GW_IN_MAC),
    "kNeighborSolicitOther": Ether(dst="33:33:ff:00:00:99", src=CLIENT_MAC)
    / IPv6(src=CLIENT6, dst="ff02::1:ff00:99", hlim=255)
    / ICMPv6ND_NS(tgt="2001:db8:6::99") / ICMPv6NDOptSrcLLAddr(lladdr=CLIENT_MAC),
    "kNeighborAdvertFromClient": Ether(dst=GW_IN_MAC, src=CLIENT_MAC)
    / IPv6(src=CLIENT6, dst=GW6, hlim=255)
    / ICMPv6ND_NA(R=0, S=1, O=1, tgt=CLIENT6) / ICMPv6NDOptDstLLAddr(lladdr=CLIENT_MAC),
    "kNeighborSolicitByGateway": Ether(dst="33:33:ff:00:00:10", src=GW_IN_MAC)
    / IPv6(src=GW6, dst="ff02::1:ff00:10", hlim=255)
    / ICMPv6ND_NS(tgt=CLIENT6) / ICMPv6NDOptSrcLLAddr(lladdr=GW_IN_MAC),
    # RFC 4443 / RFC 792
    "kEcho6Request": Ether(dst=GW_IN_MAC, src=CLIENT_MAC)
    / IPv6(src=CLIENT6, dst=GW6, hlim=64, tc=0, fl=0)
    / ICMPv6EchoRequest(id=0x1234, seq=7, data=PAYLOAD),
    "kEcho6ReplyExpected": Ether(dst=CLIENT_MAC, src=GW_IN_MAC)
    / IPv6(src=GW6, dst=CLIENT6, hlim=64) / ICMPv6EchoReply(id=0x1234, seq=7, data=PAYLOAD),
    "kEcho4Request": Ether(dst=GW_OUT_MAC, src=SERVER_MAC)
    / IP(src=SERVER4, dst=GW4, ttl=63, id=0x4242, flags="DF")
    / ICMP(type=8, id=0x1234, seq=7) / PAYLOAD,
    "kEcho4ReplyExpected": Ether(dst=SERVER_MAC, src=GW_OUT_MAC)
    / IP(src=GW4, dst=SERVER4, ttl=64, id=0x4242, flags="DF")
    / ICMP(type=0, id=0x1234, seq=7) / PAYLOAD,
    "kEcho4RequestOptions": Ether(dst=GW_OUT_MAC, src=SERVER_MAC)
    / IP(src=SERVER4, dst=GW4, ttl=63, id=0x4343, options=[IPOption_NOP()] * 4)
    / ICMP(type=8, id=0x1234, seq=8) / b"x",
    "kEcho4ReplyOptionsExpected": Ether(dst=SERVER_MAC, src=GW_OUT_MAC)
    / IP(src=GW4, dst=SERVER4, ttl=64, id=0x4343, options=[IPOption_NOP()] * 4)
    / ICMP(type=0, id=0x1234, seq=8) / b"x",
    # Transit traffic (to translate), for classify and the benchmark
    "kTransit6Udp": Ether(dst=GW_IN_MAC, src=CLIENT_MAC)
    / IPv6(src=CLIENT6, dst="2001:db8:64::c633:6402")
    / UDP(sport=40000, dport=53) / (b"q" * 30),
    "kTransit4Tcp": Ether(dst=GW_OUT_MAC, src=SERVER_MAC)
    / IP(src=SERVER4, dst="192.0.2.10") / TCP(sport=80, dport=40000, flags="SA") / (b"r" * 100),
}

BLURB = {
    "kArpRequest": "who-has 198.51.100.1 tell 198.51.100.2 (server)",
    "kArpRequestPadded": "the same, padded to the 60-byte Ethernet minimum",
    "kArpReplyExpected": "what the gateway must answer to kArpRequest",
    "kArpReplyFromServer": "198.51.100.2 is-at the server MAC, sent to the gateway",
    "kArpRequestByGateway": "what build_arp_request() must write for 198.51.100.2",
    "kNeighborSolicit": "client NS for 2001:db8:6::1 with its source link-layer option",
    "kNeighborAdvertExpected": "the gateway's answer to kNeighborSolicit (R, S, O)",
    "kNeighborSolicitLinkLocal": "client NS for the gateway's link-local address",
    "kNeighborAdvertLinkLocalExpected": "the answer to kNeighborSolicitLinkLocal",
    "kNeighborSolicitUnicastNoOption": "unicast NS (reachability probe), no option",
    "kDadNeighborSolicit": "DAD NS from :: for 2001:db8:6::1 (RFC 4862 §5.4.2)",
    "kDadNeighborAdvertExpected": "the answer: to ff02::1, S clear (RFC 4861 §7.2.4)",
    "kNeighborSolicitOther": "NS for 2001:db8:6::99, not ours",
    "kNeighborAdvertFromClient": "client NA for 2001:db8:6::10 with its target option",
    "kNeighborSolicitByGateway": "what build_neighbor_solicit() must write for the client",
    "kEcho6Request": "ping6 2001:db8:6::1 from the client",
    "kEcho6ReplyExpected": "the answer to kEcho6Request",
    "kEcho4Request": "ping 198.51.100.1 from the server (DF, TTL 63)",
    "kEcho4ReplyExpected": "the answer to kEcho4Request",
    "kEcho4RequestOptions": "ping with a 24-byte IPv4 header (4 NOP options)",
    "kEcho4ReplyOptionsExpected": "the answer keeps the options",
    "kTransit6Udp": "client UDP to 2001:db8:64::198.51.100.2 (to translate)",
    "kTransit4Tcp": "server TCP SYN-ACK to 192.0.2.10 (to translate)",
}


def main(out_path):
    lines = [
        "// SPDX-License-Identifier: Apache-2.0",
        "// Generated by gen_vectors.py (scapy); do not edit. Frames of the demo topology.",
        "#pragma once",
        "",
        "#include <cstdint>",
        "",
        "namespace strait::pkt::vectors {",
        "",
    ]
    for name, pkt in vectors.items():
        raw = bytes(pkt)
        lines.append(f"// {BLURB[name]}")
        lines.append(f"inline constexpr uint8_t {name}[{len(raw)}] = {{")
        for i in range(0, len(raw), 12):
            lines.append("    " + ", ".join(f"0x{b:02x}" for b in raw[i:i + 12]) + ",")
        lines.append("};")
        lines.append("")
    lines.append("}  // namespace strait::pkt::vectors")
    with open(out_path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "vectors.h")
