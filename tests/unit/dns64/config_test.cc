// SPDX-License-Identifier: Apache-2.0
// The "dns64" JSON object: full example, defaults, errors naming JSON pointers.
#include "control/model/dns64_config.h"

#include <gtest/gtest.h>

namespace strait::ctl {
namespace {

TEST(Dns64Config, FullExampleParses) {
    auto r = parse_dns64_config_text(R"({
        "service": ["2001:db8:6::53"], "prefixes": ["2001:db8:64::/96", "2001:db8:65::/64"],
        "prefix_select": "map", "prefix_map": [{"clients": "2001:db8:6::/64", "prefix": 1}],
        "upstreams": ["198.51.100.53"], "timeout_ms": 800, "retries": 2, "max_pending": 100,
        "cache": {"entries": 100, "max_ttl": 3600, "negative_max_ttl": 60},
        "exclude": ["::ffff:0:0/96"], "clients": ["::/0"], "mapped": ["0.0.0.0/0"],
        "rate_limit": {"qps": 1000, "burst": 2000}, "allow_non_global_in_wkp": true,
        "source_ports": {"min": 50000, "max": 60000}, "edns_udp_size": 1400})");
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ(r->prefixes.size(), 2u);
    EXPECT_EQ(r->prefix_select, dns64::PrefixSelect::Map);
    EXPECT_EQ(r->prefix_map.at(0).prefix_index, 1);
    EXPECT_EQ(r->timeout_ms, 800u);
    EXPECT_EQ(r->cache_negative_max_ttl, 60u);
    EXPECT_EQ(r->rate_limit_burst, 2000u);
    EXPECT_EQ(r->source_port_min, 50000);
    EXPECT_TRUE(r->allow_non_global_in_wkp);
}

TEST(Dns64Config, DefaultsFollowRfcAndBind) {
    auto r = parse_dns64_config_text(R"({"prefixes": ["2001:db8:64::/96"], "upstreams": ["198.51.100.53"]})");
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ(r->exclude.at(0), dns64::Dns64Config::kV4MappedPrefix());
    EXPECT_EQ(r->clients.at(0).len, 0);
    EXPECT_EQ(r->mapped.at(0).len, 0);
    EXPECT_EQ(r->timeout_ms, 1000u);
    EXPECT_EQ(r->cache_entries, 65536u);
    EXPECT_EQ(r->rate_limit_qps, 0u);
}

void expect_error(const char* text, const char* field) {
    auto r = parse_dns64_config_text(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().field, field) << r.error().to_string();
}

TEST(Dns64Config, ErrorsNameTheField) {
    expect_error(R"({"prefixes": ["2001:db8:64::/96", "2001:db8:65::/60"], "upstreams": ["198.51.100.53"]})",
                 "/dns64/prefixes/1");
    expect_error(R"({"prefixes": ["2001:db8:64::/96", "nope"], "upstreams": ["198.51.100.53"]})",
                 "/dns64/prefixes/1");
    expect_error(R"({"prefixes": ["2001:db8:64::/96"]})", "/dns64/upstreams");
    expect_error(R"({"upstreams": ["198.51.100.53"]})", "/dns64/prefixes");
    expect_error(R"({"prefixes": [], "upstreams": ["198.51.100.53"]})", "/dns64/prefixes");
    expect_error(R"({"prefixes": ["2001:db8:64::/96"], "upstreams": ["198.51.100.53"], "timeout": 5})",
                 "/dns64/timeout");
    expect_error(R"({"prefixes": ["2001:db8:64::/96"], "upstreams": ["198.51.100.53"], "retries": -1})",
                 "/dns64/retries");
    expect_error(R"({"prefixes": ["2001:db8:64::/96"], "upstreams": ["198.51.100.53"],
                     "prefix_map": [{"clients": "2001:db8::/32", "prefix": 3}]})",
                 "/dns64/prefix_map/0/prefix");
    expect_error(R"({"prefixes": ["2001:db8:64::/96"], "upstreams": ["198.51.100.53"],
                     "cache": {"entries": "many"}})",
                 "/dns64/cache/entries");
    expect_error(R"({"prefixes": ["2001:db8:64::/96"], "upstreams": ["198.51.100.53"],
                     "prefix_select": "random"})",
                 "/dns64/prefix_select");
    expect_error(R"({"prefixes": ["2001:db8:64:0:ff00::/96"], "upstreams": ["198.51.100.53"]})",
                 "/dns64/prefixes/0");
    expect_error(R"([1, 2])", "/dns64");
    expect_error(R"({"prefixes": ["2001:db8:64::/96"], "upstreams": ["198.51.100.53"],
                     "source_ports": {"min": 60000, "max": 50000}})",
                 "/dns64/source_ports/min");
}

}  // namespace
}  // namespace strait::ctl
