// SPDX-License-Identifier: Apache-2.0
// Parsing and formatting of addresses for config, REST and logs (never the fast path).
#include "strait/net/addr.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstdio>

namespace strait::net {
namespace {

std::optional<unsigned> parse_len(std::string_view s, unsigned max) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || s.empty() || v > max) return {};
    return v;
}

}  // namespace

std::optional<Ipv4Addr> parse_ipv4(std::string_view s) {
    if (s.size() > INET_ADDRSTRLEN) return {};
    std::string z(s);
    Ipv4Addr a;
    if (inet_pton(AF_INET, z.c_str(), a.b.data()) != 1) return {};
    return a;
}

std::optional<Ipv6Addr> parse_ipv6(std::string_view s) {
    if (s.size() > INET6_ADDRSTRLEN) return {};
    std::string z(s);
    Ipv6Addr a;
    if (inet_pton(AF_INET6, z.c_str(), a.b.data()) != 1) return {};
    return a;
}

std::optional<Ipv4Prefix> parse_ipv4_prefix(std::string_view s, bool strict) {
    auto slash = s.find('/');
    auto a = parse_ipv4(s.substr(0, slash));
    if (!a) return {};
    Ipv4Prefix p{*a, 32};
    if (slash != std::string_view::npos) {
        auto len = parse_len(s.substr(slash + 1), 32);
        if (!len) return {};
        p.len = static_cast<uint8_t>(*len);
    }
    if (strict && p.len < 32 && (a->host() & (~0u >> p.len)) != 0) return {};
    return p;
}

std::optional<Ipv6Prefix> parse_ipv6_prefix(std::string_view s, bool strict) {
    auto slash = s.find('/');
    auto a = parse_ipv6(s.substr(0, slash));
    if (!a) return {};
    Ipv6Prefix p{*a, 128};
    if (slash != std::string_view::npos) {
        auto len = parse_len(s.substr(slash + 1), 128);
        if (!len) return {};
        p.len = static_cast<uint8_t>(*len);
    }
    if (strict) {
        for (unsigned bit = p.len; bit < 128; ++bit) {
            if (a->b[bit / 8] & (0x80 >> (bit % 8))) return {};
        }
    }
    return p;
}

std::string to_string(const Ipv4Addr& a) {
    char buf[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, a.b.data(), buf, sizeof buf);
    return buf;
}

std::string to_string(const Ipv6Addr& a) {
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, a.b.data(), buf, sizeof buf);
    return buf;
}

std::string to_string(const Ipv4Prefix& p) { return to_string(p.addr) + "/" + std::to_string(p.len); }
std::string to_string(const Ipv6Prefix& p) { return to_string(p.addr) + "/" + std::to_string(p.len); }

bool is_global_ipv4(Ipv4Addr a) {
    // IANA IPv4 special-purpose address registry entries that are not globally reachable.
    static constexpr struct {
        uint32_t net;
        uint8_t len;
    } kNonGlobal[] = {
        {0x00000000, 8},  {0x0a000000, 8},  {0x64400000, 10}, {0x7f000000, 8},
        {0xa9fe0000, 16}, {0xac100000, 12}, {0xc0000000, 24}, {0xc0000200, 24},
        {0xc0a80000, 16}, {0xc6120000, 15}, {0xc6336400, 24}, {0xcb007100, 24},
        {0xf0000000, 4},  {0xffffffff, 32},
    };
    const uint32_t h = a.host();
    for (const auto& r : kNonGlobal) {
        const uint32_t mask = r.len >= 32 ? ~0u : ~(~0u >> r.len);
        if ((h & mask) == r.net) return false;
    }
    return true;
}

std::optional<MacAddr> parse_mac(std::string_view s) {
    MacAddr m;
    unsigned v[6];
    std::string z(s);
    char tail;
    if (std::sscanf(z.c_str(), "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4],
                    &v[5], &tail) != 6) {
        return {};
    }
    for (int i = 0; i < 6; ++i) m.b[i] = static_cast<uint8_t>(v[i]);
    return m;
}

std::string to_string(const MacAddr& m) {
    char buf[18];
    std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", m.b[0], m.b[1], m.b[2], m.b[3],
                  m.b[4], m.b[5]);
    return buf;
}

}  // namespace strait::net
