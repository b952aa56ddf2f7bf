// SPDX-License-Identifier: Apache-2.0
// RFC 6147 policy decisions that depend only on config: who gets DNS64, which prefix,
// which AAAA records are excluded, which IPv4 addresses are mapped, reverse (PTR) names.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "dns64/config.h"

namespace strait::dns64 {

/// Config-derived decisions. Built on config swap; thread: DNS64 lcore only.
class Policy {
public:
    explicit Policy(const Dns64Config& cfg);

    /// BIND `clients`: true when this client gets synthesis (RFC 6147 §5.1 applies).
    [[nodiscard]] bool dns64_for(const net::Ipv6Addr& client) const;
    /// Index of the NAT64 prefix for this client: `prefix_map` (first match) when
    /// configured, else a stable FNV-1a hash of the address (load spreading, scale-out).
    [[nodiscard]] uint8_t prefix_for(const net::Ipv6Addr& client) const;
    [[nodiscard]] const net::Ipv6Prefix& prefix(uint8_t i) const { return prefixes_[i]; }
    [[nodiscard]] std::size_t prefix_count() const { return prefixes_.size(); }
    /// RFC 6147 §5.1.4: an AAAA inside an excluded range counts as absent.
    [[nodiscard]] bool excluded(const net::Ipv6Addr& a) const;
    /// BIND `mapped`, plus RFC 6052 §3.1: no non-global IPv4 under 64:ff9b::/96 unless
    /// `allow_non_global_in_wkp`.
    [[nodiscard]] bool mapped(net::Ipv4Addr v4, uint8_t prefix_index) const;
    /// RFC 6147 §5.3.1: when the lower-cased wire name `lname` is a full ip6.arpa name of
    /// an address inside one of the prefixes, writes the matching in-addr.arpa name to
    /// `out` (kMaxNameLen) and returns its length; otherwise 0.
    std::size_t ptr_target(const uint8_t* lname, std::size_t len, uint8_t* out) const;

private:
    std::vector<net::Ipv6Prefix> prefixes_;
    PrefixSelect select_;
    std::vector<PrefixMapEntry> map_;
    std::vector<net::Ipv6Prefix> exclude_;
    std::vector<net::Ipv6Prefix> clients_;
    std::vector<net::Ipv4Prefix> mapped_;
    bool allow_non_global_in_wkp_;
};

/// RFC 7050 §2 / RFC 8880 §7: true for the lower-cased wire name "ipv4only.arpa.".
bool is_ipv4only_arpa(const uint8_t* lname, std::size_t len);
/// RFC 8880 §2: the well-known IPv4 addresses of ipv4only.arpa.
inline constexpr net::Ipv4Addr kIpv4onlyAddrs[2] = {{{192, 0, 0, 170}}, {{192, 0, 0, 171}}};

/// Stable 64-bit FNV-1a hash; used for prefix selection and table indexes.
uint64_t fnv1a(const uint8_t* p, std::size_t n);

}  // namespace strait::dns64
