// SPDX-License-Identifier: Apache-2.0
// Worker lcore: RX burst -> classify -> local answer / translate -> neighbour -> TX burst.
#pragma once

#include <atomic>
#include <cstdint>

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "dataplane/lcore/counters.h"
#include "dataplane/lcore/idle.h"
#include "dataplane/nat64/nat64_mapper.h"
#include "dataplane/nbr/neighbor_table.h"
#include "dataplane/pkt/classify.h"
#include "dataplane/xlat/siit_mapper.h"
#include "dataplane/xlat/xlat_types.h"

namespace strait::dp {

inline constexpr uint16_t kBurstSize = 32;
inline constexpr unsigned kMaxRxQueues = 16;

/// A port as the workers see it. Immutable after start. thread: any lcore (read-only).
struct PortRuntime {
    uint16_t port_id = 0;
    pkt::PortRole role = pkt::PortRole::Inside;
    pkt::LocalAddrs local;
    NeighborTable* nbr = nullptr;
    bool has_gateway = false;
    uint8_t gateway[16] = {};  // IPv6, or IPv4 in the first 4 bytes
};

struct RxQueueRef {
    uint16_t port_index;  // 0 inside, 1 outside
    uint16_t queue;
};

/// Everything one worker needs; owned by straitd, read by that worker only.
struct WorkerConfig {
    unsigned index = 0;
    PortRuntime* ports[2] = {};
    RxQueueRef rxq[kMaxRxQueues] = {};
    unsigned n_rxq = 0;
    uint16_t txq[2] = {};
    LcoreCounters* counters = nullptr;
    rte_mempool* pool = nullptr;
    IdlePolicy idle;
    const std::atomic<bool>* stop = nullptr;
    const xlat::XlatConfig* xcfg = nullptr;
    const xlat::SiitMapper* siit = nullptr;  // mode "siit"
    nat64::Nat64Mapper* nat64 = nullptr;     // mode "nat64" (this worker's); both null: "none"
    rte_rcu_qsbr* qsbr = nullptr;            // the dataplane's; this worker is thread `index`
    rte_ring* dns64_ring = nullptr;          // MP/SC, queries to the DNS64 lcore; null: none
    rte_ring* dns64_answer_ring = nullptr;   // MP/SC, upstream answers to the DNS64 lcore
};

/// Worker main loop, for rte_eal_remote_launch. Returns when *stop becomes true.
int worker_main(void* worker_config);

}  // namespace strait::dp
