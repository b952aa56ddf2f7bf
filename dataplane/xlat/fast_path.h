// SPDX-License-Identifier: Apache-2.0
// Inline fast path of RFC 7915 translation for the common packet; anything else falls back
// to the full path (v4_to_v6.cc, v6_to_v4.cc), which must produce the same bytes.
#pragma once

#include <algorithm>
#include <cstdint>

#include "icmp_map.h"
#include "mapper.h"
#include "wire.h"
#include "xlat_types.h"

namespace strait::xlat::detail {

/// RFC 7915 §4 for the common IPv4 packet: 20-byte header (no options), not a fragment,
/// valid header checksum, TTL > 1 (any TTL, kept as is, in the MapScope::Hairpin pass),
/// TCP, UDP with a checksum, or ICMP echo request/reply, and the IPv6 result fits
/// min(lowest_ipv6_mtu, mtu6) (no PTB, no fragmentation).
/// Returns false, with `pkt`, `ctx` and the mapper untouched, for any other packet; true
/// with `out` set (Forward or the mapper's Drop) otherwise. Output is byte-identical to
/// the full path (tests/unit/xlat/fast_path_test.cc checks it). thread: the caller's lcore.
template <Mapper M>
inline bool try_fast_v4_to_v6(PacketBuf& pkt, const XlatConfig& cfg, M& mapper, MapScope scope,
                              Outcome& out) {
    using net::load_be16;
    using net::store_be16;
    uint8_t* p = pkt.data;
    if (pkt.len < wire::kIpv4HdrLen + 8 || p[0] != 0x45) return false;
    const uint32_t total = load_be16(p + 2);
    const uint32_t l4_len = total - wire::kIpv4HdrLen;
    const uint8_t proto = p[9];
    uint8_t* l4 = p + wire::kIpv4HdrLen;
    // Unsigned wrap makes total < 28 fail the first test.
    // Fits: DF=1 up to mtu6 (else Fragmentation Needed), DF=0 up to the fragmenting size.
    const uint16_t frag = load_be16(p + 6);
    const uint32_t fits = (frag & 0x4000) ? cfg.mtu6 : std::min(cfg.lowest_ipv6_mtu, cfg.mtu6);
    // RFC 7757 §4.2: the hairpin pass does not decrement again (one gateway, one hop).
    const uint8_t dec = scope == MapScope::Hairpin ? 0 : 1;
    if (l4_len - 8 > pkt.len - wire::kIpv4HdrLen - 8 || (frag & 0x3fff) != 0 || p[8] <= dec ||
        l4_len + wire::kIpv6HdrLen > fits || pkt.headroom < wire::kIpv6HdrLen - wire::kIpv4HdrLen) {
        return false;
    }
    if (proto == wire::kProtoUdp) {
        if (load_be16(l4 + 6) == 0) return false;  // RFC 7915 §4.5: computed by the full path
    } else if (proto == wire::kProtoTcp) {
        if (l4_len < 18) return false;
    } else if (proto != wire::kProtoIcmp ||
               (l4[0] != kIcmp4EchoRequest && l4[0] != kIcmp4EchoReply)) {
        return false;
    }
    if (wire::fold_words32(p, 5) != 0xffff) return false;  // full path counts it
    pkt.truncate(total);                                   // drop Ethernet padding

    Flow4 in;
    __builtin_memcpy(in.src.b.data(), p + 12, 4);
    __builtin_memcpy(in.dst.b.data(), p + 16, 4);
    in.proto = proto;
    const bool icmp = proto == wire::kProtoIcmp;
    in.src_port = load_be16(l4 + (icmp ? 4 : 0));
    in.dst_port = load_be16(l4 + (icmp ? 4 : 2));
    in.has_ports = true;
    in.tcp_flags = proto == wire::kProtoTcp ? l4[13] : 0;
    Flow6 o;
    o.src_port = in.src_port;
    o.dst_port = in.dst_port;
    const uint8_t next = icmp ? wire::kProtoIcmp6 : proto;
    o.proto = next;
    o.has_ports = true;
    const MapResult r = mapper.map_v4_to_v6(in, o, scope);
    if (r.status != MapStatus::Ok) {
        out = Outcome::drop(r.reason);
        return true;
    }

    const uint8_t* s6 = o.src.b.data();
    const uint8_t* d6 = o.dst.b.data();
    if (icmp) {  // RFC 7915 §4.2: type, identifier, and the ICMPv6 pseudo-header (RFC 4443 §2.3)
        const uint8_t type = l4[0] == kIcmp4EchoRequest ? kIcmp6EchoRequest : kIcmp6EchoReply;
        const uint32_t old_s = (uint32_t{l4[0]} << 8 | l4[1]) + in.src_port;
        const uint32_t new_s = (uint32_t{type} << 8 | l4[1]) + o.dst_port +
                               wire::pseudo_sum_v6(s6, d6, wire::kProtoIcmp6, l4_len);
        store_be16(l4 + 4, o.dst_port);
        l4[0] = type;
        wire::patch_checksum(l4 + 2, net::csum_fold(old_s), net::csum_fold(new_s), false);
    } else {  // RFC 7915 §4.5: pseudo-header addresses and (mapped) ports, RFC 1624
        const uint32_t old_s = wire::fold_words32(p + 12, 2) + in.src_port + in.dst_port;
        const uint32_t new_s =
            wire::fold_words32(s6, 4) + wire::fold_words32(d6, 4) + o.src_port + o.dst_port;
        store_be16(l4, o.src_port);
        store_be16(l4 + 2, o.dst_port);
        wire::patch_checksum(l4 + (proto == wire::kProtoUdp ? 6 : 16), net::csum_fold(old_s),
                             net::csum_fold(new_s), proto == wire::kProtoUdp);
    }
    const uint8_t tclass = cfg.reset_tos ? cfg.traffic_class : p[1];
    const uint8_t hop = static_cast<uint8_t>(p[8] - dec);
    uint8_t* h = l4 - wire::kIpv6HdrLen;
    wire::write_ipv6(h, tclass, static_cast<uint16_t>(l4_len), next, hop, s6, d6);
    pkt.move_start(-static_cast<int32_t>(wire::kIpv6HdrLen - wire::kIpv4HdrLen));
    out = Outcome::forward();
    return true;
}

/// RFC 7915 §5 for the common IPv6 packet: no extension headers, payload length non-zero
/// and present, hop limit > 1, TCP, UDP with a checksum, or ICMPv6 echo request/reply, and
/// the IPv4 result fits cfg.mtu4. Same contract as try_fast_v4_to_v6; `out` may also be
/// Hairpin. Consumes an IPv4 Identification from `ctx` exactly when the full path would.
template <Mapper M>
inline bool try_fast_v6_to_v4(PacketBuf& pkt, const XlatConfig& cfg, XlatContext& ctx, M& mapper,
                              Outcome& out) {
    using net::load_be16;
    using net::store_be16;
    uint8_t* p = pkt.data;
    if (pkt.len < wire::kIpv6HdrLen + 8 || (p[0] >> 4) != 6) return false;
    const uint32_t l4_len = load_be16(p + 4);
    const uint8_t proto = p[6];
    uint8_t* l4 = p + wire::kIpv6HdrLen;
    // Unsigned wrap makes l4_len < 8 fail the first test.
    if (l4_len - 8 > pkt.len - wire::kIpv6HdrLen - 8 || p[7] <= 1 ||
        l4_len + wire::kIpv4HdrLen > cfg.mtu4) {
        return false;
    }
    if (proto == wire::kProtoUdp) {
        if (load_be16(l4 + 6) == 0) return false;  // RFC 8200 §8.1: the full path drops it
    } else if (proto == wire::kProtoTcp) {
        if (l4_len < 18) return false;
    } else if (proto != wire::kProtoIcmp6 ||
               (l4[0] != kIcmp6EchoRequest && l4[0] != kIcmp6EchoReply)) {
        return false;
    }
    pkt.truncate(wire::kIpv6HdrLen + l4_len);

    Flow6 in;
    __builtin_memcpy(in.src.b.data(), p + 8, 16);
    __builtin_memcpy(in.dst.b.data(), p + 24, 16);
    in.proto = proto;
    const bool icmp = proto == wire::kProtoIcmp6;
    in.src_port = load_be16(l4 + (icmp ? 4 : 0));
    in.dst_port = load_be16(l4 + (icmp ? 4 : 2));
    in.has_ports = true;
    in.tcp_flags = proto == wire::kProtoTcp ? l4[13] : 0;
    Flow4 o;
    o.src_port = in.src_port;
    o.dst_port = in.dst_port;
    const uint8_t proto4 = icmp ? wire::kProtoIcmp : proto;
    o.proto = proto4;
    o.has_ports = true;
    const uint16_t id4 = ctx.next_ipv4_id++;  // RFC 7915 §5.1 / RFC 6864
    const MapResult r = mapper.map_v6_to_v4(in, o, MapScope::Outer);
    if (r.status == MapStatus::Drop) {
        out = Outcome::drop(r.reason);
        return true;
    }

    if (icmp) {  // RFC 7915 §5.2: type, identifier, minus the ICMPv6 pseudo-header
        const uint8_t type = l4[0] == kIcmp6EchoRequest ? kIcmp4EchoRequest : kIcmp4EchoReply;
        const uint32_t old_s = (uint32_t{l4[0]} << 8 | l4[1]) + in.src_port +
                               wire::pseudo_sum_v6(p + 8, p + 24, wire::kProtoIcmp6, l4_len);
        const uint32_t new_s = (uint32_t{type} << 8 | l4[1]) + o.src_port;
        store_be16(l4 + 4, o.src_port);
        l4[0] = type;
        wire::patch_checksum(l4 + 2, net::csum_fold(old_s), net::csum_fold(new_s), false);
    } else {  // RFC 7915 §5.5: pseudo-header addresses and (mapped) ports, RFC 1624
        const uint32_t old_s = wire::fold_words32(p + 8, 8) + in.src_port + in.dst_port;
        const uint32_t new_s = wire::fold_words32(o.src.b.data(), 1) +
                               wire::fold_words32(o.dst.b.data(), 1) + o.src_port + o.dst_port;
        store_be16(l4, o.src_port);
        store_be16(l4 + 2, o.dst_port);
        wire::patch_checksum(l4 + (proto == wire::kProtoUdp ? 6 : 16), net::csum_fold(old_s),
                             net::csum_fold(new_s), proto == wire::kProtoUdp);
    }
    wire::Ipv4Fields f;
    f.tos = cfg.reset_tos ? cfg.traffic_class : static_cast<uint8_t>(load_be16(p) >> 4);
    f.total_len = static_cast<uint16_t>(l4_len + wire::kIpv4HdrLen);
    f.id = id4;
    f.df = f.total_len > wire::kDfThreshold;
    f.ttl = static_cast<uint8_t>(p[7] - 1);
    f.proto = proto4;
    wire::write_ipv4(l4 - wire::kIpv4HdrLen, f, o.src.b.data(), o.dst.b.data());
    pkt.move_start(static_cast<int32_t>(wire::kIpv6HdrLen - wire::kIpv4HdrLen));
    out = r.status == MapStatus::Hairpin ? Outcome{Verdict::Hairpin, DropReason::InternalBug, 0}
                                         : Outcome::forward();
    return true;
}

}  // namespace strait::xlat::detail
