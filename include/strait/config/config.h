// SPDX-License-Identifier: Apache-2.0
// Typed, normalised configuration: what the control plane hands to the dataplane after
// validating the JSON (one schema for the config file and the REST API).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dns64/config.h"
#include "strait/config/nat64.h"
#include "strait/net/addr.h"

namespace strait::config {

/// Interface address with its on-link prefix length ("2001:db8:6::1/64").
struct Ipv6Ifaddr {
    net::Ipv6Addr addr;
    uint8_t len = 64;
};
struct Ipv4Ifaddr {
    net::Ipv4Addr addr;
    uint8_t len = 24;
};

/// One DPDK port and the addresses Strait owns on it. Startup tier: sealed after start.
struct PortConfig {
    std::string device;   // DPDK port name or vdev driver instance ("net_af_packet0")
    std::string devargs;  // vdev arguments ("iface=gw-in"); empty: the port already exists
    std::optional<net::MacAddr> mac;  // override the port's MAC
    uint16_t mtu = 1500;
    uint16_t rx_desc = 1024;
    uint16_t tx_desc = 1024;
    std::vector<Ipv6Ifaddr> ipv6;           // inside port
    std::vector<Ipv4Ifaddr> ipv4;           // outside port
    std::optional<net::Ipv6Addr> gateway6;  // next hop for off-link IPv6 destinations
    std::optional<net::Ipv4Addr> gateway4;  // next hop for off-link IPv4 destinations
};

enum class Mode { None, Siit, Nat64 };

/// Startup tier: ports, lcores, sizes. Changing it needs a restart.
struct StartupConfig {
    std::vector<std::string> eal_args;
    unsigned workers = 1;
    bool dns64_lcore = false;
    PortConfig inside;
    PortConfig outside;
    std::string api_listen = "127.0.0.1:8080";  // empty: no REST API
    uint32_t idle_sleep_us = 0;                 // 0: busy poll; else sleep after idle polls
    /// Workers and the DNS64 lcore call sched_yield() after this many empty polls (0:
    /// never), so lcores pinned to one CPU hand it over as soon as they run dry.
    uint32_t idle_yield_polls = 0;
    uint32_t mbufs = 16383;
    /// mbuf data room. AF_PACKET fanout reassembles IPv4 fragments in the kernel, so
    /// AF_PACKET ports need room for reassembled datagrams (frames beyond it are cut and
    /// dropped as ipv4_truncated); NIC ports keep the 2048 default.
    uint32_t mbuf_data_room = 2048;
    uint32_t neighbors = 4096;
    /// The DNS64 lcore sleeps dns64_idle_sleep_us after dns64_idle_polls empty polls, so
    /// it can share a CPU with the main lcore (set on by a "dns64" object).
    uint32_t dns64_idle_polls = 1024;
    uint32_t dns64_idle_sleep_us = 100;
    uint32_t dns64_ring_size = 4096;  // power of two; workers -> DNS64 lcore handoff
};

struct EamtEntry {
    net::Ipv6Prefix ipv6;
    net::Ipv4Prefix ipv4;
};

/// Runtime tier: may change live through the API.
struct RuntimeConfig {
    Mode mode = Mode::None;
    std::optional<net::Ipv6Prefix> pool6;
    std::vector<EamtEntry> eamt;
    bool allow_non_global_in_wkp = false;
    uint16_t lowest_ipv6_mtu = 1280;
    /// RFC 6146 stateful NAT64; present iff the config has a "nat64" object.
    std::optional<Nat64Config> nat64;
    // siit.* translator knobs (RFC 7915), defaults as documented in the README.
    std::optional<net::Ipv4Prefix> rfc6791_pool4;  // RFC 6791; absent: the outside IPv4
    bool rfc6791_hash = false;             // "hash": by the error's IPv6 source; else random
    bool amend_udp_checksum_zero = true;   // RFC 7915 §4.5: compute (true) or drop
    std::optional<uint8_t> traffic_class;  // RFC 7915 §4.1/§5.1: set instead of copied
    uint32_t icmp_errors_per_sec = 1000;   // per worker; 0: no translator-made ICMP errors
    uint32_t icmp_error_burst = 64;
};

struct Config {
    StartupConfig startup;
    RuntimeConfig runtime;
    /// RFC 6147 DNS64 service; present iff the config has a "dns64" object (which also
    /// turns startup.dns64_lcore on).
    std::optional<dns64::Dns64Config> dns64;
};

}  // namespace strait::config
