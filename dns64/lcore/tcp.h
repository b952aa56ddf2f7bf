// SPDX-License-Identifier: Apache-2.0
// DNS over TCP (RFC 7766) on the DNS64 lcore: the in-band TCP responder for the service
// addresses (clients using `dig +tcp`, or retrying a TC=1 answer), and the TCP state of
// the lcore as a whole (tcp_start / tcp_tick / tcp_stop, for the responder and the
// upstream client of lcore/tcp_client.h alike).
//
// Per connection: SYN -> SYN-ACK (random ISN, MSS option), in-order data reassembled into
// length-prefixed queries (pipelined ones too) under an honest receive window, each query to
// the engine, answers queued and sent within the client's window and a congestion window,
// retransmitted on timeout with RFC 6298 back-off (SYN-ACK and FIN too), the connection
// reset after kMaxRetransmits. A client's FIN closes our side once every query it sent is
// answered; an idle connection is closed after kIdleTimeoutNs (RFC 7766 §6.2.3). The table
// has a fixed number of slots, probed by hash: a SYN finding none free is refused (RST) and
// counted. Everything is allocated at lcore start; nothing per packet.
#pragma once

#include <rte_mbuf.h>

#include <cstdint>
#include <span>

#include "dns64/lcore/lcore_state.h"

namespace strait::dns64::lcore {

/// Allocates the TCP tables and their buffer store (rte_zmalloc, once at lcore start).
/// On failure all stay null and TCP segments are dropped, counted.
void tcp_start(LcoreState& s);
void tcp_stop(LcoreState& s);

/// Timers of both tables: retransmissions, idle and lifetime bounds, swept incrementally,
/// and the upstream failures deferred out of the engine's calls. Call every tick (~1 ms).
void tcp_tick(LcoreState& s, FrameOut& out, uint64_t now);

/// A TCP segment to service address `svc` (IPv6 header at `ip`, `plen` payload bytes,
/// already length-checked against the frame). Consumes `m`.
void tcp_input(LcoreState& s, FrameOut& out, rte_mbuf* m, const uint8_t* ip, uint32_t plen,
               unsigned svc);

/// Queues a DNS answer on the connection named by client.conn and sends what the windows
/// allow (dropped, counted, when the connection is gone or closing).
void tcp_to_client(LcoreState& s, const ClientId& client, std::span<const uint8_t> msg);

}  // namespace strait::dns64::lcore
