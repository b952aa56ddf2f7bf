#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Checks the fragments a capture holds, for tests/e2e/siit_fragment_test.sh.

    fragments.py v6|v4 PCAP MTU SPEC...

SPEC is frag:N (a UDP datagram of N payload bytes arrived as fragments: IPv6 Fragment
Headers or IPv4 MF/offset, one Identification, contiguous offsets, 8-byte multiples but
the last, M/MF clear on the last, each packet at most MTU bytes, reassembling to UDP
length N + 8) or whole:N (it arrived unfragmented). Prints one line per datagram found;
exit 1 when a SPEC is not met.
"""
import sys
from collections import defaultdict

from scapy.all import IP, UDP, IPv6, IPv6ExtHdrFragment, rdpcap


def groups_v6(pkts):
    frags, whole = defaultdict(list), []
    for p in pkts:
        if IPv6 not in p:
            continue
        ip = p[IPv6]
        if IPv6ExtHdrFragment in ip:
            f = ip[IPv6ExtHdrFragment]
            frags[(ip.src, ip.dst, f.id)].append((f.offset * 8, f.m, len(ip), bytes(f.payload)))
        elif UDP in ip:
            whole.append((len(ip), len(ip[UDP].payload)))
    return frags, whole


def groups_v4(pkts):
    frags, whole = defaultdict(list), []
    for p in pkts:
        if IP not in p:
            continue
        ip = p[IP]
        mf = int(ip.flags) & 1
        if mf or ip.frag:
            frags[(ip.src, ip.dst, ip.id)].append((ip.frag * 8, mf, len(ip), bytes(ip.payload)))
        elif UDP in ip:
            whole.append((len(ip), len(ip[UDP].payload)))
    return frags, whole


def reassemble(parts, mtu):
    """The datagram's bytes, or a reason it is not one well-formed fragment set."""
    parts = sorted(set(parts), key=lambda f: f[0])
    data = b""
    for i, (off, more, size, payload) in enumerate(parts):
        if size > mtu:
            return f"fragment of {size} bytes above the MTU {mtu}"
        if off != len(data):
            return f"offset {off} where {len(data)} was due"
        last = i + 1 == len(parts)
        if more == last:
            return f"M flag {more} on fragment {i} of {len(parts)}"
        if not last and len(payload) % 8:
            return f"fragment {i} carries {len(payload)} bytes, not a multiple of 8"
        data += payload
    return data


def main():
    family, path, mtu, specs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    frags, whole = (groups_v6 if family == "v6" else groups_v4)(rdpcap(path))
    done = set()
    for key, parts in frags.items():
        data = reassemble(parts, mtu)
        if isinstance(data, str):
            print(f"{family} fragments {key}: {len(parts)} parts, not well formed: {data}")
            continue
        n = int.from_bytes(data[4:6], "big") - 8 if len(data) >= 8 else -1
        print(f"{family} fragments {key}: {len(parts)} parts of at most "
              f"{max(p[2] for p in parts)} bytes, UDP payload {n}")
        if len(data) == n + 8:
            done.add(f"frag:{n}")
    for size, n in whole:
        print(f"{family} unfragmented: {size} bytes, UDP payload {n}")
        if size <= mtu:
            done.add(f"whole:{n}")
    missing = [s for s in specs if s not in done]
    if missing:
        print(f"{family}: missing {' '.join(missing)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
