// SPDX-License-Identifier: Apache-2.0
// One rig run on one DPDK port from one lcore: paced bursts of query frames out, answers in,
// matched to their query by (DNS ID, UDP destination port) for latency and loss.
#pragma once

#include <rte_mempool.h>

#include <cstdint>
#include <vector>

#include "frame.h"
#include "query_set.h"
#include "run_stats.h"

namespace strait::rig {

struct TrafficConfig {
    static constexpr uint16_t kMaxQueues = 8;
    uint16_t port_id = 0;
    uint16_t rx_queues = 1;       // every one is polled for answers
    uint16_t sport_base = 10000;
    uint16_t sport_count = 1024;  // power of two, >= 16
    uint32_t timeout_ms = 1000;   // RFC 8219 §9: answers later than this count as lost
    uint32_t counter_seed = 0;    // first value of the {n} counter (unique names per run)
    bool yield = true;            // sched_yield() when a loop had nothing to send or receive
};

/// Owns the templates and the outstanding-query table; `run` may be called repeatedly
/// (binary search). thread: one lcore only.
class Traffic {
  public:
    Traffic(const TrafficConfig& cfg, const FrameSpec& spec, const std::vector<Question>& qs,
            rte_mempool* pool);

    /// Sends at `rate` queries/s (0 = as fast as the port takes them) for `seconds`, then
    /// listens `timeout_ms` more. The {n} counter continues across runs.
    RunStats run(double rate, double seconds);

  private:
    struct Slot {
        uint32_t seq;
        uint64_t tsc;  // 0: no outstanding query
    };
    static constexpr uint32_t kSlots = 1u << 20;
    static constexpr uint16_t kBurst = 32;

    void send_burst(uint32_t n, RunStats& st);
    /// Returns the frames received (answers, NDP, anything else).
    uint16_t receive_burst(uint64_t now, RunStats& st);
    void reply_ndp(const std::array<uint8_t, 86>& reply, uint32_t len, RunStats& st);

    TrafficConfig cfg_;
    uint16_t rx_next_ = 0;  // round-robin over the RX queues
    FrameSpec spec_;
    std::vector<Template> templates_;
    rte_mempool* pool_;
    std::vector<Slot> slots_;
    uint32_t seq_ = 0;
    uint32_t counter_ = 0;
    uint32_t port_shift_ = 0;
    uint64_t timeout_tsc_ = 0;
};

}  // namespace strait::rig
