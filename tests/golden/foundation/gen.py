#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Builds the "foundation" golden case: what straitd answers itself (ARP, NDP incl. DAD,
# ICMP/ICMPv6 echo) and what it drops, on the demo addresses, with net_pcap's fixed MACs.
# Regenerate with `ninja -C build regen-golden-foundation` (or: gen.py OUT_DIR) and commit.
import json
import os
import sys

from scapy.all import (ARP, ICMP, IP, UDP, Ether, ICMPv6EchoReply, ICMPv6EchoRequest,
                       ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr,
                       IPOption_NOP, IPv6, PcapWriter, raw)

GW_IN = "02:70:63:61:70:00"   # net_pcap0
GW_OUT = "02:70:63:61:70:01"  # net_pcap1
CLIENT = "02:00:00:00:00:10"
SERVER = "02:00:00:00:00:20"
GW6, CLIENT6 = "2001:db8:6::1", "2001:db8:6::10"
GW4, SERVER4 = "198.51.100.1", "198.51.100.2"
DATA = b"strait-golden-0123456789"


def inside():
    """(frame in, frames expected out) on the inside port, in order."""
    ns = (Ether(dst="33:33:ff:00:00:01", src=CLIENT) / IPv6(src=CLIENT6, dst="ff02::1:ff00:1", hlim=255)
          / ICMPv6ND_NS(tgt=GW6) / ICMPv6NDOptSrcLLAddr(lladdr=CLIENT))
    na = (Ether(dst=CLIENT, src=GW_IN) / IPv6(src=GW6, dst=CLIENT6, hlim=255)
          / ICMPv6ND_NA(R=1, S=1, O=1, tgt=GW6) / ICMPv6NDOptDstLLAddr(lladdr=GW_IN))
    dad = (Ether(dst="33:33:ff:00:00:01", src=CLIENT) / IPv6(src="::", dst="ff02::1:ff00:1", hlim=255)
           / ICMPv6ND_NS(tgt=GW6))
    dad_na = (Ether(dst="33:33:00:00:00:01", src=GW_IN) / IPv6(src=GW6, dst="ff02::1", hlim=255)
              / ICMPv6ND_NA(R=1, S=0, O=1, tgt=GW6) / ICMPv6NDOptDstLLAddr(lladdr=GW_IN))
    echo = (Ether(dst=GW_IN, src=CLIENT) / IPv6(src=CLIENT6, dst=GW6, hlim=64)
            / ICMPv6EchoRequest(id=0x77, seq=1, data=DATA))
    reply = (Ether(dst=CLIENT, src=GW_IN) / IPv6(src=GW6, dst=CLIENT6, hlim=64)
             / ICMPv6EchoReply(id=0x77, seq=1, data=DATA))
    client_na = (Ether(dst=GW_IN, src=CLIENT) / IPv6(src=CLIENT6, dst=GW6, hlim=255)
                 / ICMPv6ND_NA(S=1, O=1, tgt=CLIENT6) / ICMPv6NDOptDstLLAddr(lladdr=CLIENT))
    echo_bytes = raw(echo[IPv6])
    bad_sum = bytearray(echo_bytes)
    bad_sum[-1] ^= 0xFF
    eth = Ether(dst=GW_IN, src=CLIENT, type=0x86DD)
    return [
        (ns, [na]),
        (echo, [reply]),
        (dad, [dad_na]),
        (client_na, []),                                                # learned, no answer
        (eth / echo_bytes[:30], []),                                    # ipv6_truncated
        (eth / (b"\x40" + echo_bytes[1:]), []),                         # ipv6_bad_version
        (eth / bytes(bad_sum), []),                                     # icmp_bad_checksum
        (Ether(dst=GW_IN, src=CLIENT) / IP(src=SERVER4, dst=GW4) / ICMP(), []),  # wrong_family
        (Ether(dst="02:99:00:00:00:01", src=CLIENT) / IPv6(src=CLIENT6, dst=GW6)
         / ICMPv6EchoRequest(), []),                                    # not_for_us
        (Ether(dst=GW_IN, src=CLIENT) / IPv6(src=CLIENT6, dst=GW6) / UDP(dport=9), []),  # local_unhandled
        (echo, [reply]),                                                # still answering
    ]


def outside():
    arp = Ether(dst="ff:ff:ff:ff:ff:ff", src=SERVER) / ARP(op=1, hwsrc=SERVER, psrc=SERVER4, pdst=GW4)
    arp_reply = Ether(dst=SERVER, src=GW_OUT) / ARP(op=2, hwsrc=GW_OUT, psrc=GW4, hwdst=SERVER, pdst=SERVER4)
    echo = (Ether(dst=GW_OUT, src=SERVER) / IP(src=SERVER4, dst=GW4, ttl=63, id=7)
            / ICMP(type=8, id=0x99, seq=1) / DATA)
    reply = (Ether(dst=SERVER, src=GW_OUT) / IP(src=GW4, dst=SERVER4, ttl=64, id=7)
             / ICMP(type=0, id=0x99, seq=1) / DATA)
    echo_opt = (Ether(dst=GW_OUT, src=SERVER) / IP(src=SERVER4, dst=GW4, id=8, options=[IPOption_NOP()] * 4)
                / ICMP(type=8, id=0x99, seq=2) / b"odd")
    reply_opt = (Ether(dst=SERVER, src=GW_OUT) / IP(src=GW4, dst=SERVER4, ttl=64, id=8, options=[IPOption_NOP()] * 4)
                 / ICMP(type=0, id=0x99, seq=2) / b"odd")
    echo_bytes = raw(echo[IP])
    bad_hdr = bytearray(echo_bytes)
    bad_hdr[8] ^= 1  # TTL without fixing the header checksum
    eth = Ether(dst=GW_OUT, src=SERVER, type=0x0800)
    return [
        (arp, [arp_reply]),
        (echo, [reply]),
        (echo_opt, [reply_opt]),
        (Ether(dst="ff:ff:ff:ff:ff:ff", src=SERVER) / ARP(op=1, hwsrc=SERVER, psrc=SERVER4,
                                                          pdst="198.51.100.99"), []),  # arp_not_for_us
        (Ether(dst=GW_OUT, src=SERVER, type=0x0806) / raw(ARP())[:20], []),  # arp_malformed
        (eth / echo_bytes[:12], []),                                    # ipv4_truncated
        (eth / bytes(bad_hdr), []),                                     # ipv4_bad_checksum
        (eth / (b"\x65" + echo_bytes[1:]), []),                         # ipv4_bad_version
        (Ether(dst=GW_OUT, src=SERVER) / IPv6(src=CLIENT6, dst=GW6) / ICMPv6EchoRequest(), []),  # wrong_family
        (echo, [reply]),
    ]


EXPECTED_DROPS = {
    "ipv6_truncated": 1, "ipv6_bad_version": 1, "icmp_bad_checksum": 1, "wrong_family": 2,
    "not_for_us": 1, "local_unhandled": 1, "arp_not_for_us": 1, "arp_malformed": 1,
    "ipv4_truncated": 1, "ipv4_bad_checksum": 1, "ipv4_bad_version": 1,
}


def write(path, pkts):
    w = PcapWriter(path, linktype=1, sync=True)
    w._write_header(None)  # an empty capture still needs its header
    for t, p in enumerate(pkts):
        p.time = 1700000000 + t / 1000  # fixed timestamps: byte-stable files
        w.write(p)
    w.close()


def main(out):
    for port, rows in (("inside", inside()), ("outside", outside())):
        write(os.path.join(out, port + ".in.pcap"), [i for i, _ in rows])
        write(os.path.join(out, port + ".expected.pcap"), [o for _, outs in rows for o in outs])
    with open(os.path.join(out, "expected_drops.json"), "w") as f:
        json.dump(EXPECTED_DROPS, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
