// SPDX-License-Identifier: Apache-2.0
// NAT64 session life through real packets on real tables (EAL): the RFC 6146 §3.5.2.2 TCP
// states and the lifetimes they set, expiry by the incremental sweep with the BIB entry
// going after its last session, memory returning through QSBR, a full table and an
// exhausted pool4 refusing new flows while existing ones keep working.
#include <set>

#include "tests/unit/nat64/nat64_fixture.h"

namespace strait::nat64::test {
namespace {

using xlat::Verdict;
constexpr unsigned kUdpPi = 1, kIcmpPi = 2;
constexpr uint32_t kSec = 1000;

class Nat64Life : public Nat64Test {
  protected:
    const SessionEntry* session(const net::Ipv6Addr& src, uint16_t sport, uint16_t dport) {
        return gw->find_session(6, src, sport, kServer, dport);
    }
    TcpState state(uint16_t sport = 40000, uint16_t dport = 80) {
        const SessionEntry* s = session(kA, sport, dport);
        return s ? static_cast<TcpState>(s->tcp_state.load()) : TcpState::Closed;
    }
    /// Milliseconds until the session expires.
    uint32_t left(uint16_t sport = 40000, uint16_t dport = 80) {
        const SessionEntry* s = session(kA, sport, dport);
        return s ? s->expires_ms.load() - gw->now_ms() : 0;
    }
    /// The TCP timeouts of the config, in ms.
    uint32_t est() const { return cfg.timeouts.tcp_established * kSec; }
    uint32_t trans() const { return cfg.timeouts.tcp_transitory * kSec; }
};

// A connection opened from IPv6 and closed from both ends: every step through the
// translator, the state and lifetime after it (2 s between packets, so each refresh moves
// the deadline by more than the mapper's 1 s write threshold).
TEST_F(Nat64Life, TcpOpenedFromIpv6AndClosedByBothEnds) {
    start(2);
    const uint16_t p = fields(fwd6(0, tcp_v6(kA, 40000, kServer6, 80, kSyn))).sport;
    EXPECT_EQ(state(), TcpState::V6Init);
    EXPECT_EQ(left(), trans()) << "V6 SYN: TCP_TRANS";
    advance(2 * kSec);
    fwd4(1, tcp_v4(kServer, 80, kPool, p, kSyn | kAck));
    EXPECT_EQ(state(), TcpState::Established);
    EXPECT_EQ(left(), est()) << "V4 SYN in V6 INIT: TCP_EST";
    advance(2 * kSec);
    fwd6(1, tcp_v6(kA, 40000, kServer6, 80, kAck, payload(10)));
    EXPECT_EQ(left(), est()) << "data refreshes TCP_EST";
    advance(2 * kSec);
    fwd6(0, tcp_v6(kA, 40000, kServer6, 80, kFin | kAck));
    EXPECT_EQ(state(), TcpState::V6FinRcv);
    EXPECT_EQ(left(), est() - 2 * kSec) << "a FIN in ESTABLISHED leaves the lifetime";
    advance(2 * kSec);
    fwd4(0, tcp_v4(kServer, 80, kPool, p, kAck, payload(5)));
    EXPECT_EQ(state(), TcpState::V6FinRcv);
    EXPECT_EQ(left(), est()) << "other packets in V6 FIN RCV: TCP_EST";
    advance(2 * kSec);
    fwd4(1, tcp_v4(kServer, 80, kPool, p, kFin | kAck));
    EXPECT_EQ(state(), TcpState::V4V6FinRcv);
    EXPECT_EQ(left(), trans()) << "both FINs: TCP_TRANS";
    advance(2 * kSec);
    fwd6(0, tcp_v6(kA, 40000, kServer6, 80, kAck));
    EXPECT_EQ(left(), trans() - 2 * kSec) << "the last ACK does not refresh";
    advance(trans() - 2 * kSec - 1);
    gw->sweep_all();
    EXPECT_EQ(gw->sessions(), 1u) << "1 ms before TCP_TRANS runs out";
    advance(1);
    gw->sweep_all();
    EXPECT_EQ(gw->sessions(), 0u);
    EXPECT_EQ(gw->bib_entries(), 0u) << "the BIB entry goes with its last session";
    EXPECT_EQ(drop4(1, tcp_v4(kServer, 80, kPool, p, kAck)), DropReason::Nat64NoBib);
}

TEST_F(Nat64Life, TcpResetMovesToTransitory) {
    start();
    const uint16_t p = fields(fwd6(0, tcp_v6(kA, 40000, kServer6, 80, kSyn))).sport;
    fwd4(0, tcp_v4(kServer, 80, kPool, p, kSyn | kAck));
    advance(2 * kSec);
    fwd4(0, tcp_v4(kServer, 80, kPool, p, kRst));
    EXPECT_EQ(state(), TcpState::Trans);
    EXPECT_EQ(left(), trans());
    advance(2 * kSec);
    fwd6(0, tcp_v6(kA, 40000, kServer6, 80, kAck));
    EXPECT_EQ(state(), TcpState::Established) << "a non-RST packet in TRANS";
    EXPECT_EQ(left(), est());
    advance(2 * kSec);
    fwd6(0, tcp_v6(kA, 40000, kServer6, 80, kRst | kAck));
    EXPECT_EQ(state(), TcpState::Trans);
    advance(trans());
    gw->sweep_all();
    EXPECT_EQ(gw->sessions(), 0u);
}

// §3.5.2.2 CLOSED + V4 SYN: with a BIB entry (endpoint-independent filtering) an IPv4 SYN
// opens V4 INIT with TCP_INCOMING_SYN; the subscriber's SYN completes it, else it expires.
TEST_F(Nat64Life, TcpOpenedFromIpv4) {
    start();
    const uint16_t p = fields(fwd6(0, tcp_v6(kA, 40000, kServer6, 80, kSyn))).sport;
    const Fields f = fields(fwd4(0, tcp_v4(kServer, 443, kPool, p, kSyn)));
    EXPECT_EQ(f.dst, str(kA));
    EXPECT_EQ(f.dport, 40000);
    EXPECT_EQ(state(40000, 443), TcpState::V4Init);
    EXPECT_EQ(left(40000, 443), cfg.timeouts.tcp_incoming_syn * kSec);
    fwd6(0, tcp_v6(kA, 40000, kServer6, 443, kSyn | kAck));
    EXPECT_EQ(state(40000, 443), TcpState::Established);
    // Another IPv4 SYN nobody answers is gone after TCP_INCOMING_SYN.
    fwd4(0, tcp_v4(kServer, 444, kPool, p, kSyn));
    EXPECT_EQ(state(40000, 444), TcpState::V4Init);
    advance(cfg.timeouts.tcp_incoming_syn * kSec);
    gw->sweep_all();
    EXPECT_EQ(state(40000, 444), TcpState::Closed);
    EXPECT_EQ(gw->sessions(), 2u);
    // Without a SYN nothing is created from IPv4 either.
    EXPECT_EQ(drop4(0, tcp_v4(kServer, 445, kPool, p, kAck)), DropReason::Nat64TcpNoSession);
}

TEST_F(Nat64Life, ExternallyInitiatedTcpCanBeRefused) {
    cfg.drop_externally_initiated_tcp = true;
    start();
    const uint16_t p = fields(fwd6(0, tcp_v6(kA, 40000, kServer6, 80, kSyn))).sport;
    EXPECT_EQ(drop4(0, tcp_v4(kServer2, 443, kPool, p, kSyn)), DropReason::Nat64Filtered);
    fwd4(0, tcp_v4(kServer, 80, kPool, p, kSyn | kAck));  // its own connection still works
    EXPECT_EQ(state(), TcpState::Established);
}

TEST_F(Nat64Life, UdpAndIcmpSessionsExpireAtTheirTimeouts) {
    start();
    const uint16_t p = map_udp(0, kA, 40000);
    const uint16_t id = fields(fwd6(0, echo_v6(kA, kServer6, 77, true))).sport;
    advance(60 * kSec - 1);
    gw->sweep_all();
    EXPECT_EQ(gw->sessions(), 2u);
    advance(1);
    gw->sweep_all();
    EXPECT_EQ(gw->sessions(), 1u) << "ICMP query: 60 s";
    EXPECT_EQ(gw->bib_entries(), 1u);
    EXPECT_EQ(drop4(0, echo_v4(kServer, kPool, id, false)), DropReason::Nat64NoBib);
    // An inbound packet refreshes the UDP session (RFC 4787 REQ-6).
    advance(140 * kSec);
    fwd4(0, udp_v4(kServer, 7000, kPool, p));
    advance(300 * kSec - 1);
    gw->sweep_all();
    EXPECT_EQ(gw->sessions(), 1u);
    advance(1);
    gw->sweep_all();
    EXPECT_EQ(gw->sessions(), 0u) << "UDP: 300 s after the last packet";
    EXPECT_EQ(gw->bib_entries(), 0u);
    EXPECT_EQ(gw->table(0).used_ports(kUdpPi, 0), 0u);
    EXPECT_EQ(gw->table(0).used_ports(kIcmpPi, 0), 0u);
    const TableCounters& c = gw->table(0).counters();
    EXPECT_EQ(c.sessions_created[kUdpPi], 1u);
    EXPECT_EQ(c.sessions_expired[kUdpPi], 1u);
    EXPECT_EQ(c.sessions_expired[kIcmpPi], 1u);
    EXPECT_EQ(c.bib_expired[kUdpPi] + c.bib_expired[kIcmpPi], 2u);
    EXPECT_EQ(drop4(0, udp_v4(kServer, 7000, kPool, p)), DropReason::Nat64NoBib);
}

// A BIB entry lives in its owner's table; sessions on other workers hold it. It goes only
// when the last session anywhere is gone and its owner sweeps again.
TEST_F(Nat64Life, ABibEntryStaysWhileAnyWorkersSessionUsesIt) {
    start(2);
    const uint16_t p = map_udp(0, kA, 40000, kServer6, 7000);
    EXPECT_EQ(map_udp(1, kA, 40000, kServer2_6, 7000), p);
    EXPECT_EQ(gw->table(0).sessions(), 1u);
    EXPECT_EQ(gw->table(1).sessions(), 1u);
    advance(300 * kSec);
    gw->sweep(0, 1000);
    gw->quiesce();
    EXPECT_EQ(gw->table(0).sessions(), 0u);
    EXPECT_EQ(gw->bib_entries(), 1u) << "worker 1's session still holds it";
    gw->sweep(1, 1000);
    gw->quiesce();
    EXPECT_EQ(gw->sessions(), 0u);
    EXPECT_EQ(gw->bib_entries(), 1u) << "only its owner removes it";
    gw->sweep(0, 1000);
    gw->quiesce();
    EXPECT_EQ(gw->bib_entries(), 0u);
}

// Deleted entries come back through the QSBR defer queues: a table is filled to capacity,
// everything expires, and it is filled again, more times than its slack could absorb.
TEST_F(Nat64Life, ExpiredEntriesComeBackToTheTable) {
    constexpr uint32_t kCap = 1024;
    start(1, kCap);
    for (int round = 0; round < 8; ++round) {
        for (uint32_t i = 0; i < kCap; ++i) {
            const Translated t =
                gw->v6_to_v4(0, udp_v6(kA, static_cast<uint16_t>(10000 + i), kServer6, 53));
            ASSERT_EQ(t.verdict, Verdict::Forward)
                << "round " << round << " flow " << i << ": " << drop_label(t.reason);
            if (i % 32 == 0) gw->quiesce();  // the worker loop reports once per burst
        }
        EXPECT_EQ(drop6(0, udp_v6(kA, 9999, kServer6, 53)), DropReason::Nat64TableFull);
        EXPECT_EQ(gw->sessions(), kCap);
        EXPECT_EQ(gw->bib_entries(), kCap);
        advance(300 * kSec);
        EXPECT_EQ(gw->sweep_all(), 2 * kCap);
        EXPECT_EQ(gw->sessions(), 0u);
        EXPECT_EQ(gw->bib_entries(), 0u);
        EXPECT_EQ(gw->table(0).used_ports(kUdpPi, 0), 0u);
    }
}

TEST_F(Nat64Life, AFullTableRefusesNewFlowsAndKeepsTheOld) {
    start(1, 64);
    const uint16_t p = map_udp(0, kA, 40000, kServer6, 7000);
    for (uint16_t d = 7001; d < 7064; ++d) ASSERT_EQ(map_udp(0, kA, 40000, kServer6, d), p);
    EXPECT_EQ(gw->sessions(), 64u);
    EXPECT_EQ(drop6(0, udp_v6(kA, 40000, kServer6, 9999)), DropReason::Nat64TableFull);
    EXPECT_EQ(drop6(0, udp_v6(kB, 1, kServer6, 7000)), DropReason::Nat64TableFull);
    EXPECT_EQ(drop4(0, udp_v4(kServer2, 1, kPool, p)), DropReason::Nat64TableFull)
        << "a new remote on an existing mapping needs a session too";
    EXPECT_EQ(gw->sessions(), 64u);
    for (uint16_t d = 7000; d < 7064; d += 9) {
        EXPECT_EQ(map_udp(0, kA, 40000, kServer6, d), p);
        const Fields f = fields(fwd4(0, udp_v4(kServer, d, kPool, p)));
        EXPECT_EQ(f.dst, str(kA));
        EXPECT_EQ(f.sport, d);
    }
}

TEST_F(Nat64Life, AnExhaustedPool4RefusesNewMappingsUntilOnesExpire) {
    cfg.pool4 = {pool4_entry("192.0.2.1/32", config::L4Proto::Udp, 5000, 5003)};
    start();
    std::set<uint16_t> got;
    for (uint16_t i = 0; i < 4; ++i) got.insert(map_udp(0, kA, static_cast<uint16_t>(40000 + i)));
    EXPECT_EQ(got, (std::set<uint16_t>{5000, 5001, 5002, 5003}));
    EXPECT_EQ(drop6(0, udp_v6(kA, 41000, kServer6, 7000)), DropReason::Nat64Pool4Exhausted);
    EXPECT_EQ(drop6(0, udp_v6(kB, 41001, kServer6, 7000)), DropReason::Nat64Pool4Exhausted);
    // Existing mappings keep working and still take new destinations (EIM).
    const uint16_t p = map_udp(0, kA, 40000);
    EXPECT_EQ(map_udp(0, kA, 40000, kServer2_6, 1), p);
    EXPECT_EQ(fields(fwd4(0, udp_v4(kServer2, 1, kPool, p))).dst, str(kA));
    advance(300 * kSec);
    gw->sweep_all();
    const uint16_t again = map_udp(0, kB, 41001);
    EXPECT_TRUE(again >= 5000 && again <= 5003) << again;
}

// RFC 6888 REQ-4: a subscriber (the source under subscriber_prefix_len) holds at most
// max_sessions_per_subscriber sessions over all workers, however it opens them; others
// are not affected, existing sessions keep working, and expiry gives the room back.
TEST_F(Nat64Life, PerSubscriberSessionLimit) {
    cfg.subscriber_prefix_len = 64;
    cfg.max_sessions_per_subscriber = 3;
    start(2);
    const uint16_t p = map_udp(0, kA, 40000, kServer6, 1);
    map_udp(1, kB, 40000, kServer6, 2);              // kB is in kA's /64: the same subscriber
    fields(fwd4(1, udp_v4(kServer2, 9, kPool, p)));  // an inbound session counts too
    EXPECT_EQ(drop6(0, udp_v6(kA, 40000, kServer6, 3)), DropReason::Nat64SubscriberLimit);
    EXPECT_EQ(drop6(1, echo_v6(kB, kServer6, 5, true)), DropReason::Nat64SubscriberLimit);
    EXPECT_EQ(drop4(0, udp_v4(kServer2, 10, kPool, p)), DropReason::Nat64SubscriberLimit);
    EXPECT_EQ(gw->sessions(), 3u);
    EXPECT_EQ(map_udp(0, kA, 40000, kServer6, 1), p) << "existing sessions keep working";
    EXPECT_EQ(fields(fwd4(0, udp_v4(kServer2, 9, kPool, p))).dst, str(kA));
    map_udp(0, v6("2001:db8:7::1"), 1, kServer6, 1);  // another /64
    advance(300 * kSec);
    gw->sweep_all();
    EXPECT_EQ(gw->sessions(), 0u);
    EXPECT_EQ(gw->table(0).subscribers() + gw->table(1).subscribers(), 0u);
    map_udp(1, kA, 40000, kServer6, 3);
}

// Each worker allocates only in its own slice: one with a full slice refuses even while
// another worker's slice has ports.
TEST_F(Nat64Life, EachWorkerExhaustsOnlyItsOwnSlice) {
    cfg.pool4 = {pool4_entry("192.0.2.1/32", config::L4Proto::Udp, 5000, 5003)};
    start(2);
    std::set<uint16_t> w0{map_udp(0, kA, 1), map_udp(0, kA, 2)};
    EXPECT_EQ(w0, (std::set<uint16_t>{5000, 5001}));
    EXPECT_EQ(drop6(0, udp_v6(kA, 3, kServer6, 7000)), DropReason::Nat64Pool4Exhausted);
    std::set<uint16_t> w1{map_udp(1, kA, 3), map_udp(1, kA, 4)};
    EXPECT_EQ(w1, (std::set<uint16_t>{5002, 5003}));
}

}  // namespace
}  // namespace strait::nat64::test
