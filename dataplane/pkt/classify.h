// SPDX-License-Identifier: Apache-2.0
// First look at a received frame: validate the L2/L3 headers and decide who handles it.
#pragma once

#include <cstdint>

#include "strait/net/addr.h"
#include "strait/util/drop_reasons.h"

namespace strait::pkt {

enum class PortRole : uint8_t { Inside, Outside };

/// The addresses a port owns, flat and small so a worker can keep it in its context.
struct LocalAddrs {
    static constexpr unsigned kMax = 4;
    net::MacAddr mac;
    net::Ipv6Addr v6[kMax];
    uint8_t v6_len[kMax] = {};
    unsigned n6 = 0;
    net::Ipv4Addr v4[kMax];
    uint8_t v4_len[kMax] = {};
    unsigned n4 = 0;
    net::Ipv6Addr v6_link_local;  // fe80:: EUI-64 of mac; answers NDP too
    /// DNS64 steering (RFC 6147 service). Bit i set: v6[i] is a DNS64 service address
    /// (port 53 there goes to the DNS64 lcore). A non-zero dns_port_max: UDP or TCP to one
    /// of v4[] with a destination port in [dns_port_min, dns_port_max] is upstream traffic
    /// (answers, and the DNS64 lcore's TCP connections to its resolvers).
    uint8_t dns_service_mask = 0;
    uint16_t dns_port_min = 0;
    uint16_t dns_port_max = 0;
    /// NAT64 pool4 includes v4[]: TCP, UDP and ICMP other than echo requests to it are
    /// transit (translated), not local.
    bool transit_on_self = false;

    [[nodiscard]] bool owns_v6(const uint8_t* a) const;
    [[nodiscard]] bool owns_v4(const uint8_t* a) const;
    /// True when `a` is on one of the port's IPv4 subnets.
    [[nodiscard]] bool on_link_v4(const uint8_t* a) const;
    [[nodiscard]] bool on_link_v6(const uint8_t* a) const;
};

/// Builds the modified EUI-64 link-local address of a MAC (RFC 4291 App. A).
net::Ipv6Addr link_local_of(const net::MacAddr& mac);

enum class Kind : uint8_t {
    Drop,           // reason says why
    Arp,            // ARP, to arp_input()
    Ndp,            // NS/NA, to ndp_input()
    Echo6,          // ICMPv6 echo request to one of our addresses
    Echo4,          // ICMP echo request to one of our addresses
    Transit6,       // IPv6 not for us (to translate)
    Transit4,       // IPv4 not for us (to translate)
    Dns64Query,     // UDP/TCP port 53 to a DNS64 service address (inside port)
    Dns64Upstream,  // UDP/TCP to our IPv4 on a DNS64 source port (outside port)
};

struct Classified {
    Kind kind = Kind::Drop;
    DropReason reason = DropReason::InternalBug;
    uint32_t l3_len = 0;  // L3 length from the IP header (excludes Ethernet padding)
};

/// Validates headers and classifies a frame. Never reads past `len`. Thread: any.
Classified classify(const uint8_t* frame, uint32_t len, PortRole role, const LocalAddrs& local);

}  // namespace strait::pkt
