// SPDX-License-Identifier: Apache-2.0
// Config parsing: the embedded default is valid and every kind of bad field is rejected
// with the JSON pointer of that field.
#include "control/model/config_parse.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace strait::ctl {
namespace {

using nlohmann::json;

/// The embedded default in SIIT mode: most cases below edit SIIT fields.
json default_doc() {
    json doc = json::parse(embedded_default_config());
    doc["mode"] = "siit";
    doc.erase("nat64");
    doc["siit"] = {{"pool6", "2001:db8:64::/96"},
                   {"eamt", json::array({{{"ipv6", "2001:db8:6::10/128"}, {"ipv4", "192.0.2.10/32"}}})}};
    doc["dns64"]["prefixes"] = json::array({"2001:db8:64::/96"});
    return doc;
}

/// Parses `doc` and returns the error; fails the test when parsing succeeds.
Error parse_error(const json& doc) {
    auto r = parse_config(doc);
    EXPECT_FALSE(r.ok()) << "accepted: " << doc.dump();
    if (r.ok()) return {};
    return r.error();
}

/// The default document with `value` written at JSON pointer `ptr`.
json with(const std::string& ptr, json value) {
    json doc = default_doc();
    doc[json::json_pointer(ptr)] = std::move(value);
    return doc;
}

/// The default document without the field at `ptr`.
json without(const std::string& ptr) {
    json doc = default_doc();
    const json::json_pointer p(ptr);
    doc[p.parent_pointer()].erase(p.back());
    return doc;
}

TEST(ConfigParse, EmbeddedDefaultParsesToTheDemoTopology) {
    auto r = parse_config_text(embedded_default_config());
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    const config::Config& c = *r;
    EXPECT_EQ(c.startup.workers, 1u);
    EXPECT_TRUE(c.startup.dns64_lcore);
    ASSERT_TRUE(c.dns64.has_value());
    ASSERT_EQ(c.dns64->service.size(), 1u);
    EXPECT_EQ(net::to_string(c.dns64->service[0]), "2001:db8:6::53");
    EXPECT_EQ(c.startup.api_listen, "127.0.0.1:8080");
    EXPECT_EQ(c.startup.idle_sleep_us, 50u);
    EXPECT_EQ(c.startup.inside.device, "net_af_packet0");
    EXPECT_EQ(c.startup.inside.devargs, "iface=gw-in");
    EXPECT_EQ(c.startup.outside.device, "net_af_packet1");
    EXPECT_EQ(c.startup.outside.devargs, "iface=gw-out");
    ASSERT_EQ(c.startup.inside.ipv6.size(), 1u);
    EXPECT_EQ(net::to_string(c.startup.inside.ipv6[0].addr), "2001:db8:6::1");
    EXPECT_EQ(c.startup.inside.ipv6[0].len, 64);
    EXPECT_TRUE(c.startup.inside.ipv4.empty());
    ASSERT_EQ(c.startup.outside.ipv4.size(), 1u);
    EXPECT_EQ(net::to_string(c.startup.outside.ipv4[0].addr), "198.51.100.1");
    EXPECT_EQ(c.startup.outside.ipv4[0].len, 24);
    EXPECT_FALSE(c.startup.inside.mac.has_value());
    EXPECT_EQ(c.startup.inside.mtu, 1500);  // default filled in
    EXPECT_EQ(c.runtime.mode, config::Mode::Nat64);
    ASSERT_TRUE(c.runtime.nat64.has_value());
    EXPECT_EQ(net::to_string(c.runtime.nat64->pool6), "2001:db8:64::/96");
    ASSERT_EQ(c.runtime.nat64->pool4.size(), 3u);  // one entry per protocol
    EXPECT_EQ(net::to_string(c.runtime.nat64->pool4[0].prefix), "192.0.2.1/32");
    // DNS64 prefixes default to the NAT64 prefix.
    ASSERT_EQ(c.dns64->prefixes.size(), 1u);
    EXPECT_EQ(net::to_string(c.dns64->prefixes[0]), "2001:db8:64::/96");
    EXPECT_FALSE(c.runtime.pool6.has_value());
    EXPECT_FALSE(c.runtime.allow_non_global_in_wkp);
}

TEST(ConfigParse, MinimalConfigGetsDefaults) {
    auto r = parse_config_text(R"({"ports": {
        "inside": {"device": "a", "ipv6": ["2001:db8:6::1/64"]},
        "outside": {"device": "b", "ipv4": ["198.51.100.1/24"]}}})");
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ(r->runtime.mode, config::Mode::None);
    EXPECT_EQ(r->startup.workers, 1u);
    EXPECT_EQ(r->startup.mbufs, 16383u);
    EXPECT_TRUE(r->startup.inside.devargs.empty());
    EXPECT_TRUE(r->startup.eal_args.empty());
}

TEST(ConfigParse, SiitKnobsDefaultsAndValues) {
    auto d = parse_config(default_doc());
    ASSERT_TRUE(d.ok()) << d.error().to_string();
    EXPECT_FALSE(d->runtime.rfc6791_pool4.has_value());
    EXPECT_FALSE(d->runtime.rfc6791_hash);
    EXPECT_TRUE(d->runtime.amend_udp_checksum_zero);
    EXPECT_FALSE(d->runtime.traffic_class.has_value());
    EXPECT_EQ(d->runtime.icmp_errors_per_sec, 1000u);
    EXPECT_EQ(d->runtime.icmp_error_burst, 64u);
    json doc = default_doc();
    doc["siit"]["rfc6791_pool4"] = "203.0.113.16/28";
    doc["siit"]["rfc6791_select"] = "hash";
    doc["siit"]["amend_udp_checksum_zero"] = false;
    doc["siit"]["traffic_class"] = 0;
    doc["siit"]["icmp_errors_per_sec"] = 0;
    doc["siit"]["icmp_error_burst"] = 8;
    auto r = parse_config(doc);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    ASSERT_TRUE(r->runtime.rfc6791_pool4.has_value());
    EXPECT_EQ(net::to_string(*r->runtime.rfc6791_pool4), "203.0.113.16/28");
    EXPECT_TRUE(r->runtime.rfc6791_hash);
    EXPECT_FALSE(r->runtime.amend_udp_checksum_zero);
    ASSERT_TRUE(r->runtime.traffic_class.has_value());
    EXPECT_EQ(*r->runtime.traffic_class, 0);
    EXPECT_EQ(r->runtime.icmp_errors_per_sec, 0u);
    EXPECT_EQ(r->runtime.icmp_error_burst, 8u);
    auto single = parse_config(with("/siit/rfc6791_pool4", "203.0.113.7"));  // a bare address
    ASSERT_TRUE(single.ok()) << single.error().to_string();
    EXPECT_EQ(single->runtime.rfc6791_pool4->len, 32);
}

TEST(ConfigParse, NonNegativeIntegersOfEitherJsonKindAreAccepted) {
    // nlohmann stores 2 as a signed integer when a document is built in code (REST tests,
    // straitctl) and as unsigned when parsed from text: both are the same number.
    auto r = parse_config(with("/workers", 2));
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ(r->startup.workers, 2u);
    EXPECT_TRUE(parse_config(with("/workers", 2u)).ok());
}

TEST(ConfigParse, OptionalFieldsAreRead) {
    json doc = default_doc();
    doc["workers"] = 2;
    doc["ports"]["inside"]["mac"] = "02:00:00:00:00:01";
    doc["ports"]["inside"]["mtu"] = 9000;
    doc["ports"]["inside"]["gateway6"] = "2001:db8:6::fe";
    doc["ports"]["outside"]["gateway4"] = "198.51.100.254";
    auto r = parse_config(doc);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ(r->startup.workers, 2u);
    ASSERT_TRUE(r->startup.inside.mac.has_value());
    EXPECT_EQ(net::to_string(*r->startup.inside.mac), "02:00:00:00:00:01");
    EXPECT_EQ(r->startup.inside.mtu, 9000);
    ASSERT_TRUE(r->startup.inside.gateway6.has_value());
    EXPECT_EQ(net::to_string(*r->startup.inside.gateway6), "2001:db8:6::fe");
    ASSERT_TRUE(r->startup.outside.gateway4.has_value());
    EXPECT_EQ(net::to_string(*r->startup.outside.gateway4), "198.51.100.254");
}

TEST(ConfigParse, EveryErrorIsAnInvalidArgumentWithAMessage) {
    const Error e = parse_error(with("/workers", "1"));
    EXPECT_EQ(e.code, ErrorCode::InvalidArgument);
    EXPECT_FALSE(e.message.empty());
    EXPECT_EQ(e.to_string().rfind("/workers: ", 0), 0u) << e.to_string();
}

// One row per kind of bad field: the mutation and the JSON pointer the error must name.
struct BadField {
    const char* name;
    json doc;
    const char* pointer;
};

class ConfigParseBadField : public testing::TestWithParam<BadField> {};

TEST_P(ConfigParseBadField, NamesTheJsonPointer) {
    const Error e = parse_error(GetParam().doc);
    EXPECT_EQ(e.field, GetParam().pointer) << e.to_string();
    EXPECT_EQ(e.code, ErrorCode::InvalidArgument);
}

json eamt_entry(const char* v6, const char* v4) { return json{{"ipv6", v6}, {"ipv4", v4}}; }

std::vector<BadField> bad_fields() {
    json same_device = default_doc();
    same_device["ports"]["outside"]["device"] = same_device["ports"]["inside"]["device"];
    json siit_empty = default_doc();
    siit_empty["siit"] = json::object();
    json siit_missing = without("/siit");
    return {
        // unknown keys, at every level
        {"unknown_top_key", with("/wrokers", 1), "/wrokers"},
        {"unknown_port_key", with("/ports/inside/speed", 10), "/ports/inside/speed"},
        {"ipv4_on_inside", with("/ports/inside/ipv4", json::array({"192.0.2.1/24"})),
         "/ports/inside/ipv4"},
        {"ipv6_on_outside", with("/ports/outside/ipv6", json::array({"2001:db8::1/64"})),
         "/ports/outside/ipv6"},
        {"unknown_port_role", with("/ports/dmz", json::object()), "/ports/dmz"},
        {"unknown_siit_key", with("/siit/pool4", "192.0.2.0/24"), "/siit/pool4"},
        {"unknown_eamt_key", with("/siit/eamt/0/comment", "x"), "/siit/eamt/0/comment"},
        // RFC 6901 §3: "~" and "/" in a key are escaped, so the pointer names that key
        {"unknown_key_escaped", with("/ports/inside/a~1b~0c", 1), "/ports/inside/a~1b~0c"},
        {"unknown_dns64_key_escaped", with("/dns64/x~1y", true), "/dns64/x~1y"},
        // wrong types
        {"workers_string", with("/workers", "1"), "/workers"},
        {"workers_negative", with("/workers", -1), "/workers"},
        {"workers_float", with("/workers", 1.5), "/workers"},
        {"dns64_lcore_string", with("/dns64_lcore", "yes"), "/dns64_lcore"},
        {"eal_args_string", with("/eal_args", "--in-memory"), "/eal_args"},
        {"eal_args_element", with("/eal_args/1", 7), "/eal_args/1"},
        {"api_listen_number", with("/api_listen", 8080), "/api_listen"},
        {"device_number", with("/ports/inside/device", 0), "/ports/inside/device"},
        {"ports_array", with("/ports", json::array()), "/ports"},
        {"port_string", with("/ports/outside", "gw-out"), "/ports/outside"},
        {"siit_array", with("/siit", json::array()), "/siit"},
        {"eamt_object", with("/siit/eamt", json::object()), "/siit/eamt"},
        {"eamt_entry_string", with("/siit/eamt/0", "2001:db8:6::10"), "/siit/eamt/0"},
        {"ipv6_list_string", with("/ports/inside/ipv6", "2001:db8:6::1/64"), "/ports/inside/ipv6"},
        // out of range
        {"workers_zero", with("/workers", 0u), "/workers"},
        {"workers_too_many", with("/workers", 65u), "/workers"},
        {"mtu_too_small", with("/ports/inside/mtu", 1279u), "/ports/inside/mtu"},
        {"rx_desc_too_big", with("/ports/outside/rx_desc", 16385u), "/ports/outside/rx_desc"},
        {"mbufs_too_few", with("/mbufs", 100u), "/mbufs"},
        // DNS64 wiring
        {"dns64_lcore_off_with_dns64", with("/dns64_lcore", false), "/dns64_lcore"},
        {"dns64_bad_prefix", with("/dns64/prefixes/0", "2001:db8:64::/33"), "/dns64/prefixes/0"},
        {"dns64_ring_not_pow2", with("/dns64_ring_size", 1000u), "/dns64_ring_size"},
        {"dns64_too_many_services",
         with("/dns64/service",
              json::array({"2001:db8:6::a", "2001:db8:6::b", "2001:db8:6::c", "2001:db8:6::d"})),
         "/dns64/service"},
        {"lowest_ipv6_mtu_small", with("/lowest_ipv6_mtu", 1000u), "/lowest_ipv6_mtu"},
        {"mode_unknown", with("/mode", "nat46"), "/mode"},
        {"nat64_mode_without_section", with("/mode", "nat64"), "/nat64"},
        // bad addresses
        {"bad_ipv6_ifaddr", with("/ports/inside/ipv6/0", "2001:db8:6::zz/64"),
         "/ports/inside/ipv6/0"},
        {"ipv6_ifaddr_len_zero", with("/ports/inside/ipv6/0", "2001:db8:6::1/0"),
         "/ports/inside/ipv6/0"},
        {"ipv6_ifaddr_len_129", with("/ports/inside/ipv6/0", "2001:db8:6::1/129"),
         "/ports/inside/ipv6/0"},
        {"bad_ipv4_ifaddr", with("/ports/outside/ipv4/0", "198.51.100.256/24"),
         "/ports/outside/ipv4/0"},
        {"ipv4_in_ipv6_list", with("/ports/inside/ipv6/0", "198.51.100.1/24"),
         "/ports/inside/ipv6/0"},
        {"bad_gateway4", with("/ports/outside/gateway4", "198.51.100"), "/ports/outside/gateway4"},
        {"bad_gateway6", with("/ports/inside/gateway6", "2001:db8:::1"), "/ports/inside/gateway6"},
        {"bad_mac", with("/ports/inside/mac", "02:00:00:00:00"), "/ports/inside/mac"},
        {"bad_mac_hex", with("/ports/outside/mac", "02:00:00:00:00:zz"), "/ports/outside/mac"},
        {"garbage_pool6", with("/siit/pool6", "pool"), "/siit/pool6"},
        // siit.* translator knobs (RFC 7915, RFC 6791)
        {"rfc6791_pool4_host_bits", with("/siit/rfc6791_pool4", "203.0.113.1/28"),
         "/siit/rfc6791_pool4"},
        {"rfc6791_pool4_v6", with("/siit/rfc6791_pool4", "2001:db8::/64"), "/siit/rfc6791_pool4"},
        {"rfc6791_select_unknown", with("/siit/rfc6791_select", "roundrobin"),
         "/siit/rfc6791_select"},
        {"amend_udp_checksum_zero_string", with("/siit/amend_udp_checksum_zero", "yes"),
         "/siit/amend_udp_checksum_zero"},
        {"traffic_class_256", with("/siit/traffic_class", 256), "/siit/traffic_class"},
        {"icmp_errors_per_sec_negative", with("/siit/icmp_errors_per_sec", -1),
         "/siit/icmp_errors_per_sec"},
        {"icmp_error_burst_zero", with("/siit/icmp_error_burst", 0), "/siit/icmp_error_burst"},
        {"pool6_len_129", with("/siit/pool6", "2001:db8:64::/129"), "/siit/pool6"},
        // prefixes with host bits set
        {"pool6_host_bits", with("/siit/pool6", "2001:db8:64::1/96"), "/siit/pool6"},
        {"eamt_ipv6_host_bits",
         with("/siit/eamt/0", eamt_entry("2001:db8:6::10/120", "192.0.2.0/24")),
         "/siit/eamt/0/ipv6"},
        {"eamt_ipv4_host_bits",
         with("/siit/eamt/0", eamt_entry("2001:db8:6::/120", "192.0.2.10/24")),
         "/siit/eamt/0/ipv4"},
        // EAMT rules (RFC 7757): both prefixes required, equal suffix lengths
        {"eamt_unequal_suffix",
         with("/siit/eamt/0", eamt_entry("2001:db8:6::/120", "192.0.2.0/28")), "/siit/eamt/0"},
        {"eamt_second_entry_unequal",
         with("/siit/eamt/1", eamt_entry("2001:db8:7::/64", "192.0.2.128/25")), "/siit/eamt/1"},
        {"eamt_missing_ipv4", with("/siit/eamt/0", json{{"ipv6", "2001:db8:6::10/128"}}),
         "/siit/eamt/0/ipv4"},
        {"eamt_missing_ipv6", with("/siit/eamt/0", json{{"ipv4", "192.0.2.10/32"}}),
         "/siit/eamt/0/ipv6"},
        // missing required fields
        {"missing_ports", without("/ports"), "/ports"},
        {"missing_inside", without("/ports/inside"), "/ports/inside"},
        {"missing_outside", without("/ports/outside"), "/ports/outside"},
        {"missing_device", without("/ports/inside/device"), "/ports/inside/device"},
        {"empty_device", with("/ports/outside/device", ""), "/ports/outside/device"},
        {"inside_without_ipv6", without("/ports/inside/ipv6"), "/ports/inside/ipv6"},
        {"inside_empty_ipv6", with("/ports/inside/ipv6", json::array()), "/ports/inside/ipv6"},
        {"outside_without_ipv4", without("/ports/outside/ipv4"), "/ports/outside/ipv4"},
        // cross-field rules
        {"siit_without_section", siit_missing, "/siit"},
        {"siit_without_pool6_or_eamt", siit_empty, "/siit"},
        {"same_device_twice", same_device, "/ports/outside/device"},
        // not an object at all
        {"root_array", json::array(), ""},  // RFC 6901 §5: the whole document
    };
}

INSTANTIATE_TEST_SUITE_P(All, ConfigParseBadField, testing::ValuesIn(bad_fields()),
                         [](const testing::TestParamInfo<BadField>& i) { return i.param.name; });

TEST(ConfigParse, SiitWithOnlyEamtOrOnlyPool6IsValid) {
    json only_eamt = default_doc();
    only_eamt["siit"].erase("pool6");
    EXPECT_TRUE(parse_config(only_eamt).ok());
    json only_pool6 = default_doc();
    only_pool6["siit"].erase("eamt");
    EXPECT_TRUE(parse_config(only_pool6).ok());
}

TEST(ConfigParse, EamtWithEqualSuffixLengthsIsValid) {
    auto r = parse_config(with("/siit/eamt/1", eamt_entry("2001:db8:7::/120", "192.0.2.0/24")));
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    ASSERT_EQ(r->runtime.eamt.size(), 2u);
    EXPECT_EQ(r->runtime.eamt[1].ipv4.len, 24);
    EXPECT_EQ(r->runtime.eamt[1].ipv6.len, 120);
}

TEST(ConfigParse, IfaddrsKeepHostBits) {
    // Interface addresses are address/length, not prefixes: host bits are the point.
    auto r = parse_config(
        with("/ports/inside/ipv6", json::array({"2001:db8:6::1/64", "2001:db8:7::5/80"})));
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    ASSERT_EQ(r->startup.inside.ipv6.size(), 2u);
    EXPECT_EQ(net::to_string(r->startup.inside.ipv6[1].addr), "2001:db8:7::5");
    EXPECT_EQ(r->startup.inside.ipv6[1].len, 80);
}

// nlohmann throws out_of_range, not parse_error, for a number beyond a double (found by
// tests/fuzz config_parse): still a syntax error, never an exception out of the parser.
TEST(ConfigParse, NumberBeyondADoubleIsASyntaxError) {
    auto r = parse_config_text(R"({"workers": 5E561})");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().field, "");
    EXPECT_NE(r.error().message.find("syntax"), std::string::npos) << r.error().message;
}

TEST(ConfigParse, JsonSyntaxErrorSaysSo) {
    auto r = parse_config_text(R"({"workers": 1,})");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(r.error().message.find("syntax"), std::string::npos) << r.error().message;
}

TEST(ConfigParse, Dns64LcoreNeedsADns64Object) {
    json doc = without("/dns64");
    doc["dns64_lcore"] = true;
    auto r = parse_config(doc);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().field, "/dns64");
    auto off = parse_config(without("/dns64"));
    ASSERT_TRUE(off.ok()) << off.error().to_string();
    EXPECT_FALSE(off->startup.dns64_lcore);
    EXPECT_FALSE(off->dns64.has_value());
}

TEST(ConfigParse, Dns64ServiceDefaultsToTheInsideAddress) {
    auto r = parse_config(without("/dns64/service"));
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    ASSERT_EQ(r->dns64->service.size(), 1u);
    EXPECT_EQ(net::to_string(r->dns64->service[0]), "2001:db8:6::1");
}

TEST(ConfigParse, MissingFileIsNotFound) {
    auto r = load_config_file("/nonexistent/strait/config.json");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::NotFound);
}

TEST(ConfigParse, LoadsAFile) {
    char path[] = "/tmp/strait_config_parse_testXXXXXX";
    const int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    const std::string text(embedded_default_config());
    ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    close(fd);
    auto r = load_config_file(path);
    std::remove(path);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ(r->startup.inside.device, "net_af_packet0");
}

}  // namespace
}  // namespace strait::ctl
