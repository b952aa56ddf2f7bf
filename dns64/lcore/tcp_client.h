// SPDX-License-Identifier: Apache-2.0
// Upstream DNS over TCP (RFC 7766) on the DNS64 lcore: when the engine retries a truncated
// UDP answer over TCP, this client opens a connection from the gateway's IPv4 address on
// the engine's random source port to the resolver, sends the one query, reassembles the
// length-prefixed answer, hands it to the engine (Transport::Tcp) and closes. Random ISN;
// segments must match the connection's tuple and sequence space. Retransmission, windows
// and timers are the responder's (tcp_conn.h). A refused, reset or timed-out exchange is
// reported to the engine, which fails over as on a UDP timeout. Thread: DNS64 lcore only.
#pragma once

#include <rte_mbuf.h>

#include <cstdint>
#include <span>

#include "dns64/lcore/lcore_state.h"

namespace strait::dns64::lcore {

/// Allocates the connection table (rte_zmalloc); null on failure.
TcpClientTable* tcp_client_table_create();
void tcp_client_table_free(TcpClientTable* t);

/// Starts the exchange of `msg` (a DNS query without its length) with server:server_port
/// from local_port: SYN now, the query once the handshake completes. Runs inside the
/// engine's drain, so a failure here (no slot, no buffer) is reported on the next tick.
void tcp_client_open(LcoreState& s, net::Ipv4Addr server, uint16_t server_port, uint16_t local_port,
                     std::span<const uint8_t> msg);

/// A TCP segment to the gateway's IPv4 on a source port: IPv4 header at `ip` (`ihl` and
/// `total` length-checked against the frame). Consumes `m`.
void tcp_client_input(LcoreState& s, FrameOut& out, rte_mbuf* m, const uint8_t* ip, uint32_t ihl,
                      uint32_t total);

/// Deferred failure reports, then the timers of a slice of the table (from tcp_tick).
void tcp_client_tick(LcoreState& s, FrameOut& out, uint64_t now);

}  // namespace strait::dns64::lcore
