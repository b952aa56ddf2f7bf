// SPDX-License-Identifier: Apache-2.0
// RFC 6791 sources for ICMPv6 errors from unmapped nodes (RFC 7915 §5.1), plain and
// hairpinned (RFC 7757 §4.2), and the hairpin rules for ICMP errors.
#include "rfc6791.h"

#include <gtest/gtest.h>

#include <set>

#include "packet_builder.h"
#include "siit_mapper.h"
#include "v4_to_v6.h"
#include "v6_to_v4.h"

namespace strait::xlat::test {
namespace {

const net::Ipv6Addr kA = v6("2001:db8:6::10");              // EAMT 192.0.2.10
const net::Ipv6Addr kB = v6("2001:db8:6::20");              // EAMT 192.0.2.20
const net::Ipv6Addr kR = v6("2001:db8:99::1");              // router with a native address
const net::Ipv6Addr kS6 = v6("2001:db8:64::198.51.100.2");  // IPv4 server under pool6
const net::Ipv6Addr kA6 = v6("2001:db8:64::192.0.2.10");    // A as B sees it (hairpin)
const net::Ipv6Addr kB6 = v6("2001:db8:64::192.0.2.20");    // B as A addresses it

std::string s4(const uint8_t* p) { return net::to_string(net::Ipv4Addr::from_bytes(p)); }
std::string s6(const uint8_t* p) { return net::to_string(net::Ipv6Addr::from_bytes(p)); }

struct Rfc6791 : ::testing::Test {
    Eamt eamt = *Eamt::build(std::vector<EamtEntry>{
        {{v6("2001:db8:6::10"), 128}, {v4("192.0.2.10"), 32}},
        {{v6("2001:db8:6::20"), 128}, {v4("192.0.2.20"), 32}},
    });
    SiitMapper mapper{eamt, net::Ipv6Prefix{v6("2001:db8:64::"), 96}, false};
    XlatConfig cfg;
    XlatContext ctx;
    Rfc6791() { cfg.self_ipv4 = v4("198.51.100.1"); }
    void pool(const char* prefix, Rfc6791Select sel) {
        cfg.has_rfc6791_pool4 = true;
        cfg.rfc6791_pool4 = *net::parse_ipv4_prefix(prefix);
        cfg.rfc6791_select = sel;
    }
    // R reports Time Exceeded to `to` about `quoted` (hop limit 64 on R's error).
    static Bytes error_from(const net::Ipv6Addr& r, const net::Ipv6Addr& to, uint8_t type,
                            uint8_t code, const Bytes& quoted) {
        return ipv6(r, to, 58, icmp6(r, to, type, code, 0, quoted), 64);
    }
};

// The server's UDP to A crossed the gateway; a router on the IPv6 side with a native
// address says it expired. RFC 7915 §5.1 / RFC 6791: translated with a pool source.
TEST_F(Rfc6791, ErrorFromUnmappedRouterGetsAPoolSource) {
    pool("203.0.113.8", Rfc6791Select::Random);
    const Bytes quoted = ipv6(kS6, kA, 17, udp6(kS6, kA, 53, 40000, payload(20)), 1);
    Buf b(error_from(kR, kS6, 3, 0, quoted));
    const Outcome r = translate_v6_to_v4(b.pkt, cfg, ctx, mapper);
    ASSERT_EQ(r.verdict, Verdict::Forward) << drop_label(r.reason);
    const Bytes p = b.bytes();
    EXPECT_EQ(verify_ipv4(p), "");
    EXPECT_EQ(s4(&p[12]), "203.0.113.8");
    EXPECT_EQ(s4(&p[16]), "198.51.100.2");
    EXPECT_EQ(p[8], 63);
    EXPECT_EQ(p[20], 11);  // time exceeded
    const Bytes in4(p.begin() + 28, p.end());
    EXPECT_EQ(s4(&in4[12]), "198.51.100.2");
    EXPECT_EQ(s4(&in4[16]), "192.0.2.10");
    EXPECT_EQ(verify_ipv4(in4), "");
    EXPECT_EQ(ctx.counters.get(XlatCounter::Rfc6791Pool), 1u);

    // No pool configured: the gateway's own outside address.
    cfg.has_rfc6791_pool4 = false;
    Buf c(error_from(kR, kS6, 1, 3, quoted));
    ASSERT_EQ(translate_v6_to_v4(c.pkt, cfg, ctx, mapper).verdict, Verdict::Forward);
    EXPECT_EQ(s4(c.pkt.data + 12), "198.51.100.1");
    EXPECT_EQ(ctx.counters.get(XlatCounter::Rfc6791Self), 1u);
}

TEST_F(Rfc6791, OnlyErrorsGetOne) {
    pool("203.0.113.8", Rfc6791Select::Random);
    Buf echo(ipv6(kR, kS6, 58, icmp6(kR, kS6, 129, 0, 0x00010001, payload(8))));
    EXPECT_EQ(translate_v6_to_v4(echo.pkt, cfg, ctx, mapper).reason, DropReason::XlatNoMapping);
    Buf udp(ipv6(kR, kS6, 17, udp6(kR, kS6, 1, 2, payload(8))));
    EXPECT_EQ(translate_v6_to_v4(udp.pkt, cfg, ctx, mapper).reason, DropReason::XlatNoMapping);
    // The quoted packet must still map: its source is the far side, never a pool address.
    const Bytes quoted = ipv6(kA, kR, 17, udp6(kA, kR, 1, 2, payload(8)), 1);
    Buf e(error_from(kR, kA, 3, 0, quoted));
    EXPECT_EQ(translate_v6_to_v4(e.pkt, cfg, ctx, mapper).reason, DropReason::XlatNoMapping);
    EXPECT_EQ(ctx.counters.get(XlatCounter::Rfc6791Pool), 0u);
}

// RFC 6791 §5: random picks spread over the prefix; the hash pick is one address per
// reporting router, stable across errors.
TEST_F(Rfc6791, PicksStayInThePoolRandomOrHashed) {
    pool("203.0.113.16/28", Rfc6791Select::Random);
    const net::Ipv4Prefix p = cfg.rfc6791_pool4;
    std::set<uint32_t> seen;
    for (int i = 0; i < 200; ++i) {
        const net::Ipv4Addr a = rfc6791_source(cfg, ctx, kR);
        ASSERT_TRUE(p.contains(a)) << net::to_string(a);
        seen.insert(a.host());
    }
    EXPECT_GE(seen.size(), 14u);  // 16 addresses, 200 draws

    cfg.rfc6791_select = Rfc6791Select::Hash;
    const net::Ipv4Addr first = rfc6791_source(cfg, ctx, kR);
    EXPECT_EQ(rfc6791_source(cfg, ctx, kR), first);
    seen.clear();
    for (int i = 0; i < 64; ++i) {
        net::Ipv6Addr r = kR;
        r.b[15] = static_cast<uint8_t>(i);  // 64 routers
        const net::Ipv4Addr a = rfc6791_source(cfg, ctx, r);
        ASSERT_TRUE(p.contains(a)) << net::to_string(a);
        seen.insert(a.host());
    }
    EXPECT_GE(seen.size(), 12u);

    pool("203.0.113.7/32", Rfc6791Select::Hash);
    EXPECT_EQ(net::to_string(rfc6791_source(cfg, ctx, kR)), "203.0.113.7");
    EXPECT_EQ(ctx.counters.get(XlatCounter::Rfc6791Pool), 200u + 2 + 64 + 1);
}

// A sent to B through B's pool6 address (hairpinned); a router between the gateway and B
// reports an error to A's pool6 form. The error is hairpinned too and reaches A from a
// pool6-embedded RFC 6791 source, quoting the packet as A sent it. One hop decrement.
TEST_F(Rfc6791, HairpinnedErrorGoesBackToTheIpv6Sender) {
    const Bytes quoted = ipv6(kA6, kB, 17, udp6(kA6, kB, 40000, 7000, payload(20)), 1);
    Buf b(error_from(kR, kA6, 3, 0, quoted));
    Outcome r = translate_v6_to_v4(b.pkt, cfg, ctx, mapper);
    ASSERT_EQ(r.verdict, Verdict::Hairpin) << drop_label(r.reason);
    r = translate_v4_to_v6(b.pkt, cfg, ctx, mapper, MapScope::Hairpin);
    ASSERT_EQ(r.verdict, Verdict::Forward) << drop_label(r.reason);
    const Bytes p = b.bytes();
    EXPECT_EQ(verify_ipv6(p), "");
    EXPECT_EQ(s6(&p[8]), "2001:db8:64::c633:6401");  // 198.51.100.1 under pool6
    EXPECT_EQ(s6(&p[24]), "2001:db8:6::10");
    EXPECT_EQ(p[7], 63);
    EXPECT_EQ(p[40], 3);  // time exceeded
    const Bytes in6(p.begin() + 48, p.end());
    EXPECT_EQ(s6(&in6[8]), "2001:db8:6::10");          // A's own address
    EXPECT_EQ(s6(&in6[24]), "2001:db8:64::c000:214");  // B as A addressed it
    EXPECT_EQ(verify_ipv6(in6), "");                   // quoted UDP checksum consistent
    EXPECT_EQ(ctx.counters.get(XlatCounter::Rfc6791Self), 1u);
}

// B itself refuses A's hairpinned datagram: the error comes from B's pool6 form.
TEST_F(Rfc6791, HairpinnedErrorFromAMappedNode) {
    const Bytes quoted = ipv6(kA6, kB, 17, udp6(kA6, kB, 40000, 7000, payload(20)), 63);
    Buf b(error_from(kB, kA6, 1, 4, quoted));
    ASSERT_EQ(translate_v6_to_v4(b.pkt, cfg, ctx, mapper).verdict, Verdict::Hairpin);
    ASSERT_EQ(translate_v4_to_v6(b.pkt, cfg, ctx, mapper, MapScope::Hairpin).verdict,
              Verdict::Forward);
    const Bytes p = b.bytes();
    EXPECT_EQ(verify_ipv6(p), "");
    EXPECT_EQ(s6(&p[8]), net::to_string(kB6));
    EXPECT_EQ(s6(&p[24]), "2001:db8:6::10");
    EXPECT_EQ(p[40], 1);  // destination unreachable, port (code 4)
    EXPECT_EQ(p[41], 4);
    const Bytes in6(p.begin() + 48, p.end());
    EXPECT_EQ(s6(&in6[8]), "2001:db8:6::10");
    EXPECT_EQ(s6(&in6[24]), net::to_string(kB6));
    EXPECT_EQ(verify_ipv6(in6), "");
    EXPECT_EQ(ctx.counters.get(XlatCounter::Rfc6791Self), 0u);
}

}  // namespace
}  // namespace strait::xlat::test
