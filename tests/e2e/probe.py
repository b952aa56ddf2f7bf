#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Scapy helpers the e2e tests run inside a namespace (no arping, no ndisc6):
#   probe.py arp IFACE TARGET4            -> JSON of the ARP reply for TARGET4
#   probe.py ns IFACE SRC6 TARGET6        -> JSON of the NA answering our NS for TARGET6
#   probe.py malformed IFACE ROLE DSTMAC  -> sends crafted bad frames, prints JSON
#                                            {drop_reason: count} of what it sent
#   probe.py random IFACE DSTMAC N SEED   -> sends N random frames, prints the count
# Exit status 1 and a message on stderr when no answer arrives (3 s).
import json
import random
import sys
import time
from socket import AF_INET6, inet_ntop, inet_pton

from scapy.all import (ARP, ICMP, IP, AsyncSniffer, Ether, ICMPv6EchoRequest,
                       ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr,
                       IPv6, conf, get_if_hwaddr, raw, sendp)
from scapy.utils6 import in6_getnsma, in6_getnsmac

conf.verb = 0
GW6 = "2001:db8:6::1"
GW4 = "198.51.100.1"
CLIENT6 = "2001:db8:6::10"
SERVER4 = "198.51.100.2"


def exchange(iface, frame, match):
    """Sends one frame and returns the first received packet satisfying match()."""
    sniffer = AsyncSniffer(iface=iface, lfilter=match, count=1, timeout=3)
    sniffer.start()
    time.sleep(0.3)  # the sniffer socket must be open before the answer comes back
    sendp(frame, iface=iface)
    sniffer.join()
    if not sniffer.results:
        sys.exit(f"probe: no answer on {iface} to {frame.summary()}")
    return sniffer.results[0]


def arp(iface, target):
    me = get_if_hwaddr(iface)
    req = Ether(dst="ff:ff:ff:ff:ff:ff", src=me) / ARP(
        op=1, hwsrc=me, psrc=SERVER4, pdst=target)
    ans = exchange(iface, req, lambda p: ARP in p and p[ARP].op == 2 and p[ARP].psrc == target)
    a = ans[ARP]
    print(json.dumps({"eth_src": ans.src, "eth_dst": ans.dst, "op": a.op, "hwsrc": a.hwsrc,
                      "psrc": a.psrc, "hwdst": a.hwdst, "pdst": a.pdst}))


def ns(iface, src, target):
    me = get_if_hwaddr(iface)
    t = inet_ntop(AF_INET6, inet_pton(AF_INET6, target))  # normalised text form
    snm = inet_ntop(AF_INET6, in6_getnsma(inet_pton(AF_INET6, t)))
    mac = in6_getnsmac(inet_pton(AF_INET6, snm))
    req = (Ether(dst=mac, src=me) / IPv6(src=src, dst=snm, hlim=255) / ICMPv6ND_NS(tgt=t)
           / ICMPv6NDOptSrcLLAddr(lladdr=me))
    ans = exchange(iface, req, lambda p: ICMPv6ND_NA in p and p[ICMPv6ND_NA].tgt == t)
    na = ans[ICMPv6ND_NA]
    lla = ans[ICMPv6NDOptDstLLAddr].lladdr if ICMPv6NDOptDstLLAddr in ans else None
    print(json.dumps({"eth_src": ans.src, "eth_dst": ans.dst, "ip_src": ans[IPv6].src,
                      "ip_dst": ans[IPv6].dst, "hlim": ans[IPv6].hlim, "R": na.R, "S": na.S,
                      "O": na.O, "tgt": na.tgt, "lladdr": lla}))


def malformed(iface, role, dst):
    """Frames that straitd must drop, each for one known reason."""
    me = get_if_hwaddr(iface)
    eth6 = Ether(dst=dst, src=me, type=0x86DD)
    eth4 = Ether(dst=dst, src=me, type=0x0800)
    echo6 = raw(IPv6(src=CLIENT6, dst=GW6, hlim=64) / ICMPv6EchoRequest(id=1, seq=1, data=b"x" * 32))
    echo4 = raw(IP(src=SERVER4, dst=GW4) / ICMP(id=1, seq=1) / (b"x" * 32))
    frames = []  # (reason, frame)
    if role == "inside":
        for n in (1, 20, 39):  # shorter than the IPv6 header
            frames.append(("ipv6_truncated", eth6 / echo6[:n]))
        frames.append(("ipv6_truncated", eth6 / echo6[:-5]))  # payload length beyond frame
        for v in (4, 5, 0):
            frames.append(("ipv6_bad_version", eth6 / (bytes([v << 4]) + echo6[1:])))
        bad = bytearray(echo6)
        bad[-1] ^= 0xFF
        frames.append(("icmp_bad_checksum", eth6 / bytes(bad)))
        frames.append(("wrong_family", eth4 / echo4))
        frames.append(("unknown_ethertype", Ether(dst=dst, src=me, type=0x88B5) / (b"\0" * 46)))
        frames.append(("not_for_us", Ether(dst="02:99:99:99:99:99", src=me, type=0x86DD) / echo6))
    else:
        for n in (1, 10, 19):  # shorter than the IPv4 header
            frames.append(("ipv4_truncated", eth4 / echo4[:n]))
        frames.append(("ipv4_truncated", eth4 / echo4[:-5]))  # total length beyond frame
        for first in (0x65, 0x44, 0x05):  # version 6, IHL 4, version 0
            frames.append(("ipv4_bad_version", eth4 / (bytes([first]) + echo4[1:])))
        bad = bytearray(echo4)
        bad[8] ^= 0x01  # TTL changed, header checksum not
        frames.append(("ipv4_bad_checksum", eth4 / bytes(bad)))
        bad = bytearray(echo4)
        bad[-1] ^= 0xFF
        frames.append(("icmp_bad_checksum", eth4 / bytes(bad)))
        frames.append(("wrong_family", eth6 / echo6))
        arp_short = raw(ARP(op=1, psrc=SERVER4, pdst=GW4))[:20]
        frames.append(("arp_malformed", Ether(dst=dst, src=me, type=0x0806) / arp_short))
        frames.append(("arp_not_for_us", Ether(dst="ff:ff:ff:ff:ff:ff", src=me)
                       / ARP(op=1, hwsrc=me, psrc=SERVER4, pdst="198.51.100.99")))
    # Repeat so counters move by more than background noise could ever explain.
    repeat = 20
    sendp([f for _, f in frames] * repeat, iface=iface)
    sent = {}
    for reason, _ in frames:
        sent[reason] = sent.get(reason, 0) + repeat
    print(json.dumps(sent))


def random_frames(iface, dst, n, seed):
    """Random bytes of random lengths behind our MAC and an IPv4/IPv6/ARP EtherType."""
    rng = random.Random(seed)
    frames = []
    for _ in range(n):
        body = bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 200)))
        etype = rng.choice((0x0800, 0x86DD, 0x0806, rng.getrandbits(16)))
        d = dst if rng.random() < 0.8 else "ff:ff:ff:ff:ff:ff"
        frames.append(Ether(dst=d, src=get_if_hwaddr(iface), type=etype) / body)
    sendp(frames, iface=iface)
    print(n)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "arp":
        arp(*args)
    elif cmd == "ns":
        ns(*args)
    elif cmd == "malformed":
        malformed(*args)
    elif cmd == "random":
        random_frames(args[0], args[1], int(args[2]), int(args[3]))
    else:
        sys.exit(f"probe: unknown command {cmd}")
