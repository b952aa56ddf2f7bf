// SPDX-License-Identifier: Apache-2.0
// Engine intake: FORMERR/NOTIMP/BADVERS answers, drops, rate limiting.
#include <gtest/gtest.h>

#include "dns64_harness.h"

namespace strait::dns64::test {
namespace {

class IntakeTest : public EngineTest {};

TEST_F(IntakeTest, TruncatedQuestionGetsFormerrWithSameId) {
    Msg q = make_query("a.example.", LDNS_RR_TYPE_AAAA);
    q.resize(q.size() - 3);
    ask(q);
    ASSERT_EQ(out_.client.size(), 1u);
    const Decoded d = last_client();
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.rcode, LDNS_RCODE_FORMERR);
    EXPECT_EQ(d.id, 0x1234);
    EXPECT_EQ(eng_.counters().formerr.get(), 1u);
    EXPECT_TRUE(out_.upstream.empty());
}

TEST_F(IntakeTest, QdcountNotOneIsFormerr) {
    Msg q = make_query("a.example.", LDNS_RR_TYPE_AAAA);
    q[5] = 2;
    ask(q);
    EXPECT_EQ(last_client().rcode, LDNS_RCODE_FORMERR);
    q[5] = 0;
    ask(q);
    EXPECT_EQ(last_client().rcode, LDNS_RCODE_FORMERR);
    EXPECT_EQ(eng_.counters().formerr.get(), 2u);
}

TEST_F(IntakeTest, CompressionLoopInAdditionalIsFormerr) {
    Msg q = make_query("a.example.", LDNS_RR_TYPE_AAAA);
    q[11] = 1;  // ARCOUNT 1: a record whose owner points at itself
    const uint8_t at = static_cast<uint8_t>(q.size());
    q.insert(q.end(), {0xc0, at, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0});
    ask(q);
    ASSERT_EQ(out_.client.size(), 1u);
    EXPECT_EQ(last_client().rcode, LDNS_RCODE_FORMERR);
}

TEST_F(IntakeTest, ResponseOnQueryPathIsDroppedAndCounted) {
    Msg q = make_query("a.example.", LDNS_RR_TYPE_AAAA);
    q[2] |= 0x80;
    ask(q);
    ask(Msg{1, 2, 3});
    EXPECT_TRUE(out_.client.empty());
    EXPECT_EQ(eng_.counters().qr_set.get(), 1u);
    EXPECT_EQ(eng_.counters().runt.get(), 1u);
}

TEST_F(IntakeTest, OtherOpcodeIsNotimp) {
    Msg q = make_query("a.example.", LDNS_RR_TYPE_SOA);
    q[2] = static_cast<uint8_t>((q[2] & 0x87) | (5 << 3));  // UPDATE
    ask(q);
    EXPECT_EQ(last_client().rcode, LDNS_RCODE_NOTIMPL);
}

TEST_F(IntakeTest, EdnsVersionOneIsBadvers) {
    QueryOpts o;
    o.edns = true;
    Msg q = make_query("a.example.", LDNS_RR_TYPE_AAAA, o);
    q[q.size() - 5] = 1;  // OPT TTL byte 2: version
    ask(q);
    ASSERT_EQ(out_.client.size(), 1u);
    const Msg& a = out_.client[0].second;
    EXPECT_EQ(a[a.size() - 6], 1) << "extended RCODE 1 + RCODE 0 = BADVERS (16)";
    EXPECT_EQ(eng_.counters().badvers.get(), 1u);
}

// Every mutated query meets exactly one fate: an answer carrying its ID, an intake drop
// counted under the reason its bytes call for, or a pending upstream query; and the
// engine's books balance (queries = answers + intake drops + pending) after each one.
TEST_F(IntakeTest, MutatedQueriesAreAnsweredDroppedOrPending) {
    const Msg base = make_query("www.example.", LDNS_RR_TYPE_AAAA, QueryOpts{0x4242, true, 1232, true, false});
    const Dns64Counters& c = eng_.counters();
    const auto books_balance = [&] {
        return c.queries.get() == c.answers.get() + c.runt.get() + c.qr_set.get() + eng_.pending();
    };
    std::size_t outcomes[3] = {};  // answered, dropped, pending
    uint64_t s = 7;
    for (int i = 0; i < 20000; ++i) {
        Msg q = base;
        for (int k = 0; k < 3; ++k) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            q[(s >> 33) % q.size()] = static_cast<uint8_t>(s >> 56);
        }
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        q.resize((s >> 33) % (q.size() + 1));
        const std::size_t answers = out_.client.size(), pending = eng_.pending();
        const uint64_t runt = c.runt.get(), qr = c.qr_set.get();
        ask(q);
        const std::size_t answered = out_.client.size() - answers;
        const uint64_t dropped = c.runt.get() - runt + c.qr_set.get() - qr;
        const std::size_t went_up = eng_.pending() - pending;
        ASSERT_EQ(answered + dropped + went_up, 1u) << "query #" << i << ", " << q.size() << " bytes";
        if (q.size() < 12) {
            ASSERT_EQ(c.runt.get(), runt + 1) << "query #" << i;
        } else if (q[2] & 0x80) {
            ASSERT_EQ(c.qr_set.get(), qr + 1) << "query #" << i;
        } else {
            ASSERT_EQ(dropped, 0u) << "query #" << i;
        }
        if (answered) {
            const Msg& a = out_.client.back().second;
            ASSERT_GE(a.size(), 12u);
            EXPECT_TRUE(a[0] == q[0] && a[1] == q[1] && (a[2] & 0x80)) << "query #" << i;
        }
        ++outcomes[answered ? 0 : dropped ? 1 : 2];
        ASSERT_TRUE(books_balance()) << "query #" << i;
    }
    EXPECT_EQ(c.queries.get(), 20000u);
    EXPECT_GT(outcomes[0], 0u);
    EXPECT_GT(outcomes[1], 0u);
    EXPECT_GT(outcomes[2], 0u);
    // Junk as upstream answers too: each is matched to its pending query or counted as
    // unmatched (RFC 5452 §9.1), never both, never lost.
    for (std::size_t i = 0; i < out_.upstream.size() && i < 500; ++i) {
        Msg a = out_.upstream[i].msg;
        a[2] |= 0x80;
        a.resize(a.size() / 2);
        const uint64_t seen = c.unmatched.get() + c.upstream_answers.get();
        eng_.on_upstream_answer(a, out_.upstream[i].server, 53, out_.upstream[i].local_port, now_, out_);
        ASSERT_EQ(c.unmatched.get() + c.upstream_answers.get(), seen + 1) << "answer #" << i;
        ASSERT_TRUE(books_balance()) << "answer #" << i;
    }
}

class RateLimitTest : public EngineTest {
protected:
    RateLimitTest() : EngineTest(cfg()) {}
    static Dns64Config cfg() {
        Dns64Config c = base_config();
        c.rate_limit_qps = 1;
        c.rate_limit_burst = 2;
        return c;
    }
};

TEST_F(RateLimitTest, TokenBucketPerClient) {
    const Msg q = make_query("ipv4only.arpa.", LDNS_RR_TYPE_AAAA);
    ask(q);
    ask(q);
    ask(q);
    EXPECT_EQ(out_.client.size(), 2u);
    EXPECT_EQ(eng_.counters().rate_limited.get(), 1u);
    ask(q, client6("2001:db8:6::99"));
    EXPECT_EQ(out_.client.size(), 3u) << "another client has its own bucket";
    now_ += 1'000'000'000ull;
    ask(q);
    EXPECT_EQ(out_.client.size(), 4u) << "one token refilled after a second";
}

}  // namespace
}  // namespace strait::dns64::test
