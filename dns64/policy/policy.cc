// SPDX-License-Identifier: Apache-2.0
// Implementation of the config-derived RFC 6147 policy decisions.
#include "dns64/policy/policy.h"

#include <cstring>

#include "strait/net/rfc6052.h"

namespace strait::dns64 {

uint64_t fnv1a(const uint8_t* p, std::size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (std::size_t i = 0; i < n; ++i) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

Policy::Policy(const Dns64Config& cfg)
    : prefixes_(cfg.prefixes),
      select_(cfg.prefix_select),
      map_(cfg.prefix_map),
      exclude_(cfg.exclude),
      clients_(cfg.clients),
      mapped_(cfg.mapped),
      allow_non_global_in_wkp_(cfg.allow_non_global_in_wkp) {}

bool Policy::dns64_for(const net::Ipv6Addr& client) const {
    for (const auto& p : clients_) {
        if (p.contains(client)) return true;
    }
    return false;
}

uint8_t Policy::prefix_for(const net::Ipv6Addr& client) const {
    if (prefixes_.size() <= 1) return 0;
    if (select_ == PrefixSelect::Map) {
        for (const auto& e : map_) {
            if (e.clients.contains(client) && e.prefix_index < prefixes_.size()) {
                return e.prefix_index;
            }
        }
    }
    return static_cast<uint8_t>(fnv1a(client.b.data(), client.b.size()) % prefixes_.size());
}

bool Policy::excluded(const net::Ipv6Addr& a) const {
    for (const auto& p : exclude_) {
        if (p.contains(a)) return true;
    }
    return false;
}

bool Policy::mapped(net::Ipv4Addr v4, uint8_t prefix_index) const {
    static const net::Ipv6Prefix kWkp{{{0, 0x64, 0xff, 0x9b}}, 96};
    if (!allow_non_global_in_wkp_ && prefixes_[prefix_index] == kWkp && !net::is_global_ipv4(v4)) {
        return false;
    }
    for (const auto& p : mapped_) {
        if (p.contains(v4)) return true;
    }
    return false;
}

namespace {

constexpr uint8_t kIp6ArpaSuffix[] = {3, 'i', 'p', '6', 4, 'a', 'r', 'p', 'a', 0};
constexpr std::size_t kIp6ArpaLen = 32 * 2 + sizeof kIp6ArpaSuffix;

int hex_nibble(uint8_t c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/// Parses a full 32-nibble ip6.arpa name (RFC 3596 §2.5); false otherwise.
bool parse_ip6_arpa(const uint8_t* n, std::size_t len, net::Ipv6Addr& a) {
    if (len != kIp6ArpaLen || std::memcmp(n + 64, kIp6ArpaSuffix, sizeof kIp6ArpaSuffix) != 0) {
        return false;
    }
    for (unsigned i = 0; i < 32; ++i) {
        const int v = n[2 * i] == 1 ? hex_nibble(n[2 * i + 1]) : -1;
        if (v < 0) return false;
        const unsigned nib = 31 - i;  // first label is the lowest nibble
        a.b[nib / 2] |= static_cast<uint8_t>(nib % 2 ? v : v << 4);
    }
    return true;
}

}  // namespace

std::size_t Policy::ptr_target(const uint8_t* lname, std::size_t len, uint8_t* out) const {
    net::Ipv6Addr a{};
    if (!parse_ip6_arpa(lname, len, a)) return 0;
    for (const auto& p : prefixes_) {
        if (!p.contains(a)) continue;
        net::Ipv4Addr v4;
        net::extract_ipv4(p, a.b.data(), v4.b.data());
        std::size_t o = 0;
        for (int i = 3; i >= 0; --i) {
            char digits[4];
            int nd = 0;
            unsigned v = v4.b[i];
            do {
                digits[nd++] = static_cast<char>('0' + v % 10);
                v /= 10;
            } while (v);
            out[o++] = static_cast<uint8_t>(nd);
            while (nd) out[o++] = static_cast<uint8_t>(digits[--nd]);
        }
        static constexpr uint8_t kInAddr[] = {7, 'i', 'n', '-', 'a', 'd', 'd', 'r',
                                              4, 'a', 'r', 'p', 'a', 0};
        std::memcpy(out + o, kInAddr, sizeof kInAddr);
        return o + sizeof kInAddr;
    }
    return 0;
}

bool is_ipv4only_arpa(const uint8_t* lname, std::size_t len) {
    static constexpr uint8_t kName[] = {8, 'i', 'p', 'v', '4', 'o', 'n', 'l', 'y',
                                        4, 'a', 'r', 'p', 'a', 0};
    return len == sizeof kName && std::memcmp(lname, kName, len) == 0;
}

}  // namespace strait::dns64
