#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# A resolver that only ever truncates: every UDP query to ADDR:53 is answered with TC=1 and
# no records, and nothing listens on TCP (the kernel resets connections). For
# tests/e2e/dns64_tcp_upstream_test.sh: the TCP retry fails fast and must fail over.
# usage: tc_server.py ADDR
import socket
import struct
import sys

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind((sys.argv[1], 53))
while True:
    q, peer = sock.recvfrom(4096)
    if len(q) < 12:
        continue
    off = 12
    while off < len(q) and q[off] != 0:  # the question name (queries carry no pointers)
        off += 1 + q[off]
    off += 5  # root label, type, class
    if off > len(q):
        continue
    flags = 0x8000 | 0x0200 | (struct.unpack("!H", q[2:4])[0] & 0x0100) | 0x0080  # QR TC RD RA
    sock.sendto(q[:2] + struct.pack("!HHHHH", flags, 1, 0, 0, 0) + q[12:off], peer)
