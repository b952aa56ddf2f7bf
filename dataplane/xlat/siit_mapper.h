// SPDX-License-Identifier: Apache-2.0
// Stateless SIIT address mapper: EAMT first (RFC 7757 §3.2), then pool6 (RFC 6052), with
// RFC 7757 §4.2 hairpin detection. Satisfies the Mapper concept.
#pragma once

#include "eamt.h"
#include "mapper.h"
#include "strait/net/addr.h"
#include "strait/net/rfc6052.h"

namespace strait::xlat {

/// Maps addresses only; ports and ICMP identifiers pass unchanged. Holds pointers into an
/// immutable snapshot (the Eamt), so it is cheap to construct per burst. thread: any worker.
class SiitMapper {
  public:
    /// `pool6.len == 0` means no pool6 (EAMT only). `pool6` must satisfy validate_pref64.
    /// `allow_non_global_in_wkp`: RFC 6052 §3.1 lab override for 64:ff9b::/96.
    SiitMapper(const Eamt& eamt, const net::Ipv6Prefix& pool6, bool allow_non_global_in_wkp);

    /// RFC 7757 §3.2 / RFC 7915 §5.1: source and destination through the EAMT, else
    /// extracted from pool6; neither -> Drop(XlatNoMapping), except the source of an ICMPv6
    /// error (ErrorOuter), which answers src_unmapped (RFC 6791). Packets and errors whose
    /// pool6 destination is EAMT-mapped answer Hairpin (RFC 7757 §4.2).
    [[gnu::always_inline]] MapResult map_v6_to_v4(const Flow6& in, Flow4& out,
                                                  MapScope scope) const {
        bool src_pool6 = false;
        bool dst_pool6 = false;
        MapResult res = MapResult::ok();
        if (const DropReason r = addr_v6_to_v4(in.src, out.src, src_pool6); r != kOk) {
            if (scope != MapScope::ErrorOuter || r != DropReason::XlatNoMapping) {
                return MapResult::drop(r);
            }
            res.src_unmapped = true;  // a router with a native address reports an error
        }
        if (const DropReason r = addr_v6_to_v4(in.dst, out.dst, dst_pool6); r != kOk) {
            return MapResult::drop(r);
        }
        if ((scope == MapScope::Outer || scope == MapScope::ErrorOuter) && dst_pool6 &&
            eamt_->contains_v4(out.dst.b.data())) {
            res.status = MapStatus::Hairpin;
        }
        return res;
    }

    /// RFC 7757 §3.2 / RFC 7915 §4.1: EAMT, else embedded in pool6. In the hairpin pass
    /// (RFC 7757 §4.2) the source skips the EAMT so the far IPv6 node sees a pool6 address;
    /// in a hairpinned error's quoted packet, which travelled the other way, the destination.
    [[gnu::always_inline]] MapResult map_v4_to_v6(const Flow4& in, Flow6& out,
                                                  MapScope scope) const {
        const bool src_eamt = scope != MapScope::Hairpin && scope != MapScope::HairpinErrorOuter;
        const bool dst_eamt = scope != MapScope::HairpinInner;
        if (const DropReason r = addr_v4_to_v6(in.src, out.src, src_eamt); r != kOk) {
            return MapResult::drop(r);
        }
        if (const DropReason r = addr_v4_to_v6(in.dst, out.dst, dst_eamt); r != kOk) {
            return MapResult::drop(r);
        }
        return MapResult::ok();
    }

  private:
    // Inline: the translator's fast path calls these once per address.
    static constexpr DropReason kOk = DropReason::Count_;

    DropReason addr_v6_to_v4(const net::Ipv6Addr& a, net::Ipv4Addr& out, bool& via_pool6) const {
        via_pool6 = false;
        if (eamt_->lookup_v6(a.b.data(), out.b.data())) return kOk;
        if (!in_pool6(a)) return DropReason::XlatNoMapping;
        net::extract_ipv4(pool6_, a.b.data(), out.b.data());
        if (check_global_ && !net::is_global_ipv4(out)) return DropReason::XlatNonGlobalInWkp;
        via_pool6 = true;
        return kOk;
    }
    DropReason addr_v4_to_v6(const net::Ipv4Addr& a, net::Ipv6Addr& out, bool use_eamt) const {
        if (use_eamt && eamt_->lookup_v4(a.b.data(), out.b.data())) return kOk;
        if (pool6_.len == 0) return DropReason::XlatNoMapping;
        if (check_global_ && !net::is_global_ipv4(a)) return DropReason::XlatNonGlobalInWkp;
        net::embed_ipv4(pool6_, a.b.data(), out.b.data());
        return kOk;
    }
    static uint64_t load_raw64(const uint8_t* p) {
        uint64_t v;
        __builtin_memcpy(&v, p, 8);
        return v;
    }
    bool in_pool6(const net::Ipv6Addr& a) const {
        return pool6_.len != 0 && (load_raw64(a.b.data()) & mask_hi_) == pool_hi_ &&
               (load_raw64(a.b.data() + 8) & mask_lo_) == pool_lo_;
    }

    const Eamt* eamt_;
    net::Ipv6Prefix pool6_;
    // pool6 as masked halves, in memory byte order (bitwise and/compare need no swap)
    uint64_t pool_hi_ = 0, pool_lo_ = 0, mask_hi_ = 0, mask_lo_ = 0;
    bool check_global_ = false;  // pool6 is the WKP and no lab override (RFC 6052 §3.1)
};

}  // namespace strait::xlat
