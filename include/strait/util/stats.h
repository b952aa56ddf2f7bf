// SPDX-License-Identifier: Apache-2.0
// A point-in-time copy of the dataplane counters, handed by straitd to the control plane
// (which never reads lcore memory itself).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "strait/util/drop_reasons.h"
#include "strait/util/xlat_counters.h"

namespace strait {

struct LcoreStats {
    unsigned lcore = 0;
    std::string role;     // "worker", "dns64"
    uint64_t rx[2] = {};  // [0] inside, [1] outside
    uint64_t tx[2] = {};
    uint64_t translated_v6_to_v4 = 0;
    uint64_t translated_v4_to_v6 = 0;
    uint64_t local_replies = 0;
    std::array<uint64_t, kDropReasonCount> drops{};
    std::array<uint64_t, kXlatCounterCount> xlat{};  // by XlatCounter (xlat_counters.h)
};

struct PortStats {
    std::string name;  // "inside", "outside"
    uint64_t ipackets = 0, opackets = 0, ibytes = 0, obytes = 0;
    uint64_t imissed = 0, ierrors = 0, oerrors = 0, rx_nombuf = 0;
};

/// One DNS64 engine counter (dns64/counters.h table): strait_dns64_<name>_total.
struct NamedCounter {
    std::string name;
    std::string help;
    uint64_t value = 0;
};

/// One NAT64 figure: strait_nat64_<name>[_total]{proto="..."}.
struct Nat64Figure {
    std::string name;
    std::string help;
    uint64_t value = 0;
    bool gauge = false;  ///< a level, not a running total
    std::string proto;   ///< "tcp", "udp", "icmp", or empty
};

/// pool4 utilisation of one address and protocol (ports in use / ports owned, all workers).
struct Pool4Usage {
    std::string address;
    std::string proto;
    uint64_t used = 0;
    uint64_t ports = 0;
};

struct StatsSnapshot {
    std::vector<LcoreStats> lcores;
    std::vector<NamedCounter> dns64;  // empty when DNS64 is not configured
    /// DNS64 answer cache (dns64/cache): capacity and bytes are gauges, the rest totals.
    std::vector<NamedCounter> dns64_cache;
    /// DNS64 upstream gauges: transactions in flight and their bound.
    std::vector<NamedCounter> dns64_upstream;
    /// Stateful NAT64 figures (empty unless mode "nat64").
    std::vector<Nat64Figure> nat64;
    std::vector<Pool4Usage> pool4;
    std::vector<PortStats> ports;
    uint64_t uptime_ms = 0;
};

}  // namespace strait
