// SPDX-License-Identifier: Apache-2.0
// pool4 (RFC 6146 §3.5.1.1): IPv4 transport addresses NAT64 maps subscribers onto, cut into
// one disjoint port slice per worker, so allocation needs no lock and an IPv4 packet's
// destination port names the worker whose table holds its BIB entry. Pure: no DPDK.
#pragma once

#include <cstdint>
#include <vector>

#include "strait/config/nat64.h"
#include "strait/util/result.h"

namespace strait::nat64 {

/// Dense protocol index used by the tables: TCP 0, UDP 1, ICMP 2; 3 = not NAT64'd.
inline constexpr unsigned kProtos = 3;
constexpr unsigned proto_index(uint8_t ipv4_proto) {
    return ipv4_proto == 6 ? 0 : ipv4_proto == 17 ? 1 : ipv4_proto == 1 ? 2 : kProtos;
}

/// The chosen IPv4 transport address.
struct Pool4Pick {
    uint32_t addr = 0;  ///< host byte order
    uint16_t port = 0;
    uint32_t addr_index = 0;  ///< index among the protocol's addresses (utilisation counters)
};

class Pool4 {
  public:
    /// Normalises config entries for `workers` workers. Thread: control plane.
    static Result<Pool4> build(const std::vector<config::Pool4Entry>& entries, unsigned workers);

    /// Worker whose slice holds (proto index, address, port); -1 when outside pool4.
    /// thread: any (read-only after build).
    [[nodiscard]] int owner(unsigned pi, uint32_t addr, uint16_t port) const {
        for (const Range& r : ranges_[pi]) {
            if (((addr ^ r.addr) & r.mask) == 0 && port >= r.min && port <= r.max) {
                return static_cast<int>((port - r.min) / r.slice_len);
            }
        }
        return -1;
    }
    /// Address index of (addr, port) for utilisation counters; -1 outside pool4. The port
    /// matters: entries of one address with other port ranges have indexes of their own.
    [[nodiscard]] int64_t addr_index(unsigned pi, uint32_t addr, uint16_t port) const;
    /// Addresses (distinct per range) for a protocol index.
    [[nodiscard]] uint32_t addresses(unsigned pi) const { return n_addrs_[pi]; }
    /// Address number `index` of a protocol (host order), for reports.
    [[nodiscard]] uint32_t address_at(unsigned pi, uint32_t index) const;
    /// Ports worker `w` owns on address number `index` of protocol `pi`.
    [[nodiscard]] uint32_t slice_size(unsigned pi, uint32_t index, unsigned w) const;

    /// RFC 6146 §3.5.1.1 / RFC 4787 REQ-2..4 / RFC 6056 Algorithm 1: picks a free port for
    /// worker `w`, on the subscriber's paired address (`sub_hash` chooses it; the next
    /// addresses when that one is full), in the same range (0-1023 or 1024-65535) and of the
    /// same parity as `src_port` when the slice has such ports, starting at a random
    /// point (`rnd`). `is_free(addr, port)` says whether the port is unused; `full(index)`
    /// says whether this worker's slice of an address is known to be full (skips it).
    /// False when nothing is free. thread: worker `w`.
    template <class IsFree, class Full>
    bool allocate(unsigned w, unsigned pi, uint64_t sub_hash, uint16_t src_port, uint64_t rnd,
                  IsFree&& is_free, Full&& full, Pool4Pick& out) const {
        const uint32_t n = n_addrs_[pi];
        if (n == 0) return false;
        const uint32_t first = static_cast<uint32_t>(sub_hash % n);
        for (uint32_t k = 0; k < n; ++k) {
            const uint32_t idx = first + k < n ? first + k : first + k - n;
            if (full(idx)) continue;
            const Range* r = range_of(pi, idx);
            const uint32_t addr = r->addr + (idx - r->first_index);
            uint32_t lo, hi;
            if (!slice(*r, w, lo, hi)) continue;
            if (probe(lo, hi, src_port, rnd, addr, is_free, out.port)) {
                out.addr = addr;
                out.addr_index = idx;
                return true;
            }
        }
        return false;
    }

  private:
    struct Range {
        uint32_t addr = 0;  ///< first address (host order)
        uint32_t mask = 0;
        uint32_t count = 1;  ///< addresses
        uint32_t first_index = 0;
        uint16_t min = 0, max = 0;
        uint32_t slice_len = 1;
        unsigned workers = 1;
    };

    const Range* range_of(unsigned pi, uint32_t idx) const;
    static bool slice(const Range& r, unsigned w, uint32_t& lo, uint32_t& hi) {
        lo = r.min + w * r.slice_len;
        if (w >= r.workers || lo > r.max) return false;
        hi = lo + r.slice_len - 1 > r.max ? r.max : lo + r.slice_len - 1;
        return true;
    }
    /// The source port's range first (0-1023 or 1024-65535, RFC 6146 §3.5.1.1 SHOULD),
    /// then, when it has no free port, the slice's other range (a MAY there).
    template <class IsFree>
    static bool probe(uint32_t lo, uint32_t hi, uint16_t src_port, uint64_t rnd, uint32_t addr,
                      IsFree& is_free, uint16_t& port) {
        const uint32_t wk_hi = hi < 1023 ? hi : 1023;   // well-known part: [lo, wk_hi]
        const uint32_t eph_lo = lo > 1024 ? lo : 1024;  // the rest: [eph_lo, hi]
        const bool low = src_port < 1024;
        return probe_range(low ? lo : eph_lo, low ? wk_hi : hi, src_port, rnd, addr, is_free,
                           port) ||
               probe_range(low ? eph_lo : lo, low ? hi : wk_hi, src_port, rnd, addr, is_free, port);
    }
    /// Linear probe by two from a random start in [clo, chi] (empty when clo > chi).
    template <class IsFree>
    static bool probe_range(uint32_t clo, uint32_t chi, uint16_t src_port, uint64_t rnd,
                            uint32_t addr, IsFree& is_free, uint16_t& port) {
        for (uint32_t pass = 0; pass < 2 && clo <= chi; ++pass) {
            // REQ-3 parity: the source port's in the first pass, the other in the second.
            const uint32_t want = (src_port & 1u) ^ pass;
            const uint32_t first = clo + ((clo & 1u) != want ? 1 : 0);
            if (first > chi) continue;
            const uint32_t count = (chi - first) / 2 + 1;
            const uint32_t start = static_cast<uint32_t>(rnd % count);
            for (uint32_t i = 0; i < count; ++i) {
                const uint32_t j = start + i < count ? start + i : start + i - count;
                const auto p = static_cast<uint16_t>(first + 2 * j);
                if (is_free(addr, p)) {
                    port = p;
                    return true;
                }
            }
        }
        return false;
    }

    std::vector<Range> ranges_[kProtos];
    uint32_t n_addrs_[kProtos] = {};
};

}  // namespace strait::nat64
