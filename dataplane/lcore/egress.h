// SPDX-License-Identifier: Apache-2.0
// The egress stage as any packet-sending lcore sees it (workers, the DNS64 lcore): next
// hop, Ethernet header, neighbour resolution with a hold slot, into the caller's TxBuffer.
#pragma once

#include <cstdint>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dataplane/lcore/counters.h"
#include "dataplane/lcore/tx_buffer.h"
#include "dataplane/lcore/worker.h"

namespace strait::dp {

/// What forward_l3 needs from its lcore. thread: the owning lcore only.
struct Egress {
    PortRuntime* const* ports;  // [0] inside, [1] outside (shared, read-only)
    rte_mempool* pool;          // for ARP/NS requests
    LcoreCounters* c;           // the lcore's counters
    TxBuffer* tx;               // [0] inside, [1] outside, on the lcore's own TX queues
    uint64_t request_interval_tsc;
};

/// Sends an L3 packet (mbuf data at the IP header) out of port `pi` (0 inside, 1 outside):
/// picks the next hop, writes the Ethernet header, parks the packet while the neighbour
/// resolves (sending ARP/NS). Consumes `m`; failures are counted drops. No locks, no
/// allocation except an ARP/NS mbuf. Thread: any lcore with its own Egress.
void forward_l3(const Egress& e, unsigned pi, rte_mbuf* m);

}  // namespace strait::dp
