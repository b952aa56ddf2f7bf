// SPDX-License-Identifier: Apache-2.0
// pkt::classify over a burst of 32 realistic frames (the worker's unit of work): a transit
// mix with some local traffic, and each frame kind alone. Reports ns and TSC cycles per
// packet. Run from a release build:
//   meson setup build-rel --buildtype=release && ninja -C build-rel bench/micro/classify_bench
//   taskset -c 1 build-rel/bench/micro/classify_bench --benchmark_repetitions=5
//   (add --benchmark_report_aggregates_only=true for the summary only)
#include <benchmark/benchmark.h>

#include <array>
#include <cstring>
#include <vector>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#include "dataplane/pkt/classify.h"
#include "tests/unit/pkt/vectors.h"  // scapy-built frames of the demo topology

namespace {

using strait::pkt::classify;
using strait::pkt::LocalAddrs;
using strait::pkt::PortRole;
namespace v = strait::pkt::vectors;

constexpr std::size_t kBurst = 32;

struct Frame {
    alignas(64) std::array<uint8_t, 2048> buf;  // like an mbuf data room
    uint32_t len;
    PortRole role;
};

LocalAddrs local(PortRole role) {
    LocalAddrs l;
    if (role == PortRole::Inside) {
        l.mac = *strait::net::parse_mac("02:00:00:00:00:01");
        l.v6[0] = *strait::net::parse_ipv6("2001:db8:6::1");
        l.v6_len[0] = 64;
        l.n6 = 1;
    } else {
        l.mac = *strait::net::parse_mac("02:00:00:00:00:02");
        l.v4[0] = *strait::net::parse_ipv4("198.51.100.1");
        l.v4_len[0] = 24;
        l.n4 = 1;
    }
    l.v6_link_local = strait::pkt::link_local_of(l.mac);
    return l;
}

template <std::size_t N>
Frame frame(const uint8_t (&bytes)[N], PortRole role) {
    Frame f{};
    std::memcpy(f.buf.data(), bytes, N);
    f.len = N;
    f.role = role;
    return f;
}

/// 32 frames: 14 IPv6 UDP transit, 12 IPv4 TCP transit, 2 echo6, 2 echo4, 1 ARP, 1 NS,
/// interleaved the way two RX queues of a busy gateway deliver them.
std::vector<Frame> mix_burst() {
    std::vector<Frame> b;
    for (std::size_t i = 0; i < kBurst; ++i) {
        switch (i % 16) {
            case 3: b.push_back(frame(v::kEcho6Request, PortRole::Inside)); break;
            case 7: b.push_back(frame(v::kEcho4Request, PortRole::Outside)); break;
            case 11:
                b.push_back(i < 16 ? frame(v::kArpRequest, PortRole::Outside)
                                   : frame(v::kNeighborSolicit, PortRole::Inside));
                break;
            default:
                b.push_back(i % 2 ? frame(v::kTransit4Tcp, PortRole::Outside)
                                  : frame(v::kTransit6Udp, PortRole::Inside));
        }
    }
    return b;
}

template <std::size_t N>
std::vector<Frame> uniform_burst(const uint8_t (&bytes)[N], PortRole role) {
    return std::vector<Frame>(kBurst, frame(bytes, role));
}

uint64_t tsc() {
#if defined(__x86_64__)
    return __rdtsc();
#else
    return 0;
#endif
}

void run(benchmark::State& state, const std::vector<Frame>& burst) {
    const LocalAddrs in = local(PortRole::Inside);
    const LocalAddrs out = local(PortRole::Outside);
    uint64_t cycles = 0;
    for (auto _ : state) {
        const uint64_t t0 = tsc();
        for (const Frame& f : burst) {
            auto c = classify(f.buf.data(), f.len, f.role, f.role == PortRole::Inside ? in : out);
            benchmark::DoNotOptimize(c);
        }
        cycles += tsc() - t0;
        benchmark::ClobberMemory();
    }
    const auto pkts = static_cast<double>(state.iterations() * burst.size());
    state.SetItemsProcessed(static_cast<int64_t>(pkts));
    // An inverted rate: seconds per packet (printed with its unit, e.g. "3.1ns").
    state.counters["per_pkt"] =
        benchmark::Counter(pkts, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["tsc_per_pkt"] = static_cast<double>(cycles) / pkts;
}

void BM_ClassifyMix(benchmark::State& state) { run(state, mix_burst()); }
void BM_ClassifyTransit6Udp(benchmark::State& state) {
    run(state, uniform_burst(v::kTransit6Udp, PortRole::Inside));
}
void BM_ClassifyTransit4Tcp(benchmark::State& state) {
    run(state, uniform_burst(v::kTransit4Tcp, PortRole::Outside));
}
void BM_ClassifyEcho6(benchmark::State& state) {
    run(state, uniform_burst(v::kEcho6Request, PortRole::Inside));
}
void BM_ClassifyArp(benchmark::State& state) {
    run(state, uniform_burst(v::kArpRequest, PortRole::Outside));
}

BENCHMARK(BM_ClassifyMix);
BENCHMARK(BM_ClassifyTransit6Udp);
BENCHMARK(BM_ClassifyTransit4Tcp);
BENCHMARK(BM_ClassifyEcho6);
BENCHMARK(BM_ClassifyArp);

}  // namespace

int main(int argc, char** argv) {
    benchmark::AddCustomContext("burst", std::to_string(kBurst) + " frames, one classify() each");
    benchmark::AddCustomContext("frames", "scapy vectors from tests/unit/pkt/vectors.h");
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
