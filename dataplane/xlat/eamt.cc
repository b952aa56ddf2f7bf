// SPDX-License-Identifier: Apache-2.0
// EAMT build (validation, sorting into per-length groups) and lock-free longest-prefix lookups.
#include "eamt.h"

#include <algorithm>
#include <string>

#include "strait/net/bytes.h"

namespace strait::xlat {
namespace {

__extension__ using U128 = unsigned __int128;

uint32_t mask32(unsigned len) { return len == 0 ? 0 : ~0u << (32 - len); }

U128 mask128(unsigned len) { return len == 0 ? U128{0} : ~U128{0} << (128 - len); }

U128 load128(const uint8_t* p) {
    return U128{net::load_be32(p)} << 96 | U128{net::load_be32(p + 4)} << 64 |
           U128{net::load_be32(p + 8)} << 32 | net::load_be32(p + 12);
}

void store128(uint8_t* p, U128 v) {
    for (int i = 0; i < 4; ++i) net::store_be32(p + 4 * i, static_cast<uint32_t>(v >> (96 - 32 * i)));
}

Status validate_entry(const EamtEntry& e, std::size_t i) {
    const std::string field = "/eamt/" + std::to_string(i);
    if (e.v4.len > 32 || e.v6.len > 128) return invalid(field, "prefix length out of range");
    if ((e.v4.addr.host() & ~mask32(e.v4.len)) != 0) {
        return invalid(field, "IPv4 prefix " + net::to_string(e.v4) + " has host bits set");
    }
    if ((load128(e.v6.addr.b.data()) & ~mask128(e.v6.len)) != 0) {
        return invalid(field, "IPv6 prefix " + net::to_string(e.v6) + " has host bits set");
    }
    if (128 - e.v6.len < 32 - e.v4.len) {
        return invalid(field, "RFC 7757 §3.2: IPv6 suffix of " + net::to_string(e.v6) +
                                  " is shorter than the IPv4 suffix of " + net::to_string(e.v4));
    }
    return Ok{};
}

template <class Key, class Group>
std::vector<Group> make_groups(const std::vector<Key>& keys) {
    std::vector<Group> groups;
    for (uint32_t i = 0; i < keys.size(); ++i) {
        if (groups.empty() || groups.back().len != keys[i].len) {
            groups.push_back(Group{keys[i].len, i, i});
        }
        groups.back().end = i + 1;
    }
    return groups;
}

}  // namespace

Result<Eamt> Eamt::build(std::span<const EamtEntry> entries) {
    Eamt t;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (Status s = validate_entry(entries[i], i); !s) return s.error();
        const EamtEntry& e = entries[i];
        const U128 v6 = load128(e.v6.addr.b.data());
        t.by_v4_.push_back(Key4{e.v4.addr.host(), e.v4.len, static_cast<uint32_t>(i)});
        t.by_v6_.push_back(Key6{static_cast<uint64_t>(v6 >> 64), static_cast<uint64_t>(v6),
                                e.v6.len, static_cast<uint32_t>(i)});
    }
    t.entries_.assign(entries.begin(), entries.end());
    std::sort(t.by_v4_.begin(), t.by_v4_.end(), [](const Key4& a, const Key4& b) {
        return a.len != b.len ? a.len > b.len : a.addr < b.addr;
    });
    std::sort(t.by_v6_.begin(), t.by_v6_.end(), [](const Key6& a, const Key6& b) {
        if (a.len != b.len) return a.len > b.len;
        return a.hi != b.hi ? a.hi < b.hi : a.lo < b.lo;
    });
    for (std::size_t i = 1; i < t.by_v4_.size(); ++i) {
        const Key4& a = t.by_v4_[i - 1];
        const Key4& b = t.by_v4_[i];
        if (a.len == b.len && a.addr == b.addr) {
            return invalid("/eamt/" + std::to_string(b.entry), "duplicate IPv4 prefix");
        }
    }
    for (std::size_t i = 1; i < t.by_v6_.size(); ++i) {
        const Key6& a = t.by_v6_[i - 1];
        const Key6& b = t.by_v6_[i];
        if (a.len == b.len && a.hi == b.hi && a.lo == b.lo) {
            return invalid("/eamt/" + std::to_string(b.entry), "duplicate IPv6 prefix");
        }
    }
    t.groups_v4_ = make_groups<Key4, Group>(t.by_v4_);
    t.groups_v6_ = make_groups<Key6, Group>(t.by_v6_);
    // Full-length prefixes go to the hash indexes instead of a binary-searched group.
    if (!t.groups_v4_.empty() && t.groups_v4_.front().len == 32) {
        t.groups_v4_.erase(t.groups_v4_.begin());
    }
    if (!t.groups_v6_.empty() && t.groups_v6_.front().len == 128) {
        t.groups_v6_.erase(t.groups_v6_.begin());
    }
    t.index_exact();
    return t;
}

void Eamt::index_exact() {
    std::size_t n4 = 0, n6 = 0;
    for (const EamtEntry& e : entries_) {
        n4 += e.v4.len == 32;
        n6 += e.v6.len == 128;
    }
    const auto table_bits = [](std::size_t n) {
        unsigned bits = 1;
        while ((std::size_t{1} << bits) < 2 * n) ++bits;
        return bits;
    };
    if (n4 != 0) {
        const unsigned bits = table_bits(n4);
        exact4_.assign(std::size_t{1} << bits, Exact4{});
        mask4_ = (1u << bits) - 1;
        shift4_ = 32 - bits;
    }
    if (n6 != 0) {
        const unsigned bits = table_bits(n6);
        exact6_.assign(std::size_t{1} << bits, Exact6{});
        mask6_ = (1u << bits) - 1;
        shift6_ = 32 - bits;
    }
    for (const EamtEntry& e : entries_) {
        if (e.v4.len == 32) {
            const auto a = load_raw<uint32_t>(e.v4.addr.b.data());
            uint32_t i = hash4(a, shift4_);
            while (exact4_[i].used) i = (i + 1) & mask4_;
            exact4_[i] = Exact4{a, 1, e.v6.addr};  // suffix length 0: the IPv6 prefix itself
        }
        if (e.v6.len == 128) {
            const auto hi = load_raw<uint64_t>(e.v6.addr.b.data());
            const auto lo = load_raw<uint64_t>(e.v6.addr.b.data() + 8);
            uint32_t i = hash6(hi, lo, shift6_);
            while (exact6_[i].used) i = (i + 1) & mask6_;
            exact6_[i] = Exact6{hi, lo, e.v4.addr.b, 1};  // validation forces v4 /32
        }
    }
}

int Eamt::find_v4(uint32_t a) const {
    for (const Group& g : groups_v4_) {
        const uint32_t key = a & mask32(g.len);
        const auto first = by_v4_.begin() + g.begin;
        const auto last = by_v4_.begin() + g.end;
        const auto it = std::lower_bound(first, last, key,
                                         [](const Key4& k, uint32_t v) { return k.addr < v; });
        if (it != last && it->addr == key) return static_cast<int>(it->entry);
    }
    return -1;
}

int Eamt::find_v6(uint64_t hi, uint64_t lo) const {
    for (const Group& g : groups_v6_) {
        const U128 m = mask128(g.len);
        const auto khi = hi & static_cast<uint64_t>(m >> 64);
        const auto klo = lo & static_cast<uint64_t>(m);
        const auto first = by_v6_.begin() + g.begin;
        const auto last = by_v6_.begin() + g.end;
        const auto it = std::lower_bound(first, last, std::pair{khi, klo},
                                         [](const Key6& k, std::pair<uint64_t, uint64_t> v) {
                                             return k.hi != v.first ? k.hi < v.first
                                                                    : k.lo < v.second;
                                         });
        if (it != last && it->hi == khi && it->lo == klo) return static_cast<int>(it->entry);
    }
    return -1;
}

bool Eamt::lookup_v4_prefix(uint32_t a, uint8_t* out16) const {
    const int i = find_v4(a);
    if (i < 0) return false;
    const EamtEntry& e = entries_[static_cast<std::size_t>(i)];
    const unsigned suffix_len = 32u - e.v4.len;
    const uint32_t suffix = a & ~mask32(e.v4.len);
    const unsigned shift = 128u - e.v6.len - suffix_len;
    const U128 prefix = load128(e.v6.addr.b.data());
    store128(out16, suffix_len == 0 ? prefix : prefix | U128{suffix} << shift);
    return true;
}

bool Eamt::lookup_v6_prefix(uint64_t hi, uint64_t lo, uint8_t* out4) const {
    const U128 a = U128{hi} << 64 | lo;
    const int i = find_v6(hi, lo);
    if (i < 0) return false;
    const EamtEntry& e = entries_[static_cast<std::size_t>(i)];
    const unsigned suffix_len = 32u - e.v4.len;
    const unsigned shift = 128u - e.v6.len - suffix_len;
    const uint32_t suffix =
        suffix_len == 0 ? 0 : static_cast<uint32_t>(a >> shift) & ~mask32(e.v4.len);
    net::store_be32(out4, e.v4.addr.host() | suffix);
    return true;
}

}  // namespace strait::xlat
