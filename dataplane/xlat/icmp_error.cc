// SPDX-License-Identifier: Apache-2.0
// Builds translator-originated ICMPv4/ICMPv6 errors in the packet's headroom.
#include "icmp_error.h"

#include <algorithm>

#include "wire.h"

namespace strait::xlat {
namespace {

bool unicast_v4(const uint8_t* a) {
    const uint32_t h = net::load_be32(a);
    return h != 0 && h != 0xffffffffu && (a[0] & 0xf0) != 0xe0;
}

bool unicast_v6(const uint8_t* a) {
    if (a[0] == 0xff) return false;  // multicast
    for (int i = 0; i < 16; ++i) {
        if (a[i] != 0) return true;
    }
    return false;  // unspecified
}

}  // namespace

bool take_icmp_token(XlatContext& ctx, const XlatConfig& cfg) {
    if (cfg.icmp_errors_per_sec == 0) {  // siit.icmp_errors_per_sec 0: errors are off
        ctx.counters.inc(XlatCounter::IcmpErrorsRateLimited);
        return false;
    }
    if (!ctx.icmp_bucket_started) {
        ctx.icmp_bucket_started = true;
        ctx.icmp_tokens = cfg.icmp_error_burst;
        ctx.icmp_last_refill_ns = ctx.now_ns;
    }
    if (ctx.now_ns > ctx.icmp_last_refill_ns) {
        const uint64_t ns_per_token = 1000000000ull / cfg.icmp_errors_per_sec;
        const uint64_t add =
            (ctx.now_ns - ctx.icmp_last_refill_ns) / std::max<uint64_t>(ns_per_token, 1);
        if (add > 0) {
            ctx.icmp_tokens = static_cast<uint32_t>(
                std::min<uint64_t>(uint64_t{ctx.icmp_tokens} + add, cfg.icmp_error_burst));
            ctx.icmp_last_refill_ns += add * ns_per_token;
        }
    }
    if (ctx.icmp_tokens == 0) {
        ctx.counters.inc(XlatCounter::IcmpErrorsRateLimited);
        return false;
    }
    --ctx.icmp_tokens;
    ctx.counters.inc(XlatCounter::IcmpErrorsSent);
    return true;
}

Outcome reply_icmp4_error(PacketBuf& pkt, const XlatConfig& cfg, XlatContext& ctx, uint8_t type,
                          uint8_t code, uint32_t rest, DropReason why) {
    constexpr uint32_t kNew = wire::kIpv4HdrLen + wire::kIcmpHdrLen;
    if (pkt.len < wire::kIpv4HdrLen || !unicast_v4(pkt.data + 12) || pkt.headroom < kNew ||
        !take_icmp_token(ctx, cfg)) {
        return Outcome::drop(why);
    }
    pkt.truncate(std::min(pkt.len, wire::kIcmp4ErrorMax - kNew));
    pkt.move_start(-static_cast<int32_t>(kNew));
    uint8_t* ip = pkt.data;
    uint8_t* icmp = ip + wire::kIpv4HdrLen;
    wire::Ipv4Fields f;
    f.total_len = static_cast<uint16_t>(pkt.len);
    f.id = ctx.next_ipv4_id++;
    f.ttl = 64;
    f.proto = wire::kProtoIcmp;
    wire::write_ipv4(ip, f, cfg.self_ipv4.b.data(), ip + kNew + 12);
    icmp[0] = type;
    icmp[1] = code;
    net::store_be16(icmp + 2, 0);
    net::store_be32(icmp + 4, rest);
    net::store_be16(icmp + 2, wire::checksum(icmp, pkt.len - wire::kIpv4HdrLen));
    return {Verdict::ReplyIcmpError, why, 0};
}

Outcome reply_icmp6_error(PacketBuf& pkt, const XlatConfig& cfg, XlatContext& ctx, uint8_t type,
                          uint8_t code, uint32_t rest, DropReason why) {
    constexpr uint32_t kNew = wire::kIpv6HdrLen + wire::kIcmpHdrLen;
    if (pkt.len < wire::kIpv6HdrLen || !unicast_v6(pkt.data + 8) || pkt.headroom < kNew ||
        !take_icmp_token(ctx, cfg)) {
        return Outcome::drop(why);
    }
    pkt.truncate(std::min(pkt.len, wire::kIpv6MinMtu - kNew));
    pkt.move_start(-static_cast<int32_t>(kNew));
    uint8_t* ip = pkt.data;
    uint8_t* icmp = ip + wire::kIpv6HdrLen;
    const uint32_t icmp_len = pkt.len - wire::kIpv6HdrLen;
    wire::write_ipv6(ip, 0, static_cast<uint16_t>(icmp_len), wire::kProtoIcmp6, 64,
                     cfg.self_ipv6.b.data(), ip + kNew + 8);
    icmp[0] = type;
    icmp[1] = code;
    net::store_be16(icmp + 2, 0);
    net::store_be32(icmp + 4, rest);
    const uint32_t pseudo = wire::pseudo_sum_v6(ip + 8, ip + 24, wire::kProtoIcmp6, icmp_len);
    net::store_be16(icmp + 2, wire::checksum(icmp, icmp_len, pseudo));
    return {Verdict::ReplyIcmpError, why, 0};
}

}  // namespace strait::xlat
