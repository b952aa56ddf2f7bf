// SPDX-License-Identifier: Apache-2.0
// Implementation of the no-allocation DNS wire reader and writer.
#include "dns64/wire/message.h"

#include <cstring>

#include "strait/net/bytes.h"

namespace strait::dns64::wire {

using net::load_be16;
using net::load_be32;
using net::store_be16;
using net::store_be32;

namespace {

inline uint8_t lower_ascii(uint8_t c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

}  // namespace

bool read_header(Bytes m, Header& h) noexcept {
    if (m.size() < kHeaderLen) return false;
    const uint8_t* p = m.data();
    h.id = load_be16(p);
    h.flags = load_be16(p + 2);
    h.qdcount = load_be16(p + 4);
    h.ancount = load_be16(p + 6);
    h.nscount = load_be16(p + 8);
    h.arcount = load_be16(p + 10);
    return true;
}

void write_header(uint8_t* p, const Header& h) noexcept {
    store_be16(p, h.id);
    store_be16(p + 2, h.flags);
    store_be16(p + 4, h.qdcount);
    store_be16(p + 6, h.ancount);
    store_be16(p + 8, h.nscount);
    store_be16(p + 10, h.arcount);
}

std::size_t read_name(Bytes m, std::size_t off, uint8_t* out, std::size_t* next,
                      bool lower) noexcept {
    std::size_t len = 0;
    std::size_t after = 0;  // stream offset after the name, fixed at the first pointer
    std::size_t pos = off;
    std::size_t hops = 0;
    for (;;) {
        if (pos >= m.size()) return 0;
        const uint8_t c = m[pos];
        if ((c & 0xc0) == 0xc0) {
            if (pos + 1 >= m.size() || ++hops > kMaxPointerHops) return 0;
            const std::size_t target = (std::size_t{c & 0x3fu} << 8) | m[pos + 1];
            if (target >= pos) return 0;  // forward or self pointer: possible loop
            if (after == 0) after = pos + 2;
            pos = target;
            continue;
        }
        if ((c & 0xc0) != 0) return 0;  // 0x40 / 0x80 label types are obsolete/reserved
        if (pos + 1 + c > m.size() || len + 1 + c > kMaxNameLen) return 0;
        out[len++] = c;
        if (c == 0) break;
        for (std::size_t i = 0; i < c; ++i) {
            const uint8_t b = m[pos + 1 + i];
            out[len++] = lower ? lower_ascii(b) : b;
        }
        pos += 1 + c;
    }
    if (next) *next = after ? after : pos + 1;
    return len;
}

std::size_t skip_name(Bytes m, std::size_t off) noexcept {
    std::size_t pos = off;
    std::size_t len = 0;
    for (;;) {
        if (pos >= m.size()) return 0;
        const uint8_t c = m[pos];
        if ((c & 0xc0) == 0xc0) return pos + 2 <= m.size() ? pos + 2 : 0;
        if ((c & 0xc0) != 0) return 0;
        len += 1 + c;
        if (len > kMaxNameLen || pos + 1 + c > m.size()) return 0;
        if (c == 0) return pos + 1;
        pos += 1 + c;
    }
}

bool name_equal(const uint8_t* a, std::size_t alen, const uint8_t* b, std::size_t blen) noexcept {
    if (alen != blen) return false;
    for (std::size_t i = 0; i < alen; ++i) {
        if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
    }
    return true;
}

bool read_record(Bytes m, std::size_t off, Record& r) noexcept {
    const std::size_t p = skip_name(m, off);
    if (p == 0 || p + 10 > m.size()) return false;
    r.owner_off = off;
    r.type = load_be16(&m[p]);
    r.rclass = load_be16(&m[p + 2]);
    r.ttl_off = p + 4;
    r.ttl = load_be32(&m[p + 4]);
    r.rdlen = load_be16(&m[p + 8]);
    r.rdata_off = p + 10;
    r.end = r.rdata_off + r.rdlen;
    return r.end <= m.size();
}

std::size_t skip_questions(Bytes m, uint16_t qdcount) noexcept {
    std::size_t off = kHeaderLen;
    for (uint16_t i = 0; i < qdcount; ++i) {
        off = skip_name(m, off);
        if (off == 0 || off + 4 > m.size()) return 0;
        off += 4;
    }
    return off;
}

namespace {

/// Reads the uncompressed question name at offset 12 into q.lname.
bool read_qname(Bytes m, Query& q) noexcept {
    std::size_t pos = kHeaderLen;
    std::size_t len = 0;
    for (;;) {
        if (pos >= m.size()) return false;
        const uint8_t c = m[pos];
        if (c > 63) return false;  // a pointer in the first name can only point at the header
        if (pos + 1 + c > m.size() || len + 1 + c > kMaxNameLen) return false;
        q.lname[len++] = c;
        for (std::size_t i = 0; i < c; ++i) q.lname[len++] = lower_ascii(m[pos + 1 + i]);
        pos += 1 + c;
        if (c == 0) break;
    }
    q.qname_len = len;
    return true;
}

/// Walks answer, authority and additional sections looking for the OPT RR.
QueryVerdict read_sections(Bytes m, std::size_t off, Query& q) noexcept {
    const unsigned total = unsigned{q.h.ancount} + q.h.nscount + q.h.arcount;
    for (unsigned i = 0; i < total; ++i) {
        Record r;
        if (!read_record(m, off, r)) return QueryVerdict::FormErr;
        uint8_t owner[kMaxNameLen];
        std::size_t next = 0;
        if (read_name(m, off, owner, &next) == 0) return QueryVerdict::FormErr;  // loops
        if (r.type == kTypeOpt) {
            // RFC 6891 §6.1.1: one OPT, in the additional section, owned by the root.
            if (q.edns.present || i < unsigned{q.h.ancount} + q.h.nscount ||
                m[r.owner_off] != 0) {
                return QueryVerdict::FormErr;
            }
            q.edns.present = true;
            q.edns.udp_size = r.rclass;
            q.edns.ext_rcode = static_cast<uint8_t>(r.ttl >> 24);
            q.edns.version = static_cast<uint8_t>(r.ttl >> 16);
            q.edns.do_bit = (r.ttl & 0x8000) != 0;
        }
        off = r.end;
    }
    return QueryVerdict::Ok;
}

}  // namespace

QueryVerdict parse_query(Bytes m, Query& q) noexcept {
    q.qname_len = 0;
    q.edns = Edns{};
    if (!read_header(m, q.h) || (q.h.flags & kFlagQr)) return QueryVerdict::Drop;
    if (q.h.opcode() != 0) return QueryVerdict::NotImp;
    if (q.h.qdcount != 1) return QueryVerdict::FormErr;
    if (!read_qname(m, q)) return QueryVerdict::FormErr;
    const std::size_t p = kHeaderLen + q.qname_len;
    if (p + 4 > m.size()) {
        q.qname_len = 0;
        return QueryVerdict::FormErr;
    }
    q.qtype = load_be16(&m[p]);
    q.qclass = load_be16(&m[p + 2]);
    q.question_end = p + 4;
    const QueryVerdict v = read_sections(m, q.question_end, q);
    if (v != QueryVerdict::Ok) return v;
    if (q.edns.present && q.edns.version != 0) return QueryVerdict::BadVers;
    return QueryVerdict::Ok;
}

void Builder::bytes(const uint8_t* p, std::size_t n) noexcept {
    if (!ok_ || len_ + n > cap_) {
        ok_ = false;
        return;
    }
    if (n) std::memcpy(buf_ + len_, p, n);
    len_ += n;
}

void Builder::u16(uint16_t v) noexcept {
    uint8_t b[2];
    store_be16(b, v);
    bytes(b, 2);
}

void Builder::u32(uint32_t v) noexcept {
    uint8_t b[4];
    store_be32(b, v);
    bytes(b, 4);
}

void Builder::patch_u16(std::size_t off, uint16_t v) noexcept {
    if (off + 2 <= len_) store_be16(buf_ + off, v);
}

void Builder::remember_name(std::size_t off, std::size_t len) noexcept {
    if (nnames_ < kMaxRemembered && off < 0x4000) {
        name_off_[nnames_] = off;
        name_len_[nnames_] = len;
        ++nnames_;
    }
}

void Builder::name(const uint8_t* n, std::size_t len) noexcept {
    for (std::size_t i = 0; i < nnames_; ++i) {
        if (name_equal(buf_ + name_off_[i], name_len_[i], n, len)) {
            u16(static_cast<uint16_t>(0xc000 | name_off_[i]));
            return;
        }
    }
    const std::size_t off = len_;
    bytes(n, len);
    if (ok_ && len > 1) remember_name(off, len);
}

void Builder::opt(uint16_t udp_size, bool do_bit, uint8_t ext_rcode) noexcept {
    const uint8_t root = 0;
    bytes(&root, 1);
    u16(kTypeOpt);
    u16(udp_size);
    u32(uint32_t{ext_rcode} << 24 | (do_bit ? 0x8000u : 0u));
    u16(0);
}

std::size_t build_error(Bytes m, const Query& q, uint16_t rcode, uint16_t edns_udp_size,
                        uint8_t* out, std::size_t cap) noexcept {
    Builder b(out, cap);
    Header h;
    h.id = q.h.id;
    h.flags = static_cast<uint16_t>(kFlagQr | (q.h.flags & (kOpcodeMask | kFlagRd | kFlagCd)) |
                                    kFlagRa | (rcode & kRcodeMask));
    h.qdcount = q.qname_len ? 1 : 0;
    h.arcount = q.edns.present ? 1 : 0;
    uint8_t hdr[kHeaderLen];
    write_header(hdr, h);
    b.bytes(hdr, kHeaderLen);
    if (q.qname_len) b.bytes(m.data() + kHeaderLen, q.qname_len + 4);
    if (q.edns.present) b.opt(edns_udp_size, q.edns.do_bit, static_cast<uint8_t>(rcode >> 4));
    return b.ok() ? b.size() : 0;
}

}  // namespace strait::dns64::wire
