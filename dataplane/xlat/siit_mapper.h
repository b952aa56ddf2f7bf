// SPDX-License-Identifier: Apache-2.0
// Stateless SIIT address mapper: EAMT first (RFC 7757 §3.2), then pool6 (RFC 6052), with
// RFC 7757 §4.2 hairpin detection. Satisfies the Mapper concept.
#pragma once

#include "eamt.h"
#include "mapper.h"
#include "strait/net/addr.h"

namespace strait::xlat {

/// Maps addresses only; ports and ICMP identifiers pass unchanged. Holds pointers into an
/// immutable snapshot (the Eamt), so it is cheap to construct per burst. thread: any worker.
class SiitMapper {
public:
    /// `pool6.len == 0` means no pool6 (EAMT only). `pool6` must satisfy validate_pref64.
    /// `allow_non_global_in_wkp`: RFC 6052 §3.1 lab override for 64:ff9b::/96.
    SiitMapper(const Eamt& eamt, const net::Ipv6Prefix& pool6, bool allow_non_global_in_wkp);

    /// RFC 7757 §3.2 / RFC 7915 §5.1: source and destination through the EAMT, else
    /// extracted from pool6; neither -> Drop(XlatNoMapping). Outer packets whose pool6
    /// destination is EAMT-mapped answer Hairpin (RFC 7757 §4.2).
    MapResult map_v6_to_v4(const Flow6& in, Flow4& out, MapScope scope) const;

    /// RFC 7757 §3.2 / RFC 7915 §4.1: EAMT, else embedded in pool6. With MapScope::Hairpin
    /// the source skips the EAMT (RFC 7757 §4.2) so the far IPv6 node sees a pool6 address.
    MapResult map_v4_to_v6(const Flow4& in, Flow6& out, MapScope scope) const;

private:
    DropReason addr_v6_to_v4(const net::Ipv6Addr& a, net::Ipv4Addr& out, bool& via_pool6) const;
    DropReason addr_v4_to_v6(const net::Ipv4Addr& a, net::Ipv6Addr& out, bool use_eamt) const;

    bool in_pool6(const net::Ipv6Addr& a) const;

    const Eamt* eamt_;
    net::Ipv6Prefix pool6_;
    uint64_t pool_hi_ = 0, pool_lo_ = 0, mask_hi_ = 0, mask_lo_ = 0;  // pool6 as masked halves
    bool check_global_ = false;  // pool6 is the WKP and no lab override (RFC 6052 §3.1)
};

}  // namespace strait::xlat
