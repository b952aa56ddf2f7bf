// SPDX-License-Identifier: Apache-2.0
// RFC 7915 §4: IPv4 -> IPv6 translation in place, address mapping through a Mapper.
#pragma once

#include <cstdint>

#include "fast_path.h"
#include "icmp_ext.h"
#include "icmp_map.h"
#include "mapper.h"
#include "xlat_types.h"

namespace strait::xlat {
namespace detail {

/// Fields of one parsed IPv4 header (outer or quoted in an ICMP error).
struct V4Ip {
    uint8_t* hdr = nullptr;
    uint32_t ihl = 0;        ///< header length in bytes
    uint16_t total_len = 0;  ///< as stated in the header
    uint8_t tos = 0, ttl = 0, proto = 0;
    uint16_t id = 0;
    bool df = false, mf = false;
    uint16_t frag_off = 0;  ///< 8-byte units
    [[nodiscard]] bool fragment() const { return mf || frag_off != 0; }
};

/// Everything decided before the buffer is touched (the mapper runs between plan and write).
struct V4Plan {
    V4Ip ip;
    Flow4 flow;
    Flow6 out;
    uint32_t l4_avail = 0;   ///< transport bytes present in the buffer
    uint32_t icmp_rest = 0;  ///< translated ICMP bytes 4-7 (errors)
    IcmpMapping icmp;
    IcmpExt ext;  ///< errors only: RFC 4884 split of the payload
    bool is_icmp = false;
    bool udp_compute = false;  ///< zero UDP checksum: compute it after translation
    bool fragment_after = false;
    bool frag_hdr = false;  ///< output carries a Fragment Header (fragment, or to be split)
    V4Ip inner;             ///< ICMP errors only
    Flow4 inner_flow;
    Flow6 inner_out;
    uint32_t inner_l4_avail = 0;
};

/// `scope` Hairpin (the second pass of RFC 7757 §4.2): the first pass already checked and
/// decremented the hop limit, so the TTL is neither checked nor decremented again.
Outcome plan_v4_to_v6(PacketBuf& pkt, const XlatConfig& cfg, XlatContext& ctx, V4Plan& plan,
                      MapScope scope);
Outcome write_v4_to_v6(PacketBuf& pkt, const XlatConfig& cfg, XlatContext& ctx, const V4Plan& plan,
                       MapScope scope);

/// Copies ports and the translated protocol into the mapper's output flow.
inline void prefill_v4_to_v6(const Flow4& in, Flow6& out) {
    out.src_port = in.src_port;
    out.dst_port = in.dst_port;
    out.proto = in.proto == 1 ? 58 : in.proto;
    out.has_ports = in.has_ports;
}

/// The full RFC 7915 path: parse into a plan, map, write. Out of line so the fast path
/// stays small in the caller; translate_v4_to_v6 tries try_fast_v4_to_v6 first.
template <Mapper M>
[[gnu::noinline]] Outcome translate_v4_to_v6_full(PacketBuf& pkt, const XlatConfig& cfg,
                                                  XlatContext& ctx, M& mapper, MapScope scope) {
    V4Plan plan;
    const Outcome planned = plan_v4_to_v6(pkt, cfg, ctx, plan, scope);
    if (planned.verdict != Verdict::Forward) return planned;
    const bool hairpin = scope == MapScope::Hairpin;
    MapScope outer = scope;
    if (plan.icmp.is_error) {
        prefill_v4_to_v6(plan.inner_flow, plan.inner_out);
        const MapResult r = mapper.map_v4_to_v6(plan.inner_flow, plan.inner_out,
                                                hairpin ? MapScope::HairpinInner : MapScope::Inner);
        if (r.status != MapStatus::Ok) return Outcome::drop(r.reason);
        outer = hairpin ? MapScope::HairpinErrorOuter : MapScope::ErrorOuter;
    }
    prefill_v4_to_v6(plan.flow, plan.out);
    const MapResult r = mapper.map_v4_to_v6(plan.flow, plan.out, outer);
    if (r.status != MapStatus::Ok) return Outcome::drop(r.reason);
    return write_v4_to_v6(pkt, cfg, ctx, plan, scope);
}

}  // namespace detail

/// RFC 7915 §4: translates the IPv4 packet in `pkt` to IPv6 in place (the header grows into
/// headroom; the transport payload does not move). Handles §4.1 header fields (TOS copy or
/// reset, flow label 0, TTL decrement, Fragment Header for fragments, options dropped),
/// §4.2-4.4 ICMP including the quoted packet of errors, and TCP/UDP checksums (RFC 1624).
/// Verdicts: Forward; ReplyIcmpError (TTL expired, source route, DF and too big, first
/// fragment of UDP without checksum: `pkt` now holds an ICMPv4 error for the IPv4 port);
/// Fragment (DF=0 and above
/// min(lowest_ipv6_mtu, mtu6): `pkt` holds the full IPv6 packet, call fragment_v6 with
/// Outcome::mtu); Drop. `scope` is MapScope::Hairpin only for the second pass of a
/// hairpinned packet: the hop limit is then the TTL as is (one gateway, one hop). ICMP
/// errors keep an RFC 4884 extension (§4.2). No allocation, no locks. thread: the lcore
/// owning `ctx`.
template <Mapper M>
Outcome translate_v4_to_v6(PacketBuf& pkt, const XlatConfig& cfg, XlatContext& ctx, M& mapper,
                           MapScope scope = MapScope::Outer) {
    if (Outcome fast; detail::try_fast_v4_to_v6(pkt, cfg, mapper, scope, fast)) return fast;
    return detail::translate_v4_to_v6_full(pkt, cfg, ctx, mapper, scope);
}

}  // namespace strait::xlat
