// SPDX-License-Identifier: Apache-2.0
// Internet checksum (RFC 1071) and incremental update (RFC 1624), on raw bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace strait::net {

/// Adds bytes to a 32-bit one's-complement accumulator (not yet folded). Byte order:
/// the sum is of big-endian 16-bit words, returned in host order after fold().
inline uint32_t csum_add_bytes(uint32_t sum, const uint8_t* p, std::size_t len) {
    while (len >= 2) {
        sum += static_cast<uint32_t>(p[0]) << 8 | p[1];
        p += 2;
        len -= 2;
    }
    if (len) sum += static_cast<uint32_t>(p[0]) << 8;
    return sum;
}

/// Folds the accumulator to 16 bits (not complemented).
inline uint16_t csum_fold(uint32_t sum) {
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<uint16_t>(sum);
}

/// Complemented checksum of a byte range (host order; store with store_be16).
inline uint16_t checksum(const uint8_t* p, std::size_t len, uint32_t initial = 0) {
    return static_cast<uint16_t>(~csum_fold(csum_add_bytes(initial, p, len)));
}

/// RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), with the sum over 16-bit words replaced.
/// `old_sum` and `new_sum` are folded one's-complement sums of the old and new words.
inline uint16_t csum_replace(uint16_t hc, uint16_t old_sum, uint16_t new_sum) {
    uint32_t s = static_cast<uint16_t>(~hc);
    s += static_cast<uint16_t>(~old_sum);
    s += new_sum;
    return static_cast<uint16_t>(~csum_fold(s));
}

/// IPv4 TCP/UDP/ICMP pseudo-header sum (unfolded).
inline uint32_t pseudo_sum_v4(const uint8_t* src4, const uint8_t* dst4, uint8_t proto,
                              uint16_t l4_len) {
    uint32_t s = csum_add_bytes(0, src4, 4);
    s = csum_add_bytes(s, dst4, 4);
    return s + proto + l4_len;
}

/// IPv6 upper-layer pseudo-header sum (RFC 8200 §8.1, unfolded).
inline uint32_t pseudo_sum_v6(const uint8_t* src6, const uint8_t* dst6, uint8_t next_header,
                              uint32_t l4_len) {
    uint32_t s = csum_add_bytes(0, src6, 16);
    s = csum_add_bytes(s, dst6, 16);
    return s + (l4_len >> 16) + (l4_len & 0xffff) + next_header;
}

}  // namespace strait::net
