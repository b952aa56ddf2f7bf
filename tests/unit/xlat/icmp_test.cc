// SPDX-License-Identifier: Apache-2.0
// RFC 7915 §4.2/§5.2 ICMP tables row by row, and full ICMP translation with quoted packets.
#include <gtest/gtest.h>

#include <tuple>

#include "icmp_map.h"
#include "packet_builder.h"
#include "v4_to_v6.h"
#include "v6_to_v4.h"

namespace strait::xlat::test {
namespace {

using net::load_be16;
using net::load_be32;

// {in type, in code, ok, out type, out code}
using Row = std::tuple<int, int, bool, int, int>;

TEST(IcmpTable, V4ToV6EveryRow) {
    const Row rows[] = {
        {8, 0, true, 128, 0}, {0, 0, true, 129, 0},
        {3, 0, true, 1, 0}, {3, 1, true, 1, 0}, {3, 2, true, 4, 1}, {3, 3, true, 1, 4},
        {3, 4, true, 2, 0}, {3, 5, true, 1, 0}, {3, 6, true, 1, 0}, {3, 7, true, 1, 0},
        {3, 8, true, 1, 0}, {3, 9, true, 1, 1}, {3, 10, true, 1, 1}, {3, 11, true, 1, 0},
        {3, 12, true, 1, 0}, {3, 13, true, 1, 1}, {3, 14, false, 0, 0}, {3, 15, true, 1, 1},
        {3, 16, false, 0, 0}, {4, 0, false, 0, 0}, {5, 0, false, 0, 0}, {6, 0, false, 0, 0},
        {9, 0, false, 0, 0}, {10, 0, false, 0, 0}, {11, 0, true, 3, 0}, {11, 1, true, 3, 1},
        {12, 0, true, 4, 0}, {12, 1, false, 0, 0}, {12, 2, true, 4, 0}, {12, 3, false, 0, 0},
        {13, 0, false, 0, 0}, {14, 0, false, 0, 0}, {15, 0, false, 0, 0}, {16, 0, false, 0, 0},
        {17, 0, false, 0, 0}, {18, 0, false, 0, 0}, {200, 0, false, 0, 0},
    };
    for (const auto& [t, c, ok, ot, oc] : rows) {
        const IcmpMapping m = map_icmp_v4_to_v6(uint8_t(t), uint8_t(c));
        EXPECT_EQ(m.ok, ok) << t << "/" << c;
        if (ok) {
            EXPECT_EQ(m.type, ot) << t << "/" << c;
            EXPECT_EQ(m.code, oc) << t << "/" << c;
        }
    }
    EXPECT_EQ(map_icmp_v4_to_v6(3, 4).rest, IcmpRest::Mtu);
    EXPECT_EQ(map_icmp_v4_to_v6(3, 2).rest, IcmpRest::NextHeader);
    EXPECT_EQ(map_icmp_v4_to_v6(12, 2).rest, IcmpRest::Pointer);
}

TEST(IcmpTable, V6ToV4EveryRow) {
    const Row rows[] = {
        {128, 0, true, 8, 0}, {129, 0, true, 0, 0},
        {1, 0, true, 3, 1}, {1, 1, true, 3, 10}, {1, 2, true, 3, 1}, {1, 3, true, 3, 1},
        {1, 4, true, 3, 3}, {1, 5, false, 0, 0}, {1, 6, false, 0, 0}, {2, 0, true, 3, 4},
        {3, 0, true, 11, 0}, {3, 1, true, 11, 1}, {4, 0, true, 12, 0}, {4, 1, true, 3, 2},
        {4, 2, false, 0, 0}, {4, 3, false, 0, 0}, {130, 0, false, 0, 0}, {131, 0, false, 0, 0},
        {132, 0, false, 0, 0}, {133, 0, false, 0, 0}, {134, 0, false, 0, 0},
        {135, 0, false, 0, 0}, {136, 0, false, 0, 0}, {137, 0, false, 0, 0},
        {100, 0, false, 0, 0}, {200, 0, false, 0, 0},
    };
    for (const auto& [t, c, ok, ot, oc] : rows) {
        const IcmpMapping m = map_icmp_v6_to_v4(uint8_t(t), uint8_t(c));
        EXPECT_EQ(m.ok, ok) << t << "/" << c;
        if (ok) {
            EXPECT_EQ(m.type, ot) << t << "/" << c;
            EXPECT_EQ(m.code, oc) << t << "/" << c;
        }
    }
}

TEST(IcmpTable, PointerMapsFigure3AndFigure6) {
    const int fig3[20] = {0, 1, 4, 4, -1, -1, -1, -1, 7, 6, -1, -1, 8, 8, 8, 8, 24, 24, 24, 24};
    for (int p = 0; p < 20; ++p) EXPECT_EQ(map_pointer_v4_to_v6(uint8_t(p)), fig3[p]) << p;
    EXPECT_EQ(map_pointer_v4_to_v6(20), -1);
    const int fig6[8] = {0, 1, -1, -1, 2, 2, 9, 8};
    for (uint32_t p = 0; p < 8; ++p) EXPECT_EQ(map_pointer_v6_to_v4(p), fig6[p]) << p;
    for (uint32_t p = 8; p < 24; ++p) EXPECT_EQ(map_pointer_v6_to_v4(p), 12);
    for (uint32_t p = 24; p < 40; ++p) EXPECT_EQ(map_pointer_v6_to_v4(p), 16);
    EXPECT_EQ(map_pointer_v6_to_v4(40), -1);
}

TEST(IcmpTable, MtuRules) {
    XlatConfig cfg;
    cfg.mtu4 = 1500;
    cfg.mtu6 = 1500;
    EXPECT_EQ(ptb_mtu_v4_to_v6(1400, 1500, cfg), 1420u);
    EXPECT_EQ(ptb_mtu_v4_to_v6(1492, 1500, cfg), 1500u);   // capped by mtu6
    EXPECT_EQ(ptb_mtu_v4_to_v6(576, 1500, cfg), 1280u);    // RFC 8200 minimum
    EXPECT_EQ(ptb_mtu_v4_to_v6(0, 1500, cfg), 1500u);      // plateau 1492 + 20 capped
    cfg.mtu6 = 9000;
    cfg.mtu4 = 9000;
    EXPECT_EQ(ptb_mtu_v4_to_v6(0, 4000, cfg), 2022u);      // plateau 2002 + 20
    cfg = XlatConfig{};
    EXPECT_EQ(frag_needed_mtu_v6_to_v4(1400, cfg), 1380);
    EXPECT_EQ(frag_needed_mtu_v6_to_v4(9000, cfg), 1480);  // capped by mtu6 - 20
    EXPECT_EQ(frag_needed_mtu_v6_to_v4(50, cfg), 68);      // RFC 791 minimum
}

const net::Ipv4Addr kH = v4("198.51.100.7");  // IPv4 host
const net::Ipv4Addr kR = v4("203.0.113.9");   // IPv4 router
const net::Ipv4Addr kC = v4("192.0.2.33");    // client's IPv4 face
const net::Ipv6Addr kH6 = v6("2001:db8:64::198.51.100.7");
const net::Ipv6Addr kR6 = v6("2001:db8:64::203.0.113.9");
const net::Ipv6Addr kC6 = v6("2001:db8:64::192.0.2.33");

struct IcmpXlat : ::testing::Test {
    XlatConfig cfg;
    XlatContext ctx;
    TestMapper mapper;
};

TEST_F(IcmpXlat, EchoBothWays) {
    V4Opts o;
    o.proto = 1;
    Buf b(ipv4(kC, kH, icmp4(8, 0, 0x00420007, payload(56)), o));
    ASSERT_EQ(translate_v4_to_v6(b.pkt, cfg, ctx, mapper).verdict, Verdict::Forward);
    Bytes p = b.bytes();
    EXPECT_EQ(p[6], 58);
    EXPECT_EQ(p[40], 128);
    EXPECT_EQ(load_be32(&p[44]), 0x00420007u);
    EXPECT_EQ(verify_ipv6(p), "");

    Buf r(ipv6(kH6, kC6, 58, icmp6(kH6, kC6, 129, 0, 0x00420007, payload(56))));
    ASSERT_EQ(translate_v6_to_v4(r.pkt, cfg, ctx, mapper).verdict, Verdict::Forward);
    p = r.bytes();
    EXPECT_EQ(p[9], 1);
    EXPECT_EQ(p[20], 0);
    EXPECT_EQ(verify_ipv4(p), "");
}

TEST_F(IcmpXlat, EchoIdentifierRewrittenByMapper) {
    mapper.add_to_src_port = 100;
    Buf r(ipv6(kC6, kH6, 58, icmp6(kC6, kH6, 128, 0, 0x00050001, payload(8))));
    ASSERT_EQ(translate_v6_to_v4(r.pkt, cfg, ctx, mapper).verdict, Verdict::Forward);
    const Bytes p = r.bytes();
    EXPECT_EQ(load_be16(&p[24]), 105);
    EXPECT_EQ(verify_ipv4(p), "");
}

TEST_F(IcmpXlat, InformationalAndFragmentedIcmpDropped) {
    V4Opts o;
    o.proto = 1;
    Buf ts(ipv4(kC, kH, icmp4(13, 0, 0, payload(12)), o));
    EXPECT_EQ(translate_v4_to_v6(ts.pkt, cfg, ctx, mapper).reason, DropReason::IcmpUntranslatable);
    o.df = false;
    o.mf = true;
    Buf f(ipv4(kC, kH, icmp4(8, 0, 0, payload(64)), o));
    EXPECT_EQ(translate_v4_to_v6(f.pkt, cfg, ctx, mapper).reason, DropReason::IcmpFragmented);
    Buf ns(ipv6(kH6, kC6, 58, icmp6(kH6, kC6, 135, 0, 0, payload(16))));
    EXPECT_EQ(translate_v6_to_v4(ns.pkt, cfg, ctx, mapper).reason, DropReason::IcmpUntranslatable);
}

// An IPv4 router reports port unreachable about a UDP packet the client sent.
TEST_F(IcmpXlat, V4ErrorWithInnerUdpTranslated) {
    const Bytes inner = ipv4(kC, kH, udp4(kC, kH, 4000, 53, payload(30)));
    V4Opts o;
    o.proto = 1;
    Buf b(ipv4(kR, kC, icmp4(3, 3, 0, inner), o));
    ASSERT_EQ(translate_v4_to_v6(b.pkt, cfg, ctx, mapper).verdict, Verdict::Forward);
    EXPECT_EQ(mapper.last_scope, MapScope::ErrorOuter);
    const Bytes p = b.bytes();
    EXPECT_EQ(verify_ipv6(p), "");
    EXPECT_EQ(net::Ipv6Addr::from_bytes(&p[8]), kR6);
    EXPECT_EQ(p[40], 1);
    EXPECT_EQ(p[41], 4);
    const Bytes in6(p.begin() + 48, p.end());
    ASSERT_EQ(in6.size(), 40u + 38u);
    EXPECT_EQ(load_be16(&in6[4]), 38);
    EXPECT_EQ(in6[7], 64);  // quoted TTL not decremented
    EXPECT_EQ(net::Ipv6Addr::from_bytes(&in6[8]), kC6);
    EXPECT_EQ(net::Ipv6Addr::from_bytes(&in6[24]), kH6);
    EXPECT_EQ(verify_ipv6(in6), "");  // quoted UDP checksum updated too
}

TEST_F(IcmpXlat, V4FragNeededBecomesPtb) {
    const Bytes inner = ipv4(kC, kH, tcp4(kC, kH, 4000, 80, payload(1400)));
    V4Opts o;
    o.proto = 1;
    Buf b(ipv4(kR, kC, icmp4(3, 4, 1400, Bytes(inner.begin(), inner.begin() + 48)), o));
    ASSERT_EQ(translate_v4_to_v6(b.pkt, cfg, ctx, mapper).verdict, Verdict::Forward);
    const Bytes p = b.bytes();
    EXPECT_EQ(p[40], 2);
    EXPECT_EQ(load_be32(&p[44]), 1420u);
    EXPECT_EQ(load_be16(&p[48 + 4]), 1420);  // quoted payload length from the header
    EXPECT_EQ(verify_ipv6(p), "");
}

TEST_F(IcmpXlat, ParameterProblemPointerAndProtocolUnreachable) {
    const Bytes inner = ipv4(kC, kH, udp4(kC, kH, 1, 2, {}));
    V4Opts o;
    o.proto = 1;
    Buf pp(ipv4(kR, kC, icmp4(12, 0, 8u << 24, inner), o));  // pointer 8 = TTL
    ASSERT_EQ(translate_v4_to_v6(pp.pkt, cfg, ctx, mapper).verdict, Verdict::Forward);
    EXPECT_EQ(load_be32(pp.pkt.data + 44), 7u);
    Buf bad(ipv4(kR, kC, icmp4(12, 0, 4u << 24, inner), o));  // identification: n/a
    EXPECT_EQ(translate_v4_to_v6(bad.pkt, cfg, ctx, mapper).reason, DropReason::IcmpUntranslatable);
    Buf pu(ipv4(kR, kC, icmp4(3, 2, 0, inner), o));
    ASSERT_EQ(translate_v4_to_v6(pu.pkt, cfg, ctx, mapper).verdict, Verdict::Forward);
    EXPECT_EQ(pu.pkt.data[40], 4);
    EXPECT_EQ(pu.pkt.data[41], 1);
    EXPECT_EQ(load_be32(pu.pkt.data + 44), 6u);
    EXPECT_EQ(verify_ipv6(pu.bytes()), "");
}

TEST_F(IcmpXlat, ErrorInErrorAndBadChecksumDropped) {
    V4Opts o;
    o.proto = 1;
    const Bytes inner_err = ipv4(kC, kH, icmp4(3, 3, 0, payload(28)), o);
    Buf e(ipv4(kR, kC, icmp4(11, 0, 0, inner_err), o));
    EXPECT_EQ(translate_v4_to_v6(e.pkt, cfg, ctx, mapper).reason, DropReason::IcmpErrorInError);
    Bytes bad = ipv4(kR, kC, icmp4(11, 0, 0, ipv4(kC, kH, udp4(kC, kH, 1, 2, {}))), o);
    bad[25] ^= 0x40;
    Buf c(bad);
    EXPECT_EQ(translate_v4_to_v6(c.pkt, cfg, ctx, mapper).reason, DropReason::IcmpBadChecksum);
}

// An IPv6 router reports hop limit exceeded about a TCP packet the IPv6 client sent.
TEST_F(IcmpXlat, V6ErrorWithInnerTcpTranslated) {
    const Bytes inner = ipv6(kC6, kH6, 6, tcp6(kC6, kH6, 4000, 80, payload(20)), 1);
    Buf b(ipv6(kR6, kC6, 58, icmp6(kR6, kC6, 3, 0, 0, inner)));
    ASSERT_EQ(translate_v6_to_v4(b.pkt, cfg, ctx, mapper).verdict, Verdict::Forward);
    const Bytes p = b.bytes();
    EXPECT_EQ(verify_ipv4(p), "");
    EXPECT_EQ(p[20], 11);
    const Bytes in4(p.begin() + 28, p.end());
    EXPECT_EQ(in4.size(), 20u + 40u);
    EXPECT_EQ(net::Ipv4Addr::from_bytes(&in4[12]), kC);
    EXPECT_EQ(in4[8], 1);
    EXPECT_EQ(verify_ipv4(in4), "");  // quoted header and TCP checksum valid
}

TEST_F(IcmpXlat, V6PtbBecomesFragNeededAndPointerMapped) {
    const Bytes inner = ipv6(kC6, kH6, 17, udp6(kC6, kH6, 1, 2, payload(1400)));
    Buf b(ipv6(kR6, kC6, 58, icmp6(kR6, kC6, 2, 0, 1400, Bytes(inner.begin(), inner.begin() + 1000))));
    ASSERT_EQ(translate_v6_to_v4(b.pkt, cfg, ctx, mapper).verdict, Verdict::Forward);
    Bytes p = b.bytes();
    EXPECT_EQ(p.size(), 576u);  // RFC 1812 limit on ICMPv4 errors
    EXPECT_EQ(p[20], 3);
    EXPECT_EQ(p[21], 4);
    EXPECT_EQ(load_be16(&p[26]), 1380);
    EXPECT_EQ(load_be16(&p[28 + 2]), 1428);  // quoted total length from the header
    EXPECT_EQ(verify_ipv4(p), "");

    Buf pp(ipv6(kR6, kC6, 58, icmp6(kR6, kC6, 4, 0, 7, Bytes(inner.begin(), inner.begin() + 48))));
    ASSERT_EQ(translate_v6_to_v4(pp.pkt, cfg, ctx, mapper).verdict, Verdict::Forward);
    p = pp.bytes();
    EXPECT_EQ(p[20], 12);
    EXPECT_EQ(p[24], 8);  // hop limit -> TTL
    EXPECT_EQ(verify_ipv4(p), "");
    Buf nh(ipv6(kR6, kC6, 58, icmp6(kR6, kC6, 4, 1, 6, Bytes(inner.begin(), inner.begin() + 48))));
    ASSERT_EQ(translate_v6_to_v4(nh.pkt, cfg, ctx, mapper).verdict, Verdict::Forward);
    EXPECT_EQ(nh.pkt.data[20], 3);
    EXPECT_EQ(nh.pkt.data[21], 2);
}

TEST_F(IcmpXlat, V6ErrorAboutEchoHasInnerIcmpTranslated) {
    const Bytes inner = ipv6(kC6, kH6, 58, icmp6(kC6, kH6, 128, 0, 0x00010002, payload(16)));
    Buf b(ipv6(kR6, kC6, 58, icmp6(kR6, kC6, 1, 4, 0, inner)));
    ASSERT_EQ(translate_v6_to_v4(b.pkt, cfg, ctx, mapper).verdict, Verdict::Forward);
    const Bytes p = b.bytes();
    EXPECT_EQ(p[21], 3);
    const Bytes in4(p.begin() + 28, p.end());
    EXPECT_EQ(in4[9], 1);
    EXPECT_EQ(in4[20], 8);
    EXPECT_EQ(verify_ipv4(in4), "");  // quoted ICMPv4 checksum valid without pseudo-header
    EXPECT_EQ(verify_ipv4(p), "");
}

}  // namespace
}  // namespace strait::xlat::test
