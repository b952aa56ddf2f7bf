// SPDX-License-Identifier: Apache-2.0
// Private minimal RFC 6052 §2.2 embed/extract for DNS64 synthesis. To be replaced by
// include/strait/net/rfc6052.h once that lands (kept tiny on purpose).
#pragma once

#include <cstdint>

#include "strait/net/addr.h"

namespace strait::dns64 {

/// RFC 6052 §2.2: the prefix lengths a NAT64 prefix may have.
constexpr bool valid_pref64_len(unsigned len) {
    return len == 32 || len == 40 || len == 48 || len == 56 || len == 64 || len == 96;
}

/// RFC 6052 §2.2: IPv4 bits follow the prefix, skipping bits 64-71 (the "u" octet, zero);
/// the suffix is zero. `p.len` must satisfy valid_pref64_len.
inline net::Ipv6Addr embed_v4(const net::Ipv6Prefix& p, net::Ipv4Addr v4) {
    net::Ipv6Addr a{};
    const unsigned n = p.len / 8;
    for (unsigned i = 0; i < n; ++i) a.b[i] = p.addr.b[i];
    unsigned pos = n;
    for (unsigned i = 0; i < 4; ++i) {
        if (pos == 8) ++pos;
        a.b[pos++] = v4.b[i];
    }
    return a;
}

/// Inverse of embed_v4; the caller checked that `a` lies inside `p`.
inline net::Ipv4Addr extract_v4(const net::Ipv6Prefix& p, const net::Ipv6Addr& a) {
    net::Ipv4Addr v4;
    unsigned pos = p.len / 8;
    for (unsigned i = 0; i < 4; ++i) {
        if (pos == 8) ++pos;
        v4.b[i] = a.b[pos++];
    }
    return v4;
}

}  // namespace strait::dns64
