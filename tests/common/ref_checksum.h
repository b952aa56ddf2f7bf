// SPDX-License-Identifier: Apache-2.0
// The tests' own Internet checksum: RFC 1071 §4.1's loop over bytes and pseudo-headers
// built as bytes, written apart from strait/net/checksum.h so a bug there cannot hide in
// the verifier (unit builders, fuzz targets).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <vector>

namespace strait::testing {

using ByteSpan = std::span<const uint8_t>;

/// RFC 1071 §4.1 over the concatenation of `parts`: 16-bit big-endian words summed in 64
/// bits, an odd last byte padded with zero, carries folded, complemented. A message whose
/// checksum field is right sums to 0.
inline uint16_t inet_checksum(std::initializer_list<ByteSpan> parts) {
    std::vector<uint8_t> all;
    for (ByteSpan p : parts) all.insert(all.end(), p.begin(), p.end());
    if (all.size() % 2) all.push_back(0);
    uint64_t sum = 0;
    for (std::size_t i = 0; i < all.size(); i += 2) sum += uint64_t{all[i]} << 8 | all[i + 1];
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<uint16_t>(~sum & 0xffff);
}

/// RFC 768 / RFC 793 IPv4 pseudo-header: source, destination, zero, protocol, length.
inline std::vector<uint8_t> pseudo_header_v4(const uint8_t* src4, const uint8_t* dst4,
                                             uint8_t proto, uint16_t len) {
    std::vector<uint8_t> h(src4, src4 + 4);
    h.insert(h.end(), dst4, dst4 + 4);
    h.insert(h.end(), {0, proto, static_cast<uint8_t>(len >> 8), static_cast<uint8_t>(len)});
    return h;
}

/// RFC 8200 §8.1 IPv6 pseudo-header: source, destination, 32-bit length, 3 zeros, next header.
inline std::vector<uint8_t> pseudo_header_v6(const uint8_t* src6, const uint8_t* dst6, uint8_t next,
                                             uint32_t len) {
    std::vector<uint8_t> h(src6, src6 + 16);
    h.insert(h.end(), dst6, dst6 + 16);
    h.insert(h.end(), {static_cast<uint8_t>(len >> 24), static_cast<uint8_t>(len >> 16),
                       static_cast<uint8_t>(len >> 8), static_cast<uint8_t>(len), 0, 0, 0, next});
    return h;
}

/// Checksum of an IPv4 upper-layer message (TCP, UDP; ICMP takes no pseudo-header).
inline uint16_t l4_checksum_v4(const uint8_t* ip, uint8_t proto, ByteSpan l4) {
    if (proto == 1) return inet_checksum({l4});
    const auto ph = pseudo_header_v4(ip + 12, ip + 16, proto, static_cast<uint16_t>(l4.size()));
    return inet_checksum({ph, l4});
}

/// Checksum of an IPv6 upper-layer message (TCP, UDP, ICMPv6).
inline uint16_t l4_checksum_v6(const uint8_t* ip, uint8_t next, ByteSpan l4) {
    const auto ph = pseudo_header_v6(ip + 8, ip + 24, next, static_cast<uint32_t>(l4.size()));
    return inet_checksum({ph, l4});
}

}  // namespace strait::testing
