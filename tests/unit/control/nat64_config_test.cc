// SPDX-License-Identifier: Apache-2.0
// The "nat64" config object (RFC 6146): defaults, pool4 expansion, static BIB, timeouts and
// limits, and every refusal naming the JSON pointer of the bad field; with the whole
// document: nat64 as the default mode, DNS64 prefixes defaulting to pool6, DNS64 source
// ports kept clear of pool4 on the gateway's own address.
#include "control/model/nat64_config.h"

#include <gtest/gtest.h>

#include <string>

#include "control/model/config_parse.h"
#include "strait/net/addr.h"

namespace strait::ctl {
namespace {

using config::L4Proto;
using nlohmann::json;

/// A valid "nat64" object: pool6, one pool4 entry for all protocols, one static BIB.
json nat64_doc() {
    return json::parse(R"({
      "pool6": "2001:db8:64::/96",
      "pool4": [{"prefix": "192.0.2.0/30", "ports": {"min": 1024, "max": 65535}}],
      "bib": [{"protocol": "tcp", "ipv6": "2001:db8:6::80", "port6": 80,
               "ipv4": "192.0.2.1", "port4": 8080}]
    })");
}

json with(const std::string& ptr, json value) {
    json doc = nat64_doc();
    doc[json::json_pointer(ptr)] = std::move(value);
    return doc;
}

/// The error for `doc`; fails the test when it parses.
Error error_of(const json& doc) {
    auto r = parse_nat64_config(doc, "/nat64");
    EXPECT_FALSE(r.ok()) << "accepted: " << doc.dump();
    return r.ok() ? Error{} : r.error();
}

TEST(Nat64Config, DefaultsAndPool4Expansion) {
    auto r = parse_nat64_config(nat64_doc());
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    const config::Nat64Config& c = *r;
    EXPECT_EQ(net::to_string(c.pool6), "2001:db8:64::/96");
    // One entry per protocol, TCP, UDP, ICMP (the order of the default list).
    ASSERT_EQ(c.pool4.size(), 3u);
    EXPECT_EQ(c.pool4[0].proto, L4Proto::Tcp);
    EXPECT_EQ(c.pool4[1].proto, L4Proto::Udp);
    EXPECT_EQ(c.pool4[2].proto, L4Proto::Icmp);
    for (const auto& e : c.pool4) {
        EXPECT_EQ(net::to_string(e.prefix), "192.0.2.0/30");
        EXPECT_EQ(e.port_min, 1024);
        EXPECT_EQ(e.port_max, 65535);
    }
    ASSERT_EQ(c.bib.size(), 1u);
    EXPECT_EQ(c.bib[0].proto, L4Proto::Tcp);
    EXPECT_EQ(net::to_string(c.bib[0].addr6), "2001:db8:6::80");
    EXPECT_EQ(c.bib[0].port6, 80);
    EXPECT_EQ(net::to_string(c.bib[0].addr4), "192.0.2.1");
    EXPECT_EQ(c.bib[0].port4, 8080);
    // RFC 6146 §4 defaults.
    EXPECT_EQ(c.timeouts.udp, 300u);
    EXPECT_EQ(c.timeouts.tcp_established, 7440u);
    EXPECT_EQ(c.timeouts.tcp_transitory, 240u);
    EXPECT_EQ(c.timeouts.icmp, 60u);
    EXPECT_EQ(c.timeouts.tcp_incoming_syn, 6u);
    EXPECT_EQ(c.filtering, config::Filtering::EndpointIndependent);
    EXPECT_FALSE(c.drop_externally_initiated_tcp);
    EXPECT_EQ(c.capacity, 1u << 20);
    EXPECT_EQ(c.subscriber_prefix_len, 128);
}

TEST(Nat64Config, EveryFieldSet) {
    json d = nat64_doc();
    d["pool4"] = json::parse(R"([
        {"prefix": "192.0.2.1/32", "protocols": ["udp"], "ports": {"min": 0, "max": 1023}},
        {"prefix": "192.0.2.1/32", "protocols": ["udp", "icmp"]}])");
    d["bib"] = json::array();
    d["timeouts"] = {{"udp", 120},
                     {"tcp_established", 7200},
                     {"tcp_transitory", 60},
                     {"icmp", 30},
                     {"tcp_incoming_syn", 10}};
    d["filtering"] = "endpoint-independent";
    d["drop_externally_initiated_tcp"] = true;
    d["capacity"] = 4096;
    d["limits"] = {{"subscriber_prefix_len", 56}};
    auto r = parse_nat64_config(d);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    ASSERT_EQ(r->pool4.size(), 3u);
    EXPECT_EQ(r->pool4[0].port_max, 1023);
    EXPECT_EQ(r->pool4[1].port_min, 1024) << "ports default to 1024-65535";
    EXPECT_EQ(r->pool4[2].proto, L4Proto::Icmp);
    EXPECT_EQ(r->timeouts.udp, 120u);
    EXPECT_EQ(r->timeouts.tcp_incoming_syn, 10u);
    EXPECT_TRUE(r->drop_externally_initiated_tcp);
    EXPECT_EQ(r->capacity, 4096u);
    EXPECT_EQ(r->subscriber_prefix_len, 56);
}

struct Bad {
    const char* name;
    json doc;
    const char* pointer;
};

TEST(Nat64Config, EveryRefusalNamesItsJsonPointer) {
    const json two_entries = json::parse(R"([
        {"prefix": "192.0.2.0/30", "protocols": ["tcp"], "ports": {"min": 1024, "max": 2047}},
        {"prefix": "192.0.2.2/32", "protocols": ["udp", "tcp"], "ports": {"min": 2000, "max": 3000}}])");
    json dup_v4 = nat64_doc();
    dup_v4["bib"].push_back({{"protocol", "tcp"},
                             {"ipv6", "2001:db8:6::81"},
                             {"port6", 80},
                             {"ipv4", "192.0.2.1"},
                             {"port4", 8080}});
    json dup_v6 = nat64_doc();
    dup_v6["bib"].push_back({{"protocol", "tcp"},
                             {"ipv6", "2001:db8:6::80"},
                             {"port6", 80},
                             {"ipv4", "192.0.2.2"},
                             {"port4", 8080}});
    json other_proto_ok = nat64_doc();  // the same addresses for UDP are another entry
    other_proto_ok["bib"].push_back({{"protocol", "udp"},
                                     {"ipv6", "2001:db8:6::80"},
                                     {"port6", 80},
                                     {"ipv4", "192.0.2.1"},
                                     {"port4", 8080}});
    ASSERT_TRUE(parse_nat64_config(other_proto_ok).ok());
    json no_pool4 = nat64_doc();
    no_pool4.erase("pool4");

    const Bad cases[] = {
        {"not an object", json::array(), "/nat64"},
        {"unknown field", with("/colour", "blue"), "/nat64/colour"},
        {"pool6 missing",
         [] {
             json d = nat64_doc();
             d.erase("pool6");
             return d;
         }(),
         "/nat64/pool6"},
        {"pool6 not RFC 6052 length", with("/pool6", "2001:db8:64::/80"), "/nat64/pool6"},
        {"pool6 bits 64-71 set", with("/pool6", "2001:db8:0:0:ff00::/96"), "/nat64/pool6"},
        {"pool4 missing", no_pool4, "/nat64/pool4"},
        {"pool4 empty", with("/pool4", json::array()), "/nat64/pool4"},
        {"pool4 entry unknown field", with("/pool4/0/weight", 1), "/nat64/pool4/0/weight"},
        {"pool4 prefix too large", with("/pool4/0/prefix", "192.0.0.0/19"),
         "/nat64/pool4/0/prefix"},
        {"pool4 prefix not a prefix", with("/pool4/0/prefix", "192.0.2.1/24"),
         "/nat64/pool4/0/prefix"},
        {"pool4 ports min > max", with("/pool4/0/ports", {{"min", 2000}, {"max", 1999}}),
         "/nat64/pool4/0/ports/min"},
        {"pool4 port above 65535", with("/pool4/0/ports/max", 65536), "/nat64/pool4/0/ports/max"},
        {"pool4 ports unknown field", with("/pool4/0/ports/step", 2), "/nat64/pool4/0/ports/step"},
        {"pool4 bad protocol", with("/pool4/0/protocols", {"tcp", "sctp"}),
         "/nat64/pool4/0/protocols/1"},
        {"pool4 protocols empty", with("/pool4/0/protocols", json::array()),
         "/nat64/pool4/0/protocols"},
        {"pool4 overlap", with("/pool4", two_entries), "/nat64/pool4/1"},
        {"bib outside pool4", with("/bib/0/port4", 80), "/nat64/bib/0/ipv4"},
        {"bib address outside pool4", with("/bib/0/ipv4", "192.0.2.9"), "/nat64/bib/0/ipv4"},
        {"bib bad protocol", with("/bib/0/protocol", "gre"), "/nat64/bib/0/protocol"},
        {"bib protocol missing",
         [] {
             json d = nat64_doc();
             d["bib"][0].erase("protocol");
             return d;
         }(),
         "/nat64/bib/0/protocol"},
        {"bib port6 missing",
         [] {
             json d = nat64_doc();
             d["bib"][0].erase("port6");
             return d;
         }(),
         "/nat64/bib/0/port6"},
        {"bib ipv6 not an address", with("/bib/0/ipv6", "192.0.2.1"), "/nat64/bib/0/ipv6"},
        {"bib unknown field", with("/bib/0/comment", "web"), "/nat64/bib/0/comment"},
        {"bib duplicate IPv4 side", dup_v4, "/nat64/bib/1"},
        {"bib duplicate IPv6 side", dup_v6, "/nat64/bib/1"},
        {"timeout zero", with("/timeouts", {{"udp", 0}}), "/nat64/timeouts/udp"},
        {"timeout above a week", with("/timeouts", {{"tcp_established", 7 * 24 * 3600 + 1}}),
         "/nat64/timeouts/tcp_established"},
        {"incoming SYN above 60 s", with("/timeouts", {{"tcp_incoming_syn", 61}}),
         "/nat64/timeouts/tcp_incoming_syn"},
        {"timeout unknown", with("/timeouts", {{"sctp", 5}}), "/nat64/timeouts/sctp"},
        {"timeout not a number", with("/timeouts", {{"icmp", "60"}}), "/nat64/timeouts/icmp"},
        {"filtering not built", with("/filtering", "address-dependent"), "/nat64/filtering"},
        {"filtering unknown", with("/filtering", "open"), "/nat64/filtering"},
        {"capacity too small", with("/capacity", 1023), "/nat64/capacity"},
        {"capacity too large", with("/capacity", (1u << 26) + 1), "/nat64/capacity"},
        {"subscriber prefix too short", with("/limits", {{"subscriber_prefix_len", 31}}),
         "/nat64/limits/subscriber_prefix_len"},
        {"subscriber prefix too long", with("/limits", {{"subscriber_prefix_len", 129}}),
         "/nat64/limits/subscriber_prefix_len"},
        {"limits unknown", with("/limits", {{"sessions", 10}}), "/nat64/limits/sessions"},
        {"drop_externally_initiated_tcp not a bool", with("/drop_externally_initiated_tcp", 1),
         "/nat64/drop_externally_initiated_tcp"},
    };
    for (const Bad& c : cases) {
        const Error e = error_of(c.doc);
        EXPECT_EQ(e.field, c.pointer) << c.name << ": " << e.to_string();
        EXPECT_EQ(e.code, ErrorCode::InvalidArgument) << c.name;
        EXPECT_FALSE(e.message.empty()) << c.name;
    }
}

// The refusals above are at the edges: one step inside each bound is accepted.
TEST(Nat64Config, BoundsAreInclusive) {
    const json ok[] = {
        with("/pool4/0/prefix", "192.0.0.0/20"),
        with("/pool4/0/ports", {{"min", 8080}, {"max", 8080}}),
        with("/timeouts", {{"udp", 1}, {"tcp_established", 7 * 24 * 3600}, {"icmp", 1}}),
        with("/timeouts", {{"tcp_incoming_syn", 60}}),
        with("/capacity", 1024),
        with("/capacity", 1u << 26),
        with("/limits", {{"subscriber_prefix_len", 32}}),
        with("/limits", {{"subscriber_prefix_len", 128}}),
        with("/pool6", "64:ff9b::/96"),
        with("/pool6", "2001:db8::/32"),
    };
    for (const json& d : ok) {
        auto r = parse_nat64_config(d);
        EXPECT_TRUE(r.ok()) << d.dump() << ": " << r.error().to_string();
    }
}

TEST(Nat64Config, EntriesThatOnlyLookAlikeDoNotOverlap) {
    // Same address and ports, other protocol; same protocol, disjoint ports; disjoint
    // addresses: all accepted.
    json d = nat64_doc();
    d["bib"] = json::array();
    d["pool4"] = json::parse(R"([
        {"prefix": "192.0.2.0/30", "protocols": ["tcp"], "ports": {"min": 1024, "max": 2047}},
        {"prefix": "192.0.2.0/30", "protocols": ["udp"], "ports": {"min": 1024, "max": 2047}},
        {"prefix": "192.0.2.0/30", "protocols": ["tcp"], "ports": {"min": 2048, "max": 4095}},
        {"prefix": "192.0.2.4/30", "protocols": ["tcp"], "ports": {"min": 1024, "max": 2047}}])");
    auto r = parse_nat64_config(d);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ(r->pool4.size(), 4u);
}

// ---- the whole document: mode, DNS64 interplay ----

/// The embedded default (mode nat64, pool4 192.0.2.1, DNS64 from 198.51.100.1).
json full_doc() { return json::parse(embedded_default_config()); }

TEST(Nat64ConfigDocument, Nat64IsTheDefaultModeWhenTheObjectIsThere) {
    json d = full_doc();
    d.erase("mode");
    auto r = parse_config(d);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ(r->runtime.mode, config::Mode::Nat64);
    d.erase("nat64");
    d["mode"] = "nat64";
    auto e = parse_config(d);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.error().field, "/nat64");
}

TEST(Nat64ConfigDocument, ErrorsInsideNat64KeepTheirPointer) {
    json d = full_doc();
    d["nat64"]["pool4"][0]["ports"]["min"] = 70000;
    auto r = parse_config(d);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().field, "/nat64/pool4/0/ports/min");
}

// RFC 6147 §5.2: DNS64 synthesizes with the NAT64 prefix unless told otherwise.
TEST(Nat64ConfigDocument, Dns64PrefixesDefaultToPool6) {
    json d = full_doc();
    d["nat64"]["pool6"] = "2001:db8:46::/64";
    auto r = parse_config(d);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    ASSERT_EQ(r->dns64->prefixes.size(), 1u);
    EXPECT_EQ(net::to_string(r->dns64->prefixes[0]), "2001:db8:46::/64");
    // Explicit prefixes win.
    d["dns64"]["prefixes"] = json::array({"2001:db8:99::/96"});
    r = parse_config(d);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    ASSERT_EQ(r->dns64->prefixes.size(), 1u);
    EXPECT_EQ(net::to_string(r->dns64->prefixes[0]), "2001:db8:99::/96");
    // Without nat64 there is nothing to default to.
    d = full_doc();
    d.erase("nat64");
    d["mode"] = "siit";
    d["siit"] = {{"pool6", "2001:db8:64::/96"}};
    auto s = parse_config(d);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().field, "/dns64/prefixes");
}

// pool4 on the gateway's own outside address: the workers hand DNS64 upstream answers
// (to dns64.source_ports) to the DNS64 lcore, so NAT64 must never map onto those ports.
TEST(Nat64ConfigDocument, Dns64SourcePortsStayClearOfPool4OnTheGatewaysAddress) {
    json d = full_doc();
    d["nat64"]["pool4"] =
        json::parse(R"([{"prefix": "198.51.100.1/32", "ports": {"min": 1024, "max": 65535}}])");
    auto r = parse_config(d);
    ASSERT_FALSE(r.ok()) << "default source ports 49152-65535 overlap";
    EXPECT_EQ(r.error().field, "/nat64/pool4");
    // Ports below the DNS64 source range are fine.
    d["nat64"]["pool4"][0]["ports"]["max"] = 49151;
    r = parse_config(d);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    // So is moving the DNS64 source range out of the way.
    d["nat64"]["pool4"][0]["ports"]["max"] = 60000;
    d["dns64"]["source_ports"] = {{"min", 60001u}, {"max", 65535u}};
    r = parse_config(d);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    d["dns64"]["source_ports"] = {{"min", 60000u}, {"max", 65535u}};
    r = parse_config(d);
    ASSERT_FALSE(r.ok()) << "one port in common";
    EXPECT_EQ(r.error().field, "/nat64/pool4");
    // ICMP identifiers never meet UDP source ports.
    d["nat64"]["pool4"][0]["protocols"] = json::array({"icmp"});
    r = parse_config(d);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    // A prefix holding the gateway's address counts too; another address does not.
    d["dns64"].erase("source_ports");
    d["nat64"]["pool4"] = json::parse(
        R"([{"prefix": "198.51.100.0/30", "protocols": ["udp"], "ports": {"min": 50000, "max": 50010}}])");
    r = parse_config(d);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().field, "/nat64/pool4");
    d["nat64"]["pool4"][0]["prefix"] = "198.51.100.4/30";
    r = parse_config(d);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
}

}  // namespace
}  // namespace strait::ctl
