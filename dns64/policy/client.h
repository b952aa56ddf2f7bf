// SPDX-License-Identifier: Apache-2.0
// ClientId: who sent a DNS query and how to answer it (address, port, transport).
#pragma once

#include <cstdint>

#include "strait/net/addr.h"

namespace strait::dns64 {

enum class Transport : uint8_t { Udp, Tcp };

/// The source of a client query, handed back unchanged with its answer. IPv4 clients
/// are carried as IPv4-mapped addresses (::ffff:a.b.c.d) with `is_v4` set, so policy
/// ACLs match them as ::ffff:0:0/96.
struct ClientId {
    net::Ipv6Addr addr;
    uint16_t port = 0;
    Transport transport = Transport::Udp;
    bool is_v4 = false;
    /// Opaque to the engine: the adapter's TCP connection handle (0 for UDP).
    uint32_t conn = 0;

    static ClientId v6(const net::Ipv6Addr& a, uint16_t port, Transport t = Transport::Udp) {
        return ClientId{a, port, t, false, 0};
    }
    static ClientId v4(net::Ipv4Addr a4, uint16_t port, Transport t = Transport::Udp) {
        ClientId c{{}, port, t, true, 0};
        c.addr.b[10] = 0xff;
        c.addr.b[11] = 0xff;
        for (int i = 0; i < 4; ++i) c.addr.b[12 + i] = a4.b[i];
        return c;
    }
};

}  // namespace strait::dns64
