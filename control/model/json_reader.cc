// SPDX-License-Identifier: Apache-2.0
// Typed reads of JSON object fields with JSON-pointer error messages.
#include "control/model/json_reader.h"

namespace strait::ctl {

using nlohmann::json;

ObjectReader::ObjectReader(const json& j, std::string ptr) : j_(j), ptr_(std::move(ptr)) {}

Status ObjectReader::only(const std::set<std::string>& known) const {
    for (const auto& [k, v] : j_.items()) {
        if (!known.contains(k)) return invalid(ptr(k), "unknown field");
    }
    return Ok{};
}

Status ObjectReader::get_string(const std::string& key, std::string& out) const {
    const json& v = j_.at(key);
    if (!v.is_string()) return invalid(ptr(key), "must be a string, got " + v.dump());
    out = v.get<std::string>();
    return Ok{};
}

Status ObjectReader::string(const std::string& key, std::string& out, bool required) const {
    if (!has(key)) return required ? Status(invalid(ptr(key), "required")) : Status(Ok{});
    return get_string(key, out);
}

Status ObjectReader::strings(const std::string& key, std::vector<std::string>& out) const {
    if (!has(key)) return Ok{};
    const json& v = j_.at(key);
    if (!v.is_array()) return invalid(ptr(key), "must be an array of strings");
    std::vector<std::string> tmp;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_string()) {
            return invalid(ptr(key) + "/" + std::to_string(i), "must be a string, got " + v[i].dump());
        }
        tmp.push_back(v[i].get<std::string>());
    }
    out = std::move(tmp);
    return Ok{};
}

Status ObjectReader::boolean(const std::string& key, bool& out) const {
    if (!has(key)) return Ok{};
    const json& v = j_.at(key);
    if (!v.is_boolean()) return invalid(ptr(key), "must be true or false, got " + v.dump());
    out = v.get<bool>();
    return Ok{};
}

Status ObjectReader::uint64(const std::string& key, uint64_t& out, uint64_t min,
                            uint64_t max) const {
    if (!has(key)) return Ok{};
    const json& v = j_.at(key);
    const bool negative = !v.is_number_unsigned() && v.is_number_integer() && v.get<int64_t>() < 0;
    if (!v.is_number_integer() || negative || v.get<uint64_t>() < min || v.get<uint64_t>() > max) {
        return invalid(ptr(key), "must be an integer in [" + std::to_string(min) + ", " +
                                     std::to_string(max) + "], got " + v.dump());
    }
    out = v.get<uint64_t>();
    return Ok{};
}

Status ObjectReader::mac(const std::string& key, std::optional<net::MacAddr>& out) const {
    if (!has(key)) return Ok{};
    std::string s;
    if (auto st = get_string(key, s); !st.ok()) return st;
    out = net::parse_mac(s);
    if (!out) return invalid(ptr(key), "not a MAC address: \"" + s + "\"");
    return Ok{};
}

Status ObjectReader::ipv4(const std::string& key, std::optional<net::Ipv4Addr>& out) const {
    if (!has(key)) return Ok{};
    std::string s;
    if (auto st = get_string(key, s); !st.ok()) return st;
    out = net::parse_ipv4(s);
    if (!out) return invalid(ptr(key), "not an IPv4 address: \"" + s + "\"");
    return Ok{};
}

Status ObjectReader::ipv6(const std::string& key, std::optional<net::Ipv6Addr>& out) const {
    if (!has(key)) return Ok{};
    std::string s;
    if (auto st = get_string(key, s); !st.ok()) return st;
    out = net::parse_ipv6(s);
    if (!out) return invalid(ptr(key), "not an IPv6 address: \"" + s + "\"");
    return Ok{};
}

Status ObjectReader::ipv4_prefix(const std::string& key, std::optional<net::Ipv4Prefix>& out,
                                 bool required) const {
    if (!has(key)) return required ? Status(invalid(ptr(key), "required")) : Status(Ok{});
    std::string s;
    if (auto st = get_string(key, s); !st.ok()) return st;
    out = net::parse_ipv4_prefix(s);
    if (!out) return invalid(ptr(key), "not an IPv4 prefix with zero host bits: \"" + s + "\"");
    return Ok{};
}

Status ObjectReader::ipv6_prefix(const std::string& key, std::optional<net::Ipv6Prefix>& out,
                                 bool required) const {
    if (!has(key)) return required ? Status(invalid(ptr(key), "required")) : Status(Ok{});
    std::string s;
    if (auto st = get_string(key, s); !st.ok()) return st;
    out = net::parse_ipv6_prefix(s);
    if (!out) return invalid(ptr(key), "not an IPv6 prefix with zero host bits: \"" + s + "\"");
    return Ok{};
}

Status ObjectReader::ipv4_ifaddrs(const std::string& key,
                                  std::vector<config::Ipv4Ifaddr>& out) const {
    std::vector<std::string> strs;
    if (auto st = strings(key, strs); !st.ok()) return st;
    for (std::size_t i = 0; i < strs.size(); ++i) {
        auto p = net::parse_ipv4_prefix(strs[i], false);
        if (!p || p->len == 0) {
            return invalid(ptr(key) + "/" + std::to_string(i),
                           "not an IPv4 address/length: \"" + strs[i] + "\"");
        }
        out.push_back({p->addr, p->len});
    }
    return Ok{};
}

Status ObjectReader::ipv6_ifaddrs(const std::string& key,
                                  std::vector<config::Ipv6Ifaddr>& out) const {
    std::vector<std::string> strs;
    if (auto st = strings(key, strs); !st.ok()) return st;
    for (std::size_t i = 0; i < strs.size(); ++i) {
        auto p = net::parse_ipv6_prefix(strs[i], false);
        if (!p || p->len == 0) {
            return invalid(ptr(key) + "/" + std::to_string(i),
                           "not an IPv6 address/length: \"" + strs[i] + "\"");
        }
        out.push_back({p->addr, p->len});
    }
    return Ok{};
}

}  // namespace strait::ctl
