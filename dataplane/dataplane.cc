// SPDX-License-Identifier: Apache-2.0
// Dataplane life cycle: EAL and ports up, lcores launched, then stopped and released.
#include "dataplane/dataplane.h"

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>
#include <sys/random.h>

#include <chrono>
#include <cstring>

#include "dataplane/eal/eal_init.h"
#include "dataplane/lcore/counters.h"
#include "dataplane/lcore/worker.h"
#include "dataplane/nat64/nat64_mapper.h"
#include "dataplane/nat64/nat64_table.h"
#include "dataplane/nbr/neighbor_table.h"
#include "dataplane/xlat/eamt.h"
#include "dataplane/xlat/siit_mapper.h"
#include "dns64/dns64_lcore.h"
#include "dns64/engine.h"
#include "dns64/upstream/rng.h"

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
    // Stateful NAT64 (mode "nat64"): one QSBR variable for the dataplane (workers are its
    // threads 0..N-1), a table per worker, shared settings, one mapper per worker.
    rte_rcu_qsbr* qsbr = nullptr;
    std::unique_ptr<nat64::Nat64Shared> nat64;
    std::vector<std::unique_ptr<nat64::Nat64Table>> nat64_tables;
    std::vector<std::unique_ptr<nat64::Nat64Mapper>> nat64_mappers;
    // DNS64 (present iff cfg.dns64): engine, its RNG, the handoff ring and its lcore.
    std::unique_ptr<dns64::SystemRng> dns_rng;
    std::unique_ptr<dns64::Engine> dns_engine;
    rte_ring* dns_ring = nullptr;         // client queries
    rte_ring* dns_answer_ring = nullptr;  // upstream answers (drained first)
    dns64::Dns64LcoreConfig dns_cfg;
    unsigned dns_lcore = 0;
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
        wc.idle = IdlePolicy{d.cfg.startup.idle_yield_polls, 256, d.cfg.startup.idle_sleep_us};
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
    d.xcfg.reset_tos = rt.traffic_class.has_value();
    d.xcfg.traffic_class = rt.traffic_class.value_or(0);
    d.xcfg.udp_zero_checksum =
        rt.amend_udp_checksum_zero ? xlat::UdpZeroChecksum::Compute : xlat::UdpZeroChecksum::Drop;
    d.xcfg.icmp_errors_per_sec = rt.icmp_errors_per_sec;
    d.xcfg.icmp_error_burst = rt.icmp_error_burst;
    d.xcfg.has_rfc6791_pool4 = rt.rfc6791_pool4.has_value();
    if (rt.rfc6791_pool4) d.xcfg.rfc6791_pool4 = *rt.rfc6791_pool4;
    d.xcfg.rfc6791_select =
        rt.rfc6791_hash ? xlat::Rfc6791Select::Hash : xlat::Rfc6791Select::Random;
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

/// 64 random bits from the kernel; startup fails rather than run predictable ports.
Result<uint64_t> random_seed() {
    uint64_t v = 0;
    for (int tries = 0; tries < 8; ++tries) {
        if (getrandom(&v, sizeof v, 0) == static_cast<ssize_t>(sizeof v)) return v;
    }
    return Error{ErrorCode::Unavailable, "", "getrandom() failed: no seed for pool4 ports"};
}

/// Static BIB entries go into the table of the worker owning their pool4 port.
Status add_static_bib(Dataplane::Impl& d, const config::Nat64Config& c) {
    for (std::size_t i = 0; i < c.bib.size(); ++i) {
        const auto& e = c.bib[i];
        nat64::Bib6Key k6{};
        std::memcpy(k6.src6, e.addr6.b.data(), 16);
        k6.port6 = e.port6;
        k6.proto = static_cast<uint8_t>(e.proto);
        nat64::Bib4Key k4{};
        std::memcpy(k4.addr4, e.addr4.b.data(), 4);
        k4.port4 = e.port4;
        k4.proto = k6.proto;
        const unsigned pi = nat64::proto_index(k6.proto);
        const uint32_t a = net::load_be32(e.addr4.b.data());
        const int owner = d.nat64->pool4.owner(pi, a, e.port4);
        const int64_t idx = d.nat64->pool4.addr_index(pi, a, e.port4);
        if (owner < 0 || idx < 0 ||
            d.nat64_tables[owner]->add_bib(k6, k4, static_cast<uint32_t>(idx), true) == nullptr) {
            return invalid("/nat64/bib/" + std::to_string(i), "cannot add the static BIB entry");
        }
    }
    return Ok{};
}

/// Mode "nat64": QSBR variable, per-worker tables and mappers, static BIB.
Status setup_nat64(Dataplane::Impl& d) {
    const auto& rt = d.cfg.runtime;
    if (rt.mode != config::Mode::Nat64) return Ok{};
    const config::Nat64Config& c = *rt.nat64;
    const unsigned nw = d.cfg.startup.workers;
    auto shared = nat64::Nat64Shared::from_config(c, nw, rt.allow_non_global_in_wkp);
    if (!shared) return shared.error();
    d.nat64 = std::make_unique<nat64::Nat64Shared>(std::move(*shared));
    const size_t qsz = rte_rcu_qsbr_get_memsize(nw);
    d.qsbr = static_cast<rte_rcu_qsbr*>(rte_zmalloc("strait_qsbr", qsz, RTE_CACHE_LINE_SIZE));
    if (d.qsbr == nullptr || rte_rcu_qsbr_init(d.qsbr, nw) != 0) {
        return Error{ErrorCode::Unavailable, "", "cannot create the QSBR variable"};
    }
    for (unsigned w = 0; w < nw; ++w) {
        auto t = nat64::Nat64Table::create(
            w, c.capacity, static_cast<int>(rte_socket_id()), d.qsbr, d.nat64->pool4,
            c.max_sessions_per_subscriber ? c.subscriber_prefix_len : 0);
        if (!t) return t.error();
        d.nat64->tables[w] = t->get();
        d.nat64_tables.push_back(std::move(*t));
    }
    d.nat64->n_tables = nw;
    if (auto st = add_static_bib(d, c); !st.ok()) return st;
    for (unsigned w = 0; w < nw; ++w) {
        auto seed = random_seed();
        if (!seed) return seed.error();
        d.nat64_mappers.push_back(std::make_unique<nat64::Nat64Mapper>(*d.nat64, w, *seed));
        d.workers[w].nat64 = d.nat64_mappers.back().get();
        d.workers[w].qsbr = d.qsbr;
    }
    // pool4 on the gateway's own outside address: its traffic is transit, not local.
    for (const auto& e : c.pool4) {
        for (unsigned k = 0; k < d.ports[1].local.n4; ++k) {
            if (e.prefix.contains(d.ports[1].local.v4[k])) d.ports[1].local.transit_on_self = true;
        }
    }
    return Ok{};
}

/// Workers take the first EAL worker lcores, the DNS64 lcore (if any) the next one.
Status pick_lcores(Dataplane::Impl& d) {
    const unsigned want = d.cfg.startup.workers + (d.cfg.dns64 ? 1 : 0);
    std::vector<unsigned> got;
    unsigned lcore;
    RTE_LCORE_FOREACH_WORKER(lcore) {
        if (got.size() < want) got.push_back(lcore);
    }
    if (got.size() < want) {
        return invalid("/workers", "needs " + std::to_string(want) +
                                       " lcores besides the main lcore (workers" +
                                       (d.cfg.dns64 ? " + DNS64" : "") + "); EAL has " +
                                       std::to_string(got.size()) + " (set --lcores in eal_args)");
    }
    if (d.cfg.dns64) {
        d.dns_lcore = got.back();
        got.pop_back();
    }
    d.worker_lcores = std::move(got);
    return Ok{};
}

/// Marks the DNS64 service addresses on the inside port (adding those it does not own,
/// as /128s it answers NDP for) and the upstream source ports on the outside port.
void steer_dns64(Dataplane::Impl& d) {
    const dns64::Dns64Config& dc = *d.cfg.dns64;
    pkt::LocalAddrs& in = d.ports[0].local;
    for (const auto& a : dc.service) {
        unsigned idx = in.n6;
        for (unsigned k = 0; k < in.n6; ++k) {
            if (in.v6[k] == a) idx = k;
        }
        if (idx == in.n6 && in.n6 < pkt::LocalAddrs::kMax) {
            in.v6_len[in.n6] = 128;
            in.v6[in.n6++] = a;
        }
        if (idx < pkt::LocalAddrs::kMax) in.dns_service_mask |= static_cast<uint8_t>(1u << idx);
    }
    d.ports[1].local.dns_port_min = dc.source_port_min;
    d.ports[1].local.dns_port_max = dc.source_port_max;
}

/// Engine, ring and lcore config for DNS64 (RFC 6147), before any lcore runs.
Status setup_dns64(Dataplane::Impl& d) {
    if (!d.cfg.dns64) return Ok{};
    const auto& s = d.cfg.startup;
    for (int p = 0; p < 2; ++p) {
        if (d.setup[p].nb_tx <= s.workers) {
            return Error{ErrorCode::Unavailable, "/dns64_lcore",
                         "port has no spare TX queue for the DNS64 lcore"};
        }
    }
    d.dns_ring = rte_ring_create("strait_dns64", s.dns64_ring_size, rte_socket_id(), RING_F_SC_DEQ);
    d.dns_answer_ring =
        rte_ring_create("strait_dns64_ans", s.dns64_ring_size, rte_socket_id(), RING_F_SC_DEQ);
    if (d.dns_ring == nullptr || d.dns_answer_ring == nullptr) {
        return Error{ErrorCode::Unavailable, "/dns64_ring_size", "no ring"};
    }
    steer_dns64(d);
    d.dns_rng = std::make_unique<dns64::SystemRng>();
    d.dns_engine = std::make_unique<dns64::Engine>(*d.cfg.dns64, *d.dns_rng);
    dns64::Dns64LcoreConfig& c = d.dns_cfg;
    c.ports[0] = &d.ports[0];
    c.ports[1] = &d.ports[1];
    c.txq[0] = c.txq[1] = static_cast<uint16_t>(s.workers);
    c.mtu[0] = s.inside.mtu;
    c.mtu[1] = s.outside.mtu;
    c.ring = d.dns_ring;
    c.answer_ring = d.dns_answer_ring;
    c.pool = d.pool;
    c.counters = &d.counters[s.workers];
    c.engine = d.dns_engine.get();
    c.idle = dp::IdlePolicy{s.idle_yield_polls, s.dns64_idle_polls, s.dns64_idle_sleep_us};
    c.stop = &d.stop;
    for (auto& w : d.workers) {
        w.dns64_ring = d.dns_ring;
        w.dns64_answer_ring = d.dns_answer_ring;
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
    i.pool = rte_pktmbuf_pool_create("strait_mbufs", s.mbufs, 256, 0,
                                     static_cast<uint16_t>(s.mbuf_data_room + RTE_PKTMBUF_HEADROOM),
                                     static_cast<int>(rte_socket_id()));
    if (i.pool == nullptr) {
        return Error{ErrorCode::Unavailable, "/mbufs", "cannot create mbuf pool"};
    }
    if (auto st = setup_ports(i); !st.ok()) return st.error();
    if (auto st = setup_translation(i); !st.ok()) return st.error();
    i.counters = static_cast<LcoreCounters*>(
        rte_zmalloc("strait_counters", sizeof(LcoreCounters) * (s.workers + 1), 64));
    if (i.counters == nullptr) return Error{ErrorCode::Unavailable, "", "no memory for counters"};
    assign_queues(i);
    if (auto st = setup_nat64(i); !st.ok()) return st.error();
    if (auto st = setup_dns64(i); !st.ok()) return st.error();
    for (unsigned w = 0; w < s.workers; ++w) {
        rte_eal_remote_launch(worker_main, &i.workers[w], i.worker_lcores[w]);
    }
    if (i.dns_engine) rte_eal_remote_launch(dns64::dns64_lcore_main, &i.dns_cfg, i.dns_lcore);
    i.running = true;
    return dp;
}

Dataplane::Dataplane(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

namespace {

/// The DNS64 lcore's block, the engine counters and ring_drops: the workers' RingFull drops
/// (the query ring is the only ring they count that way; answer-ring drops are
/// AnswerRingFull).
void dns64_stats(const Dataplane::Impl& i, StatsSnapshot& s) {
    LcoreStats l = read_counters(i.counters[i.workers.size()]);
    l.lcore = i.dns_lcore;
    l.role = "dns64";
    uint64_t ring_full = 0;
    constexpr auto kRingFull = static_cast<unsigned>(DropReason::RingFull);
    for (const auto& w : s.lcores) ring_full += w.drops[kRingFull];
    s.lcores.push_back(l);
    i.dns_engine->counters().for_each(
        [&](std::string_view name, std::string_view help, uint64_t v) {
            s.dns64.push_back({std::string(name), std::string(help), v});
        });
    s.dns64.push_back(
        {"ring_drops", "client queries dropped at the full workers->DNS64 query ring", ring_full});
    const dns64::CacheStats c = i.dns_engine->cache_stats();
    s.dns64_cache = {{"capacity", "answers the cache can hold", c.capacity},
                     {"bytes", "heap bytes held by stored answers", c.bytes},
                     {"inserts", "answers stored", c.inserts},
                     {"evictions", "live answers replaced to make room", c.evictions},
                     {"uncacheable", "answers not stored (size, TTL 0, rcode)", c.uncacheable},
                     {"flushes", "flushes applied", c.flushes}};
    s.dns64_upstream = {
        {"pending", "upstream transactions in flight", i.dns_engine->pending_published()},
        {"max_pending", "bound on upstream transactions in flight", i.cfg.dns64->max_pending}};
}

/// NAT64 table figures summed over the workers, and pool4 utilisation per address.
void nat64_stats(const Dataplane::Impl& i, StatsSnapshot& s) {
    static constexpr const char* kProto[nat64::kProtos] = {"tcp", "udp", "icmp"};
    auto rd = [](const uint64_t& v) {
        return std::atomic_ref<uint64_t>(const_cast<uint64_t&>(v)).load(std::memory_order_relaxed);
    };
    uint64_t sessions = 0, bib = 0, memory = 0, sweep_max = 0;
    for (const auto& t : i.nat64_tables) {
        sessions += t->sessions();
        bib += t->bib_entries();
        memory += t->memory_bytes();
        sweep_max = std::max(sweep_max, rd(t->counters().sweep_max_ns));
    }
    s.nat64.push_back({"sessions", "sessions in the tables", sessions, true, ""});
    s.nat64.push_back(
        {"bib_entries", "BIB entries in the tables (static included)", bib, true, ""});
    s.nat64.push_back({"capacity", "sessions the tables hold (all workers)",
                       uint64_t{i.cfg.runtime.nat64->capacity} * i.nat64_tables.size(), true, ""});
    s.nat64.push_back({"table_memory_bytes", "memory held by the tables", memory, true, ""});
    s.nat64.push_back({"sweep_max_ns", "longest expiry sweep step", sweep_max, true, ""});
    uint64_t subs = 0;
    for (const auto& t : i.nat64_tables) subs += t->subscribers();
    s.nat64.push_back({"subscriber_entries",
                       "subscribers with sessions, summed over workers (limits on only)", subs,
                       true, ""});
    struct Field {
        const char* name;
        const char* help;
        const uint64_t* (*get)(const nat64::TableCounters&);
    };
    const Field fields[] = {{"sessions_created", "sessions created",
                             [](const nat64::TableCounters& c) { return c.sessions_created; }},
                            {"sessions_expired", "sessions expired and removed",
                             [](const nat64::TableCounters& c) { return c.sessions_expired; }},
                            {"bib_created", "BIB entries created",
                             [](const nat64::TableCounters& c) { return c.bib_created; }},
                            {"bib_expired", "BIB entries removed",
                             [](const nat64::TableCounters& c) { return c.bib_expired; }}};
    for (const Field& f : fields) {
        for (unsigned p = 0; p < nat64::kProtos; ++p) {
            uint64_t v = 0;
            for (const auto& t : i.nat64_tables) v += rd(f.get(t->counters())[p]);
            s.nat64.push_back({f.name, f.help, v, false, kProto[p]});
        }
    }
    const nat64::Pool4& pool4 = i.nat64->pool4;
    for (unsigned p = 0; p < nat64::kProtos; ++p) {
        for (uint32_t a = 0; a < pool4.addresses(p); ++a) {
            Pool4Usage u;
            uint8_t b[4];
            net::store_be32(b, pool4.address_at(p, a));
            u.address = net::to_string(net::Ipv4Addr::from_bytes(b));
            u.proto = kProto[p];
            for (unsigned w = 0; w < i.nat64_tables.size(); ++w) {
                u.used += i.nat64_tables[w]->used_ports(p, a);
                u.ports += pool4.slice_size(p, a, w);
            }
            s.pool4.push_back(u);
        }
    }
}

}  // namespace

Dataplane::~Dataplane() { stop(); }

bool Dataplane::flush_dns64_cache() {
    if (!impl_->dns_engine) return false;
    impl_->dns_engine->request_flush();
    return true;
}

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
    if (i.dns_engine) dns64_stats(i, s);
    if (i.nat64) nat64_stats(i, s);
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
    for (rte_ring** r : {&i.dns_ring, &i.dns_answer_ring}) {
        if (*r == nullptr) continue;
        dns64::drain_dns64_ring(*r);
        rte_ring_free(*r);
        *r = nullptr;
    }
    i.dns_engine.reset();
    i.nat64_mappers.clear();
    i.nat64_tables.clear();
    i.nat64.reset();
    rte_free(i.qsbr);
    i.qsbr = nullptr;
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
