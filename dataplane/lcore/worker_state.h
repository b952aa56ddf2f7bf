// SPDX-License-Identifier: Apache-2.0
// A worker's private state during its loop, shared by its stages (classify, local,
// translate, forward). thread: the owning worker only.
#pragma once

#include <rte_mbuf.h>

#include "dataplane/lcore/counters.h"
#include "dataplane/lcore/tx_buffer.h"
#include "dataplane/lcore/worker.h"
#include "dataplane/xlat/xlat_types.h"

namespace strait::dp {

struct WorkerState {
    WorkerConfig* cfg;
    LcoreCounters& c;
    TxBuffer tx[2];
    uint64_t request_interval_tsc;
    xlat::XlatContext xctx;
    double ns_per_tsc;
    rte_mbuf* dns[kBurstSize];  // DNS64 queries of this burst, enqueued together
    uint16_t n_dns;
    rte_mbuf* dns_ans[kBurstSize];  // upstream answers to the DNS64 lcore, likewise
    uint16_t n_dns_ans;
    rte_mbuf* transit[kBurstSize] = {};  // packets to translate, after classification
    uint32_t transit_len[kBurstSize] = {};
    uint16_t n_transit = 0;
    uint64_t last_sweep_tsc = 0;      // NAT64 expiry steps (housekeeping)
    uint64_t sweep_interval_tsc = 0;
};

inline void drop(WorkerState& w, rte_mbuf* m, DropReason r) {
    w.c.drop(r);
    rte_pktmbuf_free(m);
}

/// Sends an L3 packet (mbuf data at the IP header) out of port `pi` (0 inside, 1 outside):
/// picks the next hop, writes the Ethernet header, parks the packet while the neighbour
/// resolves (sending ARP/NS). Consumes `m`.
void forward_l3(WorkerState& w, unsigned pi, rte_mbuf* m);

/// Translates a transit frame (mbuf data at Ethernet) that arrived on port `pi` and
/// forwards the result. Consumes `m`.
void translate_and_forward(WorkerState& w, unsigned pi, rte_mbuf* m, uint32_t l3_len);

}  // namespace strait::dp
