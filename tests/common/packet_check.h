// SPDX-License-Identifier: Apache-2.0
// Well-formedness of a translator's output, checked with the tests' own RFC 1071 checksum
// (ref_checksum.h), not strait/net/checksum.h: lengths agree with the buffer, header and
// transport checksums verify, ICMP errors quote a packet of their own family.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "tests/common/ref_checksum.h"

namespace strait::testing {

inline uint16_t be16_at(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }

/// TCP (data offset inside the segment) and UDP (length field = segment) shape; "" if good.
inline std::string check_l4_shape(uint8_t proto, const uint8_t* l4, std::size_t n) {
    if (proto == 17) {
        if (n < 8) return "UDP shorter than its header";
        if (be16_at(l4 + 4) != n) return "UDP length field != segment length";
    } else if (proto == 6) {
        if (n < 20) return "TCP shorter than its header";
        if ((l4[12] >> 4) < 5 || (l4[12] >> 4) * 4u > n) return "TCP data offset out of range";
    } else if (proto == 1 || proto == 58) {
        if (n < 8) return "ICMP shorter than its header";
    }
    return "";
}

/// RFC 791 + RFC 768/793/792: "" when `p[0..n)` is one well-formed IPv4 packet. With
/// `transport` false only the IP framing is checked: a translator carries a bad transport
/// header or checksum over (RFC 1624 patches checksums incrementally).
inline std::string check_ipv4(const uint8_t* p, std::size_t n, bool transport = true) {
    if (n < 20 || (p[0] >> 4) != 4) return "not IPv4";
    const std::size_t ihl = (p[0] & 15u) * 4;
    if (ihl < 20 || ihl > n) return "bad IHL";
    if (be16_at(p + 2) != n) return "total length != buffer";
    if (inet_checksum({ByteSpan(p, ihl)}) != 0) return "bad IPv4 header checksum";
    const uint16_t frag = be16_at(p + 6);
    if (frag & 0x8000) return "reserved fragment flag set";
    // A fragment: the transport is not all here.
    if (!transport || (frag & 0x3fff) != 0) return "";
    const uint8_t* l4 = p + ihl;
    const std::size_t l4n = n - ihl;
    if (std::string s = check_l4_shape(p[9], l4, l4n); !s.empty()) return s;
    if (p[9] == 1 || p[9] == 6 || (p[9] == 17 && be16_at(l4 + 6) != 0)) {
        if (l4_checksum_v4(p, p[9], ByteSpan(l4, l4n)) != 0) return "bad transport checksum";
    }
    if (p[9] == 1 && (l4[0] == 3 || l4[0] == 11 || l4[0] == 12) && l4n > 8 && (l4[8] >> 4) != 4) {
        return "ICMP error quoting a non-IPv4 packet";
    }
    return "";
}

/// RFC 8200 + RFC 4443: "" when `p[0..n)` is one well-formed IPv6 packet (a Fragment Header
/// is the only extension header a translator writes). `transport` as for check_ipv4.
inline std::string check_ipv6(const uint8_t* p, std::size_t n, bool transport = true) {
    if (n < 40 || (p[0] >> 4) != 6) return "not IPv6";
    if (be16_at(p + 4) + 40u != n) return "payload length != buffer";
    uint8_t next = p[6];
    std::size_t off = 40;
    if (next == 44) {
        if (n < 48) return "truncated Fragment Header";
        if ((be16_at(p + 42) & 0xfff9) != 0) return "";  // a fragment other than a whole one
        next = p[40];
        off = 48;
    }
    if (next == 1) return "ICMPv4 inside IPv6";
    if (!transport) return "";
    const uint8_t* l4 = p + off;
    const std::size_t l4n = n - off;
    if (std::string s = check_l4_shape(next, l4, l4n); !s.empty()) return s;
    if (next == 58 || next == 6 || next == 17) {
        if (next == 17 && be16_at(l4 + 6) == 0) return "UDP over IPv6 without checksum";
        if (l4_checksum_v6(p, next, ByteSpan(l4, l4n)) != 0) return "bad transport checksum";
    }
    if (next == 58 && l4[0] < 128 && l4n > 8 && (l4[8] >> 4) != 6) {
        return "ICMPv6 error quoting a non-IPv6 packet";
    }
    return "";
}

}  // namespace strait::testing
