// SPDX-License-Identifier: Apache-2.0
// RFC 6052 §2.4 example table, prefix validation and the §3.1 well-known prefix rule.
#include "strait/net/rfc6052.h"

#include <gtest/gtest.h>

namespace strait::net {
namespace {

TEST(Rfc6052, Section24TableBothWays) {
    const struct {
        const char* prefix;
        const char* embedded;
    } rows[] = {
        {"2001:db8::/32", "2001:db8:c000:221::"},
        {"2001:db8:100::/40", "2001:db8:1c0:2:21::"},
        {"2001:db8:122::/48", "2001:db8:122:c000:2:2100::"},
        {"2001:db8:122:300::/56", "2001:db8:122:3c0:0:221::"},
        {"2001:db8:122:344::/64", "2001:db8:122:344:c0:2:2100:0"},
        {"2001:db8:122:344::/96", "2001:db8:122:344::192.0.2.33"},
        {"64:ff9b::/96", "64:ff9b::192.0.2.33"},
    };
    const Ipv4Addr a = *parse_ipv4("192.0.2.33");
    for (const auto& r : rows) {
        const Ipv6Prefix p = *parse_ipv6_prefix(r.prefix);
        ASSERT_TRUE(validate_pref64(p).ok()) << r.prefix;
        const Ipv6Addr want = *parse_ipv6(r.embedded);
        EXPECT_EQ(embed_ipv4(p, a), want) << r.prefix;
        EXPECT_EQ(extract_ipv4(p, want), a) << r.prefix;
    }
}

TEST(Rfc6052, ValidationRejectsBadPrefixes) {
    auto bad_len = validate_pref64(*parse_ipv6_prefix("2001:db8::/33", false));
    ASSERT_FALSE(bad_len.ok());
    EXPECT_NE(bad_len.error().message.find("32, 40, 48, 56, 64 or 96"), std::string::npos);
    auto u = validate_pref64(*parse_ipv6_prefix("2001:db8:0:0:ff00::/96"));
    ASSERT_FALSE(u.ok());
    EXPECT_NE(u.error().message.find("u octet"), std::string::npos);
    Ipv6Prefix host{*parse_ipv6("2001:db8::1"), 64};
    EXPECT_FALSE(validate_pref64(host).ok());
    for (const char* ok : {"2001:db8::/32", "2001:db8:100::/40", "64:ff9b::/96"}) {
        EXPECT_TRUE(validate_pref64(*parse_ipv6_prefix(ok)).ok()) << ok;
    }
}

TEST(Rfc6052, WellKnownPrefixOnlyForGlobalIpv4) {
    EXPECT_TRUE(is_well_known_prefix(kWellKnownPrefix));
    EXPECT_FALSE(embedding_allowed(kWellKnownPrefix, *parse_ipv4("192.0.2.1"), false));
    EXPECT_FALSE(embedding_allowed(kWellKnownPrefix, *parse_ipv4("10.1.2.3"), false));
    EXPECT_TRUE(embedding_allowed(kWellKnownPrefix, *parse_ipv4("8.8.8.8"), false));
    EXPECT_TRUE(embedding_allowed(kWellKnownPrefix, *parse_ipv4("192.0.2.1"), true));
    const Ipv6Prefix nsp = *parse_ipv6_prefix("2001:db8:64::/96");
    EXPECT_FALSE(is_well_known_prefix(nsp));
    EXPECT_TRUE(embedding_allowed(nsp, *parse_ipv4("192.0.2.1"), false));
}

}  // namespace
}  // namespace strait::net
