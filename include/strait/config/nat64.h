// SPDX-License-Identifier: Apache-2.0
// Stateful NAT64 (RFC 6146) settings: pool6, pool4, static BIB, timeouts, limits, capacity.
#pragma once

#include <cstdint>
#include <vector>

#include "strait/net/addr.h"

namespace strait::config {

/// Transport protocols NAT64 keeps state for (IANA protocol numbers of the IPv4 side).
enum class L4Proto : uint8_t { Icmp = 1, Tcp = 6, Udp = 17 };

/// One pool4 entry (Jool's pool4 shape): addresses x protocol x port (ICMP: identifier) range.
struct Pool4Entry {
    net::Ipv4Prefix prefix;
    L4Proto proto = L4Proto::Udp;
    uint16_t port_min = 1024;
    uint16_t port_max = 65535;
};

/// A static BIB entry (RFC 6146 §3.5.1): reach the IPv6 transport address from IPv4.
struct StaticBibEntry {
    L4Proto proto = L4Proto::Tcp;
    net::Ipv6Addr addr6;
    uint16_t port6 = 0;
    net::Ipv4Addr addr4;
    uint16_t port4 = 0;
};

/// RFC 6146 §4 defaults, in seconds.
struct Nat64Timeouts {
    uint32_t udp = 300;               ///< UDP session (§3.5.1, at least 2 min)
    uint32_t tcp_established = 7440;  ///< TCP_EST (2 h 4 min)
    uint32_t tcp_transitory = 240;    ///< TCP_TRANS (4 min)
    uint32_t icmp = 60;               ///< ICMP query session
    uint32_t tcp_incoming_syn = 6;    ///< TCP_INCOMING_SYN (§3.5.2.2 simultaneous open)
};

enum class Filtering : uint8_t {
    EndpointIndependent,  ///< RFC 4787 REQ-8 default: any remote may use a mapping
    AddressDependent,     ///< only remotes the subscriber has sent to
};

struct Nat64Config {
    net::Ipv6Prefix pool6;  ///< the NAT64 prefix (RFC 6052 length)
    std::vector<Pool4Entry> pool4;
    std::vector<StaticBibEntry> bib;
    Nat64Timeouts timeouts;
    Filtering filtering = Filtering::EndpointIndependent;
    bool drop_externally_initiated_tcp = false;
    /// Sessions each worker's table holds (startup tier); BIB entries the same.
    uint32_t capacity = 1u << 20;
    /// Subscriber = IPv6 source masked to this length: one subscriber's mappings share a
    /// pool4 address (RFC 4787 REQ-2 "paired", RFC 6888 REQ-2).
    uint8_t subscriber_prefix_len = 128;
    /// Sessions one subscriber may hold, all workers together (RFC 6888 REQ-4; 0: none).
    uint32_t max_sessions_per_subscriber = 0;
};

}  // namespace strait::config
