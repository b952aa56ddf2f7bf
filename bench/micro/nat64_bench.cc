// SPDX-License-Identifier: Apache-2.0
// Stateful NAT64 per-packet and per-session costs at table scale: established-flow lookup
// plus RFC 7915 translation in bursts of 32 (both directions), session creation, expiry
// sweep, bytes per session. Real rte_hash tables and QSBR, EAL without hugepages.
#include <benchmark/benchmark.h>
#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include <rte_version.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <memory>
#include <random>
#include <vector>

#include "dataplane/nat64/nat64_mapper.h"
#include "dataplane/nat64/nat64_table.h"
#include "dataplane/xlat/v4_to_v6.h"
#include "dataplane/xlat/v6_to_v4.h"
#include "strait/net/bytes.h"
#include "strait/net/checksum.h"

namespace {

using namespace strait;
using Bytes = std::vector<uint8_t>;

constexpr uint32_t kPkt = 48 + 18;  // IPv6 + UDP + 18 bytes: 64-byte frames once IPv4
constexpr uint32_t kBuf = 256;
constexpr uint32_t kHeadroom = 128;

rte_rcu_qsbr* g_qsbr = nullptr;

/// One worker's NAT64 state: pool4 192.0.2.0/24 (all protocols, 1024-65535), one table.
struct Gateway {
    std::unique_ptr<nat64::Nat64Table> table;
    std::unique_ptr<nat64::Nat64Shared> shared;
    std::unique_ptr<nat64::Nat64Mapper> mapper;
    xlat::XlatConfig xcfg;
    xlat::XlatContext ctx;
    uint64_t bytes = 0;  // hugepage-heap bytes the table took

    explicit Gateway(uint32_t capacity) {
        config::Nat64Config c;
        c.pool6 = {*net::parse_ipv6("2001:db8:64::"), 96};
        for (auto p : {config::L4Proto::Tcp, config::L4Proto::Udp, config::L4Proto::Icmp}) {
            c.pool4.push_back({*net::parse_ipv4_prefix("192.0.2.0/24"), p, 1024, 65535});
        }
        shared = std::make_unique<nat64::Nat64Shared>(*nat64::Nat64Shared::from_config(c, 1, false));
        rte_malloc_socket_stats before{}, after{};
        rte_malloc_get_socket_stats(0, &before);
        auto t = nat64::Nat64Table::create(0, capacity, 0, g_qsbr, shared->pool4);
        if (!t) {
            std::fprintf(stderr, "nat64_bench: %s\n", t.error().to_string().c_str());
            std::abort();
        }
        table = std::move(t.value());
        rte_malloc_get_socket_stats(0, &after);
        bytes = after.heap_allocsz_bytes - before.heap_allocsz_bytes;
        shared->tables[0] = table.get();
        shared->n_tables = 1;
        mapper = std::make_unique<nat64::Nat64Mapper>(*shared, 0, 42);
        mapper->set_now_ms(1000);
        xcfg.self_ipv4 = *net::parse_ipv4("198.51.100.1");
        xcfg.self_ipv6 = *net::parse_ipv6("2001:db8:6::1");
    }
};

/// IPv6 UDP packet of flow `i`: subscriber 2001:db8:6::<i>, port 1024 + i % 50000, to
/// 198.51.100.2:53 through 2001:db8:64::/96.
void make_v6(uint32_t i, uint8_t* p) {
    std::memset(p, 0, kPkt);
    net::store_be32(p, 6u << 28);
    net::store_be16(p + 4, kPkt - 40);
    p[6] = 17;
    p[7] = 64;
    const net::Ipv6Addr s = *net::parse_ipv6("2001:db8:6::");
    std::memcpy(p + 8, s.b.data(), 12);
    net::store_be32(p + 20, i + 1);
    const net::Ipv6Addr d = *net::parse_ipv6("2001:db8:64::c633:6402");
    std::memcpy(p + 24, d.b.data(), 16);
    net::store_be16(p + 40, static_cast<uint16_t>(1024 + i % 50000));
    net::store_be16(p + 42, 53);
    net::store_be16(p + 44, kPkt - 40);
    const uint32_t ps = net::pseudo_sum_v6(p + 8, p + 24, 17, kPkt - 40);
    const uint16_t sum = net::checksum(p + 40, kPkt - 40, ps);
    net::store_be16(p + 46, sum == 0 ? 0xffff : sum);  // RFC 768: 0 means "none"
}

xlat::PacketBuf view(uint8_t* buf, uint32_t len) { return {buf + kHeadroom, len, kHeadroom, kBuf - kHeadroom - len}; }

/// A gateway holding `n` UDP sessions, the IPv6 packets that made them and, translated,
/// the IPv4 replies that match them.
struct Loaded {
    Gateway gw;
    std::vector<uint8_t> v6, v4;  // kPkt-byte templates, and 28+18-byte IPv4 replies
    explicit Loaded(uint32_t n) : gw(n), v6(size_t{n} * kPkt), v4(size_t{n} * (kPkt - 20)) {
        uint8_t buf[kBuf];
        for (uint32_t i = 0; i < n; ++i) {
            make_v6(i, &v6[size_t{i} * kPkt]);
            std::memcpy(buf + kHeadroom, &v6[size_t{i} * kPkt], kPkt);
            xlat::PacketBuf b = view(buf, kPkt);
            if (xlat::translate_v6_to_v4(b, gw.xcfg, gw.ctx, *gw.mapper).verdict !=
                xlat::Verdict::Forward) {
                std::fprintf(stderr, "setup: flow %u not created\n", i);
                std::abort();
            }
            // The reply: swap addresses and ports, fix the checksums.
            uint8_t* r = &v4[size_t{i} * (kPkt - 20)];
            std::memcpy(r, b.data, b.len);
            uint8_t t[4];
            std::memcpy(t, r + 12, 4);
            std::memcpy(r + 12, r + 16, 4);
            std::memcpy(r + 16, t, 4);
            const uint16_t sp = net::load_be16(r + 20);
            net::store_be16(r + 20, net::load_be16(r + 22));
            net::store_be16(r + 22, sp);
            net::store_be16(r + 10, 0);
            net::store_be16(r + 10, net::checksum(r, 20));
            net::store_be16(r + 26, 0);
            const uint32_t ps = net::pseudo_sum_v4(r + 12, r + 16, 17, static_cast<uint16_t>(b.len - 20));
            const uint16_t sum = net::checksum(r + 20, b.len - 20, ps);
            net::store_be16(r + 26, sum == 0 ? 0xffff : sum);
            if ((i & 1023) == 0) rte_rcu_qsbr_quiescent(g_qsbr, 0);
        }
    }
};

std::unique_ptr<Loaded> g_loaded;  // shared by the benchmarks of one table size
uint32_t g_loaded_n = 0;

Loaded& loaded(uint32_t n) {
    if (g_loaded_n != n) {
        g_loaded.reset();
        g_loaded = std::make_unique<Loaded>(n);
        g_loaded_n = n;
    }
    return *g_loaded;
}

/// Frees the shared table: table names are per worker index, and hugepages are few.
void release_loaded() {
    g_loaded.reset();
    g_loaded_n = 0;
}

std::vector<uint32_t> random_flows(uint32_t n, size_t count) {
    std::mt19937 rng(7);
    std::vector<uint32_t> v(count);
    for (auto& x : v) x = rng() % n;
    return v;
}

void report(benchmark::State& state, const Loaded& l, uint32_t n) {
    state.counters["sessions"] = n;
    state.counters["bytes_per_session"] =
        static_cast<double>(l.gw.bytes) / static_cast<double>(l.gw.table->sessions());
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 32);
}

/// Established flows, IPv6 -> IPv4: a burst of 32 random flows, each copied from its
/// template (the copy is part of the time, ~2 ns) and translated through its session.
void BM_EstablishedV6toV4(benchmark::State& state) {
    const auto n = static_cast<uint32_t>(state.range(0));
    Loaded& l = loaded(n);
    // Packets of random flows, laid out in sending order: reading them is sequential, as
    // a NIC's freshly written frames are cache-warm; the table accesses stay random.
    const auto flows = random_flows(n, 1 << 16);
    std::vector<uint8_t> stream(size_t{kPkt} << 16);
    for (size_t j = 0; j < flows.size(); ++j) {
        std::memcpy(&stream[j * kPkt], &l.v6[size_t{flows[j]} * kPkt], kPkt);
    }
    alignas(64) static uint8_t bufs[32][kBuf];
    const bool prefetch = state.range(1) != 0;
    const uint8_t* l3[32];
    uint32_t lens[32];
    for (unsigned k = 0; k < 32; ++k) {
        l3[k] = bufs[k] + kHeadroom;
        lens[k] = kPkt;
    }
    size_t at = 0;
    for (auto _ : state) {
        for (unsigned k = 0; k < 32; ++k) {
            std::memcpy(bufs[k] + kHeadroom, &stream[((at + k) & 0xffff) * kPkt], kPkt);
        }
        if (prefetch) l.gw.mapper->prefetch_v6(l3, lens, 32);
        for (unsigned k = 0; k < 32; ++k) {
            l.gw.mapper->select(k);
            xlat::PacketBuf b = view(bufs[k], kPkt);
            benchmark::DoNotOptimize(xlat::translate_v6_to_v4(b, l.gw.xcfg, l.gw.ctx, *l.gw.mapper));
        }
        at += 32;
        rte_rcu_qsbr_quiescent(g_qsbr, 0);
    }
    report(state, l, n);
}

/// Established flows, IPv4 -> IPv6: BIB lookup in the owner table plus the session.
void BM_EstablishedV4toV6(benchmark::State& state) {
    const auto n = static_cast<uint32_t>(state.range(0));
    Loaded& l = loaded(n);
    const auto flows = random_flows(n, 1 << 16);
    const uint32_t len = kPkt - 20;
    std::vector<uint8_t> stream(size_t{len} << 16);
    for (size_t j = 0; j < flows.size(); ++j) {
        std::memcpy(&stream[j * len], &l.v4[size_t{flows[j]} * len], len);
    }
    alignas(64) static uint8_t bufs[32][kBuf];
    const bool prefetch = state.range(1) != 0;
    const uint8_t* l3[32];
    uint32_t lens[32];
    for (unsigned k = 0; k < 32; ++k) {
        l3[k] = bufs[k] + kHeadroom;
        lens[k] = len;
    }
    size_t at = 0;
    for (auto _ : state) {
        for (unsigned k = 0; k < 32; ++k) {
            std::memcpy(bufs[k] + kHeadroom, &stream[((at + k) & 0xffff) * len], len);
        }
        if (prefetch) l.gw.mapper->prefetch_v4(l3, lens, 32);
        for (unsigned k = 0; k < 32; ++k) {
            l.gw.mapper->select(k);
            xlat::PacketBuf b = view(bufs[k], len);
            benchmark::DoNotOptimize(xlat::translate_v4_to_v6(b, l.gw.xcfg, l.gw.ctx, *l.gw.mapper));
        }
        at += 32;
        rte_rcu_qsbr_quiescent(g_qsbr, 0);
    }
    report(state, l, n);
}

/// New sessions: each packet is a new subscriber flow (BIB + session + pool4 port).
void BM_SessionCreate(benchmark::State& state) {
    constexpr uint32_t kCap = 1u << 20;
    release_loaded();
    auto gw = std::make_unique<Gateway>(kCap);
    std::vector<uint8_t> tmpl(kPkt);
    alignas(64) uint8_t buf[kBuf];
    uint32_t i = 0;
    uint64_t created = 0;
    for (auto _ : state) {
        if (i == kCap) {
            state.PauseTiming();
            gw.reset();
            rte_rcu_qsbr_quiescent(g_qsbr, 0);
            gw = std::make_unique<Gateway>(kCap);
            i = 0;
            state.ResumeTiming();
        }
        make_v6(i++, buf + kHeadroom);
        xlat::PacketBuf b = view(buf, kPkt);
        created += xlat::translate_v6_to_v4(b, gw->xcfg, gw->ctx, *gw->mapper).verdict ==
                   xlat::Verdict::Forward;
        if ((i & 31) == 0) rte_rcu_qsbr_quiescent(g_qsbr, 0);
    }
    state.counters["created"] = static_cast<double>(created);
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

/// Expiry: 1M sessions all past their deadline, removed in housekeeping steps of 128
/// entries per table (what a worker does every 100 us). Reports the longest step.
void BM_ExpireSweep(benchmark::State& state) {
    const auto n = static_cast<uint32_t>(state.range(0));
    uint64_t removed = 0, steps = 0;
    double max_step_us = 0;
    for (auto _ : state) {
        state.PauseTiming();
        release_loaded();
        auto l = std::make_unique<Loaded>(n);
        l->gw.mapper->set_now_ms(1000 + 301 * 1000);  // past the 300 s UDP timeout
        state.ResumeTiming();
        while (l->gw.table->sessions() > 0 || l->gw.table->bib_entries() > 0) {
            const auto t0 = std::chrono::steady_clock::now();
            removed += l->gw.mapper->sweep(128);
            const double us =
                std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
            if (us > max_step_us) max_step_us = us;
            ++steps;
            rte_rcu_qsbr_quiescent(g_qsbr, 0);
        }
        state.PauseTiming();
        l.reset();
        state.ResumeTiming();
    }
    state.counters["removed_per_run"] = static_cast<double>(removed) / static_cast<double>(state.iterations());
    state.counters["steps_per_run"] = static_cast<double>(steps) / static_cast<double>(state.iterations());
    state.counters["max_step_us"] = max_step_us;
    state.SetItemsProcessed(static_cast<int64_t>(removed));
}

// Args: sessions, bulk prefetch stage off/on.
BENCHMARK(BM_EstablishedV6toV4)->ArgsProduct({{1000, 1 << 20}, {0, 1}});
BENCHMARK(BM_EstablishedV4toV6)->ArgsProduct({{1000, 1 << 20}, {0, 1}});
BENCHMARK(BM_SessionCreate);
BENCHMARK(BM_ExpireSweep)->Arg(1 << 20)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
    // Hugepages when the machine has them (as a deployment does: TLB reach matters at
    // 1M sessions), else plain memory.
    const bool huge = std::getenv("NAT64_BENCH_NO_HUGE") == nullptr;
    std::vector<std::string> args{"nat64_bench", "--no-pci", "-l", "0", "--log-level=*:error"};
    if (huge) {
        args.insert(args.end(), {"--in-memory"});
    } else {
        args.insert(args.end(), {"--no-huge", "-m", "3072", "--no-shconf"});
    }
    std::vector<char*> eal;
    for (auto& a : args) eal.push_back(a.data());
    if (rte_eal_init(static_cast<int>(eal.size()), eal.data()) < 0) {
        std::fprintf(stderr, "nat64_bench: rte_eal_init failed (no hugepages? set NAT64_BENCH_NO_HUGE=1)\n");
        return 1;
    }
    benchmark::AddCustomContext("memory", huge ? "hugepages" : "no-huge");
    const size_t sz = rte_rcu_qsbr_get_memsize(1);
    g_qsbr = static_cast<rte_rcu_qsbr*>(rte_zmalloc("qsbr", sz, 64));
    rte_rcu_qsbr_init(g_qsbr, 1);
    rte_rcu_qsbr_thread_register(g_qsbr, 0);
    rte_rcu_qsbr_thread_online(g_qsbr, 0);
    benchmark::AddCustomContext("dpdk", rte_version());
    benchmark::AddCustomContext("setup", "1 worker table, pool4 192.0.2.0/24 x 1024-65535, UDP, 64-byte IPv4 frames");
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
