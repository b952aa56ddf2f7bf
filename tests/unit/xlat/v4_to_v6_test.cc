// SPDX-License-Identifier: Apache-2.0
// RFC 7915 §4 (IPv4 -> IPv6) header, checksum, option, TTL, size and fragment rules.
#include "v4_to_v6.h"

#include <gtest/gtest.h>

#include "fragment.h"
#include "packet_builder.h"

namespace strait::xlat::test {
namespace {

using net::load_be16;
using net::load_be32;

const net::Ipv4Addr kS = v4("198.51.100.7");
const net::Ipv4Addr kD = v4("192.0.2.33");
const net::Ipv6Addr kS6 = v6("2001:db8:64::198.51.100.7");
const net::Ipv6Addr kD6 = v6("2001:db8:64::192.0.2.33");

struct V4ToV6 : ::testing::Test {
    XlatConfig cfg;
    XlatContext ctx;
    TestMapper mapper;
    Outcome run(Buf& b) { return translate_v4_to_v6(b.pkt, cfg, ctx, mapper); }
};

TEST_F(V4ToV6, UdpHeaderFieldsAndChecksum) {
    V4Opts o;
    o.tos = 0xb8;
    o.ttl = 17;
    Buf b(ipv4(kS, kD, udp4(kS, kD, 5000, 53, payload(20)), o));
    const uint8_t* l4_before = b.pkt.data + 20;
    ASSERT_EQ(run(b).verdict, Verdict::Forward);
    const Bytes p = b.bytes();
    ASSERT_EQ(p.size(), 40u + 28u);
    EXPECT_EQ(p[0] >> 4, 6);
    EXPECT_EQ(load_be32(&p[0]) >> 20 & 0xff, 0xb8u);  // §4.1 traffic class = TOS
    EXPECT_EQ(load_be32(&p[0]) & 0xfffff, 0u);        // flow label 0
    EXPECT_EQ(load_be16(&p[4]), 28);                  // payload length
    EXPECT_EQ(p[6], 17);
    EXPECT_EQ(p[7], 16);  // hop limit = TTL - 1
    EXPECT_EQ(net::Ipv6Addr::from_bytes(&p[8]), kS6);
    EXPECT_EQ(net::Ipv6Addr::from_bytes(&p[24]), kD6);
    EXPECT_EQ(b.pkt.data + 40, l4_before);  // transport payload did not move
    EXPECT_EQ(b.pkt.headroom, 236u);
    EXPECT_EQ(verify_ipv6(p), "");
}

TEST_F(V4ToV6, TcpChecksumAndResetTos) {
    cfg.reset_tos = true;
    cfg.traffic_class = 0x10;
    V4Opts o;
    o.proto = 6;
    o.tos = 0xff;
    Buf b(ipv4(kS, kD, tcp4(kS, kD, 40000, 443, payload(100)), o));
    ASSERT_EQ(run(b).verdict, Verdict::Forward);
    const Bytes p = b.bytes();
    EXPECT_EQ(load_be32(&p[0]) >> 20 & 0xff, 0x10u);
    EXPECT_EQ(p[6], 6);
    EXPECT_EQ(verify_ipv6(p), "");
}

TEST_F(V4ToV6, MapperRewritesPortsAndChecksumFollows) {
    mapper.add_to_src_port = 1000;
    V4Opts o;
    o.proto = 6;
    Buf b(ipv4(kS, kD, tcp4(kS, kD, 40000, 443, payload(33)), o));
    ASSERT_EQ(run(b).verdict, Verdict::Forward);
    const Bytes p = b.bytes();
    EXPECT_EQ(load_be16(&p[40]), 41000);
    EXPECT_EQ(verify_ipv6(p), "");
}

// RFC 7915 §4.5: unfragmented, the checksum is computed (siit.amend_udp_checksum_zero) or
// the packet dropped; a first fragment cannot be summed statelessly: dropped, and the
// sender told so with Destination Unreachable, administratively prohibited (rate-limited).
TEST_F(V4ToV6, UdpZeroChecksumComputedOrDropped) {
    Bytes u = udp4(kS, kD, 1, 2, payload(11));
    const uint16_t sum4 = load_be16(&u[6]);
    u[6] = u[7] = 0;
    Buf b(ipv4(kS, kD, u));
    ASSERT_EQ(run(b).verdict, Verdict::Forward);
    EXPECT_NE(load_be16(b.pkt.data + 46), 0);
    EXPECT_NE(load_be16(b.pkt.data + 46), sum4);  // the IPv6 sum, not the IPv4 one
    EXPECT_EQ(verify_ipv6(b.bytes()), "");
    EXPECT_EQ(ctx.counters.get(XlatCounter::UdpChecksumsComputed), 1u);

    cfg.udp_zero_checksum = UdpZeroChecksum::Drop;
    Buf d(ipv4(kS, kD, u));
    const Outcome dropped = run(d);
    EXPECT_EQ(dropped.verdict, Verdict::Drop);
    EXPECT_EQ(dropped.reason, DropReason::UdpZeroChecksum);

    V4Opts o;
    o.df = false;
    o.mf = true;
    const Bytes frag = ipv4(kS, kD, u, o);
    cfg.udp_zero_checksum = UdpZeroChecksum::Compute;
    cfg.self_ipv4 = v4("198.51.100.1");
    cfg.icmp_error_burst = 1;
    Buf f(frag);
    const Outcome r = run(f);
    ASSERT_EQ(r.verdict, Verdict::ReplyIcmpError);
    EXPECT_EQ(r.reason, DropReason::UdpZeroChecksumFragment);
    const Bytes p = f.bytes();
    EXPECT_EQ(verify_ipv4(p), "");
    EXPECT_EQ(net::Ipv4Addr::from_bytes(&p[12]), cfg.self_ipv4);
    EXPECT_EQ(net::Ipv4Addr::from_bytes(&p[16]), kS);
    EXPECT_EQ(p[20], 3);   // destination unreachable
    EXPECT_EQ(p[21], 13);  // communication administratively prohibited
    EXPECT_EQ(Bytes(p.begin() + 28, p.end()), frag);
    Buf f2(frag);  // the bucket (depth 1) is empty: dropped and counted, no error
    const Outcome r2 = run(f2);
    EXPECT_EQ(r2.verdict, Verdict::Drop);
    EXPECT_EQ(r2.reason, DropReason::UdpZeroChecksumFragment);
    EXPECT_EQ(ctx.counters.get(XlatCounter::IcmpErrorsSent), 1u);
    EXPECT_EQ(ctx.counters.get(XlatCounter::IcmpErrorsRateLimited), 1u);
    // A non-first fragment carries no UDP header: translated untouched.
    o.mf = false;
    o.frag_off = 3;
    Buf nf(ipv4(kS, kD, payload(16), o));
    EXPECT_EQ(run(nf).verdict, Verdict::Forward);
}

TEST_F(V4ToV6, MalformedInputDrops) {
    Bytes good = ipv4(kS, kD, udp4(kS, kD, 1, 2, payload(8)));
    Bytes bad_sum = good;
    bad_sum[10] ^= 1;
    Buf a(bad_sum);
    EXPECT_EQ(run(a).reason, DropReason::Ipv4BadChecksum);
    Buf t(Bytes(good.begin(), good.begin() + 30));
    EXPECT_EQ(run(t).reason, DropReason::Ipv4Truncated);
    Bytes ver = good;
    ver[0] = 0x65;
    Buf v(ver);
    EXPECT_EQ(run(v).reason, DropReason::Ipv4BadVersion);
    Buf h(good, 10);
    EXPECT_EQ(run(h).reason, DropReason::XlatNoHeadroom);
    V4Opts o;
    o.proto = 58;
    Buf w(ipv4(kS, kD, payload(8), o));
    EXPECT_EQ(run(w).reason, DropReason::XlatBadProtocol);
    mapper.fail = true;
    Buf m(good);
    EXPECT_EQ(run(m).reason, DropReason::XlatNoMapping);
}

TEST_F(V4ToV6, EthernetPaddingIsTrimmed) {
    Bytes p = ipv4(kS, kD, udp4(kS, kD, 1, 2, {}));
    p.resize(46, 0);  // minimum Ethernet payload
    Buf b(p);
    ASSERT_EQ(run(b).verdict, Verdict::Forward);
    EXPECT_EQ(b.pkt.len, 48u);
    EXPECT_EQ(verify_ipv6(b.bytes()), "");
}

TEST_F(V4ToV6, OptionsAreDroppedButSourceRouteAnswered) {
    V4Opts o;
    o.options = {7, 7, 4, 0, 0, 0, 0, 1};  // record route, then end of list
    Buf b(ipv4(kS, kD, udp4(kS, kD, 1, 2, payload(4)), o));
    ASSERT_EQ(run(b).verdict, Verdict::Forward);
    EXPECT_EQ(b.pkt.len, 40u + 12u);
    EXPECT_EQ(verify_ipv6(b.bytes()), "");

    o.options = {131, 7, 4, 10, 0, 0, 1, 0};  // loose source route, pointer 4 <= length 7
    const Bytes orig = ipv4(kS, kD, udp4(kS, kD, 1, 2, payload(4)), o);
    Buf s(orig);
    const Outcome r = run(s);
    ASSERT_EQ(r.verdict, Verdict::ReplyIcmpError);
    EXPECT_EQ(r.reason, DropReason::Ipv4SourceRoute);
    const Bytes p = s.bytes();
    EXPECT_EQ(verify_ipv4(p), "");
    EXPECT_EQ(p[20], 3);  // destination unreachable
    EXPECT_EQ(p[21], 5);  // source route failed
    EXPECT_EQ(net::Ipv4Addr::from_bytes(&p[16]), kS);
    EXPECT_EQ(Bytes(p.begin() + 28, p.end()), orig);
}

TEST_F(V4ToV6, TtlExpiredRepliesTimeExceededRateLimited) {
    cfg.self_ipv4 = v4("203.0.113.1");
    cfg.icmp_error_burst = 2;
    cfg.icmp_errors_per_sec = 10;
    V4Opts o;
    o.ttl = 1;
    const Bytes orig = ipv4(kS, kD, udp4(kS, kD, 1, 2, payload(700)), o);
    Buf b(orig);
    Outcome r = run(b);
    ASSERT_EQ(r.verdict, Verdict::ReplyIcmpError);
    EXPECT_EQ(r.reason, DropReason::Ipv4TtlExpired);
    const Bytes p = b.bytes();
    EXPECT_EQ(p.size(), 576u);  // RFC 1812 quote limit
    EXPECT_EQ(verify_ipv4(p), "");
    EXPECT_EQ(p[9], 1);
    EXPECT_EQ(p[20], 11);
    EXPECT_EQ(p[21], 0);
    EXPECT_EQ(net::Ipv4Addr::from_bytes(&p[12]), cfg.self_ipv4);
    EXPECT_TRUE(std::equal(p.begin() + 28, p.end(), orig.begin()));
    Buf b2(orig);
    EXPECT_EQ(run(b2).verdict, Verdict::ReplyIcmpError);
    Buf b3(orig);
    r = run(b3);
    EXPECT_EQ(r.verdict, Verdict::Drop);  // bucket empty
    EXPECT_EQ(r.reason, DropReason::Ipv4TtlExpired);
    EXPECT_EQ(ctx.counters.get(XlatCounter::IcmpErrorsRateLimited), 1u);
    ctx.now_ns += 100'000'000;  // 100 ms at 10/s = one token
    Buf b4(orig);
    EXPECT_EQ(run(b4).verdict, Verdict::ReplyIcmpError);
}

TEST_F(V4ToV6, NoIcmpErrorAboutIcmpErrorOrNonFirstFragment) {
    V4Opts o;
    o.ttl = 1;
    o.proto = 1;
    Buf e(ipv4(kS, kD, icmp4(3, 3, 0, ipv4(kD, kS, udp4(kD, kS, 1, 2, {}))), o));
    EXPECT_EQ(run(e).verdict, Verdict::Drop);
    o.proto = 17;
    o.df = false;
    o.frag_off = 10;
    Buf f(ipv4(kS, kD, payload(16), o));
    const Outcome r = run(f);
    EXPECT_EQ(r.verdict, Verdict::Drop);
    EXPECT_EQ(r.reason, DropReason::Ipv4TtlExpired);
    EXPECT_EQ(ctx.counters.get(XlatCounter::IcmpErrorsSent), 0u);
}

TEST_F(V4ToV6, DfTooBigRepliesFragNeeded) {
    cfg.mtu6 = 1400;
    Buf b(ipv4(kS, kD, udp4(kS, kD, 1, 2, payload(1400 - 40 - 8 + 1))));
    const Outcome r = run(b);
    ASSERT_EQ(r.verdict, Verdict::ReplyIcmpError);
    EXPECT_EQ(r.reason, DropReason::Ipv4FragNeeded);
    const Bytes p = b.bytes();
    EXPECT_EQ(p[20], 3);
    EXPECT_EQ(p[21], 4);
    EXPECT_EQ(load_be16(&p[26]), 1380);  // mtu6 - 20
    EXPECT_EQ(verify_ipv4(p), "");
    Buf fits(ipv4(kS, kD, udp4(kS, kD, 1, 2, payload(1400 - 40 - 8))));
    EXPECT_EQ(run(fits).verdict, Verdict::Forward);
}

TEST_F(V4ToV6, FirstFragmentGetsFragmentHeaderAndChecksumUpdate) {
    const Bytes whole = udp4(kS, kD, 7, 9, payload(64));
    V4Opts o;
    o.df = false;
    o.mf = true;
    o.id = 0xbeef;
    Buf b(ipv4(kS, kD, Bytes(whole.begin(), whole.begin() + 32), o));
    ASSERT_EQ(run(b).verdict, Verdict::Forward);
    const Bytes p = b.bytes();
    ASSERT_EQ(p.size(), 40u + 8u + 32u);
    EXPECT_EQ(p[6], 44);
    EXPECT_EQ(p[40], 17);
    EXPECT_EQ(load_be16(&p[42]), 1);  // offset 0, M
    EXPECT_EQ(load_be32(&p[44]), 0xbeefu);
    // The checksum of the whole datagram now matches the IPv6 pseudo-header.
    Bytes full(p.begin() + 48, p.end());
    full.insert(full.end(), whole.begin() + 32, whole.end());
    EXPECT_EQ(testing::l4_checksum_v6(p.data(), 17, full), 0);
}

TEST_F(V4ToV6, NonFirstFragmentTransportUntouched) {
    V4Opts o;
    o.df = false;
    o.frag_off = 4;
    o.id = 77;
    const Bytes data = payload(40, 3);
    Buf b(ipv4(kS, kD, data, o));
    ASSERT_EQ(run(b).verdict, Verdict::Forward);
    const Bytes p = b.bytes();
    EXPECT_EQ(load_be16(&p[42]), 4 << 3);  // offset 4, M=0
    EXPECT_EQ(load_be32(&p[44]), 77u);
    EXPECT_EQ(Bytes(p.begin() + 48, p.end()), data);
}

TEST_F(V4ToV6, UnfragmentedDfZeroGetsNoAtomicFragmentHeader) {
    V4Opts o;
    o.df = false;
    Buf b(ipv4(kS, kD, udp4(kS, kD, 1, 2, payload(100)), o));
    ASSERT_EQ(run(b).verdict, Verdict::Forward);
    EXPECT_EQ(b.pkt.data[6], 17);  // RFC 8021: no Fragment Header
}

struct VecSink {
    std::vector<Bytes> frags;
    int budget = 100;
    uint8_t* alloc(uint32_t len) {
        if (budget-- <= 0) return nullptr;
        frags.emplace_back(len);
        return frags.back().data();
    }
};

TEST_F(V4ToV6, DfZeroTooBigIsFragmentedToLowestMtu) {
    V4Opts o;
    o.df = false;
    o.id = 0x4242;
    const Bytes data = payload(3000, 5);
    Buf b(ipv4(kS, kD, udp4(kS, kD, 1000, 2000, data), o));
    const Outcome r = run(b);
    ASSERT_EQ(r.verdict, Verdict::Fragment);
    EXPECT_EQ(r.mtu, 1280);
    VecSink sink;
    const FragmentResult fr = fragment_v6(b.pkt.data, b.pkt.len, r.mtu, sink);
    ASSERT_TRUE(fr.ok);
    ASSERT_EQ(fr.count, 3u);
    Bytes reassembled;
    for (std::size_t i = 0; i < sink.frags.size(); ++i) {
        const Bytes& f = sink.frags[i];
        EXPECT_LE(f.size(), 1280u);
        EXPECT_EQ(load_be16(&f[4]) + 40u, f.size());
        EXPECT_EQ(f[6], 44);
        EXPECT_EQ(f[40], 17);
        EXPECT_EQ(load_be32(&f[44]), 0x4242u);
        const uint16_t fo = load_be16(&f[42]);
        EXPECT_EQ((fo >> 3) * 8u, reassembled.size());
        EXPECT_EQ(fo & 1, i + 1 < sink.frags.size() ? 1 : 0);
        reassembled.insert(reassembled.end(), f.begin() + 48, f.end());
    }
    ASSERT_EQ(reassembled.size(), 8u + data.size());
    EXPECT_EQ(testing::l4_checksum_v6(sink.frags[0].data(), 17, reassembled), 0);
    EXPECT_EQ(Bytes(reassembled.begin() + 8, reassembled.end()), data);

    VecSink dry;
    dry.budget = 1;
    const FragmentResult fail = fragment_v6(b.pkt.data, b.pkt.len, r.mtu, dry);
    EXPECT_FALSE(fail.ok);
    EXPECT_EQ(fail.count, 1u);
    EXPECT_EQ(fail.reason, DropReason::MbufAllocFailed);
}

TEST_F(V4ToV6, OversizedFragmentIsRefragmentedKeepingOffsets) {
    V4Opts o;
    o.df = false;
    o.mf = true;
    o.frag_off = 100;  // 800 bytes in
    Buf b(ipv4(kS, kD, payload(2000), o));
    const Outcome r = run(b);
    ASSERT_EQ(r.verdict, Verdict::Fragment);
    VecSink sink;
    ASSERT_TRUE(fragment_v6(b.pkt.data, b.pkt.len, r.mtu, sink).ok);
    ASSERT_EQ(sink.frags.size(), 2u);
    EXPECT_EQ(load_be16(&sink.frags[0][42]), 100 << 3 | 1);
    const uint16_t second = load_be16(&sink.frags[1][42]);
    EXPECT_EQ(second >> 3, 100 + (1280 - 48) / 8);
    EXPECT_EQ(second & 1, 1);  // original M kept on the last piece
}

}  // namespace
}  // namespace strait::xlat::test
