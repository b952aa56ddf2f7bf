// SPDX-License-Identifier: Apache-2.0
// RFC 6052 prefix validation and the value-type embed/extract helpers.
#include "strait/net/rfc6052.h"

namespace strait::net {

Status validate_pref64(const Ipv6Prefix& p) {
    switch (p.len) {
        case 32: case 40: case 48: case 56: case 64: case 96: break;
        default:
            return invalid("prefix", "RFC 6052 prefix length must be 32, 40, 48, 56, 64 or 96, not " +
                                         std::to_string(p.len));
    }
    if (p.len > 64 && p.addr.b[8] != 0) {
        return invalid("prefix", "RFC 6052 §2.2: bits 64-71 (the u octet) of " + to_string(p) +
                                     " must be zero");
    }
    for (unsigned i = p.len / 8; i < 16; ++i) {
        if (p.addr.b[i] != 0) {
            return invalid("prefix", "bits past the prefix length of " + to_string(p) +
                                         " must be zero");
        }
    }
    return Ok{};
}

Ipv6Addr embed_ipv4(const Ipv6Prefix& prefix, Ipv4Addr a) {
    Ipv6Addr out;
    embed_ipv4(prefix, a.b.data(), out.b.data());
    return out;
}

Ipv4Addr extract_ipv4(const Ipv6Prefix& prefix, const Ipv6Addr& a) {
    Ipv4Addr out;
    extract_ipv4(prefix, a.b.data(), out.b.data());
    return out;
}

bool embedding_allowed(const Ipv6Prefix& prefix, Ipv4Addr a, bool allow_non_global) {
    return allow_non_global || !is_well_known_prefix(prefix) || is_global_ipv4(a);
}

}  // namespace strait::net
