// SPDX-License-Identifier: Apache-2.0
// Per-lcore TX batching: packets collect per port and leave in one rte_eth_tx_burst.
#pragma once

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "dataplane/lcore/counters.h"

namespace strait::dp {

struct TxBuffer {
    static constexpr uint16_t kCap = 64;
    rte_mbuf* pkts[kCap];
    uint16_t n = 0;
    uint16_t port_id = 0;
    uint16_t queue = 0;
    uint8_t port_index = 0;

    /// Sends what is queued; unsent packets are freed and counted as tx_full.
    void flush(LcoreCounters& c) {
        if (n == 0) return;
        const uint16_t sent = rte_eth_tx_burst(port_id, queue, pkts, n);
        c.tx[port_index] += sent;
        for (uint16_t i = sent; i < n; ++i) {
            rte_pktmbuf_free(pkts[i]);
            c.drop(DropReason::TxFull);
        }
        n = 0;
    }

    void push(rte_mbuf* m, LcoreCounters& c) {
        if (n == kCap) flush(c);
        pkts[n++] = m;
    }
};

}  // namespace strait::dp
