// SPDX-License-Identifier: Apache-2.0
// The DNS64 lcore's private state and framing helpers, shared by its UDP path
// (dns64_lcore.cc), its DNS-over-TCP responder (lcore/tcp.cc) and its upstream TCP client
// (lcore/tcp_client.cc). thread: DNS64 lcore only.
#pragma once

#include <rte_mbuf.h>

#include <cstdint>
#include <span>

#include "dataplane/lcore/counters.h"
#include "dataplane/lcore/egress.h"
#include "dataplane/lcore/tx_buffer.h"
#include "dns64/dns64_lcore.h"
#include "dns64/policy/client.h"

namespace strait::dns64::lcore {

inline constexpr uint8_t kHopLimit = 64;
inline constexpr uint16_t kDnsPort = 53;

struct TcpTable;
struct TcpClientTable;
class ChunkStore;

struct LcoreState {
    Dns64LcoreConfig* cfg;
    dp::LcoreCounters& c;
    dp::TxBuffer tx[2];
    dp::Egress eg;
    double ns_per_tsc;
    uint16_t ip_id;
    // All three allocated at lcore start (tcp_start), or all null: no DNS over TCP.
    TcpTable* tcp;           // responder: clients' connections
    TcpClientTable* tcp_up;  // client: connections to upstream resolvers
    ChunkStore* tcp_store;   // send and receive buffers of both
};

/// The engine's counter block, where the adapter counts its TCP events too.
inline Dns64Counters& dns_counters(LcoreState& s) { return s.cfg->engine->counters(); }

inline void drop(LcoreState& s, rte_mbuf* m, DropReason r) {
    s.c.drop(r);
    rte_pktmbuf_free(m);
}

/// Now in ns from the TSC (the engine's clock).
uint64_t now_ns(const LcoreState& s);

/// A fresh mbuf holding an IPv6 header from inside address `svc` (index into the inside
/// port's addresses) to `client` with next header `nh` and `l4_len` payload bytes; returns
/// the L4 start, or null (counted: too big for the MTU, or no mbuf).
uint8_t* alloc_v6(LcoreState& s, unsigned svc, const net::Ipv6Addr& client, uint8_t nh,
                  uint32_t l4_len, rte_mbuf*& m);

/// A fresh mbuf holding an IPv4 header (DF, no options) from the outside port's first
/// address to `dst` with protocol `proto` and `l4_len` payload bytes; returns the L4
/// start, or null (counted).
uint8_t* alloc_v4(LcoreState& s, net::Ipv4Addr dst, uint8_t proto, uint32_t l4_len, rte_mbuf*& m);

/// The engine's Out: frames DNS messages (UDP or TCP to clients, UDP or TCP to upstreams)
/// and hands them to the egress stage.
class FrameOut {
public:
    explicit FrameOut(LcoreState& s) : s_(s) {}
    void to_client(const ClientId& client, std::span<const uint8_t> msg);
    void to_upstream(net::Ipv4Addr server, uint16_t server_port, uint16_t local_port,
                     std::span<const uint8_t> msg);
    /// Opens a TCP exchange (lcore/tcp_client.h); failures reach the engine on a later tick.
    void to_upstream_tcp(net::Ipv4Addr server, uint16_t server_port, uint16_t local_port,
                         std::span<const uint8_t> msg);

private:
    LcoreState& s_;
};

}  // namespace strait::dns64::lcore
