// SPDX-License-Identifier: Apache-2.0
// DNS64 engine micro-benchmarks: the cache-hit answer path (parse + lookup + patch) and
// the full synthesis path (AAAA NODATA -> A -> synthesized AAAA) per query, in-process.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "dns64/engine.h"
#include "strait/net/bytes.h"

namespace {

using strait::dns64::ClientId;
using strait::dns64::Dns64Config;
using strait::dns64::Engine;
using strait::dns64::SplitMixRng;
namespace wire = strait::dns64::wire;
namespace net = strait::net;

/// Keeps the last upstream query; counts client answers. No allocation.
struct BenchOut {
    uint8_t up[512];
    std::size_t up_len = 0;
    net::Ipv4Addr server;
    uint16_t local_port = 0;
    uint64_t answers = 0;
    uint64_t bytes = 0;
    void to_client(const ClientId&, std::span<const uint8_t> m) {
        ++answers;
        bytes += m.size();
    }
    void to_upstream(net::Ipv4Addr s, uint16_t, uint16_t lp, std::span<const uint8_t> m) {
        std::memcpy(up, m.data(), m.size());
        up_len = m.size();
        server = s;
        local_port = lp;
    }
};

/// "h<i>.bench.example." AAAA query with EDNS, built by hand.
std::vector<uint8_t> make_query(unsigned i, uint16_t id) {
    std::vector<uint8_t> q(wire::kHeaderLen);
    wire::Header h;
    h.id = id;
    h.flags = wire::kFlagRd;
    h.qdcount = 1;
    h.arcount = 1;
    wire::write_header(q.data(), h);
    const std::string label = "h" + std::to_string(i);
    q.push_back(static_cast<uint8_t>(label.size()));
    q.insert(q.end(), label.begin(), label.end());
    for (const char* l : {"bench", "example"}) {
        q.push_back(static_cast<uint8_t>(std::strlen(l)));
        q.insert(q.end(), l, l + std::strlen(l));
    }
    q.insert(q.end(), {0, 0, 28, 0, 1});                       // root, AAAA, IN
    q.insert(q.end(), {0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0});  // OPT 1232
    return q;
}

/// Answers an upstream query: NODATA with an SOA (AAAA) or one A record (A).
std::size_t make_answer(const uint8_t* up, std::size_t up_len, uint8_t* out) {
    const std::size_t qend = wire::skip_name(wire::Bytes(up, up_len), wire::kHeaderLen) + 4;
    const uint16_t qtype = net::load_be16(up + qend - 4);
    wire::Builder b(out, 512);
    b.bytes(up, qend);  // ID and question
    b.u16(0xc00c);
    b.u16(qtype == wire::kTypeA ? wire::kTypeA : wire::kTypeSoa);
    b.u16(wire::kClassIn);
    b.u32(300);
    if (qtype == wire::kTypeA) {
        const uint8_t a[4] = {192, 0, 2, static_cast<uint8_t>(up[0] ^ up[1])};
        b.u16(4);
        b.bytes(a, 4);
    } else {  // SOA: root MNAME/RNAME, serial 1, refresh 3600, retry 900, expire 604800, min 300
        const uint8_t soa[22] = {0, 0, 0, 0, 0, 1, 0, 0, 14, 16, 0, 0, 3, 132, 0, 9, 58, 128, 0, 0, 1, 44};
        b.u16(sizeof soa);
        b.bytes(soa, sizeof soa);
    }
    wire::Header h;
    h.id = net::load_be16(up);
    h.flags = wire::kFlagQr | wire::kFlagRd | wire::kFlagRa;
    h.qdcount = 1;
    h.ancount = qtype == wire::kTypeA ? 1 : 0;
    h.nscount = qtype == wire::kTypeA ? 0 : 1;
    wire::write_header(out, h);
    return b.size();
}

Dns64Config bench_config(uint32_t cache_entries) {
    Dns64Config c;
    c.prefixes = {*net::parse_ipv6_prefix("2001:db8:64::/96")};
    c.upstreams = {*net::parse_ipv4("198.51.100.53")};
    c.cache_entries = cache_entries;
    c.max_pending = 65536;
    return c;
}

/// One query through the miss path: AAAA NODATA, A answer, synthesized AAAA.
void resolve(Engine& eng, BenchOut& out, const std::vector<uint8_t>& q, const ClientId& c,
             uint64_t now) {
    uint8_t ans[512];
    eng.on_client_query(q, c, now, out);
    for (int step = 0; step < 2; ++step) {
        const std::size_t n = make_answer(out.up, out.up_len, ans);
        eng.on_upstream_answer(std::span<const uint8_t>(ans, n), out.server, 53, out.local_port,
                               now, out);
    }
}

void BM_CacheHit(benchmark::State& state) {
    const unsigned names = static_cast<unsigned>(state.range(0));
    SplitMixRng rng(1);
    Engine eng(bench_config(names * 4), rng);  // ~25% load: no conflict evictions
    BenchOut out;
    const ClientId c = ClientId::v6(*net::parse_ipv6("2001:db8:6::10"), 40000);
    std::vector<std::vector<uint8_t>> qs;
    for (unsigned i = 0; i < names; ++i) {
        qs.push_back(make_query(i, static_cast<uint16_t>(i)));
        resolve(eng, out, qs.back(), c, 1'000'000'000ull);
    }
    const uint64_t before = eng.counters().cache_hits.get();
    uint64_t now = 2'000'000'000ull;
    unsigned i = 0;
    for (auto _ : state) {
        eng.on_client_query(qs[i], c, now, out);
        if (++i == names) i = 0;
        now += 1000;
    }
    const uint64_t hits = eng.counters().cache_hits.get() - before;
    state.counters["hit_ratio"] =
        static_cast<double>(hits) / static_cast<double>(state.iterations());
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
    state.counters["ns_per_query"] = benchmark::Counter(
        static_cast<double>(state.iterations()), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_CacheHit)->Arg(1000)->Arg(100000);

void BM_SynthesisMiss(benchmark::State& state) {
    SplitMixRng rng(2);
    Engine eng(bench_config(0), rng);  // no cache: every query goes AAAA -> A -> synthesis
    BenchOut out;
    const ClientId c = ClientId::v6(*net::parse_ipv6("2001:db8:6::10"), 40000);
    const std::vector<uint8_t> q = make_query(7, 7);
    uint64_t now = 1'000'000'000ull;
    for (auto _ : state) {
        resolve(eng, out, q, c, now);
        now += 1000;
    }
    if (eng.counters().synthesized.get() != static_cast<uint64_t>(state.iterations())) {
        state.SkipWithError("not every query was synthesized");
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
    state.counters["ns_per_query"] = benchmark::Counter(
        static_cast<double>(state.iterations()), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_SynthesisMiss);

}  // namespace

BENCHMARK_MAIN();
