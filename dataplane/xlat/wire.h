// SPDX-License-Identifier: Apache-2.0
// Internal wire constants and checksum helpers shared by both translation directions.
#pragma once

#include <cstdint>

#include "strait/net/bytes.h"
#include "strait/net/checksum.h"

namespace strait::xlat::wire {

inline constexpr uint8_t kProtoHopByHop = 0;
inline constexpr uint8_t kProtoIcmp = 1;
inline constexpr uint8_t kProtoTcp = 6;
inline constexpr uint8_t kProtoUdp = 17;
inline constexpr uint8_t kProtoRouting = 43;
inline constexpr uint8_t kProtoFragment = 44;
inline constexpr uint8_t kProtoIcmp6 = 58;
inline constexpr uint8_t kProtoNoNext = 59;  // IPv6 No Next Header (RFC 8200 §4.7)
inline constexpr uint8_t kProtoDestOpts = 60;

inline constexpr uint32_t kIpv4HdrLen = 20;
inline constexpr uint32_t kIpv6HdrLen = 40;
inline constexpr uint32_t kFragHdrLen = 8;
inline constexpr uint32_t kIcmpHdrLen = 8;
inline constexpr uint32_t kIpv6MinMtu = 1280;    // RFC 8200 §5
inline constexpr uint32_t kIcmp4ErrorMax = 576;  // RFC 1812 §4.3.2.3
inline constexpr uint32_t kDfThreshold = 1260;   // RFC 7915 §5.1

/// Offset of the transport checksum for protocols whose checksum covers a pseudo-header.
constexpr int l4_checksum_offset(uint8_t proto) {
    return proto == kProtoTcp ? 16 : proto == kProtoUdp ? 6 : -1;
}

/// Folded one's-complement sum of `n4` 32-bit big-endian words (addresses, headers), in host
/// order: native words are added and the result swapped once (RFC 1071 §2(B)).
inline uint16_t fold_words32(const uint8_t* p, unsigned n4) {
    uint64_t s = 0;
    for (unsigned i = 0; i < n4; ++i) {
        uint32_t v;
        __builtin_memcpy(&v, p + 4 * i, 4);
        s += v;
    }
    s = (s & 0xffffffffu) + (s >> 32);
    s = (s & 0xffffffffu) + (s >> 32);
    return be16toh(net::csum_fold(static_cast<uint32_t>(s)));
}

/// Unfolded one's-complement sum of `n4` 32-bit big-endian words, one swap per word: cheaper
/// than fold_words32 for one or two words (IPv4 addresses).
inline uint32_t sum_words32(const uint8_t* p, unsigned n4) {
    uint64_t s = 0;
    for (unsigned i = 0; i < n4; ++i) s += net::load_be32(p + 4 * i);
    s = (s & 0xffffffffu) + (s >> 32);
    s = (s & 0xffff) + (s >> 16);  // <= 0x1fffe + carry: fits, csum_fold finishes
    return static_cast<uint32_t>(s);
}

/// Unfolded one's-complement sum of `len` bytes as big-endian 16-bit words plus `init`: the
/// same folded value as net::csum_add_bytes, 8 bytes per add. RFC 1071 §2(B): the sum is
/// byte-order independent, so native 64-bit words are added with end-around carry and the
/// folded result is swapped once (be16toh: a no-op on big-endian hosts).
inline uint32_t sum_bytes(const uint8_t* p, uint32_t len, uint32_t init = 0) {
    uint64_t s = 0;
    const auto add = [&s](uint64_t v) {
        s += v;
        s += s < v;  // end-around carry
    };
    for (; len >= 16; p += 16, len -= 16) {
        uint64_t v[2];
        __builtin_memcpy(v, p, 16);
        add(v[0]);
        add(v[1]);
    }
    if (len >= 8) {
        uint64_t v;
        __builtin_memcpy(&v, p, 8);
        add(v);
        p += 8;
        len -= 8;
    }
    if (len >= 4) {
        uint32_t v;
        __builtin_memcpy(&v, p, 4);
        add(v);
        p += 4;
        len -= 4;
    }
    if (len >= 2) {
        uint16_t v;
        __builtin_memcpy(&v, p, 2);
        add(v);
        p += 2;
        len -= 2;
    }
    if (len != 0) {
        const uint8_t last[2] = {p[0], 0};  // odd byte: high half of a zero-padded word
        uint16_t v;
        __builtin_memcpy(&v, last, 2);
        add(v);
    }
    s = (s & 0xffffffffu) + (s >> 32);
    s = (s & 0xffffffffu) + (s >> 32);
    return init + be16toh(net::csum_fold(static_cast<uint32_t>(s)));
}

/// Complemented Internet checksum of a byte range (as net::checksum, faster).
inline uint16_t checksum(const uint8_t* p, uint32_t len, uint32_t init = 0) {
    return static_cast<uint16_t>(~net::csum_fold(sum_bytes(p, len, init)));
}

/// IPv6 upper-layer pseudo-header sum (RFC 8200 §8.1, unfolded; as net::pseudo_sum_v6).
inline uint32_t pseudo_sum_v6(const uint8_t* src6, const uint8_t* dst6, uint8_t next_header,
                              uint32_t l4_len) {
    return fold_words32(src6, 4) + fold_words32(dst6, 4) + (l4_len >> 16) + (l4_len & 0xffff) +
           next_header;
}

/// RFC 1624: replaces the words summing to `old_sum` by words summing to `new_sum` in the
/// checksum stored at `csum_at`. Keeps the UDP "0 means none" rule: a 0 result becomes 0xffff.
inline void patch_checksum(uint8_t* csum_at, uint16_t old_sum, uint16_t new_sum, bool udp) {
    uint16_t c = net::csum_replace(net::load_be16(csum_at), old_sum, new_sum);
    if (udp && c == 0) c = 0xffff;
    net::store_be16(csum_at, c);
}

/// Writes a fresh IPv4 header checksum over `hdr` (20 bytes, options not supported).
inline void set_ipv4_checksum(uint8_t* hdr, uint32_t ihl) {
    net::store_be16(hdr + 10, 0);
    net::store_be16(hdr + 10, checksum(hdr, ihl));
}

/// Writes a 20-byte IPv4 header.
struct Ipv4Fields {
    uint8_t tos = 0;
    uint16_t total_len = 0;
    uint16_t id = 0;
    bool df = false;
    bool mf = false;
    uint16_t frag_off = 0;  // in 8-byte units
    uint8_t ttl = 0;
    uint8_t proto = 0;
};
inline void write_ipv4(uint8_t* p, const Ipv4Fields& f, const uint8_t* src4, const uint8_t* dst4) {
    p[0] = 0x45;
    p[1] = f.tos;
    net::store_be16(p + 2, f.total_len);
    net::store_be16(p + 4, f.id);
    net::store_be16(p + 6, static_cast<uint16_t>((f.df ? 0x4000 : 0) | (f.mf ? 0x2000 : 0) |
                                                 (f.frag_off & 0x1fff)));
    p[8] = f.ttl;
    p[9] = f.proto;
    __builtin_memcpy(p + 12, src4, 4);
    __builtin_memcpy(p + 16, dst4, 4);
    // Checksum from the field values, not by re-reading the bytes just stored (that read
    // would stall on store forwarding).
    uint32_t s = 0x4500u + f.tos + f.total_len + f.id + net::load_be16(p + 6) +
                 (uint32_t{f.ttl} << 8 | f.proto);
    s += sum_words32(src4, 1) + sum_words32(dst4, 1);
    net::store_be16(p + 10, static_cast<uint16_t>(~net::csum_fold(s)));
}

/// Writes a 40-byte IPv6 header (flow label 0, RFC 7915 §4.1).
inline void write_ipv6(uint8_t* p, uint8_t tclass, uint16_t payload_len, uint8_t next_header,
                       uint8_t hop_limit, const uint8_t* src6, const uint8_t* dst6) {
    net::store_be32(p, 6u << 28 | uint32_t{tclass} << 20);
    net::store_be16(p + 4, payload_len);
    p[6] = next_header;
    p[7] = hop_limit;
    __builtin_memcpy(p + 8, src6, 16);
    __builtin_memcpy(p + 24, dst6, 16);
}

/// Writes an 8-byte IPv6 Fragment Header (RFC 8200 §4.5).
inline void write_frag_header(uint8_t* p, uint8_t next_header, uint16_t frag_off, bool mf,
                              uint32_t id) {
    p[0] = next_header;
    p[1] = 0;
    net::store_be16(p + 2, static_cast<uint16_t>(frag_off << 3 | (mf ? 1 : 0)));
    net::store_be32(p + 4, id);
}

/// Ports (or the ICMP echo identifier, in both ports) of a first fragment with `avail`
/// transport bytes, into a Flow4 or Flow6; leaves has_ports false when they are absent.
template <class Flow>
inline void fill_ports(const uint8_t* l4, uint32_t avail, uint8_t proto, bool is_echo, Flow& f) {
    if ((proto == kProtoTcp || proto == kProtoUdp) && avail >= 4) {
        f.src_port = net::load_be16(l4);
        f.dst_port = net::load_be16(l4 + 2);
        f.has_ports = true;
        if (proto == kProtoTcp && avail >= 14) f.tcp_flags = l4[13];
    } else if (is_echo && avail >= 8) {
        f.src_port = f.dst_port = net::load_be16(l4 + 4);
        f.has_ports = true;
    }
}

}  // namespace strait::xlat::wire
