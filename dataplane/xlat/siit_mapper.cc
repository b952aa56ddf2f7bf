// SPDX-License-Identifier: Apache-2.0
// SIIT address mapping: EAMT longest-prefix match, RFC 6052 fallback, hairpin detection.
#include "siit_mapper.h"

#include "strait/net/rfc6052.h"

namespace strait::xlat {
namespace {
constexpr DropReason kOk = DropReason::Count_;
}

DropReason SiitMapper::addr_v6_to_v4(const net::Ipv6Addr& a, net::Ipv4Addr& out,
                                     bool& via_pool6) const {
    via_pool6 = false;
    if (eamt_->lookup_v6(a.b.data(), out.b.data())) return kOk;
    if (pool6_.len == 0 || !pool6_.contains(a)) return DropReason::XlatNoMapping;
    net::extract_ipv4(pool6_, a.b.data(), out.b.data());
    if (!net::embedding_allowed(pool6_, out, allow_non_global_)) {
        return DropReason::XlatNonGlobalInWkp;
    }
    via_pool6 = true;
    return kOk;
}

DropReason SiitMapper::addr_v4_to_v6(const net::Ipv4Addr& a, net::Ipv6Addr& out,
                                     bool use_eamt) const {
    if (use_eamt && eamt_->lookup_v4(a.b.data(), out.b.data())) return kOk;
    if (pool6_.len == 0) return DropReason::XlatNoMapping;
    if (!net::embedding_allowed(pool6_, a, allow_non_global_)) {
        return DropReason::XlatNonGlobalInWkp;
    }
    net::embed_ipv4(pool6_, a.b.data(), out.b.data());
    return kOk;
}

MapResult SiitMapper::map_v6_to_v4(const Flow6& in, Flow4& out, MapScope scope) const {
    bool src_pool6 = false;
    bool dst_pool6 = false;
    if (const DropReason r = addr_v6_to_v4(in.src, out.src, src_pool6); r != kOk) {
        return MapResult::drop(r);
    }
    if (const DropReason r = addr_v6_to_v4(in.dst, out.dst, dst_pool6); r != kOk) {
        return MapResult::drop(r);
    }
    if (scope == MapScope::Outer && dst_pool6 && eamt_->contains_v4(out.dst.b.data())) {
        return {MapStatus::Hairpin, DropReason::InternalBug};
    }
    return MapResult::ok();
}

MapResult SiitMapper::map_v4_to_v6(const Flow4& in, Flow6& out, MapScope scope) const {
    if (const DropReason r = addr_v4_to_v6(in.src, out.src, scope != MapScope::Hairpin); r != kOk) {
        return MapResult::drop(r);
    }
    if (const DropReason r = addr_v4_to_v6(in.dst, out.dst, true); r != kOk) {
        return MapResult::drop(r);
    }
    return MapResult::ok();
}

}  // namespace strait::xlat
