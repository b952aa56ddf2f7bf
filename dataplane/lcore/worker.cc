// SPDX-License-Identifier: Apache-2.0
// Worker burst loop: a short dispatcher over named stages (classify, local, forward).
#include "dataplane/lcore/worker.h"

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_prefetch.h>
#include <rte_random.h>
#include <rte_ring.h>

#include <cstring>

#include "dataplane/lcore/worker_state.h"
#include "dataplane/pkt/frame.h"
#include "dataplane/pkt/local_reply.h"
#include "strait/net/bytes.h"

namespace strait::dp {
namespace {

void learn(WorkerState& w, unsigned pi, const pkt::NeighborLearn& l) {
    NeighborKey key;
    std::memcpy(key.ip, l.ip, sizeof key.ip);
    NeighborTable::Released held;
    const uint32_t n = w.cfg->ports[pi]->nbr->learn(key, l.mac, held);
    for (uint32_t i = 0; i < n; ++i) {
        std::memcpy(rte_pktmbuf_mtod(held[i], uint8_t*), l.mac.b.data(), 6);
        w.tx[pi].push(held[i], w.c);
    }
}

void local_input(WorkerState& w, unsigned pi, rte_mbuf* m, const pkt::Classified& cl) {
    const PortRuntime& port = *w.cfg->ports[pi];
    auto* f = rte_pktmbuf_mtod(m, uint8_t*);
    pkt::LocalResult r;
    switch (cl.kind) {
        case pkt::Kind::Arp:
            r = pkt::arp_input(f, m->data_len, port.local);
            break;
        case pkt::Kind::Ndp:
            r = pkt::ndp_input(f, cl.l3_len, m->buf_len - m->data_off, port.local);
            break;
        case pkt::Kind::Echo6:
            r = pkt::echo6_reply(f, cl.l3_len, port.local.mac);
            break;
        default:
            r = pkt::echo4_reply(f, cl.l3_len, port.local.mac);
            break;
    }
    if (r.learn.valid) learn(w, pi, r.learn);
    if (r.action == pkt::LocalAction::Drop) return drop(w, m, r.reason);
    if (r.action == pkt::LocalAction::Consumed) {
        rte_pktmbuf_free(m);
        return;
    }
    m->data_len = m->pkt_len = r.frame_len;
    ++w.c.local_replies;
    w.tx[pi].push(m, w.c);
}

void handle(WorkerState& w, unsigned pi, rte_mbuf* m) {
    if (m->nb_segs != 1) return drop(w, m, DropReason::MultiSegment);
    const PortRuntime& port = *w.cfg->ports[pi];
    const auto* f = rte_pktmbuf_mtod(m, const uint8_t*);
    const pkt::Classified cl = pkt::classify(f, m->data_len, port.role, port.local);
    switch (cl.kind) {
        case pkt::Kind::Drop:
            return drop(w, m, cl.reason);
        case pkt::Kind::Transit6:
        case pkt::Kind::Transit4:
            w.transit[w.n_transit] = m;
            w.transit_len[w.n_transit++] = cl.l3_len;
            return;
        case pkt::Kind::Dns64Query:
        case pkt::Kind::Dns64Upstream:
            if (w.cfg->dns64_ring == nullptr) return drop(w, m, DropReason::LocalUnhandled);
            if (cl.kind == pkt::Kind::Dns64Query) {
                w.dns[w.n_dns++] = m;
            } else {
                w.dns_ans[w.n_dns_ans++] = m;
            }
            return;
        default:
            return local_input(w, pi, m, cl);
    }
}

/// One bulk enqueue per ring and burst to the DNS64 lcore; what does not fit is dropped.
/// Upstream answers have their own ring, which the DNS64 lcore drains first: they finish
/// work already paid for and free pending slots, so a query flood sheds queries at the
/// query ring instead of the answers that would let the backlog clear.
unsigned enqueue_or_drop(WorkerState& w, rte_ring* r, rte_mbuf** pkts, uint16_t n, DropReason why) {
    const unsigned sent =
        rte_ring_enqueue_burst(r, reinterpret_cast<void* const*>(pkts), n, nullptr);
    for (unsigned i = sent; i < n; ++i) drop(w, pkts[i], why);
    return n - sent;
}

void hand_to_dns64(WorkerState& w) {
    unsigned dropped = 0;
    if (w.n_dns_ans) {
        dropped += enqueue_or_drop(w, w.cfg->dns64_answer_ring, w.dns_ans, w.n_dns_ans,
                                   DropReason::AnswerRingFull);
    }
    if (w.n_dns) {
        dropped += enqueue_or_drop(w, w.cfg->dns64_ring, w.dns, w.n_dns, DropReason::RingFull);
    }
    // The DNS64 lcore is behind. When it shares this CPU (idle_yield_polls set), it runs
    // now rather than at the end of our time slice, so overload costs drops, not answers.
    if (dropped && w.cfg->idle.yield_after) sched_yield();
    w.n_dns = 0;
    w.n_dns_ans = 0;
}

/// The burst's transit packets: NAT64 looks their state up in bulk first (overlapping the
/// cache misses of 32 lookups), then each is translated and forwarded.
void translate_stage(WorkerState& w, unsigned pi) {
    if (w.cfg->nat64) {
        const uint8_t* l3[kBurstSize];
        for (uint16_t i = 0; i < w.n_transit; ++i) {
            l3[i] = rte_pktmbuf_mtod(w.transit[i], const uint8_t*) + pkt::kEthHdrLen;
        }
        if (pi == 0) {
            w.cfg->nat64->prefetch_v6(l3, w.transit_len, w.n_transit);
        } else {
            w.cfg->nat64->prefetch_v4(l3, w.transit_len, w.n_transit);
        }
    }
    for (uint16_t i = 0; i < w.n_transit; ++i) {
        if (w.cfg->nat64) w.cfg->nat64->select(i);
        translate_and_forward(w, pi, w.transit[i], w.transit_len[i]);
    }
    if (w.cfg->nat64) w.cfg->nat64->select(nat64::Nat64Mapper::kBurst);
    w.n_transit = 0;
}

void process_burst(WorkerState& w, unsigned pi, rte_mbuf** pkts, uint16_t n) {
    w.c.rx[pi] += n;
    w.xctx.now_ns = static_cast<uint64_t>(static_cast<double>(rte_rdtsc()) * w.ns_per_tsc);
    if (w.cfg->nat64) w.cfg->nat64->set_now_ms(static_cast<uint32_t>(w.xctx.now_ns / 1000000));
    for (uint16_t i = 0; i < n; ++i) {
        if (i + 1 < n) rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void*));
        handle(w, pi, pkts[i]);
    }
    if (w.n_transit) translate_stage(w, pi);
    if (w.n_dns | w.n_dns_ans) hand_to_dns64(w);
    w.c.xlat = w.xctx.counters;  // the translator counts in its context; stats read here
}

/// NAT64 expiry: at most every 100 us a step over 128 entries of each table (a few us):
/// ~1.3M entries visited per second, so a 1M-session table is swept in under a second and
/// no loop pays more than one step.
constexpr unsigned kSweepBudget = 128;
constexpr uint64_t kSweepIntervalNs = 100000;

/// Once per loop: a NAT64 expiry step when due, then the QSBR quiescent report (no pointer
/// into a table survives past here).
void housekeeping(WorkerState& w) {
    if (w.cfg->nat64) {
        const uint64_t tsc = rte_rdtsc();
        if (tsc - w.last_sweep_tsc >= w.sweep_interval_tsc) {
            w.last_sweep_tsc = tsc;
            const auto now_ns = static_cast<uint64_t>(static_cast<double>(tsc) * w.ns_per_tsc);
            w.cfg->nat64->set_now_ms(static_cast<uint32_t>(now_ns / 1000000));
            w.cfg->nat64->sweep(kSweepBudget);
        }
    }
    if (w.cfg->qsbr) rte_rcu_qsbr_quiescent(w.cfg->qsbr, w.cfg->index);
}

}  // namespace

int worker_main(void* arg) {
    auto* cfg = static_cast<WorkerConfig*>(arg);
    const double ns_per_tsc = 1e9 / static_cast<double>(rte_get_tsc_hz());
    WorkerState w{cfg, *cfg->counters, {}, rte_get_tsc_hz() / 10, {}, ns_per_tsc, {}, 0, {}, 0};
    w.sweep_interval_tsc = rte_get_tsc_hz() / (1000000000 / kSweepIntervalNs);
    w.xctx.rng_state = rte_rand();  // RFC 6791 picks differ between lcores and runs
    for (unsigned pi = 0; pi < 2; ++pi) {
        w.tx[pi].port_id = cfg->ports[pi]->port_id;
        w.tx[pi].queue = cfg->txq[pi];
        w.tx[pi].port_index = static_cast<uint8_t>(pi);
    }
    rte_mbuf* pkts[kBurstSize];
    if (cfg->qsbr) {
        rte_rcu_qsbr_thread_register(cfg->qsbr, cfg->index);
        rte_rcu_qsbr_thread_online(cfg->qsbr, cfg->index);
    }
    IdleBackoff idle(cfg->idle, cfg->qsbr, cfg->index);
    while (!cfg->stop->load(std::memory_order_relaxed)) {
        uint32_t got = 0;
        for (unsigned q = 0; q < cfg->n_rxq; ++q) {
            const RxQueueRef& rq = cfg->rxq[q];
            const uint16_t n =
                rte_eth_rx_burst(cfg->ports[rq.port_index]->port_id, rq.queue, pkts, kBurstSize);
            if (n) process_burst(w, rq.port_index, pkts, n);
            got += n;
        }
        w.tx[0].flush(w.c);
        w.tx[1].flush(w.c);
        housekeeping(w);
        idle.after_poll(got != 0);
    }
    w.tx[0].flush(w.c);
    w.tx[1].flush(w.c);
    if (cfg->qsbr) {
        rte_rcu_qsbr_thread_offline(cfg->qsbr, cfg->index);
        rte_rcu_qsbr_thread_unregister(cfg->qsbr, cfg->index);
    }
    return 0;
}

}  // namespace strait::dp
