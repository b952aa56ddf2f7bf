// SPDX-License-Identifier: Apache-2.0
// Typed reads of one JSON object's fields, each failure naming the field's JSON pointer.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "strait/config/config.h"
#include "strait/net/addr.h"
#include "strait/util/result.h"

namespace strait::ctl {

/// Reads fields of the JSON object `j` found at JSON pointer `ptr`. Absent optional
/// fields leave the output untouched (the default). Thread: any.
class ObjectReader {
public:
    ObjectReader(const nlohmann::json& j, std::string ptr);

    [[nodiscard]] bool ok() const { return j_.is_object(); }
    /// RFC 6901 §5: "" is the whole document.
    [[nodiscard]] Error error() const {
        return invalid(ptr_, ptr_.empty() ? "the config must be a JSON object" : "must be an object");
    }
    [[nodiscard]] bool has(const std::string& key) const { return j_.contains(key); }
    [[nodiscard]] const nlohmann::json& at(const std::string& key) const { return j_.at(key); }
    /// The JSON pointer of member `key`, escaped (RFC 6901 §3: "~" and "/" in a key).
    [[nodiscard]] std::string ptr(const std::string& key) const {
        return (nlohmann::json::json_pointer(ptr_) / key).to_string();
    }

    /// Fails on the first key not in `known`.
    Status only(const std::set<std::string>& known) const;
    Status string(const std::string& key, std::string& out, bool required = false) const;
    Status strings(const std::string& key, std::vector<std::string>& out) const;
    Status boolean(const std::string& key, bool& out) const;
    template <class T>
    Status uint(const std::string& key, T& out, uint64_t min, uint64_t max) const {
        uint64_t v = out;
        if (auto s = uint64(key, v, min, max); !s.ok()) return s;
        out = static_cast<T>(v);
        return Ok{};
    }
    Status uint64(const std::string& key, uint64_t& out, uint64_t min, uint64_t max) const;
    Status mac(const std::string& key, std::optional<net::MacAddr>& out) const;
    Status ipv4(const std::string& key, std::optional<net::Ipv4Addr>& out) const;
    Status ipv6(const std::string& key, std::optional<net::Ipv6Addr>& out) const;
    Status ipv4_prefix(const std::string& key, std::optional<net::Ipv4Prefix>& out,
                       bool required = false) const;
    Status ipv6_prefix(const std::string& key, std::optional<net::Ipv6Prefix>& out,
                       bool required = false) const;
    Status ipv4_ifaddrs(const std::string& key, std::vector<config::Ipv4Ifaddr>& out) const;
    Status ipv6_ifaddrs(const std::string& key, std::vector<config::Ipv6Ifaddr>& out) const;

private:
    Status get_string(const std::string& key, std::string& out) const;

    const nlohmann::json& j_;
    std::string ptr_;
};

}  // namespace strait::ctl
