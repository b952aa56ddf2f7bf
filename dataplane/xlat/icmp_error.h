// SPDX-License-Identifier: Apache-2.0
// ICMP errors the translator itself generates (TTL expired, too big, source route, routing
// header), built in place in front of the offending packet, rate-limited per lcore.
#pragma once

#include <cstdint>

#include "xlat_types.h"

namespace strait::xlat {

/// Token bucket on ctx.now_ns (cfg.icmp_errors_per_sec, cfg.icmp_error_burst; a rate of 0
/// takes none). True when a token was taken (counts IcmpErrorsSent); false counts
/// IcmpErrorsRateLimited. thread: ctx's lcore.
bool take_icmp_token(XlatContext& ctx, const XlatConfig& cfg);

/// RFC 792 / RFC 1812 §4.3.2.3: turns the untouched IPv4 packet in `pkt` into an ICMPv4
/// error (type, code, 32-bit rest-of-header `rest`) from cfg.self_ipv4 to its source,
/// quoting at most 576 bytes in total. Returns ReplyIcmpError with reason `why`, or
/// Drop(`why`) when rate-limited, the source is not unicast, or headroom is short.
Outcome reply_icmp4_error(PacketBuf& pkt, const XlatConfig& cfg, XlatContext& ctx, uint8_t type,
                          uint8_t code, uint32_t rest, DropReason why);

/// RFC 4443 §2.4: as reply_icmp4_error for an untouched IPv6 packet; the ICMPv6 error comes
/// from cfg.self_ipv6 and is at most 1280 bytes.
Outcome reply_icmp6_error(PacketBuf& pkt, const XlatConfig& cfg, XlatContext& ctx, uint8_t type,
                          uint8_t code, uint32_t rest, DropReason why);

}  // namespace strait::xlat
