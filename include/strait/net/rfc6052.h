// SPDX-License-Identifier: Apache-2.0
// RFC 6052 IPv4-embedded IPv6 addresses: prefix validation, embedding and extraction.
#pragma once

#include <cstdint>
#include <cstring>

#include "strait/net/addr.h"
#include "strait/util/result.h"

namespace strait::net {

/// RFC 6052 §2.1: the Well-Known Prefix 64:ff9b::/96.
inline constexpr Ipv6Prefix kWellKnownPrefix{
    Ipv6Addr{{0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}}, 96};

/// RFC 6052 §2.2: a pref64 must be /32, /40, /48, /56, /64 or /96, bits 64-71 (the "u"
/// octet) zero, and no bits set past the prefix length. Control plane; thread: any.
[[nodiscard]] Status validate_pref64(const Ipv6Prefix& p);

/// Byte index in the IPv6 address of the i-th (0..3) IPv4 octet for a pref64 of `len`
/// bits (RFC 6052 §2.2 figure 1: octet 8, the u-octet, is skipped).
constexpr unsigned rfc6052_octet_index(unsigned len, unsigned i) {
    const unsigned pos = len / 8 + i;
    return (len <= 64 && pos >= 8) ? pos + 1 : pos;
}

/// RFC 6052 §2.2: writes prefix + IPv4 + zero suffix into `out16`. `prefix` must have
/// passed validate_pref64 (the fast path does not re-check). thread: any.
inline void embed_ipv4(const Ipv6Prefix& prefix, const uint8_t* v4, uint8_t* out16) {
    if (prefix.len == 96) {  // the common case: one copy, no holes
        std::memcpy(out16, prefix.addr.b.data(), 12);
        std::memcpy(out16 + 12, v4, 4);
        return;
    }
    std::memset(out16, 0, 16);
    std::memcpy(out16, prefix.addr.b.data(), prefix.len / 8);
    for (unsigned i = 0; i < 4; ++i) out16[rfc6052_octet_index(prefix.len, i)] = v4[i];
}

/// RFC 6052 §2.3: reads the IPv4 address embedded in `in16` under `prefix` (validated).
/// The caller checks that `in16` lies inside the prefix. thread: any.
inline void extract_ipv4(const Ipv6Prefix& prefix, const uint8_t* in16, uint8_t* out4) {
    if (prefix.len == 96) {
        std::memcpy(out4, in16 + 12, 4);
        return;
    }
    for (unsigned i = 0; i < 4; ++i) out4[i] = in16[rfc6052_octet_index(prefix.len, i)];
}

/// Value-type conveniences over embed_ipv4 / extract_ipv4 for the control plane and tests.
Ipv6Addr embed_ipv4(const Ipv6Prefix& prefix, Ipv4Addr a);
Ipv4Addr extract_ipv4(const Ipv6Prefix& prefix, const Ipv6Addr& a);

/// True when `p` is the Well-Known Prefix 64:ff9b::/96.
inline bool is_well_known_prefix(const Ipv6Prefix& p) { return p == kWellKnownPrefix; }

/// RFC 6052 §3.1: the WKP must not carry non-global IPv4 addresses. True when `a` may be
/// embedded in (or extracted from) `prefix`: always for a network-specific prefix, and for
/// the WKP only for global addresses unless `allow_non_global` (lab override). thread: any.
bool embedding_allowed(const Ipv6Prefix& prefix, Ipv4Addr a, bool allow_non_global);

}  // namespace strait::net
