// SPDX-License-Identifier: Apache-2.0
// Upstream DNS over TCP (RFC 7766 §5): a truncated UDP answer is retried over TCP with the
// same server, the TCP answer is synthesized and cached as usual, TCP failures fail over.
#include <gtest/gtest.h>

#include "dns64_harness.h"

namespace strait::dns64::test {
namespace {

const std::string kSoa = "example. 3600 IN SOA ns.example. host.example. 1 3600 900 604800 300";

/// n records "big.example. 300 IN <type> <prefix><i>".
std::vector<std::string> records(const char* type, const char* prefix, int n) {
    std::vector<std::string> v;
    for (int i = 1; i <= n; ++i) {
        v.push_back(std::string("big.example. 300 IN ") + type + " " + prefix + std::to_string(i));
    }
    return v;
}

class UpstreamTcpTest : public EngineTest {
  protected:
    /// Asks `type` for big.example. and answers the UDP query with TC=1 and no records.
    void ask_truncated(ldns_rr_type type, const ClientId& c = client6()) {
        ask(make_query("big.example.", type), c);
        const std::size_t i = out_.upstream.size() - 1;
        ASSERT_FALSE(out_.upstream[i].tcp);
        reply(i, LDNS_RCODE_NOERROR, {}, {}, /*tc=*/true);
    }
    const FakeOut::Up& last_up() { return out_.upstream.back(); }
};

// RFC 6147 §5.1.1: a truncated AAAA answer may hide real AAAA records: it is neither
// NODATA (no A query) nor answered; the same question goes to the same server over TCP.
TEST_F(UpstreamTcpTest, TruncatedAaaaAnswerIsRetriedOverTcpWithTheSameServer) {
    ask_truncated(LDNS_RR_TYPE_AAAA);
    ASSERT_EQ(out_.upstream.size(), 2u);
    const FakeOut::Up& udp = out_.upstream[0];
    const FakeOut::Up& tcp = out_.upstream[1];
    EXPECT_TRUE(tcp.tcp);
    EXPECT_EQ(tcp.server, udp.server);
    EXPECT_EQ(tcp.server_port, 53);
    EXPECT_EQ(upstream_type(1), LDNS_RR_TYPE_AAAA) << "no A query after a truncated AAAA";
    EXPECT_TRUE(eng_.is_source_port(tcp.local_port));
    EXPECT_TRUE(eng_.port_in_use(tcp.local_port));
    // RFC 5452: a fresh transaction, so a late UDP answer cannot match the TCP one.
    EXPECT_TRUE(tcp.local_port != udp.local_port || decode(tcp.msg).id != decode(udp.msg).id);
    EXPECT_TRUE(out_.client.empty());
    EXPECT_EQ(eng_.counters().upstream_truncated.get(), 1u);
    EXPECT_EQ(eng_.counters().upstream_tcp_queries.get(), 1u);
    EXPECT_EQ(eng_.counters().upstream_queries.get(), 2u);
}

TEST_F(UpstreamTcpTest, RealAaaaRecordsOverTcpArePassedThroughAndCached) {
    ask_truncated(LDNS_RR_TYPE_AAAA);
    // 20 records: above 512 bytes, within what the cache patches (Cache::kMaxTtls).
    reply(1, LDNS_RCODE_NOERROR, records("AAAA", "2001:db8:100::", 20));
    ASSERT_EQ(out_.client.size(), 1u);
    EXPECT_EQ(out_.upstream.size(), 2u) << "real AAAA records: no A query";
    const Msg first = out_.client.back().second;
    EXPECT_EQ(decode(first).answer.size(), 0u) << "too big for a plain UDP client";
    EXPECT_TRUE(decode(first).tc);
    // The client retries over TCP (RFC 7766 §5) and gets the full answer from the cache.
    ask(make_query("big.example.", LDNS_RR_TYPE_AAAA),
        ClientId::v6(*net::parse_ipv6("2001:db8:6::10"), 40001, Transport::Tcp));
    ASSERT_EQ(out_.client.size(), 2u);
    EXPECT_EQ(last_client().answer.size(), 20u);
    EXPECT_FALSE(last_client().tc);
    EXPECT_EQ(out_.upstream.size(), 2u);
    EXPECT_EQ(eng_.counters().cache_hits.get(), 1u);
    EXPECT_EQ(eng_.counters().upstream_tcp_answers.get(), 1u);
    EXPECT_EQ(eng_.counters().synthesized.get(), 0u);
}

// AAAA NODATA over TCP, then the A answer truncated over UDP, retried over TCP, and
// synthesized from every A record; the synthesized answer is cached.
TEST_F(UpstreamTcpTest, AnswersOverTcpAreSynthesizedAndCached) {
    const ClientId tcp_client =
        ClientId::v6(*net::parse_ipv6("2001:db8:6::10"), 40002, Transport::Tcp);
    ask_truncated(LDNS_RR_TYPE_AAAA, tcp_client);
    reply(1, LDNS_RCODE_NOERROR, {}, {kSoa});
    ASSERT_EQ(out_.upstream.size(), 3u);
    EXPECT_EQ(upstream_type(2), LDNS_RR_TYPE_A);
    EXPECT_FALSE(out_.upstream[2].tcp) << "the A question starts over UDP again";
    reply(2, LDNS_RCODE_NOERROR, {}, {}, /*tc=*/true);
    ASSERT_EQ(out_.upstream.size(), 4u);
    EXPECT_TRUE(out_.upstream[3].tcp);
    EXPECT_EQ(upstream_type(3), LDNS_RR_TYPE_A);
    reply(3, LDNS_RCODE_NOERROR, records("A", "192.0.2.", 20));
    ASSERT_EQ(out_.client.size(), 1u);
    Decoded d = last_client();
    EXPECT_EQ(d.rcode, LDNS_RCODE_NOERROR);
    ASSERT_EQ(d.answer.size(), 20u);
    EXPECT_NE(d.answer[0].find("AAAA 2001:db8:64::c000:2"), std::string::npos) << d.answer[0];
    EXPECT_EQ(eng_.counters().synthesized.get(), 1u);
    EXPECT_EQ(eng_.counters().upstream_truncated.get(), 2u);
    EXPECT_EQ(eng_.counters().upstream_tcp_answers.get(), 2u);
    ask(make_query("big.example.", LDNS_RR_TYPE_AAAA), tcp_client);
    EXPECT_EQ(out_.upstream.size(), 4u);
    EXPECT_EQ(last_client().answer.size(), 20u);
    EXPECT_EQ(eng_.counters().cache_hits.get(), 1u);
}

TEST_F(UpstreamTcpTest, TruncatedPassthroughIsRetriedOverTcp) {
    ask_truncated(LDNS_RR_TYPE_A);
    ASSERT_EQ(out_.upstream.size(), 2u);
    EXPECT_TRUE(out_.upstream[1].tcp);
    reply(1, LDNS_RCODE_NOERROR, records("A", "192.0.2.", 40));
    ASSERT_EQ(out_.client.size(), 1u);
    EXPECT_TRUE(last_client().tc) << "40 A records exceed 512 bytes";
    EXPECT_EQ(eng_.counters().passthrough.get(), 1u);
}

// Strict matching (RFC 5452 §9.1) includes the transport: the TCP transaction's ID and
// port over UDP, or a stale UDP answer, match nothing.
TEST_F(UpstreamTcpTest, WrongTransportIsUnmatched) {
    ask_truncated(LDNS_RR_TYPE_AAAA);
    const FakeOut::Up tcp = last_up();
    const Msg a = make_answer(tcp.msg, LDNS_RCODE_NOERROR, records("AAAA", "2001:db8:100::", 2));
    eng_.on_upstream_answer(a, tcp.server, 53, tcp.local_port, now_, out_, Transport::Udp);
    const FakeOut::Up udp = out_.upstream[0];
    const Msg b = make_answer(udp.msg, LDNS_RCODE_NOERROR, records("AAAA", "2001:db8:100::", 2));
    eng_.on_upstream_answer(b, udp.server, 53, udp.local_port, now_, out_, Transport::Tcp);
    EXPECT_TRUE(out_.client.empty());
    EXPECT_EQ(eng_.counters().unmatched.get(), 2u);
    eng_.on_upstream_answer(a, tcp.server, 53, tcp.local_port, now_, out_, Transport::Tcp);
    EXPECT_EQ(out_.client.size(), 1u);
}

// A failed TCP exchange fails over like a timeout, and stays on TCP: the next server's
// UDP answer would be just as truncated.
TEST_F(UpstreamTcpTest, TcpFailureFailsOverToTheNextUpstreamOverTcp) {
    ask_truncated(LDNS_RR_TYPE_AAAA);
    const FakeOut::Up first = last_up();
    eng_.on_upstream_tcp_failed(first.server, 53, first.local_port, decode(first.msg).id, now_,
                                out_);
    ASSERT_EQ(out_.upstream.size(), 3u);
    EXPECT_TRUE(last_up().tcp);
    EXPECT_EQ(net::to_string(last_up().server), "203.0.113.53");
    EXPECT_EQ(eng_.counters().upstream_tcp_failed.get(), 1u);
    reply(2, LDNS_RCODE_NOERROR, records("AAAA", "2001:db8:100::", 3));
    ASSERT_EQ(out_.client.size(), 1u);
    EXPECT_EQ(last_client().answer.size(), 3u);
    // A report for a finished transaction changes nothing.
    eng_.on_upstream_tcp_failed(first.server, 53, first.local_port, decode(first.msg).id, now_,
                                out_);
    EXPECT_EQ(out_.client.size(), 1u);
    EXPECT_EQ(eng_.counters().upstream_tcp_failed.get(), 1u);
}

TEST_F(UpstreamTcpTest, TcpFailureOnEveryUpstreamIsServfail) {
    ask_truncated(LDNS_RR_TYPE_AAAA);
    advance_ms(1000);  // TCP to the first server timed out
    ASSERT_EQ(out_.upstream.size(), 3u);
    EXPECT_TRUE(last_up().tcp);
    const FakeOut::Up second = last_up();
    eng_.on_upstream_tcp_failed(second.server, 53, second.local_port, decode(second.msg).id, now_,
                                out_);
    ASSERT_EQ(out_.client.size(), 1u);
    EXPECT_EQ(last_client().rcode, LDNS_RCODE_SERVFAIL);
    EXPECT_EQ(eng_.counters().upstream_servfail.get(), 1u);
    EXPECT_EQ(eng_.counters().upstream_timeouts.get(), 1u);
    EXPECT_EQ(eng_.pending(), 0u);
    // Not cached: the next query goes upstream again.
    ask(make_query("big.example.", LDNS_RR_TYPE_AAAA));
    EXPECT_EQ(out_.upstream.size(), 4u);
}

// A failure reported for the wrong server or a UDP transaction is not ours to act on.
TEST_F(UpstreamTcpTest, FailureReportsMustMatchTheTransaction) {
    ask(make_query("a.example.", LDNS_RR_TYPE_A));
    const FakeOut::Up udp = last_up();
    eng_.on_upstream_tcp_failed(udp.server, 53, udp.local_port, decode(udp.msg).id, now_, out_);
    ask_truncated(LDNS_RR_TYPE_AAAA);
    const FakeOut::Up tcp = last_up();
    eng_.on_upstream_tcp_failed(*net::parse_ipv4("192.0.2.99"), 53, tcp.local_port,
                                decode(tcp.msg).id, now_, out_);
    eng_.on_upstream_tcp_failed(tcp.server, 5353, tcp.local_port, decode(tcp.msg).id, now_, out_);
    EXPECT_EQ(out_.upstream.size(), 3u);
    EXPECT_TRUE(out_.client.empty());
    EXPECT_EQ(eng_.counters().upstream_tcp_failed.get(), 0u);
}

// TC=1 over TCP cannot be fixed by asking that server again: the next server is asked,
// and a truncated AAAA answer is never synthesized from.
TEST_F(UpstreamTcpTest, TruncatedAnswerOverTcpFailsOver) {
    ask_truncated(LDNS_RR_TYPE_AAAA);
    reply(1, LDNS_RCODE_NOERROR, {}, {}, /*tc=*/true);
    ASSERT_EQ(out_.upstream.size(), 3u);
    EXPECT_TRUE(last_up().tcp);
    EXPECT_EQ(upstream_type(2), LDNS_RR_TYPE_AAAA);
    EXPECT_EQ(net::to_string(last_up().server), "203.0.113.53");
    EXPECT_EQ(eng_.counters().upstream_malformed.get(), 1u);
    reply(2, LDNS_RCODE_NOERROR, {}, {}, /*tc=*/true);
    ASSERT_EQ(out_.client.size(), 1u);
    EXPECT_EQ(last_client().rcode, LDNS_RCODE_SERVFAIL);
    EXPECT_EQ(eng_.counters().synthesized.get(), 0u);
}

}  // namespace
}  // namespace strait::dns64::test
