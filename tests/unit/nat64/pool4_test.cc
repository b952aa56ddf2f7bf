// SPDX-License-Identifier: Apache-2.0
// pool4 (RFC 6146 §3.5.1.1, RFC 4787 REQ-2..4, RFC 6056): per-worker slices, owner(), the
// parity and port-range rules, the random start, paired addresses and exhaustion. Pure.
#include "dataplane/nat64/pool4.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <vector>

namespace strait::nat64 {
namespace {

using config::L4Proto;
using config::Pool4Entry;

constexpr unsigned kTcp = 0, kUdp = 1, kIcmp = 2;

Pool4Entry entry(const char* prefix, L4Proto p, uint16_t lo, uint16_t hi) {
    return Pool4Entry{*net::parse_ipv4_prefix(prefix), p, lo, hi};
}

uint32_t host(const char* a) {
    const net::Ipv4Addr v = *net::parse_ipv4(a);
    return uint32_t{v.b[0]} << 24 | uint32_t{v.b[1]} << 16 | uint32_t{v.b[2]} << 8 | v.b[3];
}

Pool4 build(const std::vector<Pool4Entry>& e, unsigned workers) {
    auto p = Pool4::build(e, workers);
    EXPECT_TRUE(p.ok()) << p.error().to_string();
    return std::move(*p);
}

/// SplitMix64, as the mapper's RNG: the tests feed allocate() the random numbers it would.
uint64_t splitmix(uint64_t& s) {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/// A set of used (address, port) pairs standing in for the BIB.
struct Used {
    std::set<std::pair<uint32_t, uint16_t>> s;
    bool free(uint32_t a, uint16_t p) const { return !s.contains({a, p}); }
};

/// One allocation with a set of used ports and no full slices.
bool pick(const Pool4& pool, unsigned w, unsigned pi, uint64_t sub, uint16_t sport, uint64_t rnd,
          const Used& used, Pool4Pick& out) {
    return pool.allocate(
        w, pi, sub, sport, rnd, [&](uint32_t a, uint16_t p) { return used.free(a, p); },
        [](uint32_t) { return false; }, out);
}

/// Port ranges and worker counts where slicing has edge cases: odd sizes, fewer ports
/// than workers, a whole 0-65535 range, single ports.
struct SliceCase {
    uint16_t lo, hi;
    unsigned workers;
};
const SliceCase kSliceCases[] = {
    {1024, 65535, 1}, {1024, 65535, 2}, {1024, 65535, 3},  {0, 65535, 4},   {0, 65535, 64},
    {1000, 1006, 4},  {1000, 1002, 2},  {1000, 1009, 4},   {5000, 5000, 1}, {5000, 5000, 3},
    {7, 8, 5},        {0, 1023, 7},     {60000, 60099, 6},
};

TEST(Pool4, SlicesOfDifferentWorkersAreDisjointAndCoverTheRange) {
    for (const auto& c : kSliceCases) {
        SCOPED_TRACE(testing::Message() << c.lo << "-" << c.hi << " x" << c.workers);
        const Pool4 pool = build({entry("192.0.2.8/30", L4Proto::Udp, c.lo, c.hi)}, c.workers);
        ASSERT_EQ(pool.addresses(kUdp), 4u);
        for (uint32_t a = 0; a < 4; ++a) {
            uint32_t total = 0;
            for (unsigned w = 0; w < c.workers; ++w) total += pool.slice_size(kUdp, a, w);
            EXPECT_EQ(total, uint32_t{c.hi} - c.lo + 1u) << "address " << a;
            EXPECT_EQ(pool.slice_size(kUdp, a, c.workers), 0u) << "no slice past the workers";
        }
        // Every port has exactly one owner, and each worker owns a contiguous run of ports
        // whose length is its slice size.
        std::vector<uint32_t> owned(c.workers, 0);
        int last = -1;
        for (uint32_t port = c.lo; port <= c.hi; ++port) {
            const int o = pool.owner(kUdp, host("192.0.2.9"), static_cast<uint16_t>(port));
            ASSERT_GE(o, 0) << port;
            ASSERT_LT(o, static_cast<int>(c.workers)) << port;
            ASSERT_GE(o, last) << "slices are contiguous and ordered, port " << port;
            last = o;
            ++owned[o];
        }
        for (unsigned w = 0; w < c.workers; ++w) {
            EXPECT_EQ(owned[w], pool.slice_size(kUdp, 1, w)) << "worker " << w;
        }
    }
}

TEST(Pool4, OwnerIsMinusOneOutsidePool4) {
    const Pool4 pool = build({entry("192.0.2.0/31", L4Proto::Tcp, 2000, 2999),
                              entry("203.0.113.7/32", L4Proto::Udp, 1024, 65535)},
                             2);
    EXPECT_EQ(pool.owner(kTcp, host("192.0.2.1"), 1999), -1);
    EXPECT_EQ(pool.owner(kTcp, host("192.0.2.1"), 3000), -1);
    EXPECT_EQ(pool.owner(kTcp, host("192.0.2.2"), 2500), -1);
    EXPECT_EQ(pool.owner(kUdp, host("192.0.2.1"), 2500), -1) << "other protocol";
    EXPECT_EQ(pool.owner(kIcmp, host("192.0.2.1"), 2500), -1) << "no ICMP entry";
    EXPECT_EQ(pool.owner(kTcp, host("192.0.2.1"), 2000), 0);
    EXPECT_EQ(pool.owner(kTcp, host("192.0.2.1"), 2999), 1);
    EXPECT_EQ(pool.owner(kUdp, host("203.0.113.7"), 1024), 0);
    EXPECT_EQ(pool.owner(kUdp, host("203.0.113.7"), 65535), 1);
    EXPECT_EQ(pool.owner(kUdp, host("203.0.113.7"), 1023), -1);
}

TEST(Pool4, AddressesAreNumberedAcrossEntriesOfAProtocol) {
    const Pool4 pool = build({entry("192.0.2.4/30", L4Proto::Udp, 1024, 2047),
                              entry("198.51.100.9/32", L4Proto::Udp, 1024, 2047),
                              entry("192.0.2.4/30", L4Proto::Tcp, 1024, 2047)},
                             1);
    EXPECT_EQ(pool.addresses(kUdp), 5u);
    EXPECT_EQ(pool.addresses(kTcp), 4u);
    EXPECT_EQ(pool.addresses(kIcmp), 0u);
    for (uint32_t i = 0; i < 5; ++i) {
        const uint32_t a = pool.address_at(kUdp, i);
        EXPECT_EQ(pool.addr_index(kUdp, a, 1500), static_cast<int64_t>(i));
    }
    EXPECT_EQ(pool.address_at(kUdp, 0), host("192.0.2.4"));
    EXPECT_EQ(pool.address_at(kUdp, 3), host("192.0.2.7"));
    EXPECT_EQ(pool.address_at(kUdp, 4), host("198.51.100.9"));
    EXPECT_EQ(pool.addr_index(kUdp, host("192.0.2.8"), 1500), -1);
    EXPECT_EQ(pool.addr_index(kUdp, host("192.0.2.4"), 2048), -1) << "port outside the range";
}

TEST(Pool4, OneAddressInTwoRangesHasTwoIndexes) {
    const Pool4 pool = build({entry("192.0.2.1/32", L4Proto::Udp, 3000, 3001),
                              entry("192.0.2.1/32", L4Proto::Udp, 8080, 8080)},
                             1);
    EXPECT_EQ(pool.addresses(kUdp), 2u);
    EXPECT_EQ(pool.addr_index(kUdp, host("192.0.2.1"), 3001), 0);
    EXPECT_EQ(pool.addr_index(kUdp, host("192.0.2.1"), 8080), 1);
    EXPECT_EQ(pool.addr_index(kUdp, host("192.0.2.1"), 5000), -1);
    EXPECT_EQ(pool.slice_size(kUdp, 0, 0), 2u);
    EXPECT_EQ(pool.slice_size(kUdp, 1, 0), 1u);
}

TEST(Pool4, BuildRefusesZeroWorkers) {
    auto p = Pool4::build({entry("192.0.2.1/32", L4Proto::Udp, 1024, 65535)}, 0);
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error().field, "/workers");
}

TEST(Pool4, AllocatedPortsLieInTheWorkersSliceAndOwnerAgrees) {
    for (const unsigned workers : {1u, 2u, 3u, 4u, 7u}) {
        const Pool4 pool = build({entry("192.0.2.0/30", L4Proto::Tcp, 1024, 65535),
                                  entry("198.51.100.5/32", L4Proto::Tcp, 100, 1123)},
                                 workers);
        uint64_t s = workers;
        for (unsigned w = 0; w < workers; ++w) {
            Used used;
            for (int i = 0; i < 300; ++i) {
                Pool4Pick p;
                const auto sport = static_cast<uint16_t>(splitmix(s));
                ASSERT_TRUE(pick(pool, w, kTcp, splitmix(s), sport, splitmix(s), used, p));
                EXPECT_EQ(pool.owner(kTcp, p.addr, p.port), static_cast<int>(w))
                    << "worker " << w << " got port " << p.port;
                EXPECT_EQ(pool.address_at(kTcp, p.addr_index), p.addr);
                EXPECT_TRUE(used.s.insert({p.addr, p.port}).second) << "handed out twice";
            }
        }
    }
}

// RFC 6146 §3.5.1.1 (port range) and RFC 4787 REQ-3 (parity): with free ports of both
// kinds, the pick has the source port's parity and range, whatever the random start.
TEST(Pool4, ParityAndRangeOfTheSourcePortAreKept) {
    const Pool4 pool = build({entry("192.0.2.1/32", L4Proto::Udp, 0, 65535)}, 2);
    uint64_t s = 42;
    for (unsigned w = 0; w < 2; ++w) {
        for (const uint16_t sport : {0, 1, 53, 80, 123, 1022, 1023, 1024, 1025, 40000, 65535}) {
            for (int i = 0; i < 200; ++i) {
                Pool4Pick p;
                ASSERT_TRUE(pick(pool, w, kUdp, 7, sport, splitmix(s), Used{}, p));
                EXPECT_EQ(p.port & 1, sport & 1) << "source " << sport;
                // Worker 0's slice is 0-32767: both ranges. Worker 1's is 32768-65535:
                // no well-known ports, so those sources get the other range.
                const bool want_low = sport < 1024 && w == 0;
                EXPECT_EQ(p.port < 1024, want_low)
                    << "worker " << w << " source " << sport << " got " << p.port;
            }
        }
    }
}

TEST(Pool4, OtherParityOnlyWhenTheSourcesParityIsFull) {
    const Pool4 pool = build({entry("192.0.2.1/32", L4Proto::Udp, 2000, 2009)}, 1);
    Used used;
    for (uint16_t p = 2000; p <= 2009; p += 2) used.s.insert({host("192.0.2.1"), p});
    for (uint64_t rnd = 0; rnd < 20; ++rnd) {
        Pool4Pick p;
        ASSERT_TRUE(pick(pool, 0, kUdp, 0, 4000, rnd, used, p));
        EXPECT_EQ(p.port & 1, 1) << "even source, even ports taken";
    }
}

// RFC 6146 §3.5.1.1: "If the NAT64 does not have a port available in the same range, the
// NAT64 MAY assign a port t from another range": a full well-known range must not make
// the mapping fail while the address has free ports elsewhere.
TEST(Pool4, OtherRangeWhenTheSourcesRangeIsFull) {
    const Pool4 pool = build({entry("192.0.2.1/32", L4Proto::Udp, 1000, 1100)}, 1);
    Used used;
    for (uint16_t p = 1000; p < 1024; ++p) used.s.insert({host("192.0.2.1"), p});
    Pool4Pick p;
    ASSERT_TRUE(pick(pool, 0, kUdp, 0, 80, 3, used, p)) << "ports 1024-1100 are free";
    EXPECT_GE(p.port, 1024);
    EXPECT_EQ(p.port & 1, 0);
}

// RFC 6056 §3.3.1: the start is random. With the random input uniform over the slice,
// each port of the preferred class is equally likely: every start gives a distinct port.
TEST(Pool4, EveryRandomStartGivesADistinctPort) {
    const Pool4 pool = build({entry("192.0.2.1/32", L4Proto::Tcp, 1024, 2047)}, 2);
    for (unsigned w = 0; w < 2; ++w) {
        std::set<uint16_t> seen;
        const uint32_t count = pool.slice_size(kTcp, 0, w) / 2;  // even ports
        for (uint64_t rnd = 0; rnd < count; ++rnd) {
            Pool4Pick p;
            ASSERT_TRUE(pick(pool, w, kTcp, 0, 5000, rnd, Used{}, p));
            seen.insert(p.port);
        }
        EXPECT_EQ(seen.size(), count) << "worker " << w;
    }
}

// Over many seeds (the mapper draws `rnd` from SplitMix64 seeded per worker), the first
// port a fresh slice hands out is spread evenly: chi-square over 16 bins, 16000 seeds.
TEST(Pool4, FirstPortOverManySeedsIsUniform) {
    const Pool4 pool = build({entry("192.0.2.1/32", L4Proto::Udp, 1024, 65535)}, 1);
    constexpr int kBins = 16, kSeeds = 16000;
    std::vector<int> bins(kBins, 0);
    std::set<uint16_t> distinct;
    for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
        uint64_t s = seed;
        Pool4Pick p;
        ASSERT_TRUE(pick(pool, 0, kUdp, 0, 33333, splitmix(s), Used{}, p));
        ++bins[(p.port - 1024) * kBins / (65536 - 1024)];
        distinct.insert(p.port);
    }
    double chi2 = 0;
    const double want = double{kSeeds} / kBins;
    for (int b : bins) chi2 += (b - want) * (b - want) / want;
    // 15 degrees of freedom: P(chi2 > 37.7) = 0.001.
    EXPECT_LT(chi2, 37.7);
    // 16000 draws from 32256 odd ports: about 12600 distinct expected; a fixed or short
    // sequence would give far fewer.
    EXPECT_GT(distinct.size(), 11000u);
}

// No fixed sequence: successive allocations for one subscriber follow the random input,
// so two workers seeded differently hand out different sequences.
TEST(Pool4, SuccessivePortsFollowTheRandomInput) {
    const Pool4 pool = build({entry("192.0.2.1/32", L4Proto::Udp, 1024, 65535)}, 1);
    std::vector<uint16_t> seq[2];
    for (int k = 0; k < 2; ++k) {
        uint64_t s = 1000 + k;
        Used used;
        for (int i = 0; i < 50; ++i) {
            Pool4Pick p;
            ASSERT_TRUE(pick(pool, 0, kUdp, 0, 40000, splitmix(s), used, p));
            used.s.insert({p.addr, p.port});
            seq[k].push_back(p.port);
        }
    }
    int same = 0, consecutive = 0;
    for (int i = 0; i < 50; ++i) same += seq[0][i] == seq[1][i];
    for (int i = 1; i < 50; ++i) consecutive += std::abs(seq[0][i] - seq[0][i - 1]) == 2;
    EXPECT_LT(same, 3);
    EXPECT_LT(consecutive, 3) << "ports must not be handed out in order";
}

// RFC 4787 REQ-2 (paired): the subscriber hash picks the address, the same every time while
// it has free ports; different subscribers spread over the addresses.
TEST(Pool4, SubscriberHashPicksThePairedAddress) {
    const Pool4 pool = build({entry("192.0.2.0/29", L4Proto::Udp, 1024, 65535)}, 1);
    std::map<uint32_t, int> per_address;
    for (uint64_t sub = 0; sub < 800; ++sub) {
        uint64_t s = sub;
        Used used;
        Pool4Pick first;
        ASSERT_TRUE(pick(pool, 0, kUdp, sub, 1234, splitmix(s), used, first));
        EXPECT_EQ(first.addr_index, sub % 8);
        ++per_address[first.addr];
        for (int i = 0; i < 20; ++i) {
            used.s.insert({first.addr, static_cast<uint16_t>(1024 + i)});
            Pool4Pick again;
            ASSERT_TRUE(pick(pool, 0, kUdp, sub, static_cast<uint16_t>(2000 + i), splitmix(s), used,
                             again));
            EXPECT_EQ(again.addr, first.addr);
        }
    }
    EXPECT_EQ(per_address.size(), 8u);
    for (const auto& [a, n] : per_address) EXPECT_EQ(n, 100) << a;
}

TEST(Pool4, FullSlicesAreSkippedForTheNextAddress) {
    const Pool4 pool = build({entry("192.0.2.0/30", L4Proto::Icmp, 0, 65535)}, 1);
    const uint64_t sub = 2;  // paired with address 2
    std::set<uint32_t> full{2, 3};
    Pool4Pick p;
    const bool got = pool.allocate(
        0, kIcmp, sub, 5, 9, [](uint32_t, uint16_t) { return true; },
        [&](uint32_t i) { return full.contains(i); }, p);
    ASSERT_TRUE(got);
    EXPECT_EQ(p.addr_index, 0u) << "2 and 3 are full: wraps to 0";
    EXPECT_EQ(p.addr, host("192.0.2.0"));
}

TEST(Pool4, ATakenAddressMovesOnToTheNext) {
    const Pool4 pool = build({entry("192.0.2.0/31", L4Proto::Tcp, 3000, 3003)}, 1);
    Used used;
    for (uint16_t p = 3000; p <= 3003; ++p) used.s.insert({host("192.0.2.1"), p});
    Pool4Pick p;
    ASSERT_TRUE(pick(pool, 0, kTcp, 1, 3001, 0, used, p));
    EXPECT_EQ(p.addr, host("192.0.2.0"));
    EXPECT_EQ(p.port, 3001);
}

TEST(Pool4, ExhaustionReturnsFalse) {
    const Pool4 pool = build({entry("192.0.2.0/31", L4Proto::Udp, 4000, 4007)}, 2);
    for (unsigned w = 0; w < 2; ++w) {
        Used used;
        for (int i = 0; i < 8; ++i) {  // 2 addresses x 4 ports in this worker's slice
            Pool4Pick p;
            ASSERT_TRUE(pick(pool, w, kUdp, static_cast<uint64_t>(i), 4000, 17, used, p)) << i;
            used.s.insert({p.addr, p.port});
        }
        Pool4Pick p;
        EXPECT_FALSE(pick(pool, w, kUdp, 0, 4000, 17, used, p));
        EXPECT_FALSE(pick(pool, w, kUdp, 0, 4001, 18, used, p));
    }
    Pool4Pick p;
    EXPECT_FALSE(pick(pool, 0, kTcp, 0, 4000, 0, Used{}, p)) << "no TCP entry";
}

TEST(Pool4, AWorkerWithoutASliceGetsNothing) {
    // 3 ports for 5 workers: slices of one port, workers 3 and 4 own none.
    const Pool4 pool = build({entry("192.0.2.1/32", L4Proto::Udp, 7000, 7002)}, 5);
    for (unsigned w = 0; w < 5; ++w) {
        Pool4Pick p;
        const bool got = pick(pool, w, kUdp, 0, 1, 0, Used{}, p);
        EXPECT_EQ(got, w < 3) << "worker " << w;
        if (got) {
            EXPECT_EQ(p.port, 7000 + w);
        }
    }
}

}  // namespace
}  // namespace strait::nat64
