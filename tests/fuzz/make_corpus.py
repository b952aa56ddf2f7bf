#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the seed corpus of every fuzz target (tests/fuzz/corpus/<target>/).

Well-formed messages come from scapy (an implementation independent of dns64/wire),
compressed with its dns_compress; the malformed ones (truncation, pointer loops, bad
labels) are cut or patched by hand from them. Engine seeds are scripts in the input
format described at the top of dns64_engine_fuzz.cc. The packet targets' seeds are in
corpus_packets.py, the config parser's in corpus_config.py. Deterministic: rerunning
rewrites the same bytes.

    /usr/bin/python3 tests/fuzz/make_corpus.py     # Debian's python3-scapy
"""
import os
import shutil
import struct

from corpus_config import config_seeds
from corpus_packets import classify_seeds, xlat_seeds
from scapy.layers.dns import DNS, DNSQR, DNSRR, DNSRROPT, DNSRRSOA, DNSRRMX, dns_compress

HERE = os.path.dirname(os.path.abspath(__file__))


def query(qname, qtype, qid=0x1234, edns=None, do=False, cd=False, opcode=0):
    """A client query; edns = advertised UDP size (None: no OPT)."""
    ar = DNSRROPT(rclass=edns, z=0x8000 if do else 0) if edns else None
    p = DNS(id=qid, rd=1, cd=int(cd), opcode=opcode, qd=DNSQR(qname=qname, qtype=qtype), ar=ar)
    return bytes(p)


def answer(qname, qtype, an=None, ns=None, rcode=0, qid=0x1234, tc=0, compress=True):
    p = DNS(id=qid, qr=1, rd=1, ra=1, tc=tc, rcode=rcode, qd=DNSQR(qname=qname, qtype=qtype),
            an=an, ns=ns)
    return bytes(dns_compress(p)) if compress else bytes(p)


def soa(zone, minimum=60):
    return DNSRRSOA(rrname=zone, mname="ns." + zone, rname="hostmaster." + zone, serial=1,
                    refresh=3600, retry=600, expire=86400, minimum=minimum, ttl=minimum)


def rr(name, rtype, rdata, ttl=300):
    return DNSRR(rrname=name, type=rtype, rdata=rdata, ttl=ttl)


def u16(v):
    return struct.pack(">H", v)


def wire_seeds():
    s = {}
    s["query_a"] = query("a-only.strait.test.", "A")
    s["query_aaaa_edns_do"] = query("www.Example.test.", "AAAA", edns=1232, do=True)
    s["query_aaaa_do_cd"] = query("dual.strait.test.", "AAAA", edns=4096, do=True, cd=True)
    s["query_ptr_ip6"] = query(
        "2.0.4.6.3.3.6.c.0.0.0.0.0.0.0.0.0.0.0.0.4.6.0.0.8.b.d.0.1.0.0.2.ip6.arpa.", "PTR",
        edns=1232)
    s["query_ipv4only"] = query("ipv4only.arpa.", "AAAA")
    s["query_notify"] = query("strait.test.", "SOA", opcode=4)
    s["query_two_questions"] = bytes(DNS(id=7, rd=1, qd=DNSQR(qname="a.test.") /
                                         DNSQR(qname="b.test.")))
    bad_vers = bytearray(query("a.test.", "AAAA", edns=1232))
    bad_vers[-5] = 1  # OPT TTL byte 1: EDNS version 1 (RFC 6891 §6.1.3)
    s["query_edns_version1"] = bytes(bad_vers)
    two_opt = bytearray(query("a.test.", "AAAA", edns=1232))
    two_opt += two_opt[-11:]
    two_opt[11] = 2
    s["query_two_opts"] = bytes(two_opt)
    s["query_long_name"] = query(".".join(["a" * 63] * 3 + ["b" * 61]) + ".", "AAAA")
    s["query_truncated"] = query("cut.strait.test.", "AAAA", edns=1232)[:20]
    s["answer_cname_chain"] = answer(
        "alias.strait.test.", "A",
        an=rr("alias.strait.test.", "CNAME", "b.strait.test.") /
        rr("b.strait.test.", "CNAME", "a-only.strait.test.") /
        rr("a-only.strait.test.", "A", "198.51.100.2"),
        ns=soa("strait.test."))
    s["answer_nodata_soa"] = answer("a-only.strait.test.", "AAAA", ns=soa("strait.test."))
    s["answer_nxdomain"] = answer("nope.strait.test.", "AAAA", ns=soa("strait.test."), rcode=3)
    s["answer_aaaa_mapped"] = answer(
        "mapped.strait.test.", "AAAA",
        an=rr("mapped.strait.test.", "AAAA", "::ffff:198.51.100.5") /
        rr("mapped.strait.test.", "AAAA", "2001:db8:100::5"))
    s["answer_ptr"] = answer("2.100.51.198.in-addr.arpa.", "PTR",
                             an=rr("2.100.51.198.in-addr.arpa.", "PTR", "a-only.strait.test."))
    s["answer_mx"] = answer("strait.test.", "MX",
                            an=DNSRRMX(rrname="strait.test.", exchange="mail.strait.test.",
                                       preference=10, ttl=300))
    s["answer_truncated_tc"] = answer("big.strait.test.", "AAAA", tc=1)
    full = answer("alias.strait.test.", "A",
                  an=rr("alias.strait.test.", "CNAME", "a-only.strait.test.") /
                  rr("a-only.strait.test.", "A", "198.51.100.2"))
    s["answer_cut_in_record"] = full[:len(full) - 7]
    # Compression loops and bad pointers, patched into a real answer's question name.
    hdr = full[:12]
    s["loop_self"] = hdr[:4] + u16(1) + u16(0) * 3 + b"\xc0\x0c" + u16(1) + u16(1)
    # a -> b -> a: the question's pointer goes forward to the record owner, which points
    # back at the question (a loop for readers that allow forward pointers).
    q_at, owner_at = 12, 12 + 4 + 4
    s["loop_two_pointers"] = (hdr[:4] + u16(1) + u16(1) + u16(0) * 2 +
                              b"\x01a" + ptr(owner_at) + u16(1) * 2 +
                              b"\x01b" + ptr(q_at) + u16(1) * 2 + u32_ttl_rd(4))
    s["pointer_forward"] = hdr[:4] + u16(1) + u16(0) * 3 + b"\xc0\x0e\x01a\x00" + u16(1) * 2
    # Owners that are pointers to pointers: r3 -> r2 ("b" + pointer) -> r1 -> question.
    r1 = 12 + 3 + 4
    r2 = r1 + 2 + 10
    s["pointer_chain"] = (hdr[:4] + u16(1) + u16(3) + u16(0) * 2 +
                          b"\x01a\x00" + u16(1) * 2 +
                          ptr(12) + u16(1) * 2 + u32_ttl_rd(0) +
                          b"\x01b" + ptr(r1) + u16(1) * 2 + u32_ttl_rd(0) +
                          ptr(r2) + u16(1) * 2 + u32_ttl_rd(0))
    # Regression: an owner name reached through 17 pointers, each to the one before (BIND
    # stops at 16 hops; without a limit a 64 KiB message of such owners took tens of ms).
    # Record 1's RDATA holds 16 pointers, the first to the question name; record 2's owner
    # points at the last one.
    rd_at = 12 + 7 + 12
    rdata = b"".join(ptr(12 if i == 0 else rd_at + 2 * (i - 1)) for i in range(16))
    s["pointer_chain_17_hops"] = (hdr[:4] + u16(1) + u16(2) + u16(0) * 2 +
                                  b"\x01a\x00" + u16(1) * 2 +
                                  ptr(12) + u16(1) * 2 + struct.pack(">IH", 300, len(rdata)) +
                                  rdata + ptr(rd_at + 30) + u16(1) * 2 + u32_ttl_rd(0))
    s["label_type_0x40"] = hdr[:4] + u16(1) + u16(0) * 3 + b"\x41a\x00" + u16(1) * 2
    return s


def ptr(off):
    """A compression pointer (RFC 1035 §4.1.4)."""
    return u16(0xc000 | off)


def u32_ttl_rd(rdlen):
    """TTL 300 and an RDLENGTH with that many zero bytes of RDATA."""
    return struct.pack(">IH", 300, rdlen) + b"\x00" * rdlen


# Engine scripts (dns64_engine_fuzz.cc): config byte, then steps.
def op_query(msg, who=0):
    return bytes([0, who]) + u16(len(msg)) + msg


def op_answer(k, records=b"", an=0, ns=0, ar=0, flags=0x8180):
    """Answer the k-th upstream query: its question, then `records` (0xc00c = its name)."""
    return bytes([1, k]) + u16(flags) + bytes([an, ns, ar]) + u16(len(records)) + records


def op_raw(k, msg):
    return bytes([2, k]) + u16(len(msg)) + msg


def op_stray(server, sport, lport, msg):
    return bytes([3, server]) + u16(sport) + u16(lport) + u16(len(msg)) + msg


def op_time(ms):
    return bytes([4]) + u16(ms)


def op_config(bits):
    return bytes([5, bits])


def op_tcp_failed(k):
    return bytes([6, k])


def rec(owner, rtype, ttl, rdata):
    return owner + struct.pack(">HHIH", rtype, 1, ttl, len(rdata)) + rdata


def soa_rec(owner=b"\x06strait\x04test\x00", minimum=60):
    rdata = (b"\x02ns\xc0\x0c" + b"\x0ahostmaster\xc0\x0c" +
             struct.pack(">IIIII", 1, 3600, 600, 86400, minimum))
    return rec(owner, 6, minimum, rdata)


PTR_NAME = "2.0.4.6.3.3.6.c.0.0.0.0.0.0.0.0.0.0.0.0.4.6.0.0.8.b.d.0.1.0.0.2.ip6.arpa."
A = 1
AAAA = 28
CNAME = 5
PTR = 12
V4 = bytes([198, 51, 100, 2])
A_ONLY = b"\x06a-only\x06strait\x04test\x00"


def engine_seeds():
    s = {}
    q = query("a-only.strait.test.", "AAAA", edns=1232)
    s["synth_then_hit_then_expire"] = (
        bytes([0]) + op_query(q) + op_answer(0, soa_rec(), ns=1) +
        op_answer(1, rec(b"\xc0\x0c", A, 300, V4), an=1) + op_query(q) + op_time(61000) +
        op_query(q))
    # In the answer: header, question (alias.strait.test, 19 + 4 bytes), then the CNAME
    # whose RDATA (a-only.strait.test) the A record's owner points at.
    target = 12 + 19 + 4 + 2 + 10
    s["cname_chain"] = (
        bytes([0]) + op_query(query("alias.strait.test.", "AAAA")) +
        op_answer(0, rec(b"\xc0\x0c", CNAME, 300, A_ONLY) + soa_rec(), an=1, ns=1) +
        op_answer(1, rec(b"\xc0\x0c", CNAME, 300, A_ONLY) + rec(ptr(target), A, 300, V4),
                  an=2))
    s["real_aaaa_and_mapped"] = (
        bytes([0]) + op_query(query("mapped.strait.test.", "AAAA", edns=4096, do=True)) +
        op_answer(0, rec(b"\xc0\x0c", AAAA, 300, bytes(10) + b"\xff\xff" + V4) +
                  rec(b"\xc0\x0c", AAAA, 300, bytes.fromhex("20010db8010000000000000000000005")),
                  an=2))
    s["passthrough_a_and_mx"] = (
        bytes([0]) + op_query(query("a-only.strait.test.", "A")) +
        op_answer(0, rec(b"\xc0\x0c", A, 300, V4), an=1) +
        op_query(query("strait.test.", "MX"), who=1) +
        op_answer(1, rec(b"\xc0\x0c", 15, 300, b"\x00\x0a\x04mail\xc0\x0c"), an=1))
    s["ptr_reverse"] = (
        bytes([0]) + op_query(query(PTR_NAME, "PTR", edns=1232)) +
        op_answer(0, rec(b"\xc0\x0c", PTR, 300, A_ONLY), an=1))
    s["timeout_failover_stale"] = (
        bytes([1]) + op_query(query("slow.strait.test.", "AAAA")) + op_time(150) +
        op_answer(0, soa_rec(), ns=1) + op_time(150) + op_answer(1, soa_rec(), ns=1) +
        op_time(500))
    s["pending_full"] = bytes([2]) + b"".join(
        op_query(query(f"n{i}.strait.test.", "AAAA", qid=i), who=i & 3) for i in range(5)) + (
        op_answer(0, rec(b"\xc0\x0c", AAAA, 60, bytes(15) + b"\x01"), an=1) + op_time(300))
    s["nxdomain"] = (bytes([3]) + op_query(query("nope.strait.test.", "AAAA")) +
                     op_answer(0, soa_rec(), ns=1, flags=0x8183))
    s["tcp_and_udp_big_answer"] = (
        bytes([0x80]) + op_query(query("big.strait.test.", "AAAA"), who=4) +
        op_answer(0, b"".join(rec(b"\xc0\x0c", AAAA, 300, bytes.fromhex("20010db801000000000000000000") +
                                  bytes([i, 1])) for i in range(20)), an=20) +
        op_query(query("big.strait.test.", "AAAA"), who=0) + op_time(10))
    # A truncated UDP answer is asked again over TCP (RFC 7766 §5): here answered over
    # TCP (NODATA), then the A query; and a TCP exchange that fails on both upstreams.
    s["upstream_truncated_then_tcp"] = (
        bytes([4]) + op_query(query("tc.strait.test.", "AAAA")) + op_answer(0, flags=0x8380) +
        op_answer(1, soa_rec(), ns=1) + op_answer(2, rec(b"\xc0\x0c", A, 300, V4), an=1))
    s["upstream_tcp_failed"] = (
        bytes([0]) + op_query(query("tc.strait.test.", "AAAA", edns=1232)) +
        op_answer(0, flags=0x8380) + op_tcp_failed(1) + op_tcp_failed(2) + op_time(1000))
    s["rate_limited"] = bytes([0x10]) + b"".join(
        op_query(query("ipv4only.arpa.", "AAAA", qid=i)) for i in range(5)) + op_time(2000) + (
        op_query(query("ipv4only.arpa.", "A")))
    bad_vers = bytearray(query("a.test.", "AAAA", edns=1232))
    bad_vers[-5] = 1
    s["malformed_queries"] = (
        bytes([0]) + op_query(b"\x12\x34\x01") + op_query(answer("a.test.", "A")) +
        op_query(bytes(DNS(id=7, qd=DNSQR(qname="a.test.") / DNSQR(qname="b.test.")))) +
        op_query(query("strait.test.", "SOA", opcode=4)) + op_query(bytes(bad_vers)) +
        op_query(bytes.fromhex("abcd01000001000000000000c00c001c0001")))
    s["reconfigure_pending"] = (
        bytes([0]) + op_query(query("a-only.strait.test.", "AAAA")) + op_config(0x41) +
        op_answer(0, soa_rec(), ns=1))
    s["acl_and_v4_client"] = (
        bytes([0x28]) + op_query(query("a-only.strait.test.", "AAAA"), who=2) +
        op_query(query("a-only.strait.test.", "AAAA"), who=3) +
        op_query(query("a-only.strait.test.", "AAAA"), who=0) +
        op_answer(0, soa_rec(), ns=1) + op_answer(1, soa_rec(), ns=1) +
        op_answer(2, soa_rec(), ns=1) + op_answer(3, rec(b"\xc0\x0c", A, 300, V4), an=1))
    s["stray_and_raw"] = (
        bytes([0]) + op_query(query("a-only.strait.test.", "AAAA")) +
        op_stray(0, 53, 50001, answer("a-only.strait.test.", "AAAA")) +
        op_stray(9, 53, 50001, answer("a-only.strait.test.", "AAAA")) +
        op_raw(0, answer("a-only.strait.test.", "AAAA", ns=soa("strait.test."))) +
        op_raw(1, answer("a-only.strait.test.", "A", an=rr("a-only.strait.test.", "A",
                                                           "198.51.100.2"))))
    return s


def write(target, seeds):
    d = os.path.join(HERE, "corpus", target)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for name, data in sorted(seeds.items()):
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    print(f"{target}: {len(seeds)} seeds in {d}")


if __name__ == "__main__":
    write("dns64_wire", wire_seeds())
    write("dns64_engine", engine_seeds())
    write("pkt_classify", classify_seeds())
    write("xlat_siit", xlat_seeds())
    write("config_parse", config_seeds())
