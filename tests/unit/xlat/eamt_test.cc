// SPDX-License-Identifier: Apache-2.0
// RFC 7757 EAMT build/lookup, the SIIT mapper (EAMT, pool6, WKP rule) and hairpinning.
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <set>
#include <vector>

#include "packet_builder.h"
#include "siit_mapper.h"
#include "strait/net/rfc6052.h"
#include "v4_to_v6.h"
#include "v6_to_v4.h"

namespace strait::xlat::test {
namespace {

EamtEntry eam(const char* p6, const char* p4) {
    return {*net::parse_ipv6_prefix(p6), *net::parse_ipv4_prefix(p4)};
}

std::string map4(const Eamt& t, const char* a) {
    net::Ipv6Addr out;
    if (!t.lookup_v4(v4(a).b.data(), out.b.data())) return "none";
    return net::to_string(out);
}
std::string map6(const Eamt& t, const char* a) {
    net::Ipv4Addr out;
    if (!t.lookup_v6(v6(a).b.data(), out.b.data())) return "none";
    return net::to_string(out);
}

TEST(Eamt, BuildValidates) {
    const EamtEntry host_bits[] = {eam("2001:db8::/120", "192.0.2.1/24")};
    auto r = Eamt::build(host_bits);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().field, "/eamt/0");
    const EamtEntry short_suffix[] = {eam("2001:db8::/126", "192.0.2.0/24")};
    EXPECT_FALSE(Eamt::build(short_suffix).ok());
    const EamtEntry dup[] = {eam("2001:db8::1/128", "192.0.2.1/32"),
                             eam("2001:db8::2/128", "192.0.2.1/32")};
    r = Eamt::build(dup);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().field, "/eamt/1");
    EXPECT_TRUE(Eamt::build({}).ok());
}

TEST(Eamt, LongestPrefixBothWays) {
    const EamtEntry e[] = {
        eam("2001:db8:aaaa::/120", "192.0.2.0/24"),    // RFC 7757 §3.3 style prefix
        eam("2001:db8:bbbb::5/128", "192.0.2.77/32"),  // more specific single address
        eam("2001:db8:cccc::/96", "198.51.100.0/24"),  // IPv6 suffix longer than IPv4's
    };
    auto t = Eamt::build(e);
    ASSERT_TRUE(t.ok()) << t.error().to_string();
    EXPECT_EQ(map4(*t, "192.0.2.5"), "2001:db8:aaaa::5");
    EXPECT_EQ(map4(*t, "192.0.2.77"), "2001:db8:bbbb::5");
    // RFC 7757 §3.2: the IPv4 suffix goes right after the IPv6 prefix, zeros after it.
    EXPECT_EQ(map4(*t, "198.51.100.9"), "2001:db8:cccc::900:0");
    EXPECT_EQ(map4(*t, "203.0.113.1"), "none");
    EXPECT_EQ(map6(*t, "2001:db8:aaaa::fe"), "192.0.2.254");
    EXPECT_EQ(map6(*t, "2001:db8:bbbb::5"), "192.0.2.77");
    EXPECT_EQ(map6(*t, "2001:db8:bbbb::6"), "none");
    EXPECT_EQ(map6(*t, "2001:db8:cccc::9ff:ffff"), "198.51.100.9");  // bits past suffix ignored
    EXPECT_TRUE(t->contains_v4(v4("192.0.2.200").b.data()));
    EXPECT_FALSE(t->contains_v4(v4("192.0.3.1").b.data()));
}

// The /32 and /128 hash indexes must keep longest-prefix semantics next to shorter
// prefixes: random tables (nested /16, /24, /32 and their /112, /120, /128 partners)
// against a brute-force reference, hits and misses, both directions.
TEST(Eamt, HashIndexMatchesBruteForceLongestPrefix) {
    std::mt19937 rng(7757);
    const auto mask32 = [](unsigned len) { return len == 0 ? 0u : ~0u << (32 - len); };
    for (int round = 0; round < 20; ++round) {
        std::vector<EamtEntry> entries;
        std::set<std::pair<uint32_t, unsigned>> seen4;
        const int n = 1 + static_cast<int>(rng() % 300);
        for (int i = 0; i < n; ++i) {
            const unsigned len4 = std::array<unsigned, 3>{16, 24, 32}[rng() % 3];
            const uint32_t a4 = (0xc0a80000u | (rng() & 0x3ff)) & mask32(len4);  // 192.168.0-3.x
            if (!seen4.insert({a4, len4}).second) continue;
            EamtEntry e;
            e.v4 = {net::Ipv4Addr::from_host(a4), static_cast<uint8_t>(len4)};
            e.v6.len = static_cast<uint8_t>(96 + len4);  // equal suffix lengths
            e.v6.addr = v6("2001:db8:e::");
            e.v6.addr.b[6] = static_cast<uint8_t>(entries.size() >> 8);  // unique /64 per entry
            e.v6.addr.b[7] = static_cast<uint8_t>(entries.size());
            net::store_be32(&e.v6.addr.b[12], a4);
            entries.push_back(e);
        }
        auto t = Eamt::build(entries);
        ASSERT_TRUE(t.ok()) << t.error().to_string();
        for (int q = 0; q < 2000; ++q) {
            const uint32_t a = 0xc0a80000u | (rng() & 0x3ff);
            const EamtEntry* best = nullptr;
            for (const EamtEntry& e : entries) {
                if ((a & mask32(e.v4.len)) == e.v4.addr.host() &&
                    (!best || e.v4.len > best->v4.len)) {
                    best = &e;
                }
            }
            const net::Ipv4Addr a4 = net::Ipv4Addr::from_host(a);
            net::Ipv6Addr out;
            ASSERT_EQ(t->lookup_v4(a4.b.data(), out.b.data()), best != nullptr) << a;
            ASSERT_EQ(t->contains_v4(a4.b.data()), best != nullptr) << a;
            if (best == nullptr) continue;
            net::Ipv6Addr want = best->v6.addr;
            net::store_be32(&want.b[12], a);  // prefix + IPv4 suffix (suffix bits end at 128)
            ASSERT_EQ(out, want) << a;
            // Back through the v6 side: an address under the matched entry's IPv6 prefix
            // maps to the same IPv4 address (the /64 is unique, so no other entry matches).
            net::Ipv4Addr back;
            ASSERT_TRUE(t->lookup_v6(out.b.data(), back.b.data()));
            ASSERT_EQ(back.host(), a);
            net::Ipv6Addr miss = out;
            miss.b[5] ^= 0x80;  // outside every entry
            ASSERT_FALSE(t->lookup_v6(miss.b.data(), back.b.data()));
        }
    }
}

TEST(SiitMapper, EamtFirstThenPool6AndWkpRule) {
    const EamtEntry e[] = {eam("2001:db8:6::/120", "192.0.2.0/24")};
    auto t = Eamt::build(e);
    ASSERT_TRUE(t.ok());
    SiitMapper m(*t, net::Ipv6Prefix{v6("2001:db8:64::"), 96}, false);
    Flow6 in;
    in.src = v6("2001:db8:6::9");
    in.dst = v6("2001:db8:64::203.0.113.5");
    Flow4 out;
    ASSERT_EQ(m.map_v6_to_v4(in, out, MapScope::Outer).status, MapStatus::Ok);
    EXPECT_EQ(net::to_string(out.src), "192.0.2.9");
    EXPECT_EQ(net::to_string(out.dst), "203.0.113.5");
    in.dst = v6("2001:db8:99::1");
    EXPECT_EQ(m.map_v6_to_v4(in, out, MapScope::Outer).reason, DropReason::XlatNoMapping);

    SiitMapper wkp(*t, net::kWellKnownPrefix, false);
    in.dst = v6("64:ff9b::203.0.113.5");  // documentation range: not global
    EXPECT_EQ(wkp.map_v6_to_v4(in, out, MapScope::Outer).reason, DropReason::XlatNonGlobalInWkp);
    in.dst = v6("64:ff9b::8.8.8.8");
    EXPECT_EQ(wkp.map_v6_to_v4(in, out, MapScope::Outer).status, MapStatus::Ok);
    Flow4 back;
    back.src = v4("10.0.0.1");
    back.dst = v4("192.0.2.9");
    Flow6 o6;
    EXPECT_EQ(wkp.map_v4_to_v6(back, o6, MapScope::Outer).reason, DropReason::XlatNonGlobalInWkp);
    SiitMapper lab(*t, net::kWellKnownPrefix, true);
    ASSERT_EQ(lab.map_v4_to_v6(back, o6, MapScope::Outer).status, MapStatus::Ok);
    EXPECT_EQ(net::to_string(o6.src), "64:ff9b::a00:1");
    EXPECT_EQ(net::to_string(o6.dst), "2001:db8:6::9");
}

// RFC 7757 §4.2: A (2001:db8:6::a = 192.0.2.10) talks to B (2001:db8:6::b = 192.0.2.11)
// through B's pool6 address. The packet must come back to B, sourced from A's pool6 form.
TEST(SiitMapper, HairpinLoopsBackThroughV4ToV6) {
    const EamtEntry e[] = {eam("2001:db8:6::/120", "192.0.2.0/24")};
    auto t = Eamt::build(e);
    ASSERT_TRUE(t.ok());
    SiitMapper m(*t, net::Ipv6Prefix{v6("2001:db8:64::"), 96}, false);
    XlatConfig cfg;
    XlatContext ctx;
    const net::Ipv6Addr a = v6("2001:db8:6::a");
    const net::Ipv6Addr b_pool6 = v6("2001:db8:64::192.0.2.11");
    Buf buf(ipv6(a, b_pool6, 17, udp6(a, b_pool6, 1111, 2222, payload(40))));
    Outcome r = translate_v6_to_v4(buf.pkt, cfg, ctx, m);
    ASSERT_EQ(r.verdict, Verdict::Hairpin);
    EXPECT_EQ(verify_ipv4(buf.bytes()), "");
    r = translate_v4_to_v6(buf.pkt, cfg, ctx, m, MapScope::Hairpin);
    ASSERT_EQ(r.verdict, Verdict::Forward);
    const Bytes p = buf.bytes();
    EXPECT_EQ(net::to_string(net::Ipv6Addr::from_bytes(&p[8])), "2001:db8:64::c000:20a");
    EXPECT_EQ(net::to_string(net::Ipv6Addr::from_bytes(&p[24])), "2001:db8:6::b");
    EXPECT_EQ(p[7], 63);  // one gateway, one hop: the hairpin pass does not decrement
    EXPECT_EQ(verify_ipv6(p), "");

    // Not hairpinned: destination outside the EAMT.
    const net::Ipv6Addr far = v6("2001:db8:64::203.0.113.1");
    Buf out(ipv6(a, far, 17, udp6(a, far, 1, 2, {})));
    EXPECT_EQ(translate_v6_to_v4(out.pkt, cfg, ctx, m).verdict, Verdict::Forward);
}

}  // namespace
}  // namespace strait::xlat::test
