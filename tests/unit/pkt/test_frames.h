// SPDX-License-Identifier: Apache-2.0
// Helpers for the packet tests: the demo port addresses, frame copies, byte patches and a
// reference Internet checksum written independently of strait/net/checksum.h
// (tests/common/ref_checksum.h).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "dataplane/pkt/classify.h"
#include "tests/common/ref_checksum.h"

namespace strait::pkt::testing {

using Frame = std::vector<uint8_t>;

template <std::size_t N>
Frame frame_of(const uint8_t (&bytes)[N]) {
    return Frame(bytes, bytes + N);
}

inline net::MacAddr mac(const char* s) { return *net::parse_mac(s); }

/// The inside port of the demo topology: 2001:db8:6::1/64 on 02:00:00:00:00:01.
inline LocalAddrs inside_local() {
    LocalAddrs l;
    l.mac = mac("02:00:00:00:00:01");
    l.v6_link_local = link_local_of(l.mac);
    l.v6[0] = *net::parse_ipv6("2001:db8:6::1");
    l.v6_len[0] = 64;
    l.n6 = 1;
    return l;
}

/// The outside port: 198.51.100.1/24 on 02:00:00:00:00:02.
inline LocalAddrs outside_local() {
    LocalAddrs l;
    l.mac = mac("02:00:00:00:00:02");
    l.v6_link_local = link_local_of(l.mac);
    l.v4[0] = *net::parse_ipv4("198.51.100.1");
    l.v4_len[0] = 24;
    l.n4 = 1;
    return l;
}

/// Reference RFC 1071 sum over a list of byte ranges, concatenated (odd tails carry over).
inline uint16_t ref_checksum(const std::vector<Frame>& parts) {
    Frame all;
    for (const auto& p : parts) all.insert(all.end(), p.begin(), p.end());
    return strait::testing::inet_checksum({all});
}

inline Frame slice(const Frame& f, std::size_t off, std::size_t len) {
    return Frame(f.begin() + static_cast<long>(off), f.begin() + static_cast<long>(off + len));
}

inline uint16_t be16(const Frame& f, std::size_t off) {
    return static_cast<uint16_t>(f[off] << 8 | f[off + 1]);
}
inline void put16(Frame& f, std::size_t off, uint16_t v) {
    f[off] = static_cast<uint8_t>(v >> 8);
    f[off + 1] = static_cast<uint8_t>(v);
}

/// Checksum over an IPv6 upper-layer message with its pseudo-header (RFC 8200 §8.1):
/// 0 when the message in `f` (Ethernet + IPv6 + ICMPv6) carries a correct checksum.
inline uint16_t verify_icmp6(const Frame& f) {
    const std::size_t len = be16(f, 18);
    const Frame pseudo_tail = {
        0, 0, static_cast<uint8_t>(len >> 8), static_cast<uint8_t>(len), 0, 0, 0, 58};
    return ref_checksum({slice(f, 22, 32), pseudo_tail, slice(f, 54, len)});
}

/// 0 when the IPv4 header checksum of `f` (Ethernet + IPv4) is correct.
inline uint16_t verify_ipv4_header(const Frame& f) {
    return ref_checksum({slice(f, 14, (f[14] & 0x0f) * 4u)});
}

/// 0 when the ICMP checksum of `f` (Ethernet + IPv4 + ICMP) is correct.
inline uint16_t verify_icmp4(const Frame& f) {
    const std::size_t ihl = (f[14] & 0x0f) * 4u;
    return ref_checksum({slice(f, 14 + ihl, be16(f, 16) - ihl)});
}

/// Recomputes the ICMPv6 checksum after a test changed a field.
inline void fix_icmp6(Frame& f) {
    put16(f, 56, 0);
    put16(f, 56, verify_icmp6(f));
}
inline void fix_ipv4_header(Frame& f) {
    put16(f, 24, 0);
    put16(f, 24, verify_ipv4_header(f));
}
inline void fix_icmp4(Frame& f) {
    const std::size_t off = 14 + (f[14] & 0x0f) * 4u + 2;
    put16(f, off, 0);
    put16(f, off, verify_icmp4(f));
}

/// "ff ff ff ... " for readable EXPECT_EQ diffs of whole frames.
inline std::string hex(const uint8_t* p, std::size_t n) {
    std::string s;
    char b[4];
    for (std::size_t i = 0; i < n; ++i) {
        std::snprintf(b, sizeof b, "%02x%c", p[i], (i % 16 == 15) ? '\n' : ' ');
        s += b;
    }
    return s;
}
inline std::string hex(const Frame& f) { return hex(f.data(), f.size()); }

}  // namespace strait::pkt::testing
