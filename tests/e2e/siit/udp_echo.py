#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""UDP echo for the SIIT tests.

server ADDR PORT [--no-df]: echoes every datagram once (IPv4; --no-df clears DF so the
  translator must fragment to the IPv6 minimum MTU).
client ADDR PORT SIZE: sends SIZE bytes, waits for the echo, exits 0 if it matches.
"""
import os
import socket
import sys

IP_MTU_DISCOVER = 10
IP_PMTUDISC_DONT = 0


def server(addr, port, no_df):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if no_df:
        s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
    s.bind((addr, port))
    while True:
        data, peer = s.recvfrom(65535)
        s.sendto(data, peer)


def client(addr, port, size):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.settimeout(2)
    payload = os.urandom(size)
    for _ in range(3):
        s.sendto(payload, (addr, port))
        try:
            data, _ = s.recvfrom(65535)
        except socket.timeout:
            continue
        if data == payload:
            print(f"echoed {size} bytes intact")
            return 0
        print(f"echo differs: sent {size}, got {len(data)}")
        return 1
    print("no echo")
    return 1


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(sys.argv[2], int(sys.argv[3]), "--no-df" in sys.argv)
    else:
        sys.exit(client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
