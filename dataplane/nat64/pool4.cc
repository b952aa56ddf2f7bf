// SPDX-License-Identifier: Apache-2.0
// pool4 normalisation: config entries -> per-protocol ranges with per-worker port slices.
#include "pool4.h"

#include <string>

namespace strait::nat64 {

Result<Pool4> Pool4::build(const std::vector<config::Pool4Entry>& entries, unsigned workers) {
    Pool4 p;
    if (workers == 0) return invalid("/workers", "must be at least 1");
    for (const auto& e : entries) {
        const unsigned pi = proto_index(static_cast<uint8_t>(e.proto));
        if (pi >= kProtos) return invalid("/nat64/pool4", "unknown protocol");
        Range r;
        r.addr = uint32_t{e.prefix.addr.b[0]} << 24 | uint32_t{e.prefix.addr.b[1]} << 16 |
                 uint32_t{e.prefix.addr.b[2]} << 8 | e.prefix.addr.b[3];
        r.mask = e.prefix.len == 0 ? 0 : ~uint32_t{0} << (32 - e.prefix.len);
        r.addr &= r.mask;
        r.count = uint32_t{1} << (32 - e.prefix.len);
        r.min = e.port_min;
        r.max = e.port_max;
        const uint32_t ports = uint32_t{r.max} - r.min + 1;
        // Even slice lengths keep both parities in every worker's slice (RFC 4787 REQ-3).
        r.slice_len = (ports + workers - 1) / workers;
        if (r.slice_len > 1 && (r.slice_len & 1u)) ++r.slice_len;
        r.workers = workers;
        r.first_index = p.n_addrs_[pi];
        p.n_addrs_[pi] += r.count;
        p.ranges_[pi].push_back(r);
    }
    return p;
}

const Pool4::Range* Pool4::range_of(unsigned pi, uint32_t idx) const {
    for (const Range& r : ranges_[pi]) {
        if (idx >= r.first_index && idx < r.first_index + r.count) return &r;
    }
    return nullptr;
}

int64_t Pool4::addr_index(unsigned pi, uint32_t addr, uint16_t port) const {
    for (const Range& r : ranges_[pi]) {
        if (((addr ^ r.addr) & r.mask) == 0 && port >= r.min && port <= r.max) {
            return r.first_index + (addr - r.addr);
        }
    }
    return -1;
}

uint32_t Pool4::address_at(unsigned pi, uint32_t index) const {
    const Range* r = range_of(pi, index);
    return r ? r->addr + (index - r->first_index) : 0;
}

uint32_t Pool4::slice_size(unsigned pi, uint32_t index, unsigned w) const {
    const Range* r = range_of(pi, index);
    uint32_t lo, hi;
    if (r == nullptr || !slice(*r, w, lo, hi)) return 0;
    return hi - lo + 1;
}

}  // namespace strait::nat64
