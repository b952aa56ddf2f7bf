// SPDX-License-Identifier: Apache-2.0
// Dns64Config: the normalised DNS64 runtime config (RFC 6147 policy, upstreams, cache,
// limits) that control/model/dns64_config.cc builds from JSON and the engine consumes.
#pragma once

#include <cstdint>
#include <vector>

#include "strait/net/addr.h"

namespace strait::dns64 {

/// How a client is assigned one of several NAT64 prefixes.
enum class PrefixSelect : uint8_t {
    Hash,  ///< stable hash of the client address modulo the number of prefixes
    Map,   ///< first matching `prefix_map` entry; clients matching none fall back to Hash
};

/// One `prefix_map` row: clients inside `clients` get `prefixes[prefix_index]`.
struct PrefixMapEntry {
    net::Ipv6Prefix clients;
    uint8_t prefix_index = 0;
    bool operator==(const PrefixMapEntry&) const = default;
};

/// DNS64 runtime config. Plain value type; the engine copies what it needs.
/// Defaults follow RFC 6147 and BIND 9 (`clients { any; }`, `mapped { any; }`,
/// `exclude { ::ffff:0:0/96; }`). See dns64/README.md for the JSON shape.
struct Dns64Config {
    /// IPv6 service addresses clients send queries to (the adapter's business).
    std::vector<net::Ipv6Addr> service;
    /// NAT64 prefixes, RFC 6052 §2.2 lengths 32/40/48/56/64/96 only. At least one.
    std::vector<net::Ipv6Prefix> prefixes;
    PrefixSelect prefix_select = PrefixSelect::Hash;
    std::vector<PrefixMapEntry> prefix_map;
    /// IPv4 recursive resolvers, tried in order on timeout (failover). At least one.
    std::vector<net::Ipv4Addr> upstreams;
    uint16_t upstream_port = 53;
    /// Local UDP ports used as random source ports towards upstreams (RFC 5452 §9.2). The
    /// adapter delivers every UDP datagram to the gateway's IPv4 address within this range
    /// to the engine; the NAT64 pool4 must not use these ports on that address.
    uint16_t source_port_min = 49152;
    uint16_t source_port_max = 65535;
    uint32_t timeout_ms = 1000;  ///< per upstream attempt
    uint32_t retries = 1;        ///< extra attempts after the first, each on the next upstream
    uint32_t max_pending = 4096; ///< outstanding upstream transactions; beyond: SERVFAIL
    uint32_t cache_entries = 65536;        ///< 0 disables the cache
    uint32_t cache_max_ttl = 86400;        ///< cap on positive TTLs (seconds)
    uint32_t cache_negative_max_ttl = 900; ///< cap on RFC 2308 negative TTLs (seconds)
    /// RFC 6147 §5.1.4: AAAA records inside these ranges count as absent.
    std::vector<net::Ipv6Prefix> exclude = {kV4MappedPrefix()};
    /// BIND `clients`: who gets synthesis; other clients get plain recursion.
    std::vector<net::Ipv6Prefix> clients = {net::Ipv6Prefix{{}, 0}};
    /// BIND `mapped`: which IPv4 addresses are synthesized into AAAA.
    std::vector<net::Ipv4Prefix> mapped = {net::Ipv4Prefix{{}, 0}};
    uint32_t rate_limit_qps = 0;    ///< per client address; 0 disables rate limiting
    uint32_t rate_limit_burst = 0;  ///< bucket depth; 0 means 2 * qps
    /// RFC 6052 §3.1: never embed non-global IPv4 in 64:ff9b::/96 unless this is set (labs).
    bool allow_non_global_in_wkp = false;
    /// EDNS0 UDP payload size advertised upstream and to EDNS clients (RFC 6891 §6.2.5).
    uint16_t edns_udp_size = 1232;

    /// ::ffff:0:0/96, the IPv4-mapped range excluded by default (RFC 6147 §5.1.4).
    static net::Ipv6Prefix kV4MappedPrefix() {
        net::Ipv6Prefix p;
        p.addr.b[10] = 0xff;
        p.addr.b[11] = 0xff;
        p.len = 96;
        return p;
    }
};

}  // namespace strait::dns64
