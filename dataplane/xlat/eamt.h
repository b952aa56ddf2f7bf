// SPDX-License-Identifier: Apache-2.0
// RFC 7757 Explicit Address Mapping Table: immutable, flat, longest-prefix match both ways.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "strait/net/addr.h"
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
    /// `out16`. False when no entry matches.
    bool lookup_v4(const uint8_t* v4, uint8_t* out16) const;
    /// RFC 7757 §3.2: longest IPv6 prefix containing `v6`; writes the IPv4 address.
    bool lookup_v6(const uint8_t* v6, uint8_t* out4) const;
    /// True when some entry's IPv4 prefix contains `v4` (hairpin test, RFC 7757 §4.2).
    bool contains_v4(const uint8_t* v4) const;

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
    struct Group {  // one prefix length: keys [begin, end)
        uint8_t len;
        uint32_t begin, end;
    };
    int find_v4(uint32_t a) const;
    int find_v6(uint64_t hi, uint64_t lo) const;

    std::vector<EamtEntry> entries_;
    std::vector<Key4> by_v4_;
    std::vector<Key6> by_v6_;
    std::vector<Group> groups_v4_;
    std::vector<Group> groups_v6_;
};

}  // namespace strait::xlat
