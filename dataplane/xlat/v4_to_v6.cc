// SPDX-License-Identifier: Apache-2.0
// RFC 7915 §4 IPv4 -> IPv6: the parse/plan and the header rewrite around the Mapper call.
#include "v4_to_v6.h"

#include <algorithm>

#include "icmp_error.h"
#include "transport_rewrite.h"
#include "wire.h"

namespace strait::xlat::detail {
namespace {

using net::load_be16;
using net::store_be16;
constexpr DropReason kOk = DropReason::Count_;

// Parses an IPv4 header with `avail` bytes present; total_len is not checked against avail.
DropReason parse_v4(uint8_t* p, uint32_t avail, V4Ip& ip) {
    if (avail < wire::kIpv4HdrLen) return DropReason::Ipv4Truncated;
    ip.hdr = p;
    ip.ihl = (p[0] & 0x0fu) * 4u;
    if ((p[0] >> 4) != 4 || ip.ihl < wire::kIpv4HdrLen) return DropReason::Ipv4BadVersion;
    if (ip.ihl > avail) return DropReason::Ipv4Truncated;
    ip.tos = p[1];
    ip.total_len = load_be16(p + 2);
    if (ip.total_len < ip.ihl) return DropReason::Ipv4Truncated;
    ip.id = load_be16(p + 4);
    const uint16_t frag = load_be16(p + 6);
    ip.df = (frag & 0x4000) != 0;
    ip.mf = (frag & 0x2000) != 0;
    ip.frag_off = frag & 0x1fff;
    ip.ttl = p[8];
    ip.proto = p[9];
    return kOk;
}

// RFC 7915 §4.1: an unexpired loose or strict source route option (RFC 791 types 131, 137).
bool has_source_route(const V4Ip& ip) {
    const uint8_t* o = ip.hdr + wire::kIpv4HdrLen;
    const uint8_t* end = ip.hdr + ip.ihl;
    while (o < end) {
        if (o[0] == 0) break;  // end of option list
        if (o[0] == 1) {       // no-op
            ++o;
            continue;
        }
        if (end - o < 2 || o[1] < 2 || o[1] > end - o) break;  // malformed: stop looking
        if ((o[0] == 131 || o[0] == 137) && o[1] >= 3 && o[2] <= o[1]) return true;
        o += o[1];
    }
    return false;
}

void fill_flow(const V4Ip& ip, Flow4& f) {
    f.src = net::Ipv4Addr::from_bytes(ip.hdr + 12);
    f.dst = net::Ipv4Addr::from_bytes(ip.hdr + 16);
    f.proto = ip.proto;
}

// RFC 7915 §4.3: the IPv4 packet quoted in an ICMPv4 error (its original datagram field).
DropReason plan_inner_v4(V4Plan& plan) {
    uint8_t* inner = plan.ip.hdr + plan.ip.ihl + wire::kIcmpHdrLen;
    const uint32_t avail = plan.ext.orig_len;
    if (parse_v4(inner, avail, plan.inner) != kOk) return DropReason::IcmpInnerMalformed;
    const V4Ip& in = plan.inner;
    plan.inner_l4_avail = avail - in.ihl;
    fill_flow(in, plan.inner_flow);
    if (in.frag_off != 0) return kOk;
    const uint8_t* l4 = inner + in.ihl;
    bool echo = false;
    if (in.proto == wire::kProtoIcmp && plan.inner_l4_avail >= 1) {
        if (icmp4_is_error(l4[0])) return DropReason::IcmpErrorInError;
        const IcmpMapping m = map_icmp_v4_to_v6(l4[0], 0);
        if (!m.ok) return DropReason::IcmpUntranslatable;
        echo = true;
    } else if (in.proto == wire::kProtoIcmp6) {
        return DropReason::XlatBadProtocol;
    }
    wire::fill_ports(l4, plan.inner_l4_avail, in.proto, echo, plan.inner_flow);
    return kOk;
}

// RFC 7915 §4.2: type/code, rest-of-header and, for errors, the quoted packet and an
// RFC 4884 extension after it.
DropReason plan_icmp_v4(const XlatConfig& cfg, XlatContext& ctx, V4Plan& plan) {
    if (plan.ip.fragment()) return DropReason::IcmpFragmented;
    const uint8_t* icmp = plan.ip.hdr + plan.ip.ihl;
    plan.icmp = map_icmp_v4_to_v6(icmp[0], icmp[1]);
    if (!plan.icmp.ok) return DropReason::IcmpUntranslatable;
    if (!plan.icmp.is_error) {
        wire::fill_ports(icmp, plan.l4_avail, wire::kProtoIcmp, true, plan.flow);
        return kOk;
    }
    if (wire::checksum(icmp, plan.l4_avail) != 0) return DropReason::IcmpBadChecksum;
    const uint32_t payload = plan.l4_avail - wire::kIcmpHdrLen;
    plan.ext = split_icmp_ext(icmp4_has_length(icmp[0]) ? icmp[5] : 0, 4, payload);
    if (plan.ext.invalid) ctx.counters.inc(XlatCounter::IcmpExtInvalid);
    if (const DropReason r = plan_inner_v4(plan); r != kOk) return r;
    switch (plan.icmp.rest) {
        case IcmpRest::Mtu:
            plan.icmp_rest = ptb_mtu_v4_to_v6(load_be16(icmp + 6), plan.inner.total_len, cfg);
            break;
        case IcmpRest::Pointer: {
            const int p = map_pointer_v4_to_v6(icmp[4]);
            if (p < 0) return DropReason::IcmpUntranslatable;
            plan.icmp_rest = static_cast<uint32_t>(p);
            break;
        }
        case IcmpRest::NextHeader:
            plan.icmp_rest = 6;
            break;  // IPv6 Next Header offset
        default:
            plan.icmp_rest = 0;
            break;
    }
    return kOk;
}

DropReason plan_l4_v4(const XlatConfig& cfg, XlatContext& ctx, V4Plan& plan) {
    const V4Ip& ip = plan.ip;
    uint8_t* l4 = ip.hdr + ip.ihl;
    if (ip.proto == wire::kProtoIcmp) return plan_icmp_v4(cfg, ctx, plan);
    if (ip.proto == wire::kProtoIcmp6) return DropReason::XlatBadProtocol;
    if (ip.frag_off != 0) return kOk;  // non-first fragment: transport bytes untouched
    const int csum_at = wire::l4_checksum_offset(ip.proto);
    if (csum_at < 0) return kOk;  // other protocols pass unchanged
    if (plan.l4_avail < static_cast<uint32_t>(csum_at) + 2) return DropReason::Ipv4Truncated;
    wire::fill_ports(l4, plan.l4_avail, ip.proto, false, plan.flow);
    // RFC 7915 §4.5: a stateless translator cannot sum a datagram it sees in pieces.
    if (ip.proto == wire::kProtoUdp && load_be16(l4 + 6) == 0) {
        if (ip.fragment()) return DropReason::UdpZeroChecksumFragment;
        if (cfg.udp_zero_checksum == UdpZeroChecksum::Drop) return DropReason::UdpZeroChecksum;
        plan.udp_compute = true;
    }
    return kOk;
}

uint32_t header_growth(const V4Ip& ip) {
    return wire::kIpv6HdrLen + (ip.fragment() ? wire::kFragHdrLen : 0);
}

}  // namespace

Outcome plan_v4_to_v6(PacketBuf& pkt, const XlatConfig& cfg, XlatContext& ctx, V4Plan& plan,
                      MapScope scope) {
    V4Ip& ip = plan.ip;
    if (const DropReason r = parse_v4(pkt.data, pkt.len, ip); r != kOk) return Outcome::drop(r);
    if (ip.total_len > pkt.len) return Outcome::drop(DropReason::Ipv4Truncated);
    if (net::csum_fold(wire::sum_words32(pkt.data, ip.ihl / 4)) != 0xffff) {
        return Outcome::drop(DropReason::Ipv4BadChecksum);
    }
    pkt.truncate(ip.total_len);  // drop Ethernet padding
    plan.l4_avail = ip.total_len - ip.ihl;
    fill_flow(ip, plan.flow);
    const uint8_t* l4 = ip.hdr + ip.ihl;
    bool is_icmp_error = false;
    if (ip.proto == wire::kProtoIcmp && ip.frag_off == 0) {
        if (plan.l4_avail < wire::kIcmpHdrLen) return Outcome::drop(DropReason::IcmpTruncated);
        is_icmp_error = icmp4_is_error(l4[0]);
    }
    // RFC 1812 §4.3.2.7: never an ICMP error about an ICMP error or a non-first fragment.
    const bool may_reply = ip.frag_off == 0 && !is_icmp_error;
    const auto reply_or_drop = [&](uint8_t type, uint8_t code, uint32_t rest, DropReason why) {
        return may_reply ? reply_icmp4_error(pkt, cfg, ctx, type, code, rest, why)
                         : Outcome::drop(why);
    };
    if (ip.ihl > wire::kIpv4HdrLen && has_source_route(ip)) {
        return reply_or_drop(kIcmp4DestUnreach, 5, 0, DropReason::Ipv4SourceRoute);
    }
    if (ip.ttl <= 1 && scope != MapScope::Hairpin) {
        return reply_or_drop(kIcmp4TimeExceeded, 0, 0, DropReason::Ipv4TtlExpired);
    }
    if (const DropReason r = plan_l4_v4(cfg, ctx, plan); r != kOk) {
        // RFC 7915 §4.5: the fragment is dropped; the sender learns it was refused.
        if (r == DropReason::UdpZeroChecksumFragment) {
            return reply_or_drop(kIcmp4DestUnreach, kIcmp4AdminProhibited, 0, r);
        }
        return Outcome::drop(r);
    }
    uint32_t growth = header_growth(ip);
    plan.frag_hdr = ip.fragment();
    if (plan.icmp.is_error) {
        growth += header_growth(plan.inner) - plan.inner.ihl;
    } else {
        const uint32_t out_len = plan.l4_avail + growth;
        if (ip.df && out_len > cfg.mtu6) {  // RFC 7915 §4 / RFC 1191: Fragmentation Needed
            const uint32_t mtu = cfg.mtu6 - (growth - wire::kIpv4HdrLen);
            return reply_or_drop(kIcmp4DestUnreach, 4, mtu, DropReason::Ipv4FragNeeded);
        }
        // RFC 7915 §4: DF=0 packets above lowest-ipv6-mtu are fragmented. The Fragment
        // Header written now carries the IPv4 Identification into fragment_v6().
        plan.fragment_after = !ip.df && out_len > std::min(cfg.lowest_ipv6_mtu, cfg.mtu6);
        if (plan.fragment_after && !plan.frag_hdr) {
            plan.frag_hdr = true;
            growth += wire::kFragHdrLen;
        }
    }
    if (growth > ip.ihl && pkt.headroom < growth - ip.ihl) {
        return Outcome::drop(DropReason::XlatNoHeadroom);
    }
    return Outcome::forward();
}

namespace {

// RFC 7915 §4.4/§4.5: transport checksum and ports of a first fragment, by RFC 1624.
// `icmp_len` is the ICMP message length for the ICMPv6 pseudo-header; `id_from_src` picks
// which mapped port carries a rewritten echo identifier.
void fix_l4_v4_to_v6(uint8_t* l4, uint32_t avail, const Flow4& in, const Flow6& out,
                     uint32_t icmp_len, bool id_from_src) {
    if (in.proto == wire::kProtoIcmp) {
        if (avail < 4) return;
        const IcmpMapping m = map_icmp_v4_to_v6(l4[0], l4[1]);
        uint32_t old_s = uint32_t{l4[0]} << 8 | l4[1];
        uint32_t new_s = uint32_t{m.type} << 8 | l4[1];
        new_s +=
            wire::pseudo_sum_v6(out.src.b.data(), out.dst.b.data(), wire::kProtoIcmp6, icmp_len);
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

uint8_t tclass(const XlatConfig& cfg, uint8_t tos) {
    return cfg.reset_tos ? cfg.traffic_class : tos;
}

// Writes the IPv6 header (+ Fragment Header) translated from `ip` so it ends at `l4`.
uint8_t* write_header_v6(const XlatConfig& cfg, const V4Ip& ip, const Flow6& out, uint8_t hop,
                         uint8_t* l4, bool frag_hdr) {
    const uint8_t next = ip.proto == wire::kProtoIcmp ? wire::kProtoIcmp6 : ip.proto;
    const uint32_t extra = frag_hdr ? wire::kFragHdrLen : 0;
    uint8_t* h = l4 - wire::kIpv6HdrLen - extra;
    const auto payload = static_cast<uint16_t>(ip.total_len - ip.ihl + extra);
    wire::write_ipv6(h, tclass(cfg, ip.tos), payload, extra ? wire::kProtoFragment : next, hop,
                     out.src.b.data(), out.dst.b.data());
    // RFC 7915 §4.1: fragments keep offset, MF and the zero-extended Identification.
    if (extra) wire::write_frag_header(h + wire::kIpv6HdrLen, next, ip.frag_off, ip.mf, ip.id);
    return h;
}

// RFC 7915 §4.2/§4.4 and RFC 4884: the translated error is the quoted packet's translated
// header, the rest of the original datagram and any extension, at most 1280 bytes.
Outcome write_icmp_error(PacketBuf& pkt, const XlatConfig& cfg, XlatContext& ctx,
                         const V4Plan& plan, uint8_t hop) {
    const V4Ip& ip = plan.ip;
    const V4Ip& in = plan.inner;
    uint8_t* inner_l4 = in.hdr + in.ihl;
    if (in.frag_off == 0) {
        fix_l4_v4_to_v6(inner_l4, plan.inner_l4_avail, plan.inner_flow, plan.inner_out,
                        in.total_len - in.ihl, true);
    }
    uint8_t* inner6 = write_header_v6(cfg, in, plan.inner_out, in.ttl, inner_l4, in.fragment());
    uint8_t* icmp = inner6 - wire::kIcmpHdrLen;
    uint8_t* h = icmp - wire::kIpv6HdrLen;
    // With an extension the original datagram's padding goes: it is padded again below.
    const IcmpExt& x = plan.ext;
    const uint32_t data_in = x.ext_len ? std::min<uint32_t>(x.orig_len, in.total_len) : x.orig_len;
    const uint32_t ext_len = icmp6_has_length(plan.icmp.type) ? x.ext_len : 0;
    const uint8_t* end = pkt.data + pkt.len + pkt.tailroom;
    const IcmpExtLayout lay = layout_icmp_ext(
        inner6, data_in - in.ihl + static_cast<uint32_t>(inner_l4 - inner6), in.hdr + x.orig_len,
        ext_len, 8, wire::kIpv6MinMtu - wire::kIpv6HdrLen - wire::kIcmpHdrLen,  // RFC 4443 §2.4 (c)
        static_cast<uint32_t>(end - inner6));
    if (x.ext_len) {
        ctx.counters.inc(lay.len_attr ? XlatCounter::IcmpExtKept : XlatCounter::IcmpExtRemoved);
    }
    pkt.move_start(static_cast<int32_t>(h - pkt.data));
    pkt.resize(wire::kIpv6HdrLen + wire::kIcmpHdrLen + lay.payload_len);
    const uint32_t icmp_len = pkt.len - wire::kIpv6HdrLen;
    wire::write_ipv6(h, tclass(cfg, ip.tos), static_cast<uint16_t>(icmp_len), wire::kProtoIcmp6,
                     hop, plan.out.src.b.data(), plan.out.dst.b.data());
    icmp[0] = plan.icmp.type;
    icmp[1] = plan.icmp.code;
    store_be16(icmp + 2, 0);
    net::store_be32(icmp + 4, plan.icmp_rest);
    if (lay.len_attr) icmp[4] = lay.len_attr;  // RFC 4884 §4.5/§4.6: 64-bit words
    const uint32_t pseudo = wire::pseudo_sum_v6(h + 8, h + 24, wire::kProtoIcmp6, icmp_len);
    store_be16(icmp + 2, wire::checksum(icmp, icmp_len, pseudo));
    return Outcome::forward();
}

}  // namespace

Outcome write_v4_to_v6(PacketBuf& pkt, const XlatConfig& cfg, XlatContext& ctx, const V4Plan& plan,
                       MapScope scope) {
    const V4Ip& ip = plan.ip;
    // RFC 7757 §4.2 hairpin: the first pass decremented; one gateway is one hop.
    const auto hop = static_cast<uint8_t>(scope == MapScope::Hairpin ? ip.ttl : ip.ttl - 1);
    if (plan.icmp.is_error) return write_icmp_error(pkt, cfg, ctx, plan, hop);
    uint8_t* l4 = ip.hdr + ip.ihl;
    if (ip.frag_off == 0 && !plan.udp_compute) {
        fix_l4_v4_to_v6(l4, plan.l4_avail, plan.flow, plan.out, plan.l4_avail, false);
    }
    uint8_t* h = write_header_v6(cfg, ip, plan.out, hop, l4, plan.frag_hdr);
    pkt.move_start(static_cast<int32_t>(h - pkt.data));
    if (plan.udp_compute) {  // RFC 7915 §4.5: compute the checksum IPv4 left out
        if (plan.flow.has_ports) {
            store_be16(l4, plan.out.src_port);
            store_be16(l4 + 2, plan.out.dst_port);
        }
        const uint32_t pseudo = wire::pseudo_sum_v6(h + 8, h + 24, wire::kProtoUdp, plan.l4_avail);
        uint16_t c = wire::checksum(l4, plan.l4_avail, pseudo);
        store_be16(l4 + 6, c == 0 ? 0xffff : c);
        ctx.counters.inc(XlatCounter::UdpChecksumsComputed);
    }
    if (plan.fragment_after) {
        return {Verdict::Fragment, DropReason::InternalBug,
                std::min(cfg.lowest_ipv6_mtu, cfg.mtu6)};
    }
    return Outcome::forward();
}

}  // namespace strait::xlat::detail
