// SPDX-License-Identifier: Apache-2.0
// Upstream client: random ID/port, strict matching, timeout, retry, failover, bounds.
#include <gtest/gtest.h>

#include "dns64_harness.h"

namespace strait::dns64::test {
namespace {

const std::string kSoa = "example. 3600 IN SOA ns.example. host.example. 1 3600 900 604800 300";

class UpstreamTest : public EngineTest {};

TEST_F(UpstreamTest, QueryUsesRandomIdPortAndAdvertisesEdns) {
    ask(make_query("a.example.", LDNS_RR_TYPE_A));
    ask(make_query("b.example.", LDNS_RR_TYPE_A));
    ASSERT_EQ(out_.upstream.size(), 2u);
    const auto& u0 = out_.upstream[0];
    const auto& u1 = out_.upstream[1];
    EXPECT_EQ(net::to_string(u0.server), "198.51.100.53");
    EXPECT_EQ(u0.server_port, 53);
    EXPECT_TRUE(eng_.is_source_port(u0.local_port));
    EXPECT_TRUE(eng_.port_in_use(u0.local_port));
    EXPECT_NE(decode(u0.msg).id, decode(u1.msg).id);
    EXPECT_NE(u0.local_port, u1.local_port);
    EXPECT_TRUE(decode(u0.msg).edns);
    EXPECT_EQ(eng_.pending(), 2u);
}

TEST_F(UpstreamTest, TimeoutRetriesOnNextUpstreamThenServfail) {
    ask(make_query("slow.example.", LDNS_RR_TYPE_AAAA));
    ASSERT_EQ(out_.upstream.size(), 1u);
    advance_ms(999);
    EXPECT_EQ(out_.upstream.size(), 1u);
    advance_ms(1);
    ASSERT_EQ(out_.upstream.size(), 2u);
    EXPECT_EQ(net::to_string(out_.upstream[1].server), "203.0.113.53");
    EXPECT_NE(out_.upstream[1].local_port, out_.upstream[0].local_port);
    advance_ms(1000);
    ASSERT_EQ(out_.client.size(), 1u);
    EXPECT_EQ(last_client().rcode, LDNS_RCODE_SERVFAIL);
    EXPECT_EQ(eng_.counters().upstream_timeouts.get(), 2u);
    EXPECT_EQ(eng_.counters().upstream_servfail.get(), 1u);
    EXPECT_EQ(eng_.pending(), 0u);
}

TEST_F(UpstreamTest, FailoverAnswerFromSecondServerIsUsed) {
    ask(make_query("a.example.", LDNS_RR_TYPE_A));
    advance_ms(1000);
    reply(0, LDNS_RCODE_NOERROR, {"a.example. 300 IN A 192.0.2.1"});  // late, old txn
    EXPECT_TRUE(out_.client.empty());
    EXPECT_EQ(eng_.counters().unmatched.get(), 1u);
    reply(1, LDNS_RCODE_NOERROR, {"a.example. 300 IN A 192.0.2.1"});
    ASSERT_EQ(out_.client.size(), 1u);
    EXPECT_EQ(last_client().answer.size(), 1u);
}

TEST_F(UpstreamTest, UnmatchedAnswersAreDropped) {
    ask(make_query("a.example.", LDNS_RR_TYPE_A));
    const auto up = out_.upstream[0];
    const Msg good = make_answer(up.msg, LDNS_RCODE_NOERROR, {"a.example. 300 IN A 192.0.2.1"});
    Msg bad_id = good;
    bad_id[1] ^= 1;
    eng_.on_upstream_answer(bad_id, up.server, 53, up.local_port, now_, out_);
    eng_.on_upstream_answer(good, *net::parse_ipv4("192.0.2.99"), 53, up.local_port, now_, out_);
    eng_.on_upstream_answer(good, up.server, 5353, up.local_port, now_, out_);
    eng_.on_upstream_answer(good, up.server, 53, static_cast<uint16_t>(up.local_port + 1), now_, out_);
    Msg other_q = make_answer(make_query("b.example.", LDNS_RR_TYPE_A, QueryOpts{decode(up.msg).id}),
                              LDNS_RCODE_NOERROR, {});
    eng_.on_upstream_answer(other_q, up.server, 53, up.local_port, now_, out_);
    EXPECT_TRUE(out_.client.empty());
    EXPECT_EQ(eng_.counters().unmatched.get(), 5u);
    eng_.on_upstream_answer(good, up.server, 53, up.local_port, now_, out_);
    EXPECT_EQ(out_.client.size(), 1u);
    eng_.on_upstream_answer(good, up.server, 53, up.local_port, now_, out_);  // duplicate
    EXPECT_EQ(eng_.counters().unmatched.get(), 6u);
}

TEST_F(UpstreamTest, ATimeoutAfterNodataReturnsTheAaaaAnswer) {
    ask(make_query("a.example.", LDNS_RR_TYPE_AAAA));
    reply(0, LDNS_RCODE_NOERROR, {}, {kSoa});
    ASSERT_EQ(out_.upstream.size(), 2u);
    advance_ms(1000);
    advance_ms(1000);
    ASSERT_EQ(out_.client.size(), 1u);
    const Decoded d = last_client();
    EXPECT_EQ(d.rcode, LDNS_RCODE_NOERROR);
    EXPECT_EQ(d.authority.size(), 1u);
}

TEST_F(UpstreamTest, TruncatedUpstreamAnswerIsServfail) {
    ask(make_query("a.example.", LDNS_RR_TYPE_A));
    const auto up = out_.upstream[0];
    Msg a = make_answer(up.msg, LDNS_RCODE_NOERROR, {"a.example. 300 IN A 192.0.2.1"});
    a.resize(a.size() - 14);  // cut into the answer record
    eng_.on_upstream_answer(a, up.server, 53, up.local_port, now_, out_);
    EXPECT_EQ(last_client().rcode, LDNS_RCODE_SERVFAIL);
    EXPECT_EQ(eng_.counters().upstream_malformed.get(), 1u);
}

class PendingBoundTest : public EngineTest {
protected:
    PendingBoundTest() : EngineTest(cfg()) {}
    static Dns64Config cfg() {
        Dns64Config c = base_config();
        c.max_pending = 2;
        return c;
    }
};

TEST_F(PendingBoundTest, BeyondMaxPendingIsServfail) {
    ask(make_query("a.example.", LDNS_RR_TYPE_A));
    ask(make_query("b.example.", LDNS_RR_TYPE_A));
    ask(make_query("c.example.", LDNS_RR_TYPE_A));
    EXPECT_EQ(out_.upstream.size(), 2u);
    ASSERT_EQ(out_.client.size(), 1u);
    EXPECT_EQ(last_client().rcode, LDNS_RCODE_SERVFAIL);
    EXPECT_EQ(eng_.counters().pending_full.get(), 1u);
    reply(0, LDNS_RCODE_NOERROR, {});
    ask(make_query("d.example.", LDNS_RR_TYPE_A));
    EXPECT_EQ(out_.upstream.size(), 3u) << "a slot was freed";
}

}  // namespace
}  // namespace strait::dns64::test
