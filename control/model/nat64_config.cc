// SPDX-License-Identifier: Apache-2.0
// The "nat64" config object -> Nat64Config, with the cross-entry checks of pool4 and BIB.
#include "control/model/nat64_config.h"

#include <nlohmann/json.hpp>

#include "control/model/json_reader.h"
#include "strait/net/rfc6052.h"

namespace strait::ctl {
namespace {

using config::L4Proto;
using nlohmann::json;

Status read_proto(const json& v, const std::string& ptr, L4Proto& out) {
    const std::string s = v.is_string() ? v.get<std::string>() : "";
    if (s == "tcp") {
        out = L4Proto::Tcp;
    } else if (s == "udp") {
        out = L4Proto::Udp;
    } else if (s == "icmp") {
        out = L4Proto::Icmp;
    } else {
        return invalid(ptr, "must be \"tcp\", \"udp\" or \"icmp\", got " + v.dump());
    }
    return Ok{};
}

/// {"prefix": "192.0.2.0/30", "protocols": ["tcp", "udp", "icmp"], "ports": {"min", "max"}}
/// expands to one Pool4Entry per protocol.
Status read_pool4_entry(const json& j, const std::string& ptr, config::Nat64Config& c) {
    ObjectReader r(j, ptr);
    if (!r.ok()) return r.error();
    if (auto st = r.only({"prefix", "protocols", "ports"}); !st.ok()) return st;
    std::optional<net::Ipv4Prefix> prefix;
    if (auto st = r.ipv4_prefix("prefix", prefix, true); !st.ok()) return st;
    if (prefix->len < 20) return invalid(r.ptr("prefix"), "at most 4096 addresses (/20) an entry");
    config::Pool4Entry e;
    e.prefix = *prefix;
    if (r.has("ports")) {
        ObjectReader ports(r.at("ports"), r.ptr("ports"));
        if (!ports.ok()) return ports.error();
        if (auto st = ports.only({"min", "max"}); !st.ok()) return st;
        if (auto st = ports.uint("min", e.port_min, 0, 65535); !st.ok()) return st;
        if (auto st = ports.uint("max", e.port_max, 0, 65535); !st.ok()) return st;
        if (e.port_min > e.port_max) return invalid(ports.ptr("min"), "must not exceed max");
    }
    std::vector<L4Proto> protos{L4Proto::Tcp, L4Proto::Udp, L4Proto::Icmp};
    if (r.has("protocols")) {
        const json& arr = r.at("protocols");
        if (!arr.is_array() || arr.empty()) {
            return invalid(r.ptr("protocols"), "must be a non-empty array");
        }
        protos.clear();
        for (std::size_t i = 0; i < arr.size(); ++i) {
            L4Proto p;
            if (auto st = read_proto(arr[i], r.ptr("protocols") + "/" + std::to_string(i), p);
                !st.ok()) {
                return st;
            }
            protos.push_back(p);
        }
    }
    for (L4Proto p : protos) {
        e.proto = p;
        c.pool4.push_back(e);
    }
    return Ok{};
}

bool overlaps(const config::Pool4Entry& a, const config::Pool4Entry& b) {
    if (a.proto != b.proto) return false;
    if (!a.prefix.contains(b.prefix.addr) && !b.prefix.contains(a.prefix.addr)) return false;
    return a.port_min <= b.port_max && b.port_min <= a.port_max;
}

bool in_pool4(const config::Nat64Config& c, L4Proto p, net::Ipv4Addr a, uint16_t port) {
    for (const auto& e : c.pool4) {
        if (e.proto == p && e.prefix.contains(a) && port >= e.port_min && port <= e.port_max) {
            return true;
        }
    }
    return false;
}

Status read_pool4(ObjectReader& r, config::Nat64Config& c) {
    if (!r.has("pool4")) return invalid(r.ptr("pool4"), "required");
    const json& arr = r.at("pool4");
    if (!arr.is_array() || arr.empty()) return invalid(r.ptr("pool4"), "must be a non-empty array");
    for (std::size_t i = 0; i < arr.size(); ++i) {
        const std::size_t first = c.pool4.size();
        const std::string ptr = r.ptr("pool4") + "/" + std::to_string(i);
        if (auto st = read_pool4_entry(arr[i], ptr, c); !st.ok()) return st;
        for (std::size_t k = first; k < c.pool4.size(); ++k) {
            for (std::size_t m = 0; m < first; ++m) {
                if (overlaps(c.pool4[k], c.pool4[m])) {
                    return invalid(ptr,
                                   "overlaps an earlier entry (same address, protocol, ports)");
                }
            }
        }
    }
    return Ok{};
}

Status read_bib(ObjectReader& r, config::Nat64Config& c) {
    if (!r.has("bib")) return Ok{};
    const json& arr = r.at("bib");
    if (!arr.is_array()) return invalid(r.ptr("bib"), "must be an array");
    for (std::size_t i = 0; i < arr.size(); ++i) {
        const std::string ptr = r.ptr("bib") + "/" + std::to_string(i);
        ObjectReader e(arr[i], ptr);
        if (!e.ok()) return e.error();
        if (auto st = e.only({"protocol", "ipv6", "port6", "ipv4", "port4"}); !st.ok()) return st;
        config::StaticBibEntry b;
        if (!e.has("protocol")) return invalid(e.ptr("protocol"), "required");
        if (auto st = read_proto(e.at("protocol"), e.ptr("protocol"), b.proto); !st.ok()) return st;
        std::optional<net::Ipv6Addr> a6;
        std::optional<net::Ipv4Addr> a4;
        if (auto st = e.ipv6("ipv6", a6); !st.ok()) return st;
        if (auto st = e.ipv4("ipv4", a4); !st.ok()) return st;
        if (!a6) return invalid(e.ptr("ipv6"), "required");
        if (!a4) return invalid(e.ptr("ipv4"), "required");
        if (!e.has("port6")) return invalid(e.ptr("port6"), "required");
        if (!e.has("port4")) return invalid(e.ptr("port4"), "required");
        if (auto st = e.uint("port6", b.port6, 0, 65535); !st.ok()) return st;
        if (auto st = e.uint("port4", b.port4, 0, 65535); !st.ok()) return st;
        b.addr6 = *a6;
        b.addr4 = *a4;
        if (!in_pool4(c, b.proto, b.addr4, b.port4)) {
            return invalid(e.ptr("ipv4"), "the IPv4 transport address must lie in pool4");
        }
        for (const auto& o : c.bib) {
            if (o.proto != b.proto) continue;
            if (o.addr4 == b.addr4 && o.port4 == b.port4) {
                return invalid(ptr, "duplicate IPv4 transport address");
            }
            if (o.addr6 == b.addr6 && o.port6 == b.port6) {
                return invalid(ptr, "duplicate IPv6 transport address");
            }
        }
        c.bib.push_back(b);
    }
    return Ok{};
}

Status read_timeouts(ObjectReader& r, config::Nat64Timeouts& t) {
    if (!r.has("timeouts")) return Ok{};
    ObjectReader o(r.at("timeouts"), r.ptr("timeouts"));
    if (!o.ok()) return o.error();
    if (auto st = o.only({"udp", "tcp_established", "tcp_transitory", "icmp", "tcp_incoming_syn"});
        !st.ok()) {
        return st;
    }
    // RFC 6146 §4 minimums (UDP 2 min, TCP_EST 2 h 4 min, TCP_TRANS 4 min) are SHOULDs that
    // labs and tests undercut: 1 s is the floor.
    constexpr uint32_t kMax = 7u * 24 * 3600;
    if (auto st = o.uint("udp", t.udp, 1, kMax); !st.ok()) return st;
    if (auto st = o.uint("tcp_established", t.tcp_established, 1, kMax); !st.ok()) return st;
    if (auto st = o.uint("tcp_transitory", t.tcp_transitory, 1, kMax); !st.ok()) return st;
    if (auto st = o.uint("icmp", t.icmp, 1, kMax); !st.ok()) return st;
    return o.uint("tcp_incoming_syn", t.tcp_incoming_syn, 1, 60);
}

Status read_limits(ObjectReader& r, config::Nat64Config& c) {
    if (!r.has("limits")) return Ok{};
    ObjectReader o(r.at("limits"), r.ptr("limits"));
    if (!o.ok()) return o.error();
    if (auto st = o.only({"subscriber_prefix_len", "max_sessions_per_subscriber"}); !st.ok()) {
        return st;
    }
    if (auto st = o.uint("subscriber_prefix_len", c.subscriber_prefix_len, 32, 128); !st.ok()) {
        return st;
    }
    return o.uint("max_sessions_per_subscriber", c.max_sessions_per_subscriber, 0, 1u << 24);
}

}  // namespace

const char* proto_name(config::L4Proto p) {
    switch (p) {
        case L4Proto::Tcp:
            return "tcp";
        case L4Proto::Udp:
            return "udp";
        case L4Proto::Icmp:
            return "icmp";
    }
    return "?";
}

Result<config::Nat64Config> parse_nat64_config(const json& j, const std::string& where) {
    ObjectReader r(j, where);
    if (!r.ok()) return r.error();
    if (auto st = r.only({"pool6", "pool4", "bib", "timeouts", "filtering",
                          "drop_externally_initiated_tcp", "capacity", "limits"});
        !st.ok()) {
        return st.error();
    }
    config::Nat64Config c;
    std::optional<net::Ipv6Prefix> pool6;
    if (auto st = r.ipv6_prefix("pool6", pool6, true); !st.ok()) return st.error();
    if (auto st = net::validate_pref64(*pool6); !st.ok()) {
        return invalid(r.ptr("pool6"), st.error().message);
    }
    c.pool6 = *pool6;
    if (auto st = read_pool4(r, c); !st.ok()) return st.error();
    if (auto st = read_bib(r, c); !st.ok()) return st.error();
    if (auto st = read_timeouts(r, c.timeouts); !st.ok()) return st.error();
    std::string filtering = "endpoint-independent";
    if (auto st = r.string("filtering", filtering); !st.ok()) return st.error();
    if (filtering == "address-dependent") {
        return invalid(r.ptr("filtering"), "address-dependent filtering is not built yet");
    }
    if (filtering != "endpoint-independent") {
        return invalid(r.ptr("filtering"), "must be \"endpoint-independent\"");
    }
    if (auto st = r.boolean("drop_externally_initiated_tcp", c.drop_externally_initiated_tcp);
        !st.ok()) {
        return st.error();
    }
    if (auto st = r.uint("capacity", c.capacity, 1024, 1u << 26); !st.ok()) return st.error();
    if (auto st = read_limits(r, c); !st.ok()) return st.error();
    return c;
}

}  // namespace strait::ctl
