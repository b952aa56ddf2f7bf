// SPDX-License-Identifier: Apache-2.0
// RFC 6791: the IPv4 source of a translated ICMPv6 error whose IPv6 source has no mapping.
#pragma once

#include "strait/net/addr.h"
#include "xlat_types.h"

namespace strait::xlat {

/// RFC 7915 §5.1 / RFC 6791 §4-5: an address of cfg.rfc6791_pool4, picked pseudorandomly
/// (ctx.rng_state) or by a hash of `src6` (the reporting node) per cfg.rfc6791_select; the
/// gateway's own IPv4 (cfg.self_ipv4) when no pool is configured. Counts Rfc6791Pool or
/// Rfc6791Self in ctx. thread: the lcore owning `ctx`.
net::Ipv4Addr rfc6791_source(const XlatConfig& cfg, XlatContext& ctx, const net::Ipv6Addr& src6);

}  // namespace strait::xlat
