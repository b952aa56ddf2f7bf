// SPDX-License-Identifier: Apache-2.0
// Dataplane life cycle: EAL and ports up, lcores launched, then stopped and released.
#include "dataplane/dataplane.h"

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include <chrono>
#include <cstring>

#include "dataplane/eal/eal_init.h"
#include "dataplane/lcore/counters.h"
#include "dataplane/lcore/worker.h"
#include "dataplane/nbr/neighbor_table.h"
#include "dataplane/xlat/eamt.h"
#include "dataplane/xlat/siit_mapper.h"

namespace strait::dp {

struct Dataplane::Impl {
    config::Config cfg;
    rte_mempool* pool = nullptr;
    PortSetup setup[2];
    PortRuntime ports[2];
    std::unique_ptr<NeighborTable> nbr[2];
    std::vector<WorkerConfig> workers;
    std::vector<unsigned> worker_lcores;
    LcoreCounters* counters = nullptr;  // one block per worker
    xlat::XlatConfig xcfg;
    xlat::Eamt eamt;
    std::unique_ptr<xlat::SiitMapper> siit;
    std::atomic<bool> stop{false};
    bool running = false;
    bool eal_up = false;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

namespace {

void fill_port_runtime(const config::PortConfig& pc, const PortSetup& ps, pkt::PortRole role,
                       PortRuntime& rt) {
    rt.port_id = ps.port_id;
    rt.role = role;
    rt.local.mac = ps.mac;
    rt.local.v6_link_local = pkt::link_local_of(ps.mac);
    for (const auto& a : pc.ipv6) {
        if (rt.local.n6 == pkt::LocalAddrs::kMax) break;
        rt.local.v6_len[rt.local.n6] = a.len;
        rt.local.v6[rt.local.n6++] = a.addr;
    }
    for (const auto& a : pc.ipv4) {
        if (rt.local.n4 == pkt::LocalAddrs::kMax) break;
        rt.local.v4_len[rt.local.n4] = a.len;
        rt.local.v4[rt.local.n4++] = a.addr;
    }
    if (pc.gateway6) {
        rt.has_gateway = true;
        std::memcpy(rt.gateway, pc.gateway6->b.data(), 16);
    } else if (pc.gateway4) {
        rt.has_gateway = true;
        std::memcpy(rt.gateway, pc.gateway4->b.data(), 4);
    }
}

Status setup_ports(Dataplane::Impl& d) {
    const auto& s = d.cfg.startup;
    const uint16_t want_rx = static_cast<uint16_t>(s.workers);
    const uint16_t want_tx = static_cast<uint16_t>(s.workers + (s.dns64_lcore ? 1 : 0));
    const config::PortConfig* pcs[2] = {&s.inside, &s.outside};
    const char* names[2] = {"inside", "outside"};
    for (int i = 0; i < 2; ++i) {
        auto ps = setup_port(*pcs[i], names[i], want_rx, want_tx, d.pool);
        if (!ps) return ps.error();
        d.setup[i] = *ps;
        auto t = NeighborTable::create(std::string("nbr_") + names[i], s.neighbors,
                                       rte_eth_dev_socket_id(ps->port_id));
        if (!t) return t.error();
        d.nbr[i] = std::move(*t);
        fill_port_runtime(*pcs[i], *ps, i == 0 ? pkt::PortRole::Inside : pkt::PortRole::Outside,
                          d.ports[i]);
        d.ports[i].nbr = d.nbr[i].get();
    }
    return Ok{};
}

/// Every RX queue of both ports goes to exactly one worker, round robin, so no queue
/// (and no AF_PACKET fanout socket) is left unpolled.
void assign_queues(Dataplane::Impl& d) {
    const unsigned nw = d.cfg.startup.workers;
    d.workers.resize(nw);
    for (unsigned w = 0; w < nw; ++w) {
        WorkerConfig& wc = d.workers[w];
        wc.index = w;
        wc.ports[0] = &d.ports[0];
        wc.ports[1] = &d.ports[1];
        wc.counters = &d.counters[w];
        wc.pool = d.pool;
        wc.idle_sleep_us = d.cfg.startup.idle_sleep_us;
        wc.stop = &d.stop;
        wc.xcfg = &d.xcfg;
        wc.siit = d.siit.get();
        for (int p = 0; p < 2; ++p) wc.txq[p] = static_cast<uint16_t>(w % d.setup[p].nb_tx);
    }
    for (uint16_t p = 0; p < 2; ++p) {
        for (uint16_t q = 0; q < d.setup[p].nb_rx; ++q) {
            WorkerConfig& wc = d.workers[q % nw];
            if (wc.n_rxq < kMaxRxQueues) wc.rxq[wc.n_rxq++] = {p, q};
        }
    }
}

/// Translator settings and the SIIT mapper from the runtime config (mode "siit").
Status setup_translation(Dataplane::Impl& d) {
    const auto& rt = d.cfg.runtime;
    const auto& s = d.cfg.startup;
    d.xcfg.mtu4 = s.outside.mtu;
    d.xcfg.mtu6 = s.inside.mtu;
    d.xcfg.lowest_ipv6_mtu = rt.lowest_ipv6_mtu;
    d.xcfg.self_ipv4 = s.outside.ipv4.front().addr;
    d.xcfg.self_ipv6 = s.inside.ipv6.front().addr;
    if (rt.mode != config::Mode::Siit) return Ok{};
    std::vector<xlat::EamtEntry> entries;
    for (const auto& e : rt.eamt) entries.push_back({e.ipv6, e.ipv4});
    auto eamt = xlat::Eamt::build(entries);
    if (!eamt) return eamt.error();
    d.eamt = std::move(*eamt);
    net::Ipv6Prefix pool6{};
    pool6.len = 0;
    if (rt.pool6) pool6 = *rt.pool6;
    d.siit = std::make_unique<xlat::SiitMapper>(d.eamt, pool6, rt.allow_non_global_in_wkp);
    return Ok{};
}

Status pick_lcores(Dataplane::Impl& d) {
    unsigned lcore;
    RTE_LCORE_FOREACH_WORKER(lcore) {
        if (d.worker_lcores.size() < d.cfg.startup.workers) d.worker_lcores.push_back(lcore);
    }
    if (d.worker_lcores.size() < d.cfg.startup.workers) {
        return invalid("/workers", "needs " + std::to_string(d.cfg.startup.workers) +
                                       " worker lcores besides the main lcore; EAL has " +
                                       std::to_string(d.worker_lcores.size()) +
                                       " (set --lcores in eal_args)");
    }
    return Ok{};
}

}  // namespace

Result<std::unique_ptr<Dataplane>> Dataplane::start(const config::Config& cfg,
                                                    const std::vector<std::string>& eal_overrides) {
    auto d = std::make_unique<Impl>();
    d->cfg = cfg;
    const auto& s = cfg.startup;
    const unsigned queues = s.workers + (s.dns64_lcore ? 1 : 0);
    if (auto st = init_eal(build_eal_args(s, eal_overrides, queues)); !st.ok()) return st.error();
    d->eal_up = true;
    std::unique_ptr<Dataplane> dp(new Dataplane(std::move(d)));
    Impl& i = *dp->impl_;
    if (auto st = pick_lcores(i); !st.ok()) return st.error();
    i.pool = rte_pktmbuf_pool_create("strait_mbufs", s.mbufs, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
                                     static_cast<int>(rte_socket_id()));
    if (i.pool == nullptr) return Error{ErrorCode::Unavailable, "/mbufs", "cannot create mbuf pool"};
    if (auto st = setup_ports(i); !st.ok()) return st.error();
    if (auto st = setup_translation(i); !st.ok()) return st.error();
    i.counters = static_cast<LcoreCounters*>(
        rte_zmalloc("strait_counters", sizeof(LcoreCounters) * s.workers, 64));
    if (i.counters == nullptr) return Error{ErrorCode::Unavailable, "", "no memory for counters"};
    assign_queues(i);
    for (unsigned w = 0; w < s.workers; ++w) {
        rte_eal_remote_launch(worker_main, &i.workers[w], i.worker_lcores[w]);
    }
    i.running = true;
    return dp;
}

Dataplane::Dataplane(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Dataplane::~Dataplane() { stop(); }

StatsSnapshot Dataplane::stats() const {
    StatsSnapshot s;
    const Impl& i = *impl_;
    s.uptime_ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::steady_clock::now() - i.started)
                                            .count());
    for (unsigned w = 0; w < i.workers.size(); ++w) {
        LcoreStats l = read_counters(i.counters[w]);
        l.lcore = i.worker_lcores[w];
        l.role = "worker";
        s.lcores.push_back(l);
    }
    const char* names[2] = {"inside", "outside"};
    for (int p = 0; p < 2 && i.pool; ++p) {
        rte_eth_stats es{};
        rte_eth_stats_get(i.setup[p].port_id, &es);
        s.ports.push_back({names[p], es.ipackets, es.opackets, es.ibytes, es.obytes, es.imissed,
                           es.ierrors, es.oerrors, es.rx_nombuf});
    }
    return s;
}

StatsSnapshot Dataplane::stop() {
    if (!impl_ || !impl_->eal_up) return {};
    Impl& i = *impl_;
    i.stop.store(true);
    if (i.running) rte_eal_mp_wait_lcore();
    i.running = false;
    StatsSnapshot final_stats = i.counters ? stats() : StatsSnapshot{};
    for (int p = 0; p < 2; ++p) {
        if (i.nbr[p]) close_port(i.setup[p].port_id);
    }
    i.nbr[0].reset();
    i.nbr[1].reset();
    rte_free(i.counters);
    i.counters = nullptr;
    i.workers.clear();
    rte_mempool_free(i.pool);
    i.pool = nullptr;
    rte_eal_cleanup();
    i.eal_up = false;
    return final_stats;
}

}  // namespace strait::dp
