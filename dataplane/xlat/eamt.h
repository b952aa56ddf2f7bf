// SPDX-License-Identifier: Apache-2.0
// RFC 7757 Explicit Address Mapping Table: immutable, flat, longest-prefix match both ways.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "strait/net/addr.h"
#include "strait/net/bytes.h"
#include "strait/util/result.h"

namespace strait::xlat {

/// One EAM (RFC 7757 §3.1): the IPv4 suffix (32 - v4.len bits) maps to the bits right after
/// the IPv6 prefix; the IPv6 suffix must be at least as long (usually equal).
struct EamtEntry {
    net::Ipv6Prefix v6;
    net::Ipv4Prefix v4;
};

/// The table. Built once by the control plane (allocates), then read-only: lookups never
/// allocate or lock. thread: build on the main lcore; lookups from any worker.
class Eamt {
public:
    Eamt() = default;

    /// Validates and indexes `entries`: prefix lengths in range, host bits zero, IPv6 suffix
    /// not shorter than the IPv4 suffix, no duplicate IPv4 or IPv6 prefix. The error names
    /// the entry index in `field` ("/eamt/3").
    static Result<Eamt> build(std::span<const EamtEntry> entries);

    /// RFC 7757 §3.2: longest IPv4 prefix containing `v4`; writes the IPv6 address to
    /// `out16`. False when no entry matches. A /32 is the longest possible match, so /32
    /// entries answer from a hash index first; shorter prefixes are searched only after it.
    bool lookup_v4(const uint8_t* v4, uint8_t* out16) const {
        if (entries_.empty()) return false;
        if (const Exact4* x = find_exact_v4(load_raw<uint32_t>(v4))) {
            __builtin_memcpy(out16, x->out6.b.data(), 16);
            return true;
        }
        return !groups_v4_.empty() && lookup_v4_prefix(net::load_be32(v4), out16);
    }
    /// RFC 7757 §3.2: longest IPv6 prefix containing `v6`; writes the IPv4 address. /128
    /// entries (always paired with a /32) answer from a hash index first.
    bool lookup_v6(const uint8_t* v6, uint8_t* out4) const {
        if (entries_.empty()) return false;
        if (const Exact6* x = find_exact_v6(load_raw<uint64_t>(v6), load_raw<uint64_t>(v6 + 8))) {
            __builtin_memcpy(out4, x->out4.data(), 4);
            return true;
        }
        return !groups_v6_.empty() && lookup_v6_prefix(load_be64(v6), load_be64(v6 + 8), out4);
    }
    /// True when some entry's IPv4 prefix contains `v4` (hairpin test, RFC 7757 §4.2).
    bool contains_v4(const uint8_t* v4) const {
        if (entries_.empty()) return false;
        return find_exact_v4(load_raw<uint32_t>(v4)) != nullptr ||
               (!groups_v4_.empty() && find_v4(net::load_be32(v4)) >= 0);
    }

    [[nodiscard]] std::size_t size() const { return entries_.size(); }
    [[nodiscard]] bool empty() const { return entries_.empty(); }

private:
    struct Key4 {  // IPv4 prefix, host order, sorted by (len desc, addr)
        uint32_t addr;
        uint8_t len;
        uint32_t entry;
    };
    struct Key6 {  // IPv6 prefix as two host-order halves, sorted by (len desc, hi, lo)
        uint64_t hi, lo;
        uint8_t len;
        uint32_t entry;
    };
    struct Group {  // one prefix length shorter than the full one: keys [begin, end)
        uint8_t len;
        uint32_t begin, end;
    };
    // Exact-match keys are the address bytes loaded in host byte order ("raw"): hashing and
    // comparing need no byte swap.
    struct Exact4 {  // a /32 entry: its (full) IPv6 address
        uint32_t addr;
        uint32_t used;
        net::Ipv6Addr out6;
    };
    struct Exact6 {  // a /128 entry (its IPv4 side is necessarily a /32)
        uint64_t hi, lo;
        std::array<uint8_t, 4> out4;
        uint32_t used;
    };
    template <class T>
    static T load_raw(const uint8_t* p) {
        T v;
        __builtin_memcpy(&v, p, sizeof v);
        return v;
    }
    static uint64_t load_be64(const uint8_t* p) {
        return uint64_t{net::load_be32(p)} << 32 | net::load_be32(p + 4);
    }
    // Open addressing, linear probing, load factor <= 1/2 so a probe always ends.
    static uint32_t hash4(uint32_t a, unsigned shift) { return (a * 0x9e3779b1u) >> shift; }
    static uint32_t hash6(uint64_t hi, uint64_t lo, unsigned shift) {
        return static_cast<uint32_t>(
            ((hi ^ (lo * 0xff51afd7ed558ccdull)) * 0x9e3779b97f4a7c15ull) >> (32 + shift));
    }
    const Exact4* find_exact_v4(uint32_t a) const {
        if (mask4_ == 0) return nullptr;
        const Exact4* t = exact4_.data();
        for (uint32_t i = hash4(a, shift4_);; i = (i + 1) & mask4_) {
            const Exact4& x = t[i];
            if (!x.used) return nullptr;
            if (x.addr == a) return &x;
        }
    }
    const Exact6* find_exact_v6(uint64_t hi, uint64_t lo) const {
        if (mask6_ == 0) return nullptr;
        const Exact6* t = exact6_.data();
        for (uint32_t i = hash6(hi, lo, shift6_);; i = (i + 1) & mask6_) {
            const Exact6& x = t[i];
            if (!x.used) return nullptr;
            if (x.hi == hi && x.lo == lo) return &x;
        }
    }
    void index_exact();
    int find_v4(uint32_t a) const;
    int find_v6(uint64_t hi, uint64_t lo) const;
    bool lookup_v4_prefix(uint32_t a, uint8_t* out16) const;
    bool lookup_v6_prefix(uint64_t hi, uint64_t lo, uint8_t* out4) const;

    std::vector<EamtEntry> entries_;
    std::vector<Key4> by_v4_;  // all prefixes; the groups cover only those shorter than /32
    std::vector<Key6> by_v6_;  // all prefixes; the groups cover only those shorter than /128
    std::vector<Group> groups_v4_;
    std::vector<Group> groups_v6_;
    std::vector<Exact4> exact4_;  // power-of-two size, or empty
    std::vector<Exact6> exact6_;
    uint32_t mask4_ = 0, mask6_ = 0;    // size - 1 (tables have >= 2 slots), 0 when empty
    unsigned shift4_ = 0, shift6_ = 0;  // 32 - log2(size)
};

}  // namespace strait::xlat
