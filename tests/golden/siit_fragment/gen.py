#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Builds the "siit_fragment" golden case: fragments through straitd in SIIT mode on
# net_pcap ports, which hand straitd every fragment as sent (AF_PACKET ports reassemble
# IPv4 before straitd sees it, so tests/e2e/siit_fragment_test.sh cannot show this).
#  - IPv6 fragments in, IPv4 fragments out (RFC 7915 §5.1.1): a 2000-byte UDP datagram cut
#    by the client at 1280 bytes; each fragment is translated alone: offset and M kept, the
#    Identification's low 16 bits, DF clear, the first fragment's UDP checksum updated for
#    the new pseudo-header (it covers the whole datagram, as scapy computes it here).
#  - IPv4 fragments in, IPv6 fragments out (RFC 7915 §4.1): the answer cut by the server
#    at 1500 bytes; the 1500-byte first fragment no longer fits 1280 bytes with the IPv6
#    and Fragment Headers, so straitd splits it in two (offsets continue, M stays set on
#    both, the Identification zero-extended); the last fits and keeps offset and M = 0.
# The expected packets are built from the RFC and reassembled datagrams, not captured from
# straitd. Regenerate: `ninja -C build regen-golden-siit_fragment` and commit.
#
# Order (as in tests/golden/siit/gen.py): the worker reads the inside capture before the
# outside one, so the two IPv4 fragments wait for ARP and leave when the server's ARP
# request teaches straitd its MAC.
import importlib.util
import json
import os
import sys

from scapy.all import (ARP, IP, UDP, Ether, ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptDstLLAddr,
                       ICMPv6NDOptSrcLLAddr, IPv6, IPv6ExtHdrFragment, Raw, raw)

# The siit case's ports, hosts and pcap writer (tests/golden/siit/gen.py).
_spec = importlib.util.spec_from_file_location(
    "siit_gen", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "siit", "gen.py"))
siit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(siit)
GW_IN, GW_OUT, CLIENT, SERVER = siit.GW_IN, siit.GW_OUT, siit.CLIENT, siit.SERVER
GW6, CLIENT6, SERVER6 = siit.GW6, siit.CLIENT6, siit.SERVER6
GW4, SERVER4, CLIENT4 = siit.GW4, siit.SERVER4, siit.CLIENT4
DATA = bytes((i * 7 + 3) & 0xFF for i in range(2000))
FRAG_ID6, FRAG_ID4 = 0x12345678, 0x4242


def udp_bytes(ip_layer, sport, dport):
    """The whole UDP datagram (header with the checksum for `ip_layer`'s addresses)."""
    return raw(ip_layer / UDP(sport=sport, dport=dport) / DATA)[len(raw(ip_layer)):]


def cut(data, sizes):
    """(offset, chunk) pieces of `data`, sizes as listed, the rest last."""
    out, off = [], 0
    for n in sizes + [len(data)]:
        out.append((off, data[off:off + n]))
        off += n
        if off >= len(data):
            break
    return out


def v6_frags(src, dst, hlim, data, pieces, ident, last_m=0):
    """IPv6 fragments (RFC 8200 §4.5) of `data` at the given (offset, chunk) pieces."""
    out = []
    for i, (off, chunk) in enumerate(pieces):
        m = 1 if i + 1 < len(pieces) else last_m
        out.append(IPv6(src=src, dst=dst, hlim=hlim, fl=0) /
                   IPv6ExtHdrFragment(nh=17, offset=off // 8, m=m, id=ident) / Raw(chunk))
    return out


def v4_frags(src, dst, ttl, data, pieces, ident):
    out = []
    for i, (off, chunk) in enumerate(pieces):
        mf = "MF" if i + 1 < len(pieces) else 0
        out.append(IP(src=src, dst=dst, ttl=ttl, id=ident, flags=mf, frag=off // 8, proto=17) /
                   Raw(chunk))
    return out


def frames():
    ns = (Ether(dst="33:33:ff:00:00:01", src=CLIENT) / IPv6(src=CLIENT6, dst="ff02::1:ff00:1", hlim=255)
          / ICMPv6ND_NS(tgt=GW6) / ICMPv6NDOptSrcLLAddr(lladdr=CLIENT))
    na = (Ether(dst=CLIENT, src=GW_IN) / IPv6(src=GW6, dst=CLIENT6, hlim=255)
          / ICMPv6ND_NA(R=1, S=1, O=1, tgt=GW6) / ICMPv6NDOptDstLLAddr(lladdr=GW_IN))
    arp_req = Ether(dst="ff:ff:ff:ff:ff:ff", src=GW_OUT) / ARP(
        op=1, hwsrc=GW_OUT, psrc=GW4, hwdst="00:00:00:00:00:00", pdst=SERVER4)
    server_arp = Ether(dst="ff:ff:ff:ff:ff:ff", src=SERVER) / ARP(
        op=1, hwsrc=SERVER, psrc=SERVER4, hwdst="00:00:00:00:00:00", pdst=GW4)
    arp_reply = Ether(dst=SERVER, src=GW_OUT) / ARP(
        op=2, hwsrc=GW_OUT, psrc=GW4, hwdst=SERVER, pdst=SERVER4)

    # Client -> server: 2008 UDP bytes in IPv6 fragments of 1280 bytes (1232 + 776).
    up6 = udp_bytes(IPv6(src=CLIENT6, dst=SERVER6), 40000, 7000)
    up_pieces = cut(up6, [1232])
    up_in = v6_frags(CLIENT6, SERVER6, 64, up6, up_pieces, FRAG_ID6)
    # RFC 7915 §5.1.1: the same pieces as IPv4 fragments, Identification 0x5678, TTL 63.
    up4 = udp_bytes(IP(src=CLIENT4, dst=SERVER4), 40000, 7000)
    up_out = v4_frags(CLIENT4, SERVER4, 63, up4, cut(up4, [1232]), FRAG_ID6 & 0xFFFF)

    # Server -> client: 2008 UDP bytes in IPv4 fragments of 1500 bytes (1480 + 528).
    down4 = udp_bytes(IP(src=SERVER4, dst=CLIENT4), 7000, 40000)
    down_in = v4_frags(SERVER4, CLIENT4, 64, down4, cut(down4, [1480]), FRAG_ID4)
    # RFC 7915 §4.1 + fragment_v6: the first fragment (48 + 1480 > 1280) split into
    # 1232 + 248 bytes, both with M = 1; the last (48 + 528) translated as it is.
    down6 = udp_bytes(IPv6(src=SERVER6, dst=CLIENT6), 7000, 40000)
    down_out = v6_frags(SERVER6, CLIENT6, 63, down6, cut(down6, [1232, 248]), FRAG_ID4)

    e_in6 = lambda p: Ether(dst=GW_IN, src=CLIENT) / p
    e_out6 = lambda p: Ether(dst=CLIENT, src=GW_IN) / p
    e_in4 = lambda p: Ether(dst=GW_OUT, src=SERVER) / p
    e_out4 = lambda p: Ether(dst=SERVER, src=GW_OUT) / p
    inside_in = [ns] + [e_in6(p) for p in up_in]
    outside_in = [server_arp] + [e_in4(p) for p in down_in]
    inside_out = [na] + [e_out6(p) for p in down_out]
    outside_out = [arp_req] + [e_out4(p) for p in up_out] + [arp_reply]
    return inside_in, outside_in, inside_out, outside_out


def main(out):
    inside_in, outside_in, inside_out, outside_out = frames()
    for name, pkts in (("inside.in", inside_in), ("outside.in", outside_in),
                       ("inside.expected", inside_out), ("outside.expected", outside_out)):
        siit.write(os.path.join(out, name + ".pcap"), pkts)
    cfg = {
        "workers": 1,
        "ports": {"inside": {"ipv6": [GW6 + "/64"]}, "outside": {"ipv4": [GW4 + "/24"]}},
        "mode": "siit",
        "siit": {"pool6": "2001:db8:64::/96",
                 "eamt": [{"ipv6": CLIENT6 + "/128", "ipv4": CLIENT4 + "/32"}]},
        "lowest_ipv6_mtu": 1280,
    }
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    with open(os.path.join(out, "expected_drops.json"), "w") as f:
        json.dump({}, f)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
