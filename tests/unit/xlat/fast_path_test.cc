// SPDX-License-Identifier: Apache-2.0
// Differential test: the inline fast path (fast_path.h) must give the same outcome, bytes,
// buffer geometry, context and mapper calls as the full path, on randomised packets.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <tuple>

#include "packet_builder.h"
#include "siit_mapper.h"
#include "v4_to_v6.h"
#include "v6_to_v4.h"

namespace strait::xlat::test {
namespace {

uint32_t seed() {
    const char* s = std::getenv("STRAIT_TEST_SEED");
    const uint32_t v = s != nullptr ? static_cast<uint32_t>(std::strtoul(s, nullptr, 0)) : 7915;
    std::printf("fast_path_test seed %u (set STRAIT_TEST_SEED to replay)\n", v);
    return v;
}

struct Rng {
    std::mt19937 g;
    explicit Rng(uint32_t s) : g(s) {}
    uint32_t below(uint32_t n) { return static_cast<uint32_t>(g() % n); }
    bool chance(uint32_t pct) { return below(100) < pct; }
    template <class T>
    T pick(std::initializer_list<T> l) {
        return *(l.begin() + below(static_cast<uint32_t>(l.size())));
    }
};

const net::Ipv6Prefix kPool6{v6("2001:db8:64::"), 96};

// EAMT: 2001:db8:6::21 <-> 192.0.2.33 (/128-/32), 2001:db8:7::/120 <-> 203.0.113.0/24.
Eamt make_eamt() {
    std::vector<EamtEntry> e(2);
    e[0].v6 = {v6("2001:db8:6::21"), 128};
    e[0].v4 = {v4("192.0.2.33"), 32};
    e[1].v6 = {v6("2001:db8:7::"), 120};
    e[1].v4 = {v4("203.0.113.0"), 24};
    return *Eamt::build(e);
}

net::Ipv4Addr rand_v4(Rng& r) {
    switch (r.below(4)) {
        case 0:
            return v4("192.0.2.33");  // EAMT /32 (hairpin when reached through pool6)
        case 1:
            return net::Ipv4Addr::from_host(0xcb007100u | r.below(256));  // EAMT /24
        case 2:
            return v4("10.1.2.3");  // non-global
        default:
            return net::Ipv4Addr::from_host(0xc6336400u | r.below(256));
    }
}
net::Ipv6Addr rand_v6(Rng& r) {
    switch (r.below(5)) {
        case 0:
            return v6("2001:db8:6::21");
        case 1: {
            net::Ipv6Addr a = v6("2001:db8:7::");
            a.b[15] = static_cast<uint8_t>(r.below(256));
            return a;
        }
        case 2:
            return v6("2001:db8:99::1");  // unmapped
        default:
            return net::embed_ipv4(kPool6, rand_v4(r));
    }
}

Bytes rand_l4_v4(Rng& r, net::Ipv4Addr s, net::Ipv4Addr d, uint8_t& proto) {
    const Bytes data = payload(r.pick<std::size_t>({0, 1, 6, 18, 40, 1232, 1233, 1300}),
                               static_cast<uint8_t>(r.below(256)));
    const auto sp = static_cast<uint16_t>(r.below(65536));
    const auto dp = static_cast<uint16_t>(r.below(65536));
    proto = r.pick<uint8_t>({6, 17, 17, 1, 1, 58, 47});
    switch (proto) {
        case 6:
            return tcp4(s, d, sp, dp, data);
        case 17: {
            Bytes u = udp4(s, d, sp, dp, data);
            if (r.chance(10)) u[6] = u[7] = 0;
            return u;
        }
        case 1:
            return icmp4(r.pick<uint8_t>({8, 0, 8, 13, 3}), static_cast<uint8_t>(r.below(2)),
                         r.below(1u << 31), data);
        default:
            return data;
    }
}

Bytes rand_l4_v6(Rng& r, const net::Ipv6Addr& s, const net::Ipv6Addr& d, uint8_t& proto) {
    const Bytes data = payload(r.pick<std::size_t>({0, 1, 6, 18, 40, 1232, 1233, 1300}),
                               static_cast<uint8_t>(r.below(256)));
    const auto sp = static_cast<uint16_t>(r.below(65536));
    const auto dp = static_cast<uint16_t>(r.below(65536));
    proto = r.pick<uint8_t>({6, 17, 17, 58, 58, 1, 0, 44, 47});
    switch (proto) {
        case 6:
            return tcp6(s, d, sp, dp, data);
        case 17: {
            Bytes u = udp6(s, d, sp, dp, data);
            if (r.chance(10)) u[6] = u[7] = 0;
            return u;
        }
        case 58:
            return icmp6(s, d, r.pick<uint8_t>({128, 129, 128, 1, 130}),
                         static_cast<uint8_t>(r.below(2)), r.below(1u << 31), data);
        case 0:
            return cat(Bytes{17, 0, 1, 4, 0, 0, 0, 0}, udp6(s, d, sp, dp, data));  // HBH
        case 44:
            return cat(Bytes{17, 0, 0, 0, 0, 0, 0, 9}, udp6(s, d, sp, dp, data));
        default:
            return data;
    }
}

// Occasionally breaks a length, checksum or version byte the fast path must reject (or a
// payload byte it must carry). True when the packet changed.
bool mangle(Rng& r, Bytes& p) {
    if (!r.chance(15) || p.size() < 8) return false;
    switch (r.below(4)) {
        case 0:
            p[r.below(8)] ^= static_cast<uint8_t>(1u << r.below(8));
            break;
        case 1:
            p.resize(p.size() - 1 - r.below(static_cast<uint32_t>(p.size() - 1)));
            break;
        case 2:
            p.resize(p.size() + 1 + r.below(30), 0);
            break;  // Ethernet padding
        default:
            p[r.below(static_cast<uint32_t>(p.size()))] ^= 0xff;
            break;
    }
    return true;
}

XlatConfig rand_cfg(Rng& r) {
    XlatConfig cfg;
    cfg.mtu4 = r.pick<uint16_t>({1500, 1500, 1300, 576});
    cfg.mtu6 = r.pick<uint16_t>({1500, 1500, 1400, 1280});
    cfg.lowest_ipv6_mtu = r.pick<uint16_t>({1280, 1500});
    cfg.reset_tos = r.chance(20);
    cfg.traffic_class = 0x2e;
    cfg.udp_zero_checksum = r.chance(50) ? UdpZeroChecksum::Compute : UdpZeroChecksum::Drop;
    cfg.self_ipv4 = v4("192.0.2.1");
    cfg.self_ipv6 = v6("2001:db8::1");
    return cfg;
}

struct Result1 {
    bool fast = false;
    Outcome o;
    Bytes out;
    uint32_t headroom = 0, tailroom = 0;
    uint16_t next_id = 0;
    int calls = 0;
    MapScope scope = MapScope::Outer;
};

template <bool V4In, class MakeMapper>
Result1 run(const Bytes& in, uint32_t headroom, const XlatConfig& cfg, MakeMapper make, bool fast,
            MapScope scope4) {
    Buf b(in, headroom);
    XlatContext ctx;
    ctx.next_ipv4_id = 0xfffe;
    auto [mapper, calls, scope] = make();
    Result1 res;
    if (fast) {
        res.fast = V4In ? detail::try_fast_v4_to_v6(b.pkt, cfg, *mapper, scope4, res.o)
                        : detail::try_fast_v6_to_v4(b.pkt, cfg, ctx, *mapper, res.o);
        if (!res.fast) return res;
    } else {
        res.o = V4In ? detail::translate_v4_to_v6_full(b.pkt, cfg, ctx, *mapper, scope4)
                     : detail::translate_v6_to_v4_full(b.pkt, cfg, ctx, *mapper);
    }
    res.out = b.bytes();
    res.headroom = b.pkt.headroom;
    res.tailroom = b.pkt.tailroom;
    res.next_id = ctx.next_ipv4_id;
    res.calls = calls ? *calls : 0;
    res.scope = scope ? *scope : MapScope::Outer;
    return res;
}

template <bool V4In>
void differential(int iterations) {
    Rng r(seed() + (V4In ? 0 : 1));
    const Eamt eamt = make_eamt();
    int fast_taken = 0;
    int forwarded = 0;
    for (int i = 0; i < iterations; ++i) {
        Bytes pkt;
        uint8_t proto = 0;
        if constexpr (V4In) {
            const net::Ipv4Addr s = rand_v4(r), d = rand_v4(r);
            const Bytes l4 = rand_l4_v4(r, s, d, proto);
            V4Opts o;
            o.proto = proto;
            o.tos = static_cast<uint8_t>(r.below(256));
            o.ttl = r.pick<uint8_t>({64, 64, 2, 1, 0, 255});
            o.df = r.chance(70);
            o.mf = r.chance(5);
            o.frag_off = r.chance(5) ? static_cast<uint16_t>(1 + r.below(100)) : 0;
            if (r.chance(5)) o.options = {1, 1, 1, 0};
            pkt = ipv4(s, d, l4, o);
        } else {
            const net::Ipv6Addr s = rand_v6(r), d = rand_v6(r);
            const Bytes l4 = rand_l4_v6(r, s, d, proto);
            pkt = ipv6(s, d, proto, l4, r.pick<uint8_t>({64, 64, 2, 1, 0, 255}),
                       static_cast<uint8_t>(r.below(256)));
        }
        const bool mangled = mangle(r, pkt);
        const XlatConfig cfg = rand_cfg(r);
        const uint32_t headroom = r.chance(5) ? r.below(24) : 128;
        const bool use_siit = r.chance(60);
        const int add_port = r.chance(50) ? static_cast<int>(r.below(1000)) : 0;
        // v4_to_v6 also runs as the second pass of a hairpinned packet (RFC 7757 §4.2).
        const MapScope scope4 = r.chance(20) ? MapScope::Hairpin : MapScope::Outer;
        // A fresh mapper per run: the fast and the full path see the same state.
        std::unique_ptr<SiitMapper> siit;
        std::unique_ptr<TestMapper> tm;
        const auto both = [&](auto mk) {
            const Result1 fast = run<V4In>(pkt, headroom, cfg, mk, true, scope4);
            if (!fast.fast) return;
            ++fast_taken;
            const Result1 full = run<V4In>(pkt, headroom, cfg, mk, false, scope4);
            SCOPED_TRACE("iteration " + std::to_string(i) + " proto " + std::to_string(proto));
            ASSERT_EQ(full.o.verdict, fast.o.verdict);
            ASSERT_EQ(full.o.reason, fast.o.reason);
            ASSERT_EQ(full.o.mtu, fast.o.mtu);
            ASSERT_EQ(full.out, fast.out);
            ASSERT_EQ(full.headroom, fast.headroom);
            ASSERT_EQ(full.tailroom, fast.tailroom);
            ASSERT_EQ(full.next_id, fast.next_id);
            ASSERT_EQ(full.calls, fast.calls);
            ASSERT_EQ(full.scope, fast.scope);
            if (fast.o.verdict == Verdict::Forward && !mangled) {  // valid in, valid out
                ++forwarded;
                ASSERT_EQ("", V4In ? verify_ipv6(fast.out) : verify_ipv4(fast.out));
            }
        };
        if (use_siit) {
            both([&] {
                siit = std::make_unique<SiitMapper>(eamt, kPool6, false);
                return std::tuple<SiitMapper*, int*, MapScope*>{siit.get(), nullptr, nullptr};
            });
        } else {
            both([&] {
                tm = std::make_unique<TestMapper>();
                tm->add_to_src_port = add_port;
                return std::tuple<TestMapper*, int*, MapScope*>{tm.get(), &tm->calls,
                                                                &tm->last_scope};
            });
        }
        if (::testing::Test::HasFatalFailure()) return;
    }
    // The generator must exercise the fast path a fair share of the time, and forward.
    std::printf("fast path taken %d of %d, forwarded and verified %d\n", fast_taken, iterations,
                forwarded);
    EXPECT_GT(fast_taken, iterations / 5);
    EXPECT_GT(forwarded, iterations / 10);
}

TEST(FastPath, V4ToV6MatchesFullPath) { differential<true>(20000); }
TEST(FastPath, V6ToV4MatchesFullPath) { differential<false>(20000); }

// A fast-path packet that the full path would have answered differently must not be taken.
TEST(FastPath, DeclinesWhatItDoesNotHandle) {
    XlatConfig cfg;
    TestMapper m;
    Outcome o;
    V4Opts ttl_1;
    ttl_1.ttl = 1;
    const Bytes ttl1 = ipv4(v4("198.51.100.7"), v4("192.0.2.33"),
                            udp4(v4("198.51.100.7"), v4("192.0.2.33"), 1, 2, payload(8)), ttl_1);
    Buf b1(ttl1);
    EXPECT_FALSE(detail::try_fast_v4_to_v6(b1.pkt, cfg, m, MapScope::Outer, o));
    EXPECT_EQ(b1.bytes(), ttl1);
    const net::Ipv6Addr s = v6("2001:db8:64::198.51.100.7"), d = v6("2001:db8:64::192.0.2.33");
    const Bytes big = ipv6(s, d, 17, udp6(s, d, 1, 2, payload(1500)));
    Buf b2(big);
    XlatContext ctx;
    EXPECT_FALSE(detail::try_fast_v6_to_v4(b2.pkt, cfg, ctx, m, o));
    EXPECT_EQ(ctx.next_ipv4_id, 1);
    EXPECT_EQ(m.calls, 0);
}

}  // namespace
}  // namespace strait::xlat::test
