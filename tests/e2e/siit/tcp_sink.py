#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""TCP upload check for the PMTU test.

server ADDR PORT: reads each connection to EOF, answers the SHA-256 of what it got.
client ADDR PORT SIZE: uploads SIZE random bytes over IPv6, exits 0 if the digest matches.
"""
import hashlib
import os
import socket
import sys


def server(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(4)
    while True:
        c, _ = s.accept()
        h = hashlib.sha256()
        while True:
            b = c.recv(65536)
            if not b:
                break
            h.update(b)
        c.sendall(h.hexdigest().encode())
        c.close()


def client(addr, port, size):
    data = os.urandom(size)
    s = socket.create_connection((addr, port), timeout=20)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    got = b""
    while True:
        b = s.recv(100)
        if not b:
            break
        got += b
    ok = got.decode() == hashlib.sha256(data).hexdigest()
    print("upload digest", "matches" if ok else "DIFFERS")
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
