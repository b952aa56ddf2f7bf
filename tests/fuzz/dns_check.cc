// SPDX-License-Identifier: Apache-2.0
// Implementation of the independent DNS message validator.
#include "dns_check.h"

namespace strait::fuzz {

namespace {

uint16_t be16(std::span<const uint8_t> m, std::size_t off) {
    return static_cast<uint16_t>(m[off] << 8 | m[off + 1]);
}

/// RFC 1035 §3.3 types whose RDATA holds names (which may be compressed): where the
/// names start and how many. The engine rewrites these names, so they must stay valid.
bool rdata_names_ok(std::span<const uint8_t> m, uint16_t type, std::size_t rd, std::size_t end) {
    int names = 0;
    switch (type) {
        case 2:   // NS
        case 5:   // CNAME
        case 12:  // PTR
            names = 1;
            break;
        case 6:
            names = 2;
            break;  // SOA
        case 15:    // MX
            rd += 2;
            names = 1;
            break;
        default:
            return true;
    }
    uint8_t name[255];
    for (int i = 0; i < names; ++i) {
        std::size_t next = 0;
        if (rd > end || read_name_checked(m.first(end), rd, name, &next) == 0) return false;
        rd = next;
    }
    return true;
}

}  // namespace

std::size_t read_name_checked(std::span<const uint8_t> m, std::size_t off, uint8_t* out,
                              std::size_t* end, std::size_t* hops) {
    std::size_t len = 0;
    std::size_t pointers = 0;
    std::size_t pos = off;
    std::size_t after = 0;
    for (;;) {
        if (pos >= m.size()) return 0;
        const uint8_t c = m[pos];
        if (c >= 0xc0) {
            if (pos + 2 > m.size()) return 0;
            const std::size_t target = be16(m, pos) & 0x3fffu;
            if (target >= pos) return 0;  // strictly backwards: finite by construction
            if (after == 0) after = pos + 2;
            ++pointers;
            pos = target;
            continue;
        }
        if (c > 63 || pos + 1 + c > m.size() || len + 1 + c > 255) return 0;
        for (std::size_t i = 0; i <= c; ++i) out[len++] = m[pos + i];
        pos += 1 + c;
        if (c == 0) break;
    }
    *end = after ? after : pos;
    if (hops) *hops = pointers;
    return len;
}

const char* check_message(std::span<const uint8_t> m, DnsView& v) {
    if (m.size() < 12) return "shorter than a header";
    v.id = be16(m, 0);
    v.flags = be16(m, 2);
    v.qdcount = be16(m, 4);
    v.ancount = be16(m, 6);
    v.nscount = be16(m, 8);
    v.arcount = be16(m, 10);
    std::size_t off = 12;
    uint8_t name[255];
    for (unsigned i = 0; i < v.qdcount; ++i) {
        std::size_t end = 0;
        const std::size_t n = read_name_checked(m, off, name, &end);
        if (n == 0) return "bad question name";
        if (end + 4 > m.size()) return "truncated question";
        if (i == 0) {
            for (std::size_t k = 0; k < n; ++k) v.qname[k] = name[k];
            v.qname_len = n;
            v.qtype = be16(m, end);
            v.qclass = be16(m, end + 2);
        }
        off = end + 4;
    }
    const unsigned records = unsigned{v.ancount} + v.nscount + v.arcount;
    for (unsigned i = 0; i < records; ++i) {
        std::size_t end = 0;
        if (read_name_checked(m, off, name, &end) == 0) return "bad record owner";
        if (end + 10 > m.size()) return "truncated record header";
        const std::size_t rdend = end + 10 + be16(m, end + 8);
        if (rdend > m.size()) return "rdata beyond the message";
        if (!rdata_names_ok(m, be16(m, end), end + 10, rdend)) return "bad name in rdata";
        off = rdend;
    }
    if (off != m.size()) return "trailing bytes";
    return nullptr;
}

}  // namespace strait::fuzz
