// SPDX-License-Identifier: Apache-2.0
// Cache: hits patched in place, TTL decrement, expiry, negative caching, eviction, flush.
#include <gtest/gtest.h>

#include "dns64_harness.h"

namespace strait::dns64::test {
namespace {

const std::string kSoa = "example. 3600 IN SOA ns.example. host.example. 1 3600 900 604800 60";

class CacheTest : public EngineTest {
protected:
    using EngineTest::EngineTest;
    void fill(const std::string& name, uint32_t a_ttl = 300) {
        const std::size_t n = out_.upstream.size();
        ask(make_query(name, LDNS_RR_TYPE_AAAA));
        reply(n, LDNS_RCODE_NOERROR, {}, {kSoa});
        reply(n + 1, LDNS_RCODE_NOERROR, {name + " " + std::to_string(a_ttl) + " IN A 192.0.2.1"});
    }
    void advance_s(uint64_t s) { now_ += s * 1'000'000'000ull; }
};

TEST_F(CacheTest, HitIsPatchedWithIdCaseAndTtl) {
    fill("a.example.");
    const std::size_t ups = out_.upstream.size();
    advance_s(10);
    ask(make_query("A.EXAMPLE.", LDNS_RR_TYPE_AAAA, QueryOpts{0x7777}));
    EXPECT_EQ(out_.upstream.size(), ups);
    const Decoded d = last_client();
    EXPECT_EQ(d.id, 0x7777);
    EXPECT_EQ(d.qname, "A.EXAMPLE.");
    ASSERT_EQ(d.answer.size(), 1u);
    // The owner is a pointer to the question, so it shows the client's case too.
    EXPECT_EQ(d.answer[0], "A.EXAMPLE. 50 IN AAAA 2001:db8:64::c000:201");  // 60 - 10
    EXPECT_EQ(eng_.counters().cache_hits.get(), 1u);
}

TEST_F(CacheTest, ExpiredEntryGoesUpstream) {
    fill("a.example.", 30);
    advance_s(31);
    const std::size_t ups = out_.upstream.size();
    ask(make_query("a.example.", LDNS_RR_TYPE_AAAA));
    EXPECT_EQ(out_.upstream.size(), ups + 1);
}

TEST_F(CacheTest, NegativeAnswerCachedForSoaMinimum) {
    ask(make_query("nx.example.", LDNS_RR_TYPE_AAAA));
    reply(0, LDNS_RCODE_NXDOMAIN, {}, {kSoa});
    advance_s(59);
    ask(make_query("nx.example.", LDNS_RR_TYPE_AAAA));
    EXPECT_EQ(out_.upstream.size(), 1u);
    EXPECT_EQ(last_client().rcode, LDNS_RCODE_NXDOMAIN);
    advance_s(2);
    ask(make_query("nx.example.", LDNS_RR_TYPE_AAAA));
    EXPECT_EQ(out_.upstream.size(), 2u) << "RFC 2308: min(SOA TTL, MINIMUM) = 60 s";
}

TEST_F(CacheTest, ServfailIsNotCached) {
    ask(make_query("sf.example.", LDNS_RR_TYPE_A));
    reply(0, LDNS_RCODE_SERVFAIL, {});
    ask(make_query("sf.example.", LDNS_RR_TYPE_A));
    EXPECT_EQ(out_.upstream.size(), 2u);
}

TEST_F(CacheTest, DoBitIsPartOfTheKey) {
    fill("a.example.");
    QueryOpts o;
    o.edns = true;
    o.do_bit = true;
    const std::size_t ups = out_.upstream.size();
    ask(make_query("a.example.", LDNS_RR_TYPE_AAAA, o));
    EXPECT_EQ(out_.upstream.size(), ups + 1);
}

TEST_F(CacheTest, FlushFromAnyThreadEmptiesCache) {
    fill("a.example.");
    eng_.request_flush();
    const std::size_t ups = out_.upstream.size();
    ask(make_query("a.example.", LDNS_RR_TYPE_AAAA));
    EXPECT_EQ(out_.upstream.size(), ups + 1);
    EXPECT_EQ(eng_.cache_stats().flushes, 1u);
}

TEST_F(CacheTest, PrefixChangeFlushesAndUsesNewPrefix) {
    fill("a.example.");
    cfg_.prefixes = {*net::parse_ipv6_prefix("2001:db8:65::/96")};
    eng_.apply_config(cfg_, out_);
    fill("a.example.");
    EXPECT_EQ(last_client().answer.at(0), "a.example. 60 IN AAAA 2001:db8:65::c000:201");
}

class SmallCacheTest : public CacheTest {
protected:
    SmallCacheTest() : CacheTest(cfg()) {}
    static Dns64Config cfg() {
        Dns64Config c = base_config();
        c.cache_entries = Cache::kWays;  // a single set
        return c;
    }
};

TEST_F(SmallCacheTest, LeastRecentlyUsedIsEvicted) {
    for (const char* n : {"a.example.", "b.example.", "c.example.", "d.example.", "e.example.",
                          "f.example.", "g.example.", "h.example."}) {
        fill(n);
    }
    ask(make_query("a.example.", LDNS_RR_TYPE_AAAA));  // a is now recently used
    fill("i.example.");
    EXPECT_EQ(eng_.cache_stats().evictions, 1u);
    std::size_t ups = out_.upstream.size();
    ask(make_query("a.example.", LDNS_RR_TYPE_AAAA));
    EXPECT_EQ(out_.upstream.size(), ups) << "a survived";
    ask(make_query("b.example.", LDNS_RR_TYPE_AAAA));
    EXPECT_EQ(out_.upstream.size(), ups + 1) << "b was the LRU victim";
}

}  // namespace
}  // namespace strait::dns64::test
