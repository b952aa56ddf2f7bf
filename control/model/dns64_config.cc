// SPDX-License-Identifier: Apache-2.0
// JSON -> Dns64Config parsing and validation (control plane only; exceptions stay inside).
#include "control/model/dns64_config.h"

#include <nlohmann/json.hpp>
#include <set>

#include "strait/net/rfc6052.h"

namespace strait::ctl {

using dns64::Dns64Config;
using nlohmann::json;

namespace {

template <class T>
Status read_uint(const json& o, const char* key, const std::string& where, uint64_t lo,
                 uint64_t hi, T& out) {
    auto it = o.find(key);
    if (it == o.end()) return Ok{};
    const std::string ptr = where + "/" + key;
    if (!it->is_number_unsigned()) return invalid(ptr, "must be a non-negative integer");
    const auto v = it->get<uint64_t>();
    if (v < lo || v > hi) {
        return invalid(ptr, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    }
    out = static_cast<T>(v);
    return Ok{};
}

/// Reads an array of strings at `key`, converting each with `conv` (nullopt = error).
template <class T, class Conv>
Status read_list(const json& o, const char* key, const std::string& where, const char* what,
                 Conv conv, std::vector<T>& out) {
    auto it = o.find(key);
    if (it == o.end()) return Ok{};
    const std::string ptr = where + "/" + key;
    if (!it->is_array()) return invalid(ptr, "must be an array");
    out.clear();
    for (std::size_t i = 0; i < it->size(); ++i) {
        const json& e = (*it)[i];
        const std::string ep = ptr + "/" + std::to_string(i);
        if (!e.is_string()) return invalid(ep, std::string("must be a string: ") + what);
        auto v = conv(e.get<std::string>());
        if (!v) return invalid(ep, std::string("not a valid ") + what);
        out.push_back(*v);
    }
    return Ok{};
}

Status check_keys(const json& o, const std::string& where, std::initializer_list<const char*> keys) {
    std::set<std::string> known(keys.begin(), keys.end());
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.count(it.key())) {  // RFC 6901 §3: the key's "~" and "/" escaped
            return invalid((json::json_pointer(where) / it.key()).to_string(), "unknown field");
        }
    }
    return Ok{};
}

#define STRAIT_TRY(expr)                \
    do {                                \
        Status s_ = (expr);             \
        if (!s_.ok()) return s_.error(); \
    } while (0)

Status parse_prefix_map(const json& o, const std::string& where, Dns64Config& c) {
    auto it = o.find("prefix_map");
    if (it == o.end()) return Ok{};
    const std::string ptr = where + "/prefix_map";
    if (!it->is_array()) return invalid(ptr, "must be an array");
    for (std::size_t i = 0; i < it->size(); ++i) {
        const json& e = (*it)[i];
        const std::string ep = ptr + "/" + std::to_string(i);
        if (!e.is_object()) return invalid(ep, "must be an object {clients, prefix}");
        STRAIT_TRY(check_keys(e, ep, {"clients", "prefix"}));
        auto cl = e.find("clients");
        if (cl == e.end() || !cl->is_string()) return invalid(ep + "/clients", "required IPv6 prefix");
        auto p = net::parse_ipv6_prefix(cl->get<std::string>());
        if (!p) return invalid(ep + "/clients", "not a valid IPv6 prefix");
        dns64::PrefixMapEntry m;
        m.clients = *p;
        if (e.find("prefix") == e.end()) return invalid(ep + "/prefix", "required prefix index");
        STRAIT_TRY(read_uint(e, "prefix", ep, 0, 255, m.prefix_index));
        c.prefix_map.push_back(m);
    }
    return Ok{};
}

Status parse_nested(const json& o, const std::string& where, Dns64Config& c) {
    if (auto it = o.find("cache"); it != o.end()) {
        const std::string p = where + "/cache";
        if (!it->is_object()) return invalid(p, "must be an object");
        STRAIT_TRY(check_keys(*it, p, {"entries", "max_ttl", "negative_max_ttl"}));
        STRAIT_TRY(read_uint(*it, "entries", p, 0, 1u << 24, c.cache_entries));
        STRAIT_TRY(read_uint(*it, "max_ttl", p, 1, 604800, c.cache_max_ttl));
        STRAIT_TRY(read_uint(*it, "negative_max_ttl", p, 0, 86400, c.cache_negative_max_ttl));
    }
    if (auto it = o.find("rate_limit"); it != o.end()) {
        const std::string p = where + "/rate_limit";
        if (!it->is_object()) return invalid(p, "must be an object");
        STRAIT_TRY(check_keys(*it, p, {"qps", "burst"}));
        STRAIT_TRY(read_uint(*it, "qps", p, 0, 10'000'000, c.rate_limit_qps));
        STRAIT_TRY(read_uint(*it, "burst", p, 0, 20'000'000, c.rate_limit_burst));
    }
    if (auto it = o.find("source_ports"); it != o.end()) {
        const std::string p = where + "/source_ports";
        if (!it->is_object()) return invalid(p, "must be an object {min, max}");
        STRAIT_TRY(check_keys(*it, p, {"min", "max"}));
        STRAIT_TRY(read_uint(*it, "min", p, 1024, 65535, c.source_port_min));
        STRAIT_TRY(read_uint(*it, "max", p, 1024, 65535, c.source_port_max));
    }
    return Ok{};
}

Status parse_fields(const json& o, const std::string& where, Dns64Config& c) {
    STRAIT_TRY(check_keys(o, where,
                          {"service", "prefixes", "prefix_select", "prefix_map", "upstreams",
                           "upstream_port", "source_ports", "timeout_ms", "retries", "max_pending",
                           "cache", "exclude", "clients", "mapped", "rate_limit",
                           "allow_non_global_in_wkp", "edns_udp_size"}));
    auto v6 = [](const std::string& s) { return net::parse_ipv6(s); };
    auto v4 = [](const std::string& s) { return net::parse_ipv4(s); };
    auto p6 = [](const std::string& s) { return net::parse_ipv6_prefix(s); };
    auto p4 = [](const std::string& s) { return net::parse_ipv4_prefix(s); };
    if (o.find("prefixes") == o.end()) return invalid(where + "/prefixes", "required");
    if (o.find("upstreams") == o.end()) return invalid(where + "/upstreams", "required");
    STRAIT_TRY(read_list(o, "service", where, "IPv6 address", v6, c.service));
    STRAIT_TRY(read_list(o, "prefixes", where, "IPv6 prefix", p6, c.prefixes));
    STRAIT_TRY(read_list(o, "upstreams", where, "IPv4 address", v4, c.upstreams));
    STRAIT_TRY(read_list(o, "exclude", where, "IPv6 prefix", p6, c.exclude));
    STRAIT_TRY(read_list(o, "clients", where, "IPv6 prefix", p6, c.clients));
    STRAIT_TRY(read_list(o, "mapped", where, "IPv4 prefix", p4, c.mapped));
    if (auto it = o.find("prefix_select"); it != o.end()) {
        if (*it == "hash") {
            c.prefix_select = dns64::PrefixSelect::Hash;
        } else if (*it == "map") {
            c.prefix_select = dns64::PrefixSelect::Map;
        } else {
            return invalid(where + "/prefix_select", "must be \"hash\" or \"map\"");
        }
    }
    STRAIT_TRY(parse_prefix_map(o, where, c));
    STRAIT_TRY(read_uint(o, "upstream_port", where, 1, 65535, c.upstream_port));
    STRAIT_TRY(read_uint(o, "timeout_ms", where, 10, 60000, c.timeout_ms));
    STRAIT_TRY(read_uint(o, "retries", where, 0, 10, c.retries));
    STRAIT_TRY(read_uint(o, "max_pending", where, 1, 1u << 20, c.max_pending));
    STRAIT_TRY(read_uint(o, "edns_udp_size", where, 512, 4096, c.edns_udp_size));
    if (auto it = o.find("allow_non_global_in_wkp"); it != o.end()) {
        if (!it->is_boolean()) return invalid(where + "/allow_non_global_in_wkp", "must be a boolean");
        c.allow_non_global_in_wkp = it->get<bool>();
    }
    return parse_nested(o, where, c);
}

}  // namespace

Status validate_dns64_config(const Dns64Config& c, const std::string& where) {
    if (c.prefixes.empty()) return invalid(where + "/prefixes", "at least one NAT64 prefix");
    if (c.prefixes.size() > 255) return invalid(where + "/prefixes", "at most 255 prefixes");
    for (std::size_t i = 0; i < c.prefixes.size(); ++i) {
        const auto& p = c.prefixes[i];
        const std::string ptr = where + "/prefixes/" + std::to_string(i);
        if (auto st = net::validate_pref64(p); !st.ok()) return invalid(ptr, st.error().message);
    }
    if (c.upstreams.empty()) return invalid(where + "/upstreams", "at least one IPv4 resolver");
    if (c.upstreams.size() > 255) return invalid(where + "/upstreams", "at most 255 resolvers");
    for (std::size_t i = 0; i < c.prefix_map.size(); ++i) {
        if (c.prefix_map[i].prefix_index >= c.prefixes.size()) {
            return invalid(where + "/prefix_map/" + std::to_string(i) + "/prefix",
                           "no such prefix index");
        }
    }
    if (c.prefix_select == dns64::PrefixSelect::Map && c.prefix_map.empty()) {
        return invalid(where + "/prefix_map", "required when prefix_select is \"map\"");
    }
    if (c.source_port_min > c.source_port_max) {
        return invalid(where + "/source_ports/min", "must not exceed max");
    }
    if (c.max_pending > uint32_t{c.source_port_max - c.source_port_min + 1u} * 65536u / 2) {
        return invalid(where + "/max_pending", "too large for the source port range");
    }
    return Ok{};
}

Result<Dns64Config> parse_dns64_config(const json& j, const std::string& where) {
    if (!j.is_object()) return invalid(where, "must be an object");
    Dns64Config c;
    try {
        Status s = parse_fields(j, where, c);
        if (!s.ok()) return s.error();
    } catch (const json::exception& e) {
        return invalid(where, e.what());
    }
    Status v = validate_dns64_config(c, where);
    if (!v.ok()) return v.error();
    return c;
}

Result<Dns64Config> parse_dns64_config_text(std::string_view text, const std::string& where) {
    json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded()) return invalid(where, "not valid JSON");
    return parse_dns64_config(j, where);
}

}  // namespace strait::ctl
