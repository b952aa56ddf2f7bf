// SPDX-License-Identifier: Apache-2.0
// RFC 7915 §5: IPv6 -> IPv4 translation in place, address mapping through a Mapper.
#pragma once

#include <cstdint>

#include "fast_path.h"
#include "icmp_ext.h"
#include "icmp_map.h"
#include "mapper.h"
#include "rfc6791.h"
#include "xlat_types.h"

namespace strait::xlat {
namespace detail {

/// Fields of one parsed IPv6 header chain (outer or quoted in an ICMPv6 error).
struct V6Ip {
    uint8_t* hdr = nullptr;
    uint32_t hdr_len = 0;                    ///< fixed header plus the extension headers skipped
    uint16_t payload_len = 0;                ///< as stated in the header
    uint8_t tclass = 0, hop = 0, proto = 0;  ///< proto: the upper-layer protocol
    bool has_frag = false, mf = false;
    uint16_t frag_off = 0;  ///< 8-byte units
    uint32_t frag_id = 0;
    uint32_t segments_left_at = 0;  ///< offset of a non-zero Segments Left, 0 if none
    [[nodiscard]] uint32_t l4_len() const { return payload_len + 40u - hdr_len; }
};

struct V6Plan {
    V6Ip ip;
    Flow6 flow;
    Flow4 out;
    uint32_t l4_avail = 0;
    uint32_t icmp_rest = 0;
    uint16_t id4 = 0;  ///< IPv4 Identification chosen for the output
    IcmpMapping icmp;
    IcmpExt ext;  ///< errors only: RFC 4884 split of the payload
    V6Ip inner;
    Flow6 inner_flow;
    Flow4 inner_out;
    uint32_t inner_l4_avail = 0;
};

Outcome plan_v6_to_v4(PacketBuf& pkt, const XlatConfig& cfg, XlatContext& ctx, V6Plan& plan);
Outcome write_v6_to_v4(PacketBuf& pkt, const XlatConfig& cfg, XlatContext& ctx, const V6Plan& plan);

/// Copies ports and the translated protocol into the mapper's output flow.
inline void prefill_v6_to_v4(const Flow6& in, Flow4& out) {
    out.src_port = in.src_port;
    out.dst_port = in.dst_port;
    out.proto = in.proto == 58 ? 1 : in.proto;
    out.has_ports = in.has_ports;
}

/// The full RFC 7915 path: parse into a plan, map, write. Out of line so the fast path
/// stays small in the caller; translate_v6_to_v4 tries try_fast_v6_to_v4 first.
template <Mapper M>
[[gnu::noinline]] Outcome translate_v6_to_v4_full(PacketBuf& pkt, const XlatConfig& cfg,
                                                  XlatContext& ctx, M& mapper) {
    V6Plan plan;
    const Outcome planned = plan_v6_to_v4(pkt, cfg, ctx, plan);
    if (planned.verdict != Verdict::Forward) return planned;
    MapScope scope = MapScope::Outer;
    if (plan.icmp.is_error) {
        prefill_v6_to_v4(plan.inner_flow, plan.inner_out);
        const MapResult r = mapper.map_v6_to_v4(plan.inner_flow, plan.inner_out, MapScope::Inner);
        if (r.status != MapStatus::Ok) return Outcome::drop(r.reason);
        scope = MapScope::ErrorOuter;
    }
    prefill_v6_to_v4(plan.flow, plan.out);
    const MapResult r = mapper.map_v6_to_v4(plan.flow, plan.out, scope);
    if (r.status == MapStatus::Drop) return Outcome::drop(r.reason);
    if (r.src_unmapped) {  // RFC 7915 §5.1 / RFC 6791: the error's sender has no IPv4 face
        if (scope != MapScope::ErrorOuter) return Outcome::drop(DropReason::XlatNoMapping);
        plan.out.src = rfc6791_source(cfg, ctx, plan.flow.src);
    }
    const Outcome written = write_v6_to_v4(pkt, cfg, ctx, plan);
    if (r.status == MapStatus::Hairpin && written.verdict == Verdict::Forward) {
        return {Verdict::Hairpin, DropReason::InternalBug, 0};
    }
    return written;
}

}  // namespace detail

/// RFC 7915 §5: translates the IPv6 packet in `pkt` to IPv4 in place (the header shrinks;
/// the transport payload does not move). Handles §5.1 header fields (traffic class copy or
/// reset, hop limit decrement, extension headers skipped, Fragment Header -> IPv4 fragment
/// fields, DF per the 1260-byte rule with a per-lcore Identification), §5.2-5.4 ICMPv6
/// including the quoted packet and RFC 4884 extension of errors, RFC 6791 sources for
/// errors from unmapped nodes, and TCP/UDP checksums (RFC 1624).
/// Verdicts: Forward; ReplyIcmpError (hop limit expired, routing header with segments left,
/// too big for cfg.mtu4: `pkt` now holds an ICMPv6 error for the IPv6 port); Hairpin (the
/// mapper said the IPv4 destination maps back to IPv6: `pkt` holds the IPv4 packet, run
/// translate_v4_to_v6(..., MapScope::Hairpin) and send the result out the IPv6 port); Drop.
/// No allocation, no locks. thread: the lcore owning `ctx`.
template <Mapper M>
Outcome translate_v6_to_v4(PacketBuf& pkt, const XlatConfig& cfg, XlatContext& ctx, M& mapper) {
    if (Outcome fast; detail::try_fast_v6_to_v4(pkt, cfg, ctx, mapper, fast)) return fast;
    return detail::translate_v6_to_v4_full(pkt, cfg, ctx, mapper);
}

}  // namespace strait::xlat
