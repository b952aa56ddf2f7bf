// SPDX-License-Identifier: Apache-2.0
// RFC 7915 §5 IPv6 -> IPv4: the parse/plan and the header rewrite around the Mapper call.
#include "v6_to_v4.h"

#include <algorithm>

#include "icmp_error.h"
#include "transport_rewrite.h"
#include "wire.h"

namespace strait::xlat::detail {
namespace {

using net::load_be16;
using net::load_be32;
using net::store_be16;
constexpr DropReason kOk = DropReason::Count_;
constexpr int kMaxExtHeaders = 8;  // longer chains are dropped as malformed

// Walks HBH, Destination Options, Routing and Fragment headers (RFC 8200 §4) within `avail`.
bool walk_ext_headers(const uint8_t* p, uint32_t avail, V6Ip& ip) {
    uint8_t next = p[6];
    uint32_t off = wire::kIpv6HdrLen;
    for (int n = 0; n < kMaxExtHeaders; ++n) {
        if (next == wire::kProtoFragment) {
            if (off + wire::kFragHdrLen > avail) return false;
            const uint16_t fo = load_be16(p + off + 2);
            ip.has_frag = true;
            ip.frag_off = fo >> 3;
            ip.mf = (fo & 1) != 0;
            ip.frag_id = load_be32(p + off + 4);
            next = p[off];
            off += wire::kFragHdrLen;
            if (ip.frag_off != 0) break;  // the rest is payload of a non-first fragment
            continue;
        }
        if (next != wire::kProtoHopByHop && next != wire::kProtoRouting &&
            next != wire::kProtoDestOpts) {
            break;
        }
        if (off + 8 > avail) return false;
        const uint32_t len = (uint32_t{p[off + 1]} + 1) * 8;
        if (off + len > avail) return false;
        if (next == wire::kProtoRouting && p[off + 3] != 0 && ip.segments_left_at == 0) {
            ip.segments_left_at = off + 3;
        }
        next = p[off];
        off += len;
    }
    if (next == wire::kProtoHopByHop || next == wire::kProtoRouting ||
        next == wire::kProtoDestOpts || (next == wire::kProtoFragment && ip.frag_off == 0)) {
        return false;  // chain too long
    }
    ip.proto = next;
    ip.hdr_len = off;
    return true;
}

DropReason parse_v6(uint8_t* p, uint32_t avail, V6Ip& ip) {
    if (avail < wire::kIpv6HdrLen) return DropReason::Ipv6Truncated;
    if ((p[0] >> 4) != 6) return DropReason::Ipv6BadVersion;
    ip.hdr = p;
    ip.tclass = static_cast<uint8_t>(load_be16(p) >> 4);
    ip.payload_len = load_be16(p + 4);
    ip.hop = p[7];
    const uint32_t stated = wire::kIpv6HdrLen + ip.payload_len;
    if (!walk_ext_headers(p, std::min(avail, stated), ip)) return DropReason::Ipv6Truncated;
    return kOk;
}

void fill_flow(const V6Ip& ip, Flow6& f) {
    f.src = net::Ipv6Addr::from_bytes(ip.hdr + 8);
    f.dst = net::Ipv6Addr::from_bytes(ip.hdr + 24);
    f.proto = ip.proto;
}

// RFC 7915 §5.3: the IPv6 packet quoted in an ICMPv6 error (its original datagram field).
DropReason plan_inner_v6(V6Plan& plan) {
    uint8_t* inner = plan.ip.hdr + plan.ip.hdr_len + wire::kIcmpHdrLen;
    const uint32_t avail = plan.ext.orig_len;
    if (parse_v6(inner, avail, plan.inner) != kOk) return DropReason::IcmpInnerMalformed;
    const V6Ip& in = plan.inner;
    if (in.hdr_len > uint32_t{in.payload_len} + wire::kIpv6HdrLen) {
        return DropReason::IcmpInnerMalformed;
    }
    plan.inner_l4_avail = avail - in.hdr_len;
    fill_flow(in, plan.inner_flow);
    if (in.frag_off != 0) return kOk;
    const uint8_t* l4 = inner + in.hdr_len;
    bool echo = false;
    if (in.proto == wire::kProtoIcmp6 && plan.inner_l4_avail >= 1) {
        if (icmp6_is_error(l4[0])) return DropReason::IcmpErrorInError;
        if (!map_icmp_v6_to_v4(l4[0], 0).ok) return DropReason::IcmpUntranslatable;
        echo = true;
    } else if (in.proto == wire::kProtoIcmp) {
        return DropReason::XlatBadProtocol;
    }
    wire::fill_ports(l4, plan.inner_l4_avail, in.proto, echo, plan.inner_flow);
    return kOk;
}

// RFC 7915 §5.2: type/code, rest-of-header and, for errors, the quoted packet and an
// RFC 4884 extension after it.
DropReason plan_icmp_v6(const XlatConfig& cfg, XlatContext& ctx, V6Plan& plan) {
    if (plan.ip.has_frag && (plan.ip.mf || plan.ip.frag_off)) return DropReason::IcmpFragmented;
    const uint8_t* icmp = plan.ip.hdr + plan.ip.hdr_len;
    plan.icmp = map_icmp_v6_to_v4(icmp[0], icmp[1]);
    if (!plan.icmp.ok) return DropReason::IcmpUntranslatable;
    if (!plan.icmp.is_error) {
        wire::fill_ports(icmp, plan.l4_avail, wire::kProtoIcmp6, true, plan.flow);
        return kOk;
    }
    const uint8_t* h = plan.ip.hdr;
    const uint32_t pseudo = wire::pseudo_sum_v6(h + 8, h + 24, wire::kProtoIcmp6, plan.l4_avail);
    if (wire::checksum(icmp, plan.l4_avail, pseudo) != 0) return DropReason::IcmpBadChecksum;
    const uint32_t payload = plan.l4_avail - wire::kIcmpHdrLen;
    plan.ext = split_icmp_ext(icmp6_has_length(icmp[0]) ? icmp[4] : 0, 8, payload);
    if (plan.ext.invalid) ctx.counters.inc(XlatCounter::IcmpExtInvalid);
    if (const DropReason r = plan_inner_v6(plan); r != kOk) return r;
    switch (plan.icmp.rest) {
        case IcmpRest::Mtu:
            plan.icmp_rest = frag_needed_mtu_v6_to_v4(load_be32(icmp + 4), cfg);
            break;
        case IcmpRest::Pointer: {
            const int p = map_pointer_v6_to_v4(load_be32(icmp + 4));
            if (p < 0) return DropReason::IcmpUntranslatable;
            plan.icmp_rest = static_cast<uint32_t>(p) << 24;  // RFC 792: pointer in byte 4
            break;
        }
        default:
            plan.icmp_rest = 0;
            break;
    }
    return kOk;
}

DropReason plan_l4_v6(const XlatConfig& cfg, XlatContext& ctx, V6Plan& plan) {
    const V6Ip& ip = plan.ip;
    const uint8_t* l4 = ip.hdr + ip.hdr_len;
    if (ip.proto == wire::kProtoIcmp6) return plan_icmp_v6(cfg, ctx, plan);
    if (ip.proto == wire::kProtoIcmp) return DropReason::XlatBadProtocol;
    if (ip.frag_off != 0) return kOk;  // non-first fragment: transport bytes untouched
    const int csum_at = wire::l4_checksum_offset(ip.proto);
    if (csum_at < 0) return kOk;
    if (plan.l4_avail < static_cast<uint32_t>(csum_at) + 2) return DropReason::Ipv6Truncated;
    wire::fill_ports(l4, plan.l4_avail, ip.proto, false, plan.flow);
    // RFC 8200 §8.1: a zero UDP checksum is invalid in IPv6; patching it would forge one.
    if (ip.proto == wire::kProtoUdp && load_be16(l4 + 6) == 0) return DropReason::UdpZeroChecksum;
    return kOk;
}

}  // namespace

Outcome plan_v6_to_v4(PacketBuf& pkt, const XlatConfig& cfg, XlatContext& ctx, V6Plan& plan) {
    V6Ip& ip = plan.ip;
    if (const DropReason r = parse_v6(pkt.data, pkt.len, ip); r != kOk) return Outcome::drop(r);
    const uint32_t total = wire::kIpv6HdrLen + ip.payload_len;
    // payload_len 0 is a jumbogram (RFC 2675), untranslatable, or an empty payload, which
    // only No Next Header (RFC 8200 §4.7) makes whole: like any other protocol, it goes.
    if (total > pkt.len || (ip.payload_len == 0 && ip.proto != wire::kProtoNoNext)) {
        return Outcome::drop(DropReason::Ipv6Truncated);
    }
    pkt.truncate(total);
    plan.l4_avail = total - ip.hdr_len;
    fill_flow(ip, plan.flow);
    bool is_icmp_error = false;
    if (ip.proto == wire::kProtoIcmp6 && ip.frag_off == 0) {
        if (plan.l4_avail < wire::kIcmpHdrLen) return Outcome::drop(DropReason::IcmpTruncated);
        is_icmp_error = icmp6_is_error(ip.hdr[ip.hdr_len]);
    }
    // RFC 4443 §2.4 (e): never an ICMPv6 error about an ICMPv6 error (or non-first fragment).
    const bool may_reply = ip.frag_off == 0 && !is_icmp_error;
    const auto reply_or_drop = [&](uint8_t type, uint8_t code, uint32_t rest, DropReason why) {
        return may_reply ? reply_icmp6_error(pkt, cfg, ctx, type, code, rest, why)
                         : Outcome::drop(why);
    };
    if (ip.segments_left_at != 0) {  // RFC 7915 §5.1: pointer to the Segments Left field
        return reply_or_drop(kIcmp6ParamProblem, 0, ip.segments_left_at,
                             DropReason::Ipv6RoutingHeader);
    }
    if (ip.hop <= 1) {
        return reply_or_drop(kIcmp6TimeExceeded, 0, 0, DropReason::Ipv6HopLimitExpired);
    }
    if (const DropReason r = plan_l4_v6(cfg, ctx, plan); r != kOk) return Outcome::drop(r);
    const uint32_t out_len = plan.l4_avail + wire::kIpv4HdrLen;
    if (!plan.icmp.is_error && out_len > cfg.mtu4) {  // RFC 7915 §5.1 / RFC 8201
        const uint32_t mtu = std::max<uint32_t>(cfg.mtu4 + 20u, wire::kIpv6MinMtu);
        return reply_or_drop(kIcmp6PacketTooBig, 0, mtu, DropReason::Ipv6PacketTooBig);
    }
    // RFC 7915 §5.1: fragments keep the low 16 bits of their Identification; others get a
    // per-lcore counter value (RFC 6864), needed whenever DF ends up 0.
    plan.id4 = ip.has_frag ? static_cast<uint16_t>(ip.frag_id) : ctx.next_ipv4_id++;
    return Outcome::forward();
}

namespace {

// RFC 7915 §5.4/§5.5: transport checksum and ports of a first fragment, by RFC 1624.
void fix_l4_v6_to_v4(uint8_t* l4, uint32_t avail, const Flow6& in, const Flow4& out,
                     uint32_t icmp_len, bool id_from_src) {
    if (in.proto == wire::kProtoIcmp6) {
        if (avail < 4) return;
        const IcmpMapping m = map_icmp_v6_to_v4(l4[0], l4[1]);
        uint32_t old_s = uint32_t{l4[0]} << 8 | l4[1];
        old_s += wire::pseudo_sum_v6(in.src.b.data(), in.dst.b.data(), wire::kProtoIcmp6, icmp_len);
        uint32_t new_s = uint32_t{m.type} << 8 | l4[1];
        if (in.has_ports) {
            const uint16_t id = id_from_src ? out.src_port : out.dst_port;
            old_s += in.src_port;
            new_s += id;
            store_be16(l4 + 4, id);
        }
        l4[0] = m.type;
        wire::patch_checksum(l4 + 2, net::csum_fold(old_s), net::csum_fold(new_s), false);
        return;
    }
    wire::rewrite_transport(l4, avail, in, out);
}

uint8_t tos(const XlatConfig& cfg, uint8_t tclass) {
    return cfg.reset_tos ? cfg.traffic_class : tclass;
}

// Writes the IPv4 header translated from `ip` so that it ends at `l4`.
uint8_t* write_header_v4(const XlatConfig& cfg, const V6Ip& ip, const Flow4& out, uint8_t ttl,
                         uint16_t id, uint8_t* l4) {
    uint8_t* h = l4 - wire::kIpv4HdrLen;
    wire::Ipv4Fields f;
    f.tos = tos(cfg, ip.tclass);
    f.total_len = static_cast<uint16_t>(ip.l4_len() + wire::kIpv4HdrLen);
    f.id = id;
    f.df = !ip.has_frag && f.total_len > wire::kDfThreshold;
    f.mf = ip.mf;
    f.frag_off = ip.frag_off;
    f.ttl = ttl;
    f.proto = ip.proto == wire::kProtoIcmp6 ? wire::kProtoIcmp : ip.proto;
    wire::write_ipv4(h, f, out.src.b.data(), out.dst.b.data());
    return h;
}

// RFC 7915 §5.2/§5.3 and RFC 4884: the translated error is the quoted packet's translated
// header, the rest of the original datagram and any extension, at most 576 bytes.
Outcome write_icmp_error(PacketBuf& pkt, const XlatConfig& cfg, XlatContext& ctx,
                         const V6Plan& plan) {
    const V6Ip& ip = plan.ip;
    const V6Ip& in = plan.inner;
    uint8_t* inner_l4 = in.hdr + in.hdr_len;
    if (in.frag_off == 0) {
        fix_l4_v6_to_v4(inner_l4, plan.inner_l4_avail, plan.inner_flow, plan.inner_out, in.l4_len(),
                        false);
    }
    // The quoted packet keeps its own identity: fragment ID or none.
    const auto inner_id = static_cast<uint16_t>(in.has_frag ? in.frag_id : 0);
    uint8_t* inner4 = write_header_v4(cfg, in, plan.inner_out, in.hop, inner_id, inner_l4);
    uint8_t* icmp = inner4 - wire::kIcmpHdrLen;
    uint8_t* h = icmp - wire::kIpv4HdrLen;
    // With an extension the original datagram's padding goes: it is padded again below.
    const IcmpExt& x = plan.ext;
    const uint32_t data_in =
        x.ext_len ? std::min(x.orig_len, uint32_t{in.payload_len} + wire::kIpv6HdrLen) : x.orig_len;
    const uint32_t ext_len = icmp4_has_length(plan.icmp.type) ? x.ext_len : 0;
    const uint8_t* end = pkt.data + pkt.len + pkt.tailroom;
    const IcmpExtLayout lay = layout_icmp_ext(
        inner4, data_in - in.hdr_len + wire::kIpv4HdrLen, in.hdr + x.orig_len, ext_len, 4,
        wire::kIcmp4ErrorMax - wire::kIpv4HdrLen - wire::kIcmpHdrLen,  // RFC 1812 §4.3.2.3
        static_cast<uint32_t>(end - inner4));
    if (x.ext_len) {
        ctx.counters.inc(lay.len_attr ? XlatCounter::IcmpExtKept : XlatCounter::IcmpExtRemoved);
    }
    pkt.move_start(static_cast<int32_t>(h - pkt.data));
    pkt.resize(wire::kIpv4HdrLen + wire::kIcmpHdrLen + lay.payload_len);
    wire::Ipv4Fields f;
    f.tos = tos(cfg, ip.tclass);
    f.total_len = static_cast<uint16_t>(pkt.len);
    f.id = plan.id4;
    f.ttl = static_cast<uint8_t>(ip.hop - 1);
    f.proto = wire::kProtoIcmp;
    wire::write_ipv4(h, f, plan.out.src.b.data(), plan.out.dst.b.data());
    icmp[0] = plan.icmp.type;
    icmp[1] = plan.icmp.code;
    store_be16(icmp + 2, 0);
    net::store_be32(icmp + 4, plan.icmp_rest);
    if (lay.len_attr) icmp[5] = lay.len_attr;  // RFC 4884 §4.1-§4.3: 32-bit words
    store_be16(icmp + 2, wire::checksum(icmp, pkt.len - wire::kIpv4HdrLen));
    return Outcome::forward();
}

}  // namespace

Outcome write_v6_to_v4(PacketBuf& pkt, const XlatConfig& cfg, XlatContext& ctx,
                       const V6Plan& plan) {
    if (plan.icmp.is_error) return write_icmp_error(pkt, cfg, ctx, plan);
    const V6Ip& ip = plan.ip;
    uint8_t* l4 = ip.hdr + ip.hdr_len;
    if (ip.frag_off == 0) {
        fix_l4_v6_to_v4(l4, plan.l4_avail, plan.flow, plan.out, plan.l4_avail, true);
    }
    uint8_t* h = write_header_v4(cfg, ip, plan.out, static_cast<uint8_t>(ip.hop - 1), plan.id4, l4);
    pkt.move_start(static_cast<int32_t>(h - pkt.data));
    return Outcome::forward();
}

}  // namespace strait::xlat::detail
