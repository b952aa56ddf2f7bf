// SPDX-License-Identifier: Apache-2.0
// Implementation of the DNS64 message builders (RFC 6147 §5).
#include "dns64/synth/answer.h"

#include <algorithm>

#include "strait/net/rfc6052.h"
#include "strait/net/bytes.h"

namespace strait::dns64 {

using wire::Builder;
using wire::Bytes;
using wire::Record;

namespace {

/// RFC 6147 §5.1.7: cap when the AAAA answer carried no SOA.
constexpr uint32_t kNoSoaTtlCap = 600;
/// TTL of locally built records (ipv4only.arpa, the §5.3.1 CNAME): ten minutes.
constexpr uint32_t kLocalTtl = 600;
constexpr unsigned kMaxChain = 16;

/// Header, client question, and a remembered question name for compression.
void begin_answer(Builder& b, const ClientQuestion& cq, uint16_t flags) {
    wire::Header h;
    h.id = cq.id;
    h.flags = static_cast<uint16_t>(wire::kFlagQr | (cq.flags & (wire::kFlagRd | wire::kFlagCd)) |
                                    (flags & ~(wire::kFlagRd | wire::kFlagCd | wire::kFlagQr)));
    h.qdcount = 1;
    uint8_t hdr[wire::kHeaderLen];
    wire::write_header(hdr, h);
    b.bytes(hdr, sizeof hdr);
    b.bytes(cq.qname, cq.qname_len);
    b.u16(cq.qtype);
    b.u16(cq.qclass);
    b.remember_name(wire::kHeaderLen, cq.qname_len);
}

void set_counts(Builder& b, uint16_t an, uint16_t ns, uint16_t ar) {
    b.patch_u16(6, an);
    b.patch_u16(8, ns);
    b.patch_u16(10, ar);
}

/// Copies one RR, decompressing names in the owner and in RFC 1035 RDATA (RFC 3597 §4).
bool copy_record(Builder& b, Bytes m, const Record& r) {
    uint8_t name[wire::kMaxNameLen];
    std::size_t next = 0;
    std::size_t n = wire::read_name(m, r.owner_off, name, &next, false);
    if (n == 0) return false;
    b.name(name, n);
    b.u16(r.type);
    b.u16(r.rclass);
    b.u32(r.ttl);
    const std::size_t rdlen_at = b.size();
    b.u16(0);
    std::size_t p = r.rdata_off;
    int names = 0;
    switch (r.type) {
        case wire::kTypeCname:
        case wire::kTypeNs:
        case wire::kTypePtr: names = 1; break;
        case wire::kTypeSoa: names = 2; break;
        case wire::kTypeMx:
            if (r.rdlen < 2) return false;
            b.bytes(m.data() + p, 2);
            p += 2;
            names = 1;
            break;
        default: break;
    }
    for (int i = 0; i < names; ++i) {
        n = wire::read_name(m, p, name, &next, false);
        if (n == 0 || next > r.end) return false;
        b.name(name, n);
        p = next;
    }
    b.bytes(m.data() + p, r.end - p);
    b.patch_u16(rdlen_at, static_cast<uint16_t>(b.size() - rdlen_at - 2));
    return b.ok();
}

/// True when `r` is an AAAA record the policy excludes.
bool excluded_aaaa(Bytes m, const Record& r, const Policy& policy) {
    return r.type == wire::kTypeAaaa && r.rdlen == 16 &&
           policy.excluded(net::Ipv6Addr::from_bytes(m.data() + r.rdata_off));
}

}  // namespace

AaaaVerdict classify_aaaa(Bytes up, const Policy& policy) {
    AaaaVerdict v;
    wire::Header h;
    if (!wire::read_header(up, h)) return v;
    if (h.rcode() == wire::NxDomain) {
        v.kind = AaaaVerdict::Kind::Negative;
        return v;
    }
    if (h.rcode() != wire::NoError) return v;  // §5.1.2: treated like NODATA
    std::size_t off = wire::skip_questions(up, h.qdcount);
    if (off == 0) return v;
    unsigned usable = 0;
    for (unsigned i = 0; i < unsigned{h.ancount} + h.nscount; ++i) {
        Record r;
        if (!wire::read_record(up, off, r)) return AaaaVerdict{};
        off = r.end;
        if (i < h.ancount && r.type == wire::kTypeAaaa) {
            if (excluded_aaaa(up, r, policy)) {
                v.filtered = true;
            } else {
                ++usable;
            }
        } else if (i >= h.ancount && r.type == wire::kTypeSoa && r.rdlen >= 20 && !v.have_soa) {
            v.have_soa = true;
            v.soa_ttl = std::min(r.ttl, net::load_be32(up.data() + r.end - 4));
        }
    }
    v.kind = usable ? AaaaVerdict::Kind::Use : AaaaVerdict::Kind::Synthesize;
    return v;
}

std::size_t build_upstream_query(uint16_t id, const uint8_t* qname, std::size_t qname_len,
                                 uint16_t qtype, uint16_t qclass, bool cd, bool do_bit,
                                 uint16_t udp_size, uint8_t* out, std::size_t cap) {
    Builder b(out, cap);
    wire::Header h;
    h.id = id;
    h.flags = static_cast<uint16_t>(wire::kFlagRd | (cd ? wire::kFlagCd : 0));
    h.qdcount = 1;
    h.arcount = 1;
    uint8_t hdr[wire::kHeaderLen];
    wire::write_header(hdr, h);
    b.bytes(hdr, sizeof hdr);
    b.bytes(qname, qname_len);
    b.u16(qtype);
    b.u16(qclass);
    b.opt(udp_size, do_bit);
    return b.ok() ? b.size() : 0;
}

std::size_t build_passthrough(Bytes up, const ClientQuestion& cq, const Policy* filter,
                              uint8_t* out, std::size_t cap) {
    wire::Header h;
    if (!wire::read_header(up, h)) return 0;
    std::size_t off = wire::skip_questions(up, h.qdcount);
    if (off == 0) return 0;
    Builder b(out, cap);
    begin_answer(b, cq, h.flags);
    uint16_t counts[3] = {0, 0, 0};
    const unsigned sec_end[3] = {h.ancount, unsigned{h.ancount} + h.nscount,
                                 unsigned{h.ancount} + h.nscount + h.arcount};
    for (unsigned i = 0, sec = 0; i < sec_end[2]; ++i) {
        while (i >= sec_end[sec]) ++sec;
        Record r;
        if (!wire::read_record(up, off, r)) return 0;
        off = r.end;
        if (r.type == wire::kTypeOpt) continue;
        if (filter && sec == 0 && excluded_aaaa(up, r, *filter)) continue;
        if (!copy_record(b, up, r)) return 0;
        ++counts[sec];
    }
    if (cq.edns.present) b.opt(cq.edns_udp_size, cq.edns.do_bit);
    set_counts(b, counts[0], counts[1], static_cast<uint16_t>(counts[2] + (cq.edns.present ? 1 : 0)));
    return b.ok() ? b.size() : 0;
}

namespace {

/// Follows CNAMEs from the question name through the answer section (RFC 1034 §3.6.2);
/// writes the final owner name (lower case) to `fin`.
std::size_t chain_end(Bytes m, std::size_t an_off, uint16_t ancount, const ClientQuestion& cq,
                      uint8_t* fin) {
    std::size_t flen = cq.qname_len;
    std::copy(cq.qname, cq.qname + flen, fin);
    for (unsigned step = 0; step < kMaxChain; ++step) {
        bool moved = false;
        std::size_t off = an_off;
        for (unsigned i = 0; i < ancount; ++i) {
            Record r;
            if (!wire::read_record(m, off, r)) return 0;
            off = r.end;
            if (r.type != wire::kTypeCname) continue;
            uint8_t owner[wire::kMaxNameLen];
            std::size_t next = 0;
            const std::size_t on = wire::read_name(m, r.owner_off, owner, &next);
            if (on == 0 || !wire::name_equal(owner, on, fin, flen)) continue;
            flen = wire::read_name(m, r.rdata_off, fin, &next);
            if (flen == 0) return 0;
            moved = true;
            break;
        }
        if (!moved) break;
    }
    return flen;
}

}  // namespace

std::size_t build_synthesized(Bytes a_resp, const ClientQuestion& cq, const Policy& policy,
                              uint8_t prefix_index, uint32_t neg_ttl, uint8_t* out,
                              std::size_t cap, unsigned* nsynth) {
    *nsynth = 0;
    wire::Header h;
    if (!wire::read_header(a_resp, h) || h.rcode() != wire::NoError) return 0;
    const std::size_t an_off = wire::skip_questions(a_resp, h.qdcount);
    if (an_off == 0) return 0;
    uint8_t fin[wire::kMaxNameLen];
    const std::size_t flen = chain_end(a_resp, an_off, h.ancount, cq, fin);
    if (flen == 0) return 0;
    Builder b(out, cap);
    begin_answer(b, cq, wire::kFlagRa);  // AD cleared: synthesized data is not validated
    const net::Ipv6Prefix& prefix = policy.prefix(prefix_index);
    uint16_t an = 0;
    std::size_t off = an_off;
    for (unsigned i = 0; i < h.ancount; ++i) {
        Record r;
        if (!wire::read_record(a_resp, off, r)) return 0;
        off = r.end;
        if (r.type == wire::kTypeCname || r.type == wire::kTypeDname) {
            if (!copy_record(b, a_resp, r)) return 0;
            ++an;
            continue;
        }
        if (r.type != wire::kTypeA || r.rclass != wire::kClassIn || r.rdlen != 4) continue;
        uint8_t owner[wire::kMaxNameLen];
        std::size_t next = 0;
        const std::size_t on = wire::read_name(a_resp, r.owner_off, owner, &next);
        if (on == 0 || !wire::name_equal(owner, on, fin, flen)) continue;
        const net::Ipv4Addr v4 = net::Ipv4Addr::from_bytes(a_resp.data() + r.rdata_off);
        if (!policy.mapped(v4, prefix_index)) continue;  // BIND `mapped`, RFC 6052 §3.1
        net::Ipv6Addr v6;
        net::embed_ipv4(prefix, v4.b.data(), v6.b.data());
        b.name(fin, flen);
        b.u16(wire::kTypeAaaa);
        b.u16(wire::kClassIn);
        b.u32(std::min(r.ttl, neg_ttl));  // §5.1.7
        b.u16(16);
        b.bytes(v6.b.data(), 16);
        ++an;
        ++*nsynth;
    }
    if (cq.edns.present) b.opt(cq.edns_udp_size, cq.edns.do_bit);
    set_counts(b, an, 0, cq.edns.present ? 1 : 0);
    return b.ok() ? b.size() : 0;
}

uint32_t synth_ttl_cap(const AaaaVerdict& v) { return v.have_soa ? v.soa_ttl : kNoSoaTtlCap; }

std::size_t build_ptr_answer(Bytes up, const ClientQuestion& cq, const uint8_t* target,
                             std::size_t target_len, uint16_t rcode, uint8_t* out,
                             std::size_t cap) {
    Builder b(out, cap);
    wire::Header h;
    const bool have_up = wire::read_header(up, h);
    begin_answer(b, cq, static_cast<uint16_t>(wire::kFlagRa | (have_up ? h.rcode() : rcode)));
    b.name(cq.qname, cq.qname_len);
    b.u16(wire::kTypeCname);
    b.u16(wire::kClassIn);
    b.u32(kLocalTtl);
    const std::size_t rdlen_at = b.size();
    b.u16(0);
    b.name(target, target_len);
    b.patch_u16(rdlen_at, static_cast<uint16_t>(b.size() - rdlen_at - 2));
    uint16_t counts[2] = {1, 0};
    if (have_up) {
        std::size_t off = wire::skip_questions(up, h.qdcount);
        if (off == 0) return 0;
        for (unsigned i = 0; i < unsigned{h.ancount} + h.nscount; ++i) {
            Record r;
            if (!wire::read_record(up, off, r)) return 0;
            off = r.end;
            if (!copy_record(b, up, r)) return 0;
            ++counts[i < h.ancount ? 0 : 1];
        }
    }
    if (cq.edns.present) b.opt(cq.edns_udp_size, cq.edns.do_bit);
    set_counts(b, counts[0], counts[1], cq.edns.present ? 1 : 0);
    return b.ok() ? b.size() : 0;
}

std::size_t build_ipv4only(const ClientQuestion& cq, const net::Ipv6Prefix& prefix,
                           uint8_t* out, std::size_t cap) {
    Builder b(out, cap);
    begin_answer(b, cq, wire::kFlagRa | wire::kFlagAa);
    for (const net::Ipv4Addr& v4 : kIpv4onlyAddrs) {
        b.name(cq.qname, cq.qname_len);
        b.u16(cq.qtype);
        b.u16(wire::kClassIn);
        b.u32(kLocalTtl);
        if (cq.qtype == wire::kTypeAaaa) {
            net::Ipv6Addr v6;
            net::embed_ipv4(prefix, v4.b.data(), v6.b.data());
            b.u16(16);
            b.bytes(v6.b.data(), 16);
        } else {
            b.u16(4);
            b.bytes(v4.b.data(), 4);
        }
    }
    if (cq.edns.present) b.opt(cq.edns_udp_size, cq.edns.do_bit);
    set_counts(b, 2, 0, cq.edns.present ? 1 : 0);
    return b.ok() ? b.size() : 0;
}

std::size_t build_empty(const ClientQuestion& cq, uint16_t extra_flags, uint16_t rcode,
                        uint8_t* out, std::size_t cap) {
    Builder b(out, cap);
    begin_answer(b, cq, static_cast<uint16_t>((extra_flags & ~wire::kRcodeMask) | (rcode & 0xf)));
    if (cq.edns.present) b.opt(cq.edns_udp_size, cq.edns.do_bit, static_cast<uint8_t>(rcode >> 4));
    set_counts(b, 0, 0, cq.edns.present ? 1 : 0);
    return b.ok() ? b.size() : 0;
}

}  // namespace strait::dns64
