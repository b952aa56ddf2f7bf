// SPDX-License-Identifier: Apache-2.0
// SIIT address mapping: EAMT longest-prefix match, RFC 6052 fallback, hairpin detection.
#include "siit_mapper.h"

#include "strait/net/bytes.h"
#include "strait/net/rfc6052.h"

namespace strait::xlat {
namespace {
constexpr DropReason kOk = DropReason::Count_;

uint64_t half_mask(int bits) {  // top `bits` (0..64) of a 64-bit half
    return bits <= 0 ? 0 : bits >= 64 ? ~uint64_t{0} : ~uint64_t{0} << (64 - bits);
}
uint64_t load_be64(const uint8_t* p) {
    return uint64_t{net::load_be32(p)} << 32 | net::load_be32(p + 4);
}
}  // namespace

SiitMapper::SiitMapper(const Eamt& eamt, const net::Ipv6Prefix& pool6, bool allow_non_global)
    : eamt_(&eamt), pool6_(pool6) {
    mask_hi_ = half_mask(pool6.len);
    mask_lo_ = half_mask(pool6.len - 64);
    pool_hi_ = load_be64(pool6.addr.b.data()) & mask_hi_;
    pool_lo_ = load_be64(pool6.addr.b.data() + 8) & mask_lo_;
    check_global_ = !allow_non_global && net::is_well_known_prefix(pool6);
}

bool SiitMapper::in_pool6(const net::Ipv6Addr& a) const {
    return pool6_.len != 0 && (load_be64(a.b.data()) & mask_hi_) == pool_hi_ &&
           (load_be64(a.b.data() + 8) & mask_lo_) == pool_lo_;
}

DropReason SiitMapper::addr_v6_to_v4(const net::Ipv6Addr& a, net::Ipv4Addr& out,
                                     bool& via_pool6) const {
    via_pool6 = false;
    if (eamt_->lookup_v6(a.b.data(), out.b.data())) return kOk;
    if (!in_pool6(a)) return DropReason::XlatNoMapping;
    net::extract_ipv4(pool6_, a.b.data(), out.b.data());
    if (check_global_ && !net::is_global_ipv4(out)) {
        return DropReason::XlatNonGlobalInWkp;
    }
    via_pool6 = true;
    return kOk;
}

DropReason SiitMapper::addr_v4_to_v6(const net::Ipv4Addr& a, net::Ipv6Addr& out,
                                     bool use_eamt) const {
    if (use_eamt && eamt_->lookup_v4(a.b.data(), out.b.data())) return kOk;
    if (pool6_.len == 0) return DropReason::XlatNoMapping;
    if (check_global_ && !net::is_global_ipv4(a)) {
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
