// SPDX-License-Identifier: Apache-2.0
// DNS over TCP (RFC 7766) on the DNS64 lcore: a minimal in-band TCP responder for the
// service address. One query/answer exchange per connection is the common case (dig,
// stub resolvers retrying a TC=1 answer); pipelined queries work as well.
//
// What it does: SYN -> SYN-ACK (random ISN, MSS option), in-order data reassembled into
// length-prefixed messages (up to kBuf bytes buffered), each message to the engine, answers
// segmented by the client's MSS with PSH|ACK, FIN -> FIN|ACK and the slot freed, RST to
// segments of unknown connections. What it does not: retransmit its own segments, honour
// the peer's receive window, or time out idle connections (a slot is reused when a new
// connection hashes to it). On a lost answer segment the client times out and retries.
#pragma once

#include <rte_mbuf.h>

#include <cstdint>
#include <span>

#include "dns64/lcore/lcore_state.h"

namespace strait::dns64::lcore {

/// Allocates the connection table (rte_zmalloc, once at lcore start); null on failure.
TcpTable* tcp_table_create();
void tcp_table_free(TcpTable* t);

/// A TCP segment to service address `svc` (IPv6 header at `ip`, `plen` payload bytes,
/// already length-checked against the frame). Consumes `m`.
void tcp_input(LcoreState& s, FrameOut& out, rte_mbuf* m, const uint8_t* ip, uint32_t plen,
               unsigned svc);

/// Sends a DNS answer on the connection named by client.conn (dropped, counted, when the
/// connection is gone).
void tcp_to_client(LcoreState& s, const ClientId& client, std::span<const uint8_t> msg);

}  // namespace strait::dns64::lcore
