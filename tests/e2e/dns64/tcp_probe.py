#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# A scapy DNS-over-TCP client for tests/e2e/dns64_tcp_responder_test.sh, run in the client
# namespace: it plays TCP itself from an address the namespace's kernel does not own
# (2001:db8:6::77), so the kernel neither answers nor resets, and straitd learns that
# address from our neighbour solicitation. Three scenarios, one JSON line each:
#   lost      the first answer segment is "lost" (ignored, the next ones draw duplicate
#             ACKs): straitd must retransmit it, then finish the answer
#   window    a 256-byte receive window, closed for a while mid-answer: straitd must never
#             send beyond it (zero-window probes aside) and finish the answer
#   idle      a connection that never sends a query: straitd must close it (FIN) after
#             its idle timeout (RFC 7766 §6.2.3)
# usage: tcp_probe.py IFACE NAME  (NAME: an AAAA name whose answer spans several segments)
import json
import queue
import random
import struct
import sys
import time

from scapy.all import (DNS, DNSQR, TCP, AsyncSniffer, Ether, ICMPv6ND_NA, ICMPv6ND_NS,
                       ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr, IPv6, conf, get_if_hwaddr,
                       sendp)
from scapy.utils6 import in6_getnsma, in6_getnsmac
from socket import AF_INET6, inet_ntop, inet_pton

conf.verb = 0
ME = "2001:db8:6::77"
SERVICE = "2001:db8:6::53"


class Peer:
    """Frames to straitd and a queue of its TCP segments to us; answers NS for ME."""

    def __init__(self, iface):
        self.iface = iface
        self.mac = get_if_hwaddr(iface)
        self.gw = None
        self.segs = queue.Queue()
        self.sniffer = AsyncSniffer(iface=iface, prn=self.on_frame, store=False)
        self.sniffer.start()
        time.sleep(0.3)  # the sniffer socket must be open before anything comes back

    def on_frame(self, p):
        if IPv6 not in p or p[IPv6].dst not in (ME, self.snm(ME)):
            return
        if TCP in p and p[IPv6].src == SERVICE:
            self.segs.put((time.monotonic(), p[TCP]))
        elif ICMPv6ND_NS in p and p[ICMPv6ND_NS].tgt == ME:
            sendp(Ether(dst=p.src, src=self.mac) / IPv6(src=ME, dst=p[IPv6].src)
                  / ICMPv6ND_NA(tgt=ME, R=0, S=1, O=1) / ICMPv6NDOptDstLLAddr(lladdr=self.mac),
                  iface=self.iface)
        elif ICMPv6ND_NA in p and p[ICMPv6ND_NA].tgt == SERVICE:
            self.gw = p.src

    @staticmethod
    def snm(addr):
        return inet_ntop(AF_INET6, in6_getnsma(inet_pton(AF_INET6, addr)))

    def learn(self):
        """NS for the service from ME with our link-layer address: straitd answers and
        learns ME (RFC 4861 §7.2.3)."""
        snm = self.snm(SERVICE)
        mac = in6_getnsmac(inet_pton(AF_INET6, snm))
        for _ in range(30):
            sendp(Ether(dst=mac, src=self.mac) / IPv6(src=ME, dst=snm, hlim=255)
                  / ICMPv6ND_NS(tgt=SERVICE) / ICMPv6NDOptSrcLLAddr(lladdr=self.mac),
                  iface=self.iface)
            time.sleep(0.1)
            if self.gw:
                return
        sys.exit("tcp_probe: no neighbour advertisement from straitd")

    def send(self, sport, flags, seq, ack, window=65535, data=b"", options=None):
        tcp = TCP(sport=sport, dport=53, flags=flags, seq=seq, ack=ack, window=window,
                  options=options or [])
        sendp(Ether(dst=self.gw, src=self.mac) / IPv6(src=ME, dst=SERVICE) / tcp / data,
              iface=self.iface)

    def recv(self, sport, timeout):
        """Next segment of connection `sport`, as (time, TCP), or None."""
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            try:
                t, seg = self.segs.get(timeout=left)
            except queue.Empty:
                return None
            if seg.dport == sport:
                return t, seg
        return None


def handshake(peer, window=65535):
    sport = random.randrange(20000, 60000)
    isn = random.getrandbits(32)
    peer.send(sport, "S", isn, 0, window, options=[("MSS", 1220)])
    got = peer.recv(sport, 3)
    if not got or got[1].flags != "SA" or got[1].ack != (isn + 1) & 0xFFFFFFFF:
        sys.exit(f"tcp_probe: no SYN-ACK ({got})")
    irs = got[1].seq
    return sport, (isn + 1) & 0xFFFFFFFF, (irs + 1) & 0xFFFFFFFF


def query_bytes(name):
    q = bytes(DNS(id=random.getrandbits(16), rd=1, qd=DNSQR(qname=name, qtype="AAAA")))
    return struct.pack("!H", len(q)) + q


def payload_len(seg):
    return len(bytes(seg.payload))


def answer_count(stream):
    if len(stream) < 2 or len(stream) < 2 + struct.unpack("!H", stream[:2])[0]:
        return -1
    return DNS(stream[2:]).ancount


def close(peer, sport, snd, rcv):
    """Our FIN, then straitd's FIN (it closes once every query is answered), acknowledged."""
    peer.send(sport, "FA", snd, rcv)
    end = time.monotonic() + 3
    while time.monotonic() < end:
        got = peer.recv(sport, 1)
        if got and "F" in got[1].flags:
            peer.send(sport, "A", (snd + 1) & 0xFFFFFFFF, (got[1].seq + payload_len(got[1]) + 1) & 0xFFFFFFFF)
            return True
    return False


def lost(peer, name):
    sport, snd, rcv = handshake(peer)
    q = query_bytes(name)
    peer.send(sport, "PA", snd, rcv, data=q)
    snd = (snd + len(q)) & 0xFFFFFFFF
    first = peer.recv(sport, 3)
    while first and payload_len(first[1]) == 0:  # the ACK of our query (answer pending)
        first = peer.recv(sport, 3)
    if not first:
        sys.exit("tcp_probe: no answer segment")
    t_first, seg = first
    hole = seg.seq
    # The first segment is lost; later ones arrive out of order and draw duplicate ACKs.
    stash = {}
    retransmit_after = None
    end = time.monotonic() + 5
    while time.monotonic() < end:
        got = peer.recv(sport, 0.5)
        if not got:
            continue
        t, s = got
        n = payload_len(s)
        if n and s.seq == hole:
            retransmit_after = t - t_first
            stash[s.seq] = bytes(s.payload)
            break
        if n:
            stash[s.seq] = bytes(s.payload)
            peer.send(sport, "A", snd, hole)  # duplicate ACK: the hole is still there
    if retransmit_after is None:
        return {"retransmitted": False}
    # Now acknowledge in order until the whole answer is in.
    stream = b""
    ack = hole
    end = time.monotonic() + 5
    while answer_count(stream) < 0 and time.monotonic() < end:
        while ack in stash:
            data = stash.pop(ack)
            stream += data
            ack = (ack + len(data)) & 0xFFFFFFFF
        peer.send(sport, "A", snd, ack)
        if answer_count(stream) >= 0:
            break
        got = peer.recv(sport, 1)
        if got and payload_len(got[1]) and got[1].seq not in stash:
            stash[got[1].seq] = bytes(got[1].payload)
    closed = close(peer, sport, snd, ack)
    return {"retransmitted": True, "retransmit_after_s": round(retransmit_after, 3),
            "answers": answer_count(stream), "closed": closed}


def window(peer, name, wnd=256):
    sport, snd, rcv = handshake(peer, wnd)
    q = query_bytes(name)
    peer.send(sport, "PA", snd, rcv, window=wnd, data=q)
    snd = (snd + len(q)) & 0xFFFFFFFF
    stream, ack, beyond, segments, probes, sent_while_shut = b"", rcv, 0, 0, 0, 0
    shut_until = None  # the window is closed for a while after the first segment
    end = time.monotonic() + 10
    while answer_count(stream) < 0 and time.monotonic() < end:
        got = peer.recv(sport, 0.2)
        now = time.monotonic()
        if shut_until and now >= shut_until:
            shut_until = 0
            peer.send(sport, "A", snd, ack, window=wnd)  # reopen
        if not got:
            continue
        t, s = got
        n = payload_len(s)
        if shut_until:
            # RFC 9293 §3.8.6.1: nothing but window probes into a closed window.
            if n:
                sent_while_shut += 1
            else:
                probes += 1
            peer.send(sport, "A", snd, ack, window=0)
            continue
        if n == 0:
            continue
        segments += 1
        if (s.seq + n - ack) & 0xFFFFFFFF > wnd:
            beyond += 1
        if s.seq == ack:
            stream += bytes(s.payload)
            ack = (ack + n) & 0xFFFFFFFF
        if shut_until is None:
            shut_until = time.monotonic() + 1.0
            peer.send(sport, "A", snd, ack, window=0)
        else:
            peer.send(sport, "A", snd, ack, window=wnd)
    closed = close(peer, sport, snd, ack)
    return {"segments": segments, "beyond_window": beyond, "probes": probes,
            "sent_while_shut": sent_while_shut, "answers": answer_count(stream),
            "closed": closed}


def idle(peer):
    sport, snd, rcv = handshake(peer)
    peer.send(sport, "A", snd, rcv)
    start = time.monotonic()
    got = peer.recv(sport, 12)
    if not got:
        return {"fin": False}
    t, s = got
    fin = "F" in s.flags
    if fin:
        peer.send(sport, "FA", snd, (s.seq + 1) & 0xFFFFFFFF)
        last = peer.recv(sport, 2)  # straitd's ACK of our FIN
    return {"fin": fin, "after_s": round(t - start, 3),
            "final_ack": bool(fin and last and "A" in last[1].flags)}


def main():
    iface, name = sys.argv[1], sys.argv[2]
    peer = Peer(iface)
    peer.learn()
    print(json.dumps({"lost": lost(peer, name), "window": window(peer, name),
                      "idle": idle(peer)}))
    peer.sniffer.stop()


if __name__ == "__main__":
    main()
