// SPDX-License-Identifier: Apache-2.0
// The rig's send/receive loop: paced bursts of patched template frames, answers matched to
// queries through a table indexed by the sequence number their (ID, port) encodes.
#include "traffic.h"

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <sched.h>

#include <algorithm>
#include <bit>
#include <cstring>

namespace strait::rig {

// Sequence number s of a query: source port = base + (s mod P), DNS ID = (s / P) mod 65536,
// so an answer's (ID, port) gives s mod 65536*P, enough to find its slot (P >= 16 makes
// 65536*P cover the 2^20 slots). Sources cycle with s; questions go round-robin.
Traffic::Traffic(const TrafficConfig& cfg, const FrameSpec& spec, const std::vector<Question>& qs,
                 rte_mempool* pool)
    : cfg_(cfg),
      spec_(spec),
      pool_(pool),
      slots_(kSlots, Slot{0, 0}),
      counter_(cfg.counter_seed),
      port_shift_(static_cast<uint32_t>(std::countr_zero(cfg.sport_count))) {
    templates_.reserve(qs.size());
    for (const Question& q : qs) templates_.push_back(build_template(spec, q));
    timeout_tsc_ = rte_get_tsc_hz() * cfg.timeout_ms / 1000;
}

void Traffic::send_burst(uint32_t n, RunStats& st) {
    rte_mbuf* pkts[kBurst];
    if (rte_pktmbuf_alloc_bulk(pool_, pkts, n) != 0) {
        st.tx_full += n;
        return;
    }
    uint32_t first_seq = seq_;
    uint64_t now = rte_rdtsc();
    for (uint32_t i = 0; i < n; ++i, ++seq_) {
        const Template& t = templates_[seq_ % templates_.size()];
        auto len = static_cast<uint16_t>(t.bytes.size());
        auto* frame = rte_pktmbuf_mtod(pkts[i], uint8_t*);
        std::memcpy(frame, t.bytes.data(), len);
        pkts[i]->data_len = pkts[i]->pkt_len = len;
        uint32_t port_off = seq_ & (cfg_.sport_count - 1);
        auto id = static_cast<uint16_t>(seq_ >> port_shift_);
        auto src_lo = static_cast<uint16_t>(spec_.src_lo_base + seq_ % spec_.src_count);
        patch_query(frame, t, id, static_cast<uint16_t>(cfg_.sport_base + port_off), src_lo,
                    t.counter_at >= 0 ? counter_++ : 0);
        slots_[seq_ & (kSlots - 1)] = Slot{seq_, now};
    }
    uint16_t sent = rte_eth_tx_burst(cfg_.port_id, 0, pkts, static_cast<uint16_t>(n));
    st.sent += sent;
    for (uint32_t i = sent; i < n; ++i) {  // the NIC is full: those were never sent
        slots_[(first_seq + i) & (kSlots - 1)].tsc = 0;
        rte_pktmbuf_free(pkts[i]);
        ++st.tx_full;
    }
}

void Traffic::reply_ndp(const std::array<uint8_t, 86>& reply, uint32_t len, RunStats& st) {
    rte_mbuf* m = rte_pktmbuf_alloc(pool_);
    if (m == nullptr) return;
    std::memcpy(rte_pktmbuf_mtod(m, uint8_t*), reply.data(), len);
    m->data_len = m->pkt_len = static_cast<uint16_t>(len);
    if (rte_eth_tx_burst(cfg_.port_id, 0, &m, 1) == 1) {
        ++st.ndp_answered;
    } else {
        rte_pktmbuf_free(m);
    }
}

uint16_t Traffic::receive_burst(uint64_t now, RunStats& st) {
    rte_mbuf* pkts[kBurst];
    uint16_t n = 0;
    for (uint16_t q = 0; q < cfg_.rx_queues && n == 0; ++q) {
        n = rte_eth_rx_burst(cfg_.port_id, rx_next_, pkts, kBurst);
        rx_next_ = static_cast<uint16_t>(rx_next_ + 1 == cfg_.rx_queues ? 0 : rx_next_ + 1);
    }
    const uint64_t hz = rte_get_tsc_hz();
    const uint32_t seq_mask = (cfg_.sport_count << 16) - 1;
    for (uint16_t i = 0; i < n; ++i) {
        const auto* frame = rte_pktmbuf_mtod(pkts[i], const uint8_t*);
        uint32_t len = rte_pktmbuf_data_len(pkts[i]);
        Answer a;
        std::array<uint8_t, 86> reply;
        if (parse_answer(frame, len, spec_, a)) {
            auto port_off = static_cast<uint16_t>(a.dport - cfg_.sport_base);
            uint32_t s = (static_cast<uint32_t>(a.id) << port_shift_) | port_off;
            Slot& slot = slots_[s & (kSlots - 1)];
            if (port_off < cfg_.sport_count && slot.tsc != 0 && (slot.seq & seq_mask) == s) {
                uint64_t dt = now - slot.tsc;
                st.record_answer(dt * 1'000'000 / hz, a.rcode, dt <= timeout_tsc_);
                slot.tsc = 0;
            } else {
                ++st.unmatched;
            }
        } else if (uint32_t rlen = answer_ndp(frame, len, spec_, reply); rlen != 0) {
            reply_ndp(reply, rlen, st);
        }
        rte_pktmbuf_free(pkts[i]);
    }
    return n;
}

RunStats Traffic::run(double rate, double seconds) {
    RunStats st;
    std::fill(slots_.begin(), slots_.end(), Slot{0, 0});
    const uint64_t hz = rte_get_tsc_hz();
    const uint64_t start = rte_rdtsc();
    const uint64_t send_end = start + static_cast<uint64_t>(seconds * static_cast<double>(hz));
    uint64_t attempted = 0;
    uint64_t now = start;
    while ((now = rte_rdtsc()) < send_end) {
        uint64_t due = kBurst;
        if (rate > 0) {
            auto target = static_cast<uint64_t>(static_cast<double>(now - start) * rate /
                                                static_cast<double>(hz));
            due = std::min<uint64_t>(target - std::min(target, attempted), kBurst);
        }
        if (due > 0) {
            send_burst(static_cast<uint32_t>(due), st);
            attempted += due;
        }
        // Below the port's maximum the rig is mostly waiting: yielding then lets whatever
        // shares its CPU (the upstream authoritative server in dns64_compare.sh) run.
        if (receive_burst(now, st) == 0 && due == 0 && cfg_.yield) sched_yield();
    }
    st.send_seconds = static_cast<double>(now - start) / static_cast<double>(hz);
    // Answers still in flight get the timeout (and a little more, to count late ones).
    const uint64_t listen_end = rte_rdtsc() + timeout_tsc_ + hz / 10;
    while ((now = rte_rdtsc()) < listen_end) {
        if (receive_burst(now, st) == 0 && cfg_.yield) sched_yield();
    }
    return st;
}

}  // namespace strait::rig
