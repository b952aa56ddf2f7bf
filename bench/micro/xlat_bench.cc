// SPDX-License-Identifier: Apache-2.0
// Per-packet cost of RFC 7915 translation (SIIT mapper, pool6 /96 + EAMT) in both directions.
#include <benchmark/benchmark.h>

#include <array>
#include <cstring>
#include <vector>

#include "siit_mapper.h"
#include "strait/net/bytes.h"
#include "strait/net/checksum.h"
#include "strait/net/rfc6052.h"
#include "v4_to_v6.h"
#include "v6_to_v4.h"

namespace {

using namespace strait;
using namespace strait::xlat;
using Bytes = std::vector<uint8_t>;

constexpr uint32_t kHeadroom = 128;  // RTE_PKTMBUF_HEADROOM

net::Ipv4Addr a4(const char* s) { return *net::parse_ipv4(s); }
net::Ipv6Addr a6(const char* s) { return *net::parse_ipv6(s); }

const net::Ipv6Prefix kPool6{a6("2001:db8:64::"), 96};

// IPv4 header + transport (`proto` 6 or 17, or 1 with a ready ICMP body) with checksums.
Bytes make_v4(net::Ipv4Addr s, net::Ipv4Addr d, uint8_t proto, uint32_t data_len) {
    const uint32_t l4 = proto == 6 ? 20 : 8;
    Bytes p(20 + l4 + data_len);
    p[0] = 0x45;
    net::store_be16(&p[2], static_cast<uint16_t>(p.size()));
    net::store_be16(&p[6], 0x4000);
    p[8] = 64;
    p[9] = proto;
    std::memcpy(&p[12], s.b.data(), 4);
    std::memcpy(&p[16], d.b.data(), 4);
    net::store_be16(&p[10], net::checksum(p.data(), 20));
    net::store_be16(&p[20], 1234);
    net::store_be16(&p[22], 80);
    if (proto == 17) net::store_be16(&p[24], static_cast<uint16_t>(l4 + data_len));
    if (proto == 6) p[32] = 0x50;
    const uint32_t ps = net::pseudo_sum_v4(&p[12], &p[16], proto, static_cast<uint16_t>(l4 + data_len));
    net::store_be16(&p[20 + (proto == 6 ? 16 : 6)], net::checksum(&p[20], l4 + data_len, ps));
    return p;
}

Bytes make_v6(const net::Ipv6Addr& s, const net::Ipv6Addr& d, uint8_t proto, uint32_t data_len) {
    const uint32_t l4 = proto == 6 ? 20 : 8;
    Bytes p(40 + l4 + data_len);
    net::store_be32(&p[0], 6u << 28);
    net::store_be16(&p[4], static_cast<uint16_t>(l4 + data_len));
    p[6] = proto;
    p[7] = 64;
    std::memcpy(&p[8], s.b.data(), 16);
    std::memcpy(&p[24], d.b.data(), 16);
    net::store_be16(&p[40], 1234);
    net::store_be16(&p[42], 80);
    if (proto == 17) net::store_be16(&p[44], static_cast<uint16_t>(l4 + data_len));
    if (proto == 6) p[52] = 0x50;
    const uint32_t ps = net::pseudo_sum_v6(&p[8], &p[24], proto, l4 + data_len);
    net::store_be16(&p[40 + (proto == 6 ? 16 : 6)], net::checksum(&p[40], l4 + data_len, ps));
    return p;
}

// ICMPv4 port unreachable from a router, quoting the client's UDP packet (inner 20+8+20).
Bytes make_v4_error() {
    const Bytes inner = make_v4(a4("192.0.2.33"), a4("198.51.100.7"), 17, 20);
    Bytes icmp(8);
    icmp[0] = 3;
    icmp[1] = 3;
    icmp.insert(icmp.end(), inner.begin(), inner.end());
    net::store_be16(&icmp[2], net::checksum(icmp.data(), icmp.size()));
    Bytes p = make_v4(a4("203.0.113.9"), a4("192.0.2.33"), 17, 0);
    p.resize(20);
    p[9] = 1;
    net::store_be16(&p[2], static_cast<uint16_t>(20 + icmp.size()));
    net::store_be16(&p[10], 0);
    net::store_be16(&p[10], net::checksum(p.data(), 20));
    p.insert(p.end(), icmp.begin(), icmp.end());
    return p;
}

// ICMPv6 time exceeded from a router, quoting the client's UDP packet (inner 40+8+20).
Bytes make_v6_error() {
    const net::Ipv6Addr r = a6("2001:db8:64::203.0.113.9");
    const net::Ipv6Addr c = a6("2001:db8:6::21");
    const Bytes inner = make_v6(c, a6("2001:db8:64::198.51.100.7"), 17, 20);
    Bytes p = make_v6(r, c, 17, 0);
    p.resize(40);
    p[6] = 58;
    net::store_be16(&p[4], static_cast<uint16_t>(8 + inner.size()));
    Bytes icmp(8);
    icmp[0] = 3;
    icmp.insert(icmp.end(), inner.begin(), inner.end());
    const uint32_t ps = net::pseudo_sum_v6(&p[8], &p[24], 58, static_cast<uint32_t>(icmp.size()));
    net::store_be16(&icmp[2], net::checksum(icmp.data(), icmp.size(), ps));
    p.insert(p.end(), icmp.begin(), icmp.end());
    return p;
}

Eamt make_eamt(int n) {
    std::vector<EamtEntry> e;
    for (int i = 0; i < n; ++i) {
        EamtEntry x;
        x.v6 = net::Ipv6Prefix{a6("2001:db8:6::"), 128};
        x.v6.addr.b[13] = static_cast<uint8_t>(i >> 8);
        x.v6.addr.b[14] = static_cast<uint8_t>(i);
        x.v6.addr.b[15] = 0x21;
        x.v4 = net::Ipv4Prefix{net::Ipv4Addr::from_host(0xc0000200u + (uint32_t(i) << 8) + 33), 32};
        e.push_back(x);
    }
    return *Eamt::build(e);
}

constexpr int kBurst = 32;  // like an RX burst: refill all buffers, then translate all

// One translation kept out of line (second benchmark argument 1), so that
// `valgrind --tool=callgrind --toggle-collect='*translate_one*'` counts exactly the
// translator's instructions per packet (Ir / calls), independent of machine load. The
// timed figures use argument 0: inlined into the burst loop, as in lcore/xlat_stage.cc.
template <bool V4In>
[[gnu::noinline]] Outcome translate_one(PacketBuf& pkt, const XlatConfig& cfg, XlatContext& ctx,
                                        SiitMapper& mapper) {
    return V4In ? translate_v4_to_v6(pkt, cfg, ctx, mapper)
                : translate_v6_to_v4(pkt, cfg, ctx, mapper);
}

template <bool V4In, bool Outline>
void run_burst(benchmark::State& state, const Bytes& tmpl) {
    const Eamt eamt = make_eamt(static_cast<int>(state.range(0)));
    SiitMapper mapper(eamt, kPool6, false);
    XlatConfig cfg;
    XlatContext ctx;
    struct alignas(64) Slot {
        std::array<uint8_t, 512> mem;
    };
    std::vector<Slot> slots(kBurst);
    std::array<PacketBuf, kBurst> pkts{};
    uint64_t forwarded = 0;
    for (auto _ : state) {
        // Refill first so the translator reads committed lines, as it would after NIC DMA,
        // instead of stalling on store forwarding from a memcpy a few cycles earlier.
        for (int i = 0; i < kBurst; ++i) {
            uint8_t* d = slots[i].mem.data() + kHeadroom;
            std::memcpy(d, tmpl.data(), tmpl.size());
            pkts[i] = PacketBuf{d, static_cast<uint32_t>(tmpl.size()), kHeadroom,
                                static_cast<uint32_t>(512 - kHeadroom - tmpl.size())};
        }
        for (int i = 0; i < kBurst; ++i) {
            const Outcome o = Outline ? translate_one<V4In>(pkts[i], cfg, ctx, mapper)
                              : V4In  ? translate_v4_to_v6(pkts[i], cfg, ctx, mapper)
                                      : translate_v6_to_v4(pkts[i], cfg, ctx, mapper);
            forwarded += o.verdict == Verdict::Forward;
        }
        benchmark::DoNotOptimize(pkts.data());
        benchmark::ClobberMemory();
    }
    if (forwarded != static_cast<uint64_t>(state.iterations()) * kBurst) {
        state.SkipWithError("packet not forwarded");
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kBurst);
    state.counters["ns_per_pkt"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * kBurst,
        benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["l3_bytes_in"] = static_cast<double>(tmpl.size());
}

// A compile-time choice, so the timed loop (outline:0) has no extra branch in it.
template <bool V4In>
void run(benchmark::State& state, const Bytes& tmpl) {
    if (state.range(1) != 0) {
        run_burst<V4In, true>(state, tmpl);
    } else {
        run_burst<V4In, false>(state, tmpl);
    }
}

// 64-byte Ethernet frame = 46 L3 bytes for IPv4; the IPv6 side of the same flow is 66 bytes.
void BM_udp_v4_to_v6(benchmark::State& s) { run<true>(s, make_v4(a4("198.51.100.7"), a4("192.0.2.33"), 17, 18)); }
void BM_tcp_v4_to_v6(benchmark::State& s) { run<true>(s, make_v4(a4("198.51.100.7"), a4("192.0.2.33"), 6, 6)); }
void BM_udp_v6_to_v4(benchmark::State& s) {
    run<false>(s, make_v6(a6("2001:db8:6::21"), a6("2001:db8:64::198.51.100.7"), 17, 18));
}
void BM_tcp_v6_to_v4(benchmark::State& s) {
    run<false>(s, make_v6(a6("2001:db8:6::21"), a6("2001:db8:64::198.51.100.7"), 6, 6));
}
void BM_icmp_error_v4_to_v6(benchmark::State& s) { run<true>(s, make_v4_error()); }
void BM_icmp_error_v6_to_v4(benchmark::State& s) { run<false>(s, make_v6_error()); }

// Baseline: the refill of a burst alone, per packet (included in the numbers above).
void BM_refill_only(benchmark::State& state) {
    const Bytes tmpl = make_v6(a6("2001:db8:6::21"), a6("2001:db8:64::198.51.100.7"), 17, 18);
    struct alignas(64) Slot {
        std::array<uint8_t, 512> mem;
    };
    std::vector<Slot> slots(kBurst);
    for (auto _ : state) {
        for (int i = 0; i < kBurst; ++i) {
            std::memcpy(slots[i].mem.data() + kHeadroom, tmpl.data(), tmpl.size());
        }
        benchmark::ClobberMemory();
    }
    state.counters["ns_per_pkt"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * kBurst,
        benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// Args = {EAMT entries (single addresses), out-of-line call for callgrind}.
// 2001:db8:6::21 <-> 192.0.2.33 is entry 0.
void xlat_args(benchmark::internal::Benchmark* b) {
    b->ArgNames({"eamt", "outline"});
    for (const int64_t outline : {0, 1}) {
        for (const int64_t n : {1, 1024}) b->Args({n, outline});
    }
}
BENCHMARK(BM_udp_v4_to_v6)->Apply(xlat_args);
BENCHMARK(BM_tcp_v4_to_v6)->Apply(xlat_args);
BENCHMARK(BM_udp_v6_to_v4)->Apply(xlat_args);
BENCHMARK(BM_tcp_v6_to_v4)->Apply(xlat_args);
BENCHMARK(BM_icmp_error_v4_to_v6)->Apply(xlat_args);
BENCHMARK(BM_icmp_error_v6_to_v4)->Apply(xlat_args);
BENCHMARK(BM_refill_only);

}  // namespace

int main(int argc, char** argv) {
    benchmark::AddCustomContext("what", "RFC 7915 in-place translation, SiitMapper pool6 2001:db8:64::/96 + EAMT, one core, hot cache");
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
