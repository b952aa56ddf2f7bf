// SPDX-License-Identifier: Apache-2.0
// RFC 7915 §5 (IPv6 -> IPv4) header, extension header, DF/ID, size and fragment rules.
#include "v6_to_v4.h"

#include <gtest/gtest.h>

#include "packet_builder.h"

namespace strait::xlat::test {
namespace {

using net::load_be16;
using net::load_be32;

const net::Ipv6Addr kS6 = v6("2001:db8:64::198.51.100.7");
const net::Ipv6Addr kD6 = v6("2001:db8:64::192.0.2.33");
const net::Ipv4Addr kS = v4("198.51.100.7");
const net::Ipv4Addr kD = v4("192.0.2.33");

struct V6ToV4 : ::testing::Test {
    XlatConfig cfg;
    XlatContext ctx;
    TestMapper mapper;
    Outcome run(Buf& b) { return translate_v6_to_v4(b.pkt, cfg, ctx, mapper); }
};

Bytes ext(uint8_t next, std::size_t len8, uint8_t type3 = 0, uint8_t segleft = 0) {
    Bytes e(len8 * 8);
    e[0] = next;
    e[1] = static_cast<uint8_t>(len8 - 1);
    e[2] = type3;
    e[3] = segleft;
    return e;
}

Bytes frag(uint8_t next, uint16_t off, bool m, uint32_t id) {
    Bytes f(8);
    f[0] = next;
    net::store_be16(&f[2], static_cast<uint16_t>(off << 3 | (m ? 1 : 0)));
    net::store_be32(&f[4], id);
    return f;
}

TEST_F(V6ToV4, UdpHeaderFieldsDfAndId) {
    ctx.next_ipv4_id = 500;
    Buf b(ipv6(kS6, kD6, 17, udp6(kS6, kD6, 5000, 53, payload(20)), 9, 0x28));
    const uint8_t* l4_before = b.pkt.data + 40;
    ASSERT_EQ(run(b).verdict, Verdict::Forward);
    const Bytes p = b.bytes();
    ASSERT_EQ(p.size(), 48u);
    EXPECT_EQ(p[0], 0x45);
    EXPECT_EQ(p[1], 0x28);  // TOS = traffic class
    EXPECT_EQ(load_be16(&p[4]), 500);
    EXPECT_EQ(load_be16(&p[6]), 0);  // <= 1260 bytes: DF=0 (§5.1)
    EXPECT_EQ(p[8], 8);
    EXPECT_EQ(p[9], 17);
    EXPECT_EQ(net::Ipv4Addr::from_bytes(&p[12]), kS);
    EXPECT_EQ(net::Ipv4Addr::from_bytes(&p[16]), kD);
    EXPECT_EQ(b.pkt.data + 20, l4_before);
    EXPECT_EQ(verify_ipv4(p), "");
    EXPECT_EQ(ctx.next_ipv4_id, 501);
}

TEST_F(V6ToV4, LargePacketGetsDf) {
    Buf b(ipv6(kS6, kD6, 6, tcp6(kS6, kD6, 1, 2, payload(1300))));
    ASSERT_EQ(run(b).verdict, Verdict::Forward);
    const Bytes p = b.bytes();
    EXPECT_EQ(load_be16(&p[6]), 0x4000);
    EXPECT_EQ(verify_ipv4(p), "");
}

TEST_F(V6ToV4, TcpWithPortRewriteAndResetTos) {
    cfg.reset_tos = true;
    mapper.add_to_src_port = 7;
    Buf b(ipv6(kS6, kD6, 6, tcp6(kS6, kD6, 1000, 80, payload(51)), 64, 0xff));
    ASSERT_EQ(run(b).verdict, Verdict::Forward);
    const Bytes p = b.bytes();
    EXPECT_EQ(p[1], 0);
    EXPECT_EQ(load_be16(&p[20]), 1007);
    EXPECT_EQ(verify_ipv4(p), "");
}

TEST_F(V6ToV4, ExtensionHeadersAreSkipped) {
    const Bytes l4 = udp6(kS6, kD6, 1, 2, payload(10));
    Buf b(ipv6(kS6, kD6, 0, cat(ext(60, 1), cat(ext(43, 3, 0, 0), cat(ext(17, 2), l4)))));
    ASSERT_EQ(run(b).verdict, Verdict::Forward);
    const Bytes p = b.bytes();
    EXPECT_EQ(p.size(), 20u + l4.size());
    EXPECT_EQ(p[9], 17);
    EXPECT_EQ(verify_ipv4(p), "");
}

TEST_F(V6ToV4, RoutingHeaderWithSegmentsLeftGetsParameterProblem) {
    cfg.self_ipv6 = v6("2001:db8::1");
    const Bytes orig =
        ipv6(kS6, kD6, 60, cat(ext(43, 1), cat(ext(17, 3, 0, 2), udp6(kS6, kD6, 1, 2, {}))));
    Buf b(orig);
    const Outcome r = run(b);
    ASSERT_EQ(r.verdict, Verdict::ReplyIcmpError);
    EXPECT_EQ(r.reason, DropReason::Ipv6RoutingHeader);
    const Bytes p = b.bytes();
    EXPECT_EQ(verify_ipv6(p), "");
    EXPECT_EQ(p[40], 4);
    EXPECT_EQ(p[41], 0);
    EXPECT_EQ(load_be32(&p[44]), 40u + 8u + 3u);  // points at Segments Left
    EXPECT_EQ(net::Ipv6Addr::from_bytes(&p[8]), cfg.self_ipv6);
    EXPECT_EQ(net::Ipv6Addr::from_bytes(&p[24]), kS6);
    EXPECT_EQ(Bytes(p.begin() + 48, p.end()), orig);
}

TEST_F(V6ToV4, HopLimitExpiredRepliesTimeExceeded) {
    Buf b(ipv6(kS6, kD6, 17, udp6(kS6, kD6, 1, 2, payload(1500)), 1));
    const Outcome r = run(b);
    ASSERT_EQ(r.verdict, Verdict::ReplyIcmpError);
    EXPECT_EQ(r.reason, DropReason::Ipv6HopLimitExpired);
    const Bytes p = b.bytes();
    EXPECT_EQ(p.size(), 1280u);  // RFC 4443 §2.4 (c)
    EXPECT_EQ(p[40], 3);
    EXPECT_EQ(p[41], 0);
    EXPECT_EQ(verify_ipv6(p), "");
}

TEST_F(V6ToV4, TooBigForIpv4MtuRepliesPacketTooBig) {
    cfg.mtu4 = 1400;
    Buf b(ipv6(kS6, kD6, 17, udp6(kS6, kD6, 1, 2, payload(1400 - 28 + 1))));
    const Outcome r = run(b);
    ASSERT_EQ(r.verdict, Verdict::ReplyIcmpError);
    EXPECT_EQ(r.reason, DropReason::Ipv6PacketTooBig);
    const Bytes p = b.bytes();
    EXPECT_EQ(p[40], 2);
    EXPECT_EQ(load_be32(&p[44]), 1420u);  // mtu4 + 20
    EXPECT_EQ(verify_ipv6(p), "");
    cfg.mtu4 = 1000;  // never advertise below 1280
    Buf c(ipv6(kS6, kD6, 17, udp6(kS6, kD6, 1, 2, payload(1200))));
    ASSERT_EQ(run(c).verdict, Verdict::ReplyIcmpError);
    EXPECT_EQ(load_be32(c.pkt.data + 44), 1280u);
}

TEST_F(V6ToV4, FragmentHeaderBecomesIpv4FragmentFields) {
    const Bytes whole = udp6(kS6, kD6, 3, 4, payload(48));
    Buf b(ipv6(kS6, kD6, 44,
               cat(frag(17, 0, true, 0x12345678), Bytes(whole.begin(), whole.begin() + 24))));
    ASSERT_EQ(run(b).verdict, Verdict::Forward);
    Bytes p = b.bytes();
    EXPECT_EQ(load_be16(&p[4]), 0x5678);
    EXPECT_EQ(load_be16(&p[6]), 0x2000);  // MF, DF=0, offset 0
    EXPECT_EQ(load_be16(&p[2]), 20 + 24);
    EXPECT_EQ(verify_ipv4(p), "");
    Bytes full(p.begin() + 20, p.end());
    full.insert(full.end(), whole.begin() + 24, whole.end());
    EXPECT_EQ(testing::l4_checksum_v4(p.data(), 17, full), 0);

    const Bytes tail(whole.begin() + 24, whole.end());
    Buf n(ipv6(kS6, kD6, 44, cat(frag(17, 3, false, 0x12345678), tail)));
    ASSERT_EQ(run(n).verdict, Verdict::Forward);
    p = n.bytes();
    EXPECT_EQ(load_be16(&p[6]), 3);
    EXPECT_EQ(Bytes(p.begin() + 20, p.end()), tail);
}

TEST_F(V6ToV4, MalformedInputDrops) {
    const Bytes good = ipv6(kS6, kD6, 17, udp6(kS6, kD6, 1, 2, payload(8)));
    Buf t(Bytes(good.begin(), good.begin() + 50));
    EXPECT_EQ(run(t).reason, DropReason::Ipv6Truncated);
    Bytes ver = good;
    ver[0] = 0x45;
    Buf v(ver);
    EXPECT_EQ(run(v).reason, DropReason::Ipv6BadVersion);
    Buf x(ipv6(kS6, kD6, 0, Bytes{17, 5, 0, 0, 0, 0, 0, 0}));  // HBH longer than packet
    EXPECT_EQ(run(x).reason, DropReason::Ipv6Truncated);
    Bytes z = udp6(kS6, kD6, 1, 2, payload(3));
    z[6] = z[7] = 0;
    Buf zc(ipv6(kS6, kD6, 17, z));
    EXPECT_EQ(run(zc).reason, DropReason::UdpZeroChecksum);
    Buf w(ipv6(kS6, kD6, 1, icmp4(8, 0, 0, {})));
    EXPECT_EQ(run(w).reason, DropReason::XlatBadProtocol);
    mapper.fail = true;
    Buf m(good);
    EXPECT_EQ(run(m).reason, DropReason::XlatNoMapping);
    Buf empty_udp(ipv6(kS6, kD6, 17, {}));  // payload length 0 without No Next Header
    EXPECT_EQ(run(empty_udp).reason, DropReason::Ipv6Truncated);
}

// RFC 8200 §4.7 No Next Header is an upper-layer protocol like any other for RFC 7915 §5.1:
// protocol 59, with its empty (or ignored, carried) payload.
TEST_F(V6ToV4, NoNextHeaderTranslatedAsProtocol59) {
    Buf b(ipv6(kS6, kD6, 59, {}, 30));
    ASSERT_EQ(run(b).verdict, Verdict::Forward);
    Bytes p = b.bytes();
    ASSERT_EQ(p.size(), 20u);
    EXPECT_EQ(load_be16(&p[2]), 20);
    EXPECT_EQ(p[8], 29);
    EXPECT_EQ(p[9], 59);
    EXPECT_EQ(verify_ipv4(p), "");

    Buf d(ipv6(kS6, kD6, 0, cat(ext(59, 1), payload(8))));  // behind a Hop-by-Hop header
    ASSERT_EQ(run(d).verdict, Verdict::Forward);
    p = d.bytes();
    ASSERT_EQ(p.size(), 28u);
    EXPECT_EQ(p[9], 59);
    EXPECT_EQ(Bytes(p.begin() + 20, p.end()), payload(8));
}

}  // namespace
}  // namespace strait::xlat::test
