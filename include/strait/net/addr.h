// SPDX-License-Identifier: Apache-2.0
// IPv4/IPv6 addresses and prefixes as plain value types (network byte order bytes), with
// parsing and formatting for config and logs.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace strait::net {

struct Ipv4Addr {
    std::array<uint8_t, 4> b{};  // network byte order

    [[nodiscard]] uint32_t host() const {
        return uint32_t{b[0]} << 24 | uint32_t{b[1]} << 16 | uint32_t{b[2]} << 8 | b[3];
    }
    static Ipv4Addr from_host(uint32_t v) {
        return Ipv4Addr{{uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)}};
    }
    static Ipv4Addr from_bytes(const uint8_t* p) {
        Ipv4Addr a;
        std::memcpy(a.b.data(), p, 4);
        return a;
    }
    auto operator<=>(const Ipv4Addr&) const = default;
};

struct Ipv6Addr {
    std::array<uint8_t, 16> b{};  // network byte order

    static Ipv6Addr from_bytes(const uint8_t* p) {
        Ipv6Addr a;
        std::memcpy(a.b.data(), p, 16);
        return a;
    }
    auto operator<=>(const Ipv6Addr&) const = default;
};

struct Ipv4Prefix {
    Ipv4Addr addr;
    uint8_t len = 32;

    /// True when `a` lies inside this prefix.
    [[nodiscard]] bool contains(Ipv4Addr a) const {
        if (len == 0) return true;
        const uint32_t mask = len >= 32 ? ~0u : ~(~0u >> len);
        return (a.host() & mask) == (addr.host() & mask);
    }
    auto operator<=>(const Ipv4Prefix&) const = default;
};

struct Ipv6Prefix {
    Ipv6Addr addr;
    uint8_t len = 128;

    /// True when `a` lies inside this prefix.
    [[nodiscard]] bool contains(const Ipv6Addr& a) const {
        const unsigned full = len / 8;
        if (std::memcmp(a.b.data(), addr.b.data(), full) != 0) return false;
        const unsigned rem = len % 8;
        if (rem == 0) return true;
        const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rem));
        return (a.b[full] & mask) == (addr.b[full] & mask);
    }
    auto operator<=>(const Ipv6Prefix&) const = default;
};

std::optional<Ipv4Addr> parse_ipv4(std::string_view s);
std::optional<Ipv6Addr> parse_ipv6(std::string_view s);
/// "a.b.c.d/len" or a bare address (len 32). Host bits must be zero when `strict`.
std::optional<Ipv4Prefix> parse_ipv4_prefix(std::string_view s, bool strict = true);
/// "x::/len" or a bare address (len 128). Host bits must be zero when `strict`.
std::optional<Ipv6Prefix> parse_ipv6_prefix(std::string_view s, bool strict = true);

std::string to_string(const Ipv4Addr& a);
std::string to_string(const Ipv6Addr& a);
std::string to_string(const Ipv4Prefix& p);
std::string to_string(const Ipv6Prefix& p);

/// True for addresses RFC 6052 §3.1 calls global: not in the IANA special-purpose
/// registry ranges that must not appear inside 64:ff9b::/96.
bool is_global_ipv4(Ipv4Addr a);

struct MacAddr {
    std::array<uint8_t, 6> b{};
    auto operator<=>(const MacAddr&) const = default;
};
std::optional<MacAddr> parse_mac(std::string_view s);
std::string to_string(const MacAddr& m);

}  // namespace strait::net
