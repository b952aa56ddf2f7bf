// SPDX-License-Identifier: Apache-2.0
// The DNS64 lcore: the mbuf adapter around the DNS64 engine. Workers hand it DNS packets
// through an rte_ring; it frames the engine's answers and upstream queries and sends them
// on its own TX queues through the shared egress stage (next hop, neighbour table).
#pragma once

#include <atomic>
#include <cstdint>

#include <rte_mempool.h>
#include <rte_ring.h>

#include "dataplane/lcore/counters.h"
#include "dataplane/lcore/worker.h"
#include "dns64/engine.h"

namespace strait::dns64 {

/// Everything the DNS64 lcore needs; built by the dataplane before launch, then read by
/// the DNS64 lcore only (the engine, counters and ring are shared as documented there).
struct Dns64LcoreConfig {
    dp::PortRuntime* ports[2] = {};  // [0] inside (queries), [1] outside (upstreams)
    uint16_t txq[2] = {};            // its own TX queue on each port (index = workers)
    uint16_t mtu[2] = {1500, 1500};
    rte_ring* ring = nullptr;        // client queries: MP (workers) / SC (this lcore)
    rte_ring* answer_ring = nullptr; // upstream answers, drained first: MP / SC
    rte_mempool* pool = nullptr;
    dp::LcoreCounters* counters = nullptr;  // drops, rx (dequeued), tx
    Engine* engine = nullptr;
    dp::IdlePolicy idle{0, 1024, 100};
    const std::atomic<bool>* stop = nullptr;
};

/// DNS64 lcore main loop, for rte_eal_remote_launch: dequeue bursts, validate
/// Ethernet/IP/UDP (length, checksum: failures are counted drops), call the engine with
/// now_ns from the TSC, on_tick (and the TCP timers) every millisecond. TCP to the service
/// goes to the DNS-over-TCP responder (dns64/lcore/tcp.h), TCP from upstreams to the
/// upstream client (dns64/lcore/tcp_client.h). Returns when *stop is true.
/// No locks, no heap allocation (the engine's miss path aside), no exceptions.
int dns64_lcore_main(void* dns64_lcore_config);

/// Frees every mbuf left in `ring`. Thread: main, after the lcores stopped.
void drain_dns64_ring(rte_ring* ring);

}  // namespace strait::dns64
