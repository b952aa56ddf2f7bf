// SPDX-License-Identifier: Apache-2.0
// RFC 6147 §5 synthesis rules through the engine, with ldns-built upstream answers.
#include <gtest/gtest.h>

#include "dns64_harness.h"

namespace strait::dns64::test {
namespace {

const std::string kSoa = "example. 3600 IN SOA ns.example. host.example. 1 3600 900 604800 300";

class SynthTest : public EngineTest {
protected:
    using EngineTest::EngineTest;
    /// AAAA query for `name`, NODATA with `aaaa_ns` authority, then `a_answer` to the A query.
    Decoded synth(const std::string& name, const std::vector<std::string>& a_answer,
                  const std::vector<std::string>& aaaa_ns = {kSoa}, ClientId c = client6()) {
        ask(make_query(name, LDNS_RR_TYPE_AAAA), c);
        EXPECT_EQ(out_.upstream.size(), 1u);
        reply(0, LDNS_RCODE_NOERROR, {}, aaaa_ns);
        EXPECT_EQ(out_.upstream.size(), 2u);
        EXPECT_EQ(upstream_type(1), LDNS_RR_TYPE_A);
        reply(1, LDNS_RCODE_NOERROR, a_answer);
        EXPECT_EQ(out_.client.size(), 1u);
        return last_client();
    }
};

TEST_F(SynthTest, AOnlyNameGetsSynthesizedAaaaWithSoaNegativeTtl) {
    const Decoded d = synth("a.example.", {"a.example. 3600 IN A 192.0.2.1"});
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.id, 0x1234);
    EXPECT_EQ(d.rcode, LDNS_RCODE_NOERROR);
    ASSERT_EQ(d.answer.size(), 1u);
    // §5.1.7: min(A TTL 3600, SOA negative TTL min(3600, 300)) = 300.
    EXPECT_EQ(d.answer[0], "a.example. 300 IN AAAA 2001:db8:64::c000:201");
    EXPECT_EQ(eng_.counters().synthesized.get(), 1u);
}

TEST_F(SynthTest, TtlWithoutSoaIsCappedAt600) {
    const Decoded d = synth("a.example.", {"a.example. 3600 IN A 192.0.2.1"}, {});
    ASSERT_EQ(d.answer_ttls.size(), 1u);
    EXPECT_EQ(d.answer_ttls[0], 600u);
}

TEST_F(SynthTest, TtlIsATtlWhenShorter) {
    const Decoded d = synth("a.example.", {"a.example. 20 IN A 192.0.2.1"});
    ASSERT_EQ(d.answer_ttls.size(), 1u);
    EXPECT_EQ(d.answer_ttls[0], 20u);
}

TEST_F(SynthTest, SoaTtlSmallerThanMinimumWins) {
    const Decoded d = synth("a.example.", {"a.example. 3600 IN A 192.0.2.1"},
                            {"example. 40 IN SOA ns.example. host.example. 1 3600 900 604800 300"});
    ASSERT_EQ(d.answer_ttls.size(), 1u);
    EXPECT_EQ(d.answer_ttls[0], 40u);
}

TEST_F(SynthTest, DualStackPassesRealAaaaWithoutAQuery) {
    ask(make_query("ds.example.", LDNS_RR_TYPE_AAAA));
    reply(0, LDNS_RCODE_NOERROR, {"ds.example. 300 IN AAAA 2001:db8:1::1"});
    EXPECT_EQ(out_.upstream.size(), 1u);
    const Decoded d = last_client();
    ASSERT_EQ(d.answer.size(), 1u);
    EXPECT_EQ(d.answer[0], "ds.example. 300 IN AAAA 2001:db8:1::1");
    EXPECT_EQ(eng_.counters().synthesized.get(), 0u);
}

TEST_F(SynthTest, MultipleARecordsAllSynthesized) {
    const Decoded d = synth("m.example.", {"m.example. 300 IN A 192.0.2.1", "m.example. 300 IN A 198.51.100.7"});
    ASSERT_EQ(d.answer.size(), 2u);
    EXPECT_EQ(d.answer[1], "m.example. 300 IN AAAA 2001:db8:64::c633:6407");
}

TEST_F(SynthTest, CnameChainKeptAndAaaaOwnedByFinalName) {
    ask(make_query("www.example.", LDNS_RR_TYPE_AAAA));
    reply(0, LDNS_RCODE_NOERROR, {"www.example. 300 IN CNAME a.example."}, {kSoa});
    ASSERT_EQ(out_.upstream.size(), 2u);
    reply(1, LDNS_RCODE_NOERROR,
          {"www.example. 300 IN CNAME b.example.", "b.example. 300 IN CNAME a.example.",
           "a.example. 100 IN A 192.0.2.1"});
    const Decoded d = last_client();
    ASSERT_EQ(d.answer.size(), 3u);
    EXPECT_EQ(d.answer[0], "www.example. 300 IN CNAME b.example.");
    EXPECT_EQ(d.answer[1], "b.example. 300 IN CNAME a.example.");
    EXPECT_EQ(d.answer[2], "a.example. 100 IN AAAA 2001:db8:64::c000:201");
    EXPECT_EQ(d.qname, "www.example.");
}

TEST_F(SynthTest, AaaaOnlyInExcludedRangeIsSynthesized) {
    ask(make_query("x.example.", LDNS_RR_TYPE_AAAA));
    reply(0, LDNS_RCODE_NOERROR, {"x.example. 300 IN AAAA ::ffff:192.0.2.9"});
    ASSERT_EQ(out_.upstream.size(), 2u) << "§5.1.4: excluded AAAA counts as NODATA";
    reply(1, LDNS_RCODE_NOERROR, {"x.example. 300 IN A 192.0.2.9"});
    const Decoded d = last_client();
    ASSERT_EQ(d.answer.size(), 1u);
    EXPECT_EQ(d.answer[0], "x.example. 300 IN AAAA 2001:db8:64::c000:209");
}

TEST_F(SynthTest, ExcludedAaaaFilteredWhenGoodOnesExist) {
    ask(make_query("x.example.", LDNS_RR_TYPE_AAAA));
    reply(0, LDNS_RCODE_NOERROR,
          {"x.example. 300 IN AAAA ::ffff:192.0.2.9", "x.example. 300 IN AAAA 2001:db8:1::9"});
    EXPECT_EQ(out_.upstream.size(), 1u);
    const Decoded d = last_client();
    ASSERT_EQ(d.answer.size(), 1u);
    EXPECT_EQ(d.answer[0], "x.example. 300 IN AAAA 2001:db8:1::9");
}

TEST_F(SynthTest, NxdomainPassesThroughWithoutAQuery) {
    ask(make_query("nx.example.", LDNS_RR_TYPE_AAAA));
    reply(0, LDNS_RCODE_NXDOMAIN, {}, {kSoa});
    EXPECT_EQ(out_.upstream.size(), 1u);
    const Decoded d = last_client();
    EXPECT_EQ(d.rcode, LDNS_RCODE_NXDOMAIN);
    EXPECT_EQ(d.authority.size(), 1u);
}

TEST_F(SynthTest, ServfailOnAaaaWithGoodAIsSynthesized) {
    ask(make_query("sf.example.", LDNS_RR_TYPE_AAAA));
    reply(0, LDNS_RCODE_SERVFAIL, {});
    ASSERT_EQ(out_.upstream.size(), 2u);
    reply(1, LDNS_RCODE_NOERROR, {"sf.example. 3600 IN A 192.0.2.3"});
    const Decoded d = last_client();
    EXPECT_EQ(d.rcode, LDNS_RCODE_NOERROR);
    ASSERT_EQ(d.answer.size(), 1u);
    EXPECT_EQ(d.answer[0], "sf.example. 600 IN AAAA 2001:db8:64::c000:203");
}

TEST_F(SynthTest, NoAEitherReturnsTheAaaaAnswer) {
    ask(make_query("empty.example.", LDNS_RR_TYPE_AAAA));
    reply(0, LDNS_RCODE_NOERROR, {}, {kSoa});
    reply(1, LDNS_RCODE_NOERROR, {}, {kSoa});
    const Decoded d = last_client();
    EXPECT_EQ(d.rcode, LDNS_RCODE_NOERROR);
    EXPECT_TRUE(d.answer.empty());
    EXPECT_EQ(d.authority.size(), 1u);
}

TEST_F(SynthTest, ServfailOnBothReturnsServfail) {
    ask(make_query("sf.example.", LDNS_RR_TYPE_AAAA));
    reply(0, LDNS_RCODE_SERVFAIL, {});
    reply(1, LDNS_RCODE_SERVFAIL, {});
    EXPECT_EQ(last_client().rcode, LDNS_RCODE_SERVFAIL);
}

TEST_F(SynthTest, DoAndCdMeansNoSynthesis) {
    QueryOpts o;
    o.edns = true;
    o.do_bit = true;
    o.cd = true;
    ask(make_query("a.example.", LDNS_RR_TYPE_AAAA, o));
    reply(0, LDNS_RCODE_NOERROR, {}, {kSoa});
    EXPECT_EQ(out_.upstream.size(), 1u) << "§5.5: no A query for DO=1 CD=1";
    const Decoded d = last_client();
    EXPECT_TRUE(d.answer.empty());
    EXPECT_TRUE(d.edns);
    EXPECT_TRUE(d.do_bit);
}

TEST_F(SynthTest, DoWithoutCdStillSynthesizes) {
    QueryOpts o;
    o.edns = true;
    o.do_bit = true;
    ask(make_query("a.example.", LDNS_RR_TYPE_AAAA, o));
    reply(0, LDNS_RCODE_NOERROR, {}, {kSoa});
    ASSERT_EQ(out_.upstream.size(), 2u);
    reply(1, LDNS_RCODE_NOERROR, {"a.example. 300 IN A 192.0.2.1"});
    EXPECT_EQ(last_client().answer.size(), 1u);
}

TEST_F(SynthTest, PtrOfSynthesizedAddressBecomesCnamePlusPtr) {
    ask(make_query("1.0.2.0.0.0.0.c.0.0.0.0.0.0.0.0.0.0.0.0.4.6.0.0.8.b.d.0.1.0.0.2.ip6.arpa.",
                   LDNS_RR_TYPE_PTR));
    ASSERT_EQ(out_.upstream.size(), 1u);
    EXPECT_EQ(upstream_type(0), LDNS_RR_TYPE_PTR);
    const Decoded q = decode(out_.upstream[0].msg);
    EXPECT_EQ(q.qname, "1.2.0.192.in-addr.arpa.");
    reply(0, LDNS_RCODE_NOERROR, {"1.2.0.192.in-addr.arpa. 300 IN PTR host.example."});
    const Decoded d = last_client();
    ASSERT_EQ(d.answer.size(), 2u);
    EXPECT_EQ(d.answer[0],
              "1.0.2.0.0.0.0.c.0.0.0.0.0.0.0.0.0.0.0.0.4.6.0.0.8.b.d.0.1.0.0.2.ip6.arpa. 600 IN "
              "CNAME 1.2.0.192.in-addr.arpa.");
    EXPECT_EQ(d.answer[1], "1.2.0.192.in-addr.arpa. 300 IN PTR host.example.");
    EXPECT_EQ(eng_.counters().ptr_synthesized.get(), 1u);
}

TEST_F(SynthTest, PtrOutsidePrefixIsForwarded) {
    ask(make_query("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.",
                   LDNS_RR_TYPE_PTR));
    ASSERT_EQ(out_.upstream.size(), 1u);
    EXPECT_EQ(decode(out_.upstream[0].msg).qname,
              "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.");
}

TEST_F(SynthTest, Ipv4onlyArpaAnsweredLocally) {
    ask(make_query("ipv4only.arpa.", LDNS_RR_TYPE_AAAA));
    EXPECT_TRUE(out_.upstream.empty());
    const Decoded d = last_client();
    ASSERT_EQ(d.answer.size(), 2u);
    EXPECT_EQ(d.answer[0], "ipv4only.arpa. 600 IN AAAA 2001:db8:64::c000:aa");
    EXPECT_EQ(d.answer[1], "ipv4only.arpa. 600 IN AAAA 2001:db8:64::c000:ab");
}

TEST_F(SynthTest, AQueryIsPassedThrough) {
    ask(make_query("a.example.", LDNS_RR_TYPE_A));
    EXPECT_EQ(upstream_type(0), LDNS_RR_TYPE_A);
    reply(0, LDNS_RCODE_NOERROR, {"a.example. 300 IN A 192.0.2.1"});
    const Decoded d = last_client();
    ASSERT_EQ(d.answer.size(), 1u);
    EXPECT_EQ(d.answer[0], "a.example. 300 IN A 192.0.2.1");
    EXPECT_EQ(eng_.counters().passthrough.get(), 1u);
}

TEST_F(SynthTest, MxQueryIsPassedThroughWithNamesIntact) {
    ask(make_query("example.", LDNS_RR_TYPE_MX));
    reply(0, LDNS_RCODE_NOERROR, {"example. 300 IN MX 10 mail.example."});
    EXPECT_EQ(last_client().answer.at(0), "example. 300 IN MX 10 mail.example.");
}

TEST_F(SynthTest, QuestionCaseOfClientIsEchoed) {
    const Decoded d = synth("MiXeD.Example.", {"mixed.example. 300 IN A 192.0.2.1"});
    EXPECT_EQ(d.qname, "MiXeD.Example.");
    EXPECT_EQ(d.answer.size(), 1u);
}

TEST_F(SynthTest, OversizedUdpAnswerIsTruncated) {
    std::vector<std::string> many;
    for (int i = 1; i <= 30; ++i) many.push_back("big.example. 300 IN A 192.0.2." + std::to_string(i));
    const Decoded d = synth("big.example.", many);
    EXPECT_TRUE(d.tc);
    EXPECT_TRUE(d.answer.empty());
    EXPECT_EQ(eng_.counters().truncated.get(), 1u);
    // The same answer fits an EDNS client (30 * 28 bytes < 1232).
    QueryOpts o;
    o.edns = true;
    o.udp = 4096;
    ask(make_query("big.example.", LDNS_RR_TYPE_AAAA, o));
    reply(2, LDNS_RCODE_NOERROR, {}, {kSoa});
    reply(3, LDNS_RCODE_NOERROR, many);
    EXPECT_FALSE(last_client().tc);
    EXPECT_EQ(last_client().answer.size(), 30u);
}

TEST_F(SynthTest, MappedAclLimitsSynthesis) {
    cfg_.mapped = {*net::parse_ipv4_prefix("198.51.100.0/24")};
    eng_.apply_config(cfg_, out_);
    const Decoded d = synth("m.example.", {"m.example. 300 IN A 192.0.2.1", "m.example. 300 IN A 198.51.100.7"});
    ASSERT_EQ(d.answer.size(), 1u);
    EXPECT_EQ(d.answer[0], "m.example. 300 IN AAAA 2001:db8:64::c633:6407");
}

TEST_F(SynthTest, ClientsAclOutsiderGetsPlainRecursion) {
    cfg_.clients = {*net::parse_ipv6_prefix("2001:db8:6::/64")};
    eng_.apply_config(cfg_, out_);
    ask(make_query("a.example.", LDNS_RR_TYPE_AAAA), client6("2001:db8:7::1"));
    reply(0, LDNS_RCODE_NOERROR, {}, {kSoa});
    EXPECT_EQ(out_.upstream.size(), 1u);
    EXPECT_TRUE(last_client().answer.empty());
}

TEST_F(SynthTest, WellKnownPrefixNeverEmbedsNonGlobal) {
    cfg_.prefixes = {*net::parse_ipv6_prefix("64:ff9b::/96")};
    eng_.apply_config(cfg_, out_);
    const Decoded d = synth("a.example.", {"a.example. 300 IN A 192.0.2.1"});
    EXPECT_TRUE(d.answer.empty()) << "RFC 6052 §3.1: 192.0.2.0/24 is not global";
}

struct PrefixCase {
    const char* prefix;
    const char* aaaa;
};

class PrefixLenTest : public SynthTest, public ::testing::WithParamInterface<PrefixCase> {
protected:
    PrefixLenTest() : SynthTest(with_prefix(GetParam().prefix)) {}
    static Dns64Config with_prefix(const char* p) {
        Dns64Config c = base_config();
        c.prefixes = {*net::parse_ipv6_prefix(p)};
        return c;
    }
};

TEST_P(PrefixLenTest, EmbedsPerRfc6052) {
    const Decoded d = synth("a.example.", {"a.example. 300 IN A 192.0.2.33"});
    ASSERT_EQ(d.answer.size(), 1u);
    EXPECT_EQ(d.answer[0], std::string("a.example. 300 IN AAAA ") + GetParam().aaaa);
}

// RFC 6052 §2.4 layout with 192.0.2.33 (c0.00.02.21).
INSTANTIATE_TEST_SUITE_P(Rfc6052, PrefixLenTest,
                         ::testing::Values(PrefixCase{"2001:db8::/32", "2001:db8:c000:221::"},
                                           PrefixCase{"2001:db8:100::/40", "2001:db8:1c0:2:21::"},
                                           PrefixCase{"2001:db8:122::/48", "2001:db8:122:c000:2:2100::"},
                                           PrefixCase{"2001:db8:122:300::/56", "2001:db8:122:3c0:0:221::"},
                                           PrefixCase{"2001:db8:122:344::/64", "2001:db8:122:344:c0:2:2100:0"},
                                           PrefixCase{"2001:db8:64::/96", "2001:db8:64::c000:221"}));

Dns64Config two_prefixes(PrefixSelect sel) {
    Dns64Config c = base_config();
    c.prefixes = {*net::parse_ipv6_prefix("2001:db8:64::/96"), *net::parse_ipv6_prefix("2001:db8:65::/96")};
    c.prefix_select = sel;
    if (sel == PrefixSelect::Map) {
        c.prefix_map = {{*net::parse_ipv6_prefix("2001:db8:6::/64"), 1}};
    }
    return c;
}

class MapTest : public SynthTest {
protected:
    MapTest() : SynthTest(two_prefixes(PrefixSelect::Map)) {}
};

TEST_F(MapTest, MappedClientGetsItsPrefix) {
    const Decoded d = synth("a.example.", {"a.example. 300 IN A 192.0.2.1"});
    ASSERT_EQ(d.answer.size(), 1u);
    EXPECT_EQ(d.answer[0], "a.example. 300 IN AAAA 2001:db8:65::c000:201");
}

class HashTest : public SynthTest {
protected:
    HashTest() : SynthTest(two_prefixes(PrefixSelect::Hash)) {}
};

TEST_F(HashTest, PrefixFollowsStableHashOfClient) {
    Policy pol(cfg_);
    for (const char* a : {"2001:db8:6::1", "2001:db8:6::2", "2001:db8:6::3", "2001:db8:6::4"}) {
        out_.clear();
        const ClientId c = client6(a);
        const Decoded d = synth(std::string("h") + a[12] + ".example.", {std::string("h") + a[12] + ".example. 300 IN A 192.0.2.1"}, {kSoa}, c);
        ASSERT_EQ(d.answer.size(), 1u);
        const char* want = pol.prefix_for(c.addr) == 0 ? "2001:db8:64::c000:201" : "2001:db8:65::c000:201";
        EXPECT_NE(d.answer[0].find(want), std::string::npos) << a;
        EXPECT_EQ(pol.prefix_for(c.addr), Policy(cfg_).prefix_for(c.addr));
    }
}

}  // namespace
}  // namespace strait::dns64::test
