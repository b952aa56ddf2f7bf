// SPDX-License-Identifier: Apache-2.0
// Nat64Mapper through the real RFC 7915 translator on real tables (EAL): round trips of
// UDP, TCP and ICMP echo, endpoint-independent mapping and filtering, two workers
// translating each other's flows, hairpinning, static BIB entries and ICMP errors.
#include <set>

#include "tests/unit/nat64/nat64_fixture.h"

namespace strait::nat64::test {
namespace {

using xlat::Verdict;
constexpr unsigned kUdpPi = 1;

uint32_t host(net::Ipv4Addr a) { return net::load_be32(a.b.data()); }

TEST_F(Nat64Test, UdpRoundTrip) {
    start();
    const Bytes data = payload(24, 3);
    const Bytes out = fwd6(0, udp_v6(kA, 40000, kServer6, 7000, data));
    const uint16_t p = fields(out).sport;
    EXPECT_GE(p, 1024);
    EXPECT_EQ(p % 2, 0) << "RFC 4787 REQ-3: parity of 40000";
    EXPECT_EQ(out, with_id_of(out, expect_v4(kPool, kServer, 17,
                                             xlat::test::udp4(kPool, kServer, p, 7000, data))));
    const Bytes back = fwd4(0, udp_v4(kServer, 7000, kPool, p, data));
    EXPECT_EQ(back, udp_v6(kServer6, 7000, kA, 40000, data, 63));
    EXPECT_EQ(gw->sessions(), 1u);
    EXPECT_EQ(gw->bib_entries(), 1u);
    EXPECT_EQ(gw->table(0).used_ports(kUdpPi, 0), 1u);
}

TEST_F(Nat64Test, TcpRoundTrip) {
    start();
    const Bytes syn = fwd6(0, tcp_v6(kA, 50001, kServer6, 80, kSyn));
    const uint16_t p = fields(syn).sport;
    EXPECT_EQ(p % 2, 1);
    Bytes want = expect_v4(kPool, kServer, 6, xlat::test::tcp4(kPool, kServer, p, 80, {}));
    set_tcp_flags(want, kSyn);
    EXPECT_EQ(syn, with_id_of(syn, want));
    Bytes synack = fwd4(0, tcp_v4(kServer, 80, kPool, p, kSyn | kAck));
    Bytes want6 =
        xlat::test::ipv6(kServer6, kA, 6, xlat::test::tcp6(kServer6, kA, 80, 50001, {}), 63);
    set_tcp_flags(want6, kSyn | kAck);
    EXPECT_EQ(synack, want6);
    const Bytes data = payload(100, 1);
    const Fields f = fields(fwd6(0, tcp_v6(kA, 50001, kServer6, 80, kAck, data)));
    EXPECT_EQ(f.sport, p);
    EXPECT_EQ(f.tcp_flags, kAck);
}

TEST_F(Nat64Test, IcmpEchoRoundTrip) {
    start();
    const Bytes req = fwd6(0, echo_v6(kA, kServer6, 0x1234, true, 7));
    const Fields f = fields(req);
    EXPECT_EQ(f.icmp_type, 8);
    const uint16_t id = f.sport;
    EXPECT_GE(id, 1024) << "identifier from the ICMP pool4 range";
    EXPECT_EQ(
        req,
        with_id_of(req, expect_v4(kPool, kServer, 1,
                                  xlat::test::icmp4(8, 0, uint32_t{id} << 16 | 7, payload(16)))));
    const Bytes rep = fwd4(0, echo_v4(kServer, kPool, id, false, 7));
    EXPECT_EQ(rep,
              xlat::test::ipv6(
                  kServer6, kA, 58,
                  xlat::test::icmp6(kServer6, kA, 129, 0, 0x1234u << 16 | 7, payload(16)), 63));
    // A second ping with another identifier is another mapping.
    EXPECT_NE(fields(fwd6(0, echo_v6(kA, kServer6, 0x1235, true))).sport, id);
}

// RFC 4787 REQ-1 / RFC 6146 §3.5.1: one IPv6 transport address, one mapping, whatever the
// destination and whichever worker RSS hands the packet to.
TEST_F(Nat64Test, EndpointIndependentMapping) {
    start(2);
    const uint16_t p = map_udp(0, kA, 40000, kServer6, 7000);
    EXPECT_EQ(map_udp(0, kA, 40000, kServer2_6, 8000), p);
    EXPECT_EQ(map_udp(1, kA, 40000, kServer2_6, 9000), p);
    EXPECT_EQ(gw->bib_entries(), 1u);
    EXPECT_EQ(gw->sessions(), 3u);
    EXPECT_NE(map_udp(0, kA, 40002), p);
    EXPECT_NE(map_udp(1, kB, 40000), p);
}

// RFC 4787 REQ-8 (endpoint-independent filtering, the default): any remote reaches a mapping.
TEST_F(Nat64Test, EndpointIndependentFiltering) {
    start();
    const uint16_t p = map_udp(0, kA, 40000);
    const Fields f = fields(fwd4(0, udp_v4(kServer2, 5353, kPool, p)));
    EXPECT_EQ(f.src, str(kServer2_6));
    EXPECT_EQ(f.dst, str(kA));
    EXPECT_EQ(f.sport, 5353);
    EXPECT_EQ(f.dport, 40000);
    EXPECT_EQ(gw->sessions(), 2u);
}

// The two directions of a flow may land on different workers (RSS hashes IPv6 and IPv4
// differently): each worker translates the other's replies through the shared tables.
TEST_F(Nat64Test, TwoWorkersTranslateEachOthersReplies) {
    start(2);
    const uint16_t p0 = map_udp(0, kA, 40000);
    const uint16_t p1 = map_udp(1, kB, 40000);
    EXPECT_EQ(gw->shared().pool4.owner(kUdpPi, host(kPool), p0), 0);
    EXPECT_EQ(gw->shared().pool4.owner(kUdpPi, host(kPool), p1), 1);
    Fields f = fields(fwd4(1, udp_v4(kServer, 7000, kPool, p0)));
    EXPECT_EQ(f.dst, str(kA));
    EXPECT_EQ(f.dport, 40000);
    f = fields(fwd4(0, udp_v4(kServer, 7000, kPool, p1)));
    EXPECT_EQ(f.dst, str(kB));
    EXPECT_EQ(f.dport, 40000);
    // Later outbound packets of each flow on the other worker find the same session.
    EXPECT_EQ(map_udp(1, kA, 40000), p0);
    EXPECT_EQ(map_udp(0, kB, 40000), p1);
    EXPECT_EQ(gw->table(0).sessions(), 1u);
    EXPECT_EQ(gw->table(1).sessions(), 1u);

    // TCP: the SYN on worker 0, the SYN-ACK on worker 1 moves the session to ESTABLISHED.
    const uint16_t pt = fields(fwd6(0, tcp_v6(kA, 50000, kServer6, 443, kSyn))).sport;
    fwd4(1, tcp_v4(kServer, 443, kPool, pt, kSyn | kAck));
    const SessionEntry* s = gw->find_session(6, kA, 50000, kServer, 443);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(static_cast<TcpState>(s->tcp_state.load()), TcpState::Established);
    EXPECT_EQ(gw->table(1).sessions(), 1u) << "the reply created no session on worker 1";
}

TEST_F(Nat64Test, FirstPortDependsOnTheWorkersSeed) {
    std::set<uint16_t> ports;
    for (uint64_t seed = 1; seed <= 40; ++seed) {
        start(1, 64, seed);
        ports.insert(map_udp(0, kA, 40000));
    }
    EXPECT_GE(ports.size(), 38u) << "RFC 6056: no fixed port sequence";
}

// RFC 4787 REQ-2 (paired): a subscriber's mappings share one pool4 address; the subscriber
// is the source address masked to subscriber_prefix_len.
TEST_F(Nat64Test, SubscribersKeepTheirPool4Address) {
    cfg.pool4 = {pool4_entry("192.0.2.0/29", config::L4Proto::Udp, 1024, 65535)};
    cfg.subscriber_prefix_len = 64;
    start();
    const std::string a = fields(fwd6(0, udp_v6(kA, 1000, kServer6, 1))).src;
    for (uint16_t port = 1001; port < 1020; ++port) {
        EXPECT_EQ(fields(fwd6(0, udp_v6(kA, port, kServer6, 1))).src, a);
        EXPECT_EQ(fields(fwd6(0, udp_v6(kB, port, kServer6, 1))).src, a) << "same /64";
    }
    std::set<std::string> addrs;
    for (int i = 0; i < 64; ++i) {
        const auto sub = v6(("2001:db8:" + std::to_string(100 + i) + "::1").c_str());
        addrs.insert(fields(fwd6(0, udp_v6(sub, 1000, kServer6, 1))).src);
    }
    EXPECT_GE(addrs.size(), 6u) << "subscribers spread over the 8 addresses";
    // /128 subscribers differing only in their last byte spread too.
    cfg.subscriber_prefix_len = 128;
    start();
    addrs.clear();
    for (int i = 1; i <= 64; ++i) {
        const auto sub = v6(("2001:db8:6::" + std::to_string(i)).c_str());
        addrs.insert(fields(fwd6(0, udp_v6(sub, 1000, kServer6, 1))).src);
    }
    EXPECT_GE(addrs.size(), 6u);
}

// RFC 6146 §3.8: a subscriber reaches another through the other's pool4 transport address.
TEST_F(Nat64Test, HairpinBetweenTwoSubscribers) {
    start();
    const uint16_t pb = map_udp(0, kB, 50000);
    const net::Ipv6Addr pool6_of_pool = in_pool6(kPoolStr);
    const Bytes data = payload(30, 2);
    const Translated t = gw->v6_to_v4(0, udp_v6(kA, 40000, pool6_of_pool, pb, data));
    ASSERT_EQ(t.verdict, Verdict::Forward) << drop_label(t.reason);
    EXPECT_TRUE(t.hairpinned);
    EXPECT_EQ(check(t.out), "");
    const Fields f = fields(t.out);
    const uint16_t pa = f.sport;
    EXPECT_NE(pa, pb);
    EXPECT_EQ(t.out, udp_v6(pool6_of_pool, pa, kB, 50000, data, 63)) << "the gateway is one hop";
    // B answers to A's pool4 transport address.
    const Translated r = gw->v6_to_v4(0, udp_v6(kB, 50000, pool6_of_pool, pa, data));
    ASSERT_EQ(r.verdict, Verdict::Forward) << drop_label(r.reason);
    EXPECT_TRUE(r.hairpinned);
    EXPECT_EQ(r.out, udp_v6(pool6_of_pool, pb, kA, 40000, data, 63));
}

// RFC 6146 §3.5.1 static BIB: an IPv6 server reachable at a fixed IPv4 transport address,
// from IPv4, on any worker; the entry never expires.
TEST_F(Nat64Test, StaticBibEntriesAreReachableFromIpv4) {
    const net::Ipv6Addr web = v6("2001:db8:6::80");
    const net::Ipv6Addr dns = v6("2001:db8:6::53");
    cfg.bib = {{config::L4Proto::Tcp, web, 80, kPool, 8080},
               {config::L4Proto::Udp, dns, 53, kPool, 5353}};
    start(2);
    EXPECT_EQ(gw->bib_entries(), 2u);
    // Port 8080 is in worker 0's slice; the SYN arrives on worker 1.
    Fields f = fields(fwd4(1, tcp_v4(kServer2, 5555, kPool, 8080, kSyn)));
    EXPECT_EQ(f.src, str(kServer2_6));
    EXPECT_EQ(f.dst, str(web));
    EXPECT_EQ(f.sport, 5555);
    EXPECT_EQ(f.dport, 80);
    EXPECT_EQ(f.tcp_flags, kSyn);
    f = fields(fwd6(0, tcp_v6(web, 80, kServer2_6, 5555, kSyn | kAck)));
    EXPECT_EQ(f.src, kPoolStr);
    EXPECT_EQ(f.sport, 8080);
    EXPECT_EQ(f.dst, str(kServer2));
    const SessionEntry* s = gw->find_session(6, web, 80, kServer2, 5555);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(static_cast<TcpState>(s->tcp_state.load()), TcpState::Established);
    f = fields(fwd4(0, udp_v4(kServer, 4444, kPool, 5353)));
    EXPECT_EQ(f.dst, str(dns));
    EXPECT_EQ(f.dport, 53);
    // The server's own outbound traffic leaves from its static address (EIM).
    EXPECT_EQ(map_udp(1, dns, 53, kServer2_6, 53), 5353);
    // All sessions expire; the static entries stay and work.
    advance(3 * 3600 * 1000);
    gw->sweep_all();
    EXPECT_EQ(gw->sessions(), 0u);
    EXPECT_EQ(gw->bib_entries(), 2u);
    EXPECT_EQ(fields(fwd4(1, udp_v4(kServer, 4444, kPool, 5353))).dst, str(dns));
}

// pool4 entries may share an address with other port ranges (the schema allows it): a
// static entry in one range must not count against another range of the same address.
TEST_F(Nat64Test, StaticBibInItsOwnRangeLeavesTheOtherRangesFree) {
    cfg.pool4 = {pool4_entry("192.0.2.1/32", config::L4Proto::Udp, 5000, 5001),
                 pool4_entry("192.0.2.1/32", config::L4Proto::Udp, 8080, 8080)};
    cfg.bib = {{config::L4Proto::Udp, v6("2001:db8:6::53"), 53, kPool, 8080}};
    start();
    EXPECT_EQ(gw->table(0).used_ports(kUdpPi, 0), 0u);
    EXPECT_EQ(gw->table(0).used_ports(kUdpPi, 1), 1u);
    std::set<uint16_t> got{map_udp(0, kA, 40000), map_udp(0, kB, 50000)};
    EXPECT_EQ(got, (std::set<uint16_t>{5000, 5001}));
}

// RFC 6146 §3.5.3 + RFC 7915 §4.2-4.4: an ICMP error about a translated packet goes back to
// the subscriber with the quoted packet translated back through the same session.
TEST_F(Nat64Test, Icmp4ErrorsReachTheSubscriberWithTheQuotedPacketTranslated) {
    start(2);
    const Bytes data = payload(40, 9);
    const Bytes sent = fwd6(0, udp_v6(kA, 40000, kServer6, 7000, data));
    // Port Unreachable from the server, arriving on worker 1.
    Fields f = fields(fwd4(1, icmp_error_v4(kServer, kPool, 3, 3, sent)));
    EXPECT_EQ(f.src, str(kServer6));
    EXPECT_EQ(f.dst, str(kA));
    EXPECT_EQ(f.icmp_type, 1);
    EXPECT_EQ(f.icmp_code, 4);
    EXPECT_EQ(f.inner, udp_v6(kA, 40000, kServer6, 7000, data, 63));
    // Time Exceeded from a router on the way.
    const net::Ipv4Addr router = v4("203.0.113.254");
    f = fields(fwd4(0, icmp_error_v4(router, kPool, 11, 0, sent)));
    EXPECT_EQ(f.src, str(in_pool6("203.0.113.254")));
    EXPECT_EQ(f.dst, str(kA));
    EXPECT_EQ(f.icmp_type, 3);
    EXPECT_EQ(f.inner, udp_v6(kA, 40000, kServer6, 7000, data, 63));
    // The same for a ping: the identifier inside is the subscriber's again.
    const Bytes ping = fwd6(1, echo_v6(kA, kServer6, 0x4242, true));
    f = fields(fwd4(0, icmp_error_v4(router, kPool, 11, 0, ping)));
    EXPECT_EQ(f.dst, str(kA));
    EXPECT_EQ(f.inner,
              xlat::test::ipv6(
                  kA, kServer6, 58,
                  xlat::test::icmp6(kA, kServer6, 128, 0, 0x4242u << 16 | 1, payload(16)), 63));
    // And a TCP SYN refused with Port Unreachable.
    const Bytes syn = fwd6(0, tcp_v6(kA, 50000, kServer6, 25, kSyn));
    f = fields(fwd4(1, icmp_error_v4(kServer, kPool, 3, 3, syn)));
    EXPECT_EQ(f.dst, str(kA));
    EXPECT_EQ(fields(f.inner).sport, 50000);
    EXPECT_EQ(check(f.inner), "");
    // An error quoting a packet of no session is dropped.
    EXPECT_EQ(drop4(0, icmp_error_v4(kServer, kPool, 3, 3, udp_v4(kPool, 4444, kServer, 7000))),
              DropReason::Nat64NoSession);
}

TEST_F(Nat64Test, Icmp6ErrorsReachTheIpv4HostWithTheQuotedPacketTranslated) {
    start(2);
    const uint16_t p = map_udp(0, kA, 40000);
    const Bytes data = payload(32, 5);
    const Bytes got = fwd4(1, udp_v4(kServer, 7000, kPool, p, data));
    // The subscriber's port is closed: Destination Unreachable (port), on worker 1.
    Fields f = fields(fwd6(1, icmp_error_v6(kA, kServer6, 1, 4, got)));
    EXPECT_EQ(f.src, kPoolStr);
    EXPECT_EQ(f.dst, str(kServer));
    EXPECT_EQ(f.icmp_type, 3);
    EXPECT_EQ(f.icmp_code, 3);
    EXPECT_EQ(f.inner,
              with_id_of(f.inner, expect_v4(kServer, kPool, 17,
                                            xlat::test::udp4(kServer, kPool, 7000, p, data))));
    // A router on the IPv6 side: the error still leaves from the session's pool4 address.
    f = fields(fwd6(0, icmp_error_v6(v6("2001:db8:6::ff"), kServer6, 3, 0, got)));
    EXPECT_EQ(f.src, kPoolStr);
    EXPECT_EQ(f.dst, str(kServer));
    EXPECT_EQ(f.icmp_type, 11);
    EXPECT_EQ(fields(f.inner).dport, p);
    EXPECT_EQ(drop6(0, icmp_error_v6(kA, kServer6, 1, 4, udp_v6(kServer6, 7000, kB, 1234))),
              DropReason::Nat64NoSession);
}

// The worker translates a burst after bulk lookups (prefetch_v6/v4, select): the frames
// must be those of one-by-one translation, including a burst that creates a session and
// then uses it, replies to mappings made in an earlier burst, and a hairpin.
TEST_F(Nat64Test, BurstStageGivesTheFramesOfOneByOne) {
    const std::vector<Bytes> out6 = {
        udp_v6(kA, 40000, kServer6, 7000),     udp_v6(kA, 40000, kServer6, 7000),
        tcp_v6(kA, 40001, kServer6, 80, kSyn), echo_v6(kA, kServer6, 9, true),
        udp_v6(kB, 50000, kServer2_6, 53),     udp_v6(kA, 40000, kServer2_6, 7000),
        tcp_v6(kB, 50001, kServer6, 80, kAck), udp_v6(kA, 1, v6("2001:db8:99::1"), 2),
        echo_v6(kA, kServer6, 9, true, 2),
    };
    const auto replies = [](const std::vector<Translated>& first) {
        std::vector<Bytes> r;
        for (const Translated& t : first) {
            if (t.verdict != Verdict::Forward) continue;
            const Fields f = fields(t.out);
            if (f.proto == 17) r.push_back(udp_v4(v4(f.dst.c_str()), f.dport, kPool, f.sport));
            if (f.proto == 6)
                r.push_back(tcp_v4(v4(f.dst.c_str()), f.dport, kPool, f.sport, kSyn | kAck));
            if (f.proto == 1) r.push_back(echo_v4(v4(f.dst.c_str()), kPool, f.sport, false));
        }
        r.push_back(udp_v4(kServer, 7000, kPool, 9999));  // no BIB
        return r;
    };
    std::vector<Translated> one[2], bulk[2];
    start(2, 4096, 7);
    for (const Bytes& p : out6) one[0].push_back(gw->v6_to_v4(0, p));
    for (const Bytes& p : replies(one[0])) one[1].push_back(gw->v4_to_v6(1, p));
    const uint16_t pb = fields(one[0][4].out).sport;
    one[0].push_back(gw->v6_to_v4(0, udp_v6(kA, 40000, in_pool6(kPoolStr), pb)));
    start(2, 4096, 7);
    bulk[0] = gw->burst_v6_to_v4(0, out6);
    bulk[1] = gw->burst_v4_to_v6(1, replies(bulk[0]));
    const auto hp = gw->burst_v6_to_v4(0, {udp_v6(kA, 40000, in_pool6(kPoolStr), pb)});
    bulk[0].push_back(hp[0]);
    for (int d = 0; d < 2; ++d) {
        ASSERT_EQ(one[d].size(), bulk[d].size());
        for (std::size_t i = 0; i < one[d].size(); ++i) {
            EXPECT_EQ(bulk[d][i].verdict, one[d][i].verdict) << d << "/" << i;
            EXPECT_EQ(bulk[d][i].reason, one[d][i].reason) << d << "/" << i;
            EXPECT_EQ(bulk[d][i].out, one[d][i].out) << d << "/" << i;
        }
    }
    EXPECT_EQ(one[1].size(), 8u) << "7 replies (UDP x4, TCP, ICMP x2) and the stray one";
    EXPECT_TRUE(hp[0].hairpinned);
}

TEST_F(Nat64Test, WhatNat64DoesNotTranslate) {
    start();
    EXPECT_EQ(drop6(0, udp_v6(kA, 1, v6("2001:db8:99::1"), 2)), DropReason::XlatNoMapping);
    EXPECT_EQ(drop6(0, xlat::test::ipv6(kA, kServer6, 47, payload(8))), DropReason::Nat64Untracked);
    EXPECT_EQ(drop4(0, udp_v4(kServer, 7000, kPool, 5000)), DropReason::Nat64NoBib);
    EXPECT_EQ(drop4(0, udp_v4(kServer, 7000, v4("192.0.2.2"), 5000)), DropReason::XlatNoMapping);
    EXPECT_EQ(drop4(0, udp_v4(kServer, 7000, kPool, 80)), DropReason::XlatNoMapping)
        << "port below the pool4 range";
    EXPECT_EQ(drop6(0, tcp_v6(kA, 40000, kServer6, 80, kAck)), DropReason::Nat64TcpNoSession);
    EXPECT_EQ(gw->sessions(), 0u);
    EXPECT_EQ(gw->bib_entries(), 0u);
}

}  // namespace
}  // namespace strait::nat64::test
