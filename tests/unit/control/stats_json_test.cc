// SPDX-License-Identifier: Apache-2.0
// Stats rendering: the translator's counters (xlat_counters.h) reach /api/v1/stats (per
// lcore and summed) and /metrics (one series per worker lcore).
#include "control/rest/stats_json.h"

#include <gtest/gtest.h>

namespace strait::ctl {
namespace {

constexpr auto idx(XlatCounter c) { return static_cast<std::size_t>(c); }

StatsSnapshot two_workers_and_dns64() {
    StatsSnapshot s;
    LcoreStats a, b, d;
    a.lcore = 1;
    a.role = "worker";
    a.xlat[idx(XlatCounter::IcmpErrorsSent)] = 5;
    a.xlat[idx(XlatCounter::IcmpErrorsRateLimited)] = 2;
    b.lcore = 2;
    b.role = "worker";
    b.xlat[idx(XlatCounter::IcmpErrorsSent)] = 7;
    b.xlat[idx(XlatCounter::Rfc6791Pool)] = 3;
    d.lcore = 3;
    d.role = "dns64";
    s.lcores = {a, b, d};
    return s;
}

TEST(StatsJson, TranslatorCountersPerLcoreAndTotal) {
    const nlohmann::json j = stats_to_json(two_workers_and_dns64());
    // at(): a missing key fails the test (an exception) instead of asserting in nlohmann.
    const auto& t = j.at("totals").at("xlat");
    EXPECT_EQ(t.at("icmp_errors_sent"), 12);
    EXPECT_EQ(t.at("icmp_errors_rate_limited"), 2);
    EXPECT_EQ(t.at("rfc6791_pool"), 3);
    EXPECT_EQ(t.size(), kXlatCounterCount);  // every counter, zero or not
    const auto& l = j.at("lcores");
    EXPECT_EQ(l.at(0).at("xlat").at("icmp_errors_sent"), 5);
    EXPECT_EQ(l.at(1).at("xlat").at("icmp_errors_sent"), 7);
    EXPECT_FALSE(l.at(2).contains("xlat"));  // the DNS64 lcore translates nothing
}

TEST(StatsJson, TranslatorCountersInPrometheus) {
    const std::string m = stats_to_prometheus(two_workers_and_dns64());
    EXPECT_NE(m.find("# TYPE strait_xlat_icmp_errors_sent_total counter\n"), std::string::npos);
    EXPECT_NE(m.find("strait_xlat_icmp_errors_sent_total{lcore=\"1\"} 5\n"), std::string::npos);
    EXPECT_NE(m.find("strait_xlat_icmp_errors_sent_total{lcore=\"2\"} 7\n"), std::string::npos);
    EXPECT_NE(m.find("strait_xlat_icmp_errors_rate_limited_total{lcore=\"1\"} 2\n"),
              std::string::npos);
    EXPECT_NE(m.find("strait_xlat_rfc6791_pool_total{lcore=\"2\"} 3\n"), std::string::npos);
    EXPECT_EQ(m.find("strait_xlat_icmp_errors_sent_total{lcore=\"3\"}"), std::string::npos);
}

}  // namespace
}  // namespace strait::ctl
