// SPDX-License-Identifier: Apache-2.0
// SIIT mapper construction: pool6 split into masked halves (the mapping itself is inline).
#include "siit_mapper.h"

#include <endian.h>

#include "strait/net/bytes.h"
#include "strait/net/rfc6052.h"

namespace strait::xlat {
namespace {
uint64_t half_mask(int bits) {  // top `bits` (0..64) of a 64-bit half
    return bits <= 0 ? 0 : bits >= 64 ? ~uint64_t{0} : ~uint64_t{0} << (64 - bits);
}
}  // namespace

SiitMapper::SiitMapper(const Eamt& eamt, const net::Ipv6Prefix& pool6, bool allow_non_global)
    : eamt_(&eamt), pool6_(pool6) {
    mask_hi_ = htobe64(half_mask(pool6.len));
    mask_lo_ = htobe64(half_mask(pool6.len - 64));
    pool_hi_ = load_raw64(pool6.addr.b.data()) & mask_hi_;
    pool_lo_ = load_raw64(pool6.addr.b.data() + 8) & mask_lo_;
    check_global_ = !allow_non_global && net::is_well_known_prefix(pool6);
}

}  // namespace strait::xlat
