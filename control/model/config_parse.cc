// SPDX-License-Identifier: Apache-2.0
// JSON config -> typed Config. Every error names the JSON pointer of the bad field.
#include "control/model/config_parse.h"

#include <fstream>
#include <set>
#include <sstream>

#include "control/model/dns64_config.h"
#include "control/model/json_reader.h"
#include "control/model/nat64_config.h"
#include "strait/net/rfc6052.h"

namespace strait::ctl {
namespace {

using config::Config;
using config::PortConfig;
using nlohmann::json;

Status read_port(const json& j, const std::string& ptr, bool inside, PortConfig& out) {
    ObjectReader r(j, ptr);
    if (!r.ok()) return r.error();
    std::set<std::string> known{"device", "devargs", "mac", "mtu", "rx_desc", "tx_desc"};
    known.insert(inside ? "ipv6" : "ipv4");
    known.insert(inside ? "gateway6" : "gateway4");
    if (auto s = r.only(known); !s.ok()) return s;
    if (auto s = r.string("device", out.device, true); !s.ok()) return s;
    if (out.device.empty()) return invalid(ptr + "/device", "must not be empty");
    if (auto s = r.string("devargs", out.devargs); !s.ok()) return s;
    if (auto s = r.mac("mac", out.mac); !s.ok()) return s;
    if (auto s = r.uint("mtu", out.mtu, 1280, 9000); !s.ok()) return s;
    if (auto s = r.uint("rx_desc", out.rx_desc, 64, 16384); !s.ok()) return s;
    if (auto s = r.uint("tx_desc", out.tx_desc, 64, 16384); !s.ok()) return s;
    if (inside) {
        if (auto s = r.ipv6_ifaddrs("ipv6", out.ipv6); !s.ok()) return s;
        if (out.ipv6.empty()) {
            return invalid(ptr + "/ipv6", "the inside port needs an IPv6 address");
        }
        return r.ipv6("gateway6", out.gateway6);
    }
    if (auto s = r.ipv4_ifaddrs("ipv4", out.ipv4); !s.ok()) return s;
    if (out.ipv4.empty()) return invalid(ptr + "/ipv4", "the outside port needs an IPv4 address");
    return r.ipv4("gateway4", out.gateway4);
}

Status read_startup(ObjectReader& r, config::StartupConfig& s) {
    if (auto st = r.strings("eal_args", s.eal_args); !st.ok()) return st;
    if (auto st = r.uint("workers", s.workers, 1, 64); !st.ok()) return st;
    if (auto st = r.boolean("dns64_lcore", s.dns64_lcore); !st.ok()) return st;
    if (auto st = r.string("api_listen", s.api_listen); !st.ok()) return st;
    if (auto st = r.uint("idle_sleep_us", s.idle_sleep_us, 0, 100000); !st.ok()) return st;
    if (auto st = r.uint("idle_yield_polls", s.idle_yield_polls, 0, 1u << 30); !st.ok()) return st;
    if (auto st = r.uint("mbufs", s.mbufs, 1023, 4u << 20); !st.ok()) return st;
    if (auto st = r.uint("mbuf_data_room", s.mbuf_data_room, 2048, 65535 - 128); !st.ok()) {
        return st;
    }
    if (auto st = r.uint("neighbors", s.neighbors, 64, 1u << 20); !st.ok()) return st;
    if (auto st = r.uint("dns64_idle_polls", s.dns64_idle_polls, 1, 1u << 30); !st.ok()) return st;
    if (auto st = r.uint("dns64_idle_sleep_us", s.dns64_idle_sleep_us, 0, 100000); !st.ok()) {
        return st;
    }
    if (auto st = r.uint("dns64_ring_size", s.dns64_ring_size, 64, 1u << 20); !st.ok()) return st;
    if ((s.dns64_ring_size & (s.dns64_ring_size - 1)) != 0) {
        return invalid("/dns64_ring_size", "must be a power of two");
    }
    if (!r.has("ports")) return invalid("/ports", "required");
    ObjectReader ports(r.at("ports"), "/ports");
    if (!ports.ok()) return ports.error();
    if (auto st = ports.only({"inside", "outside"}); !st.ok()) return st;
    if (!ports.has("inside")) return invalid("/ports/inside", "required");
    if (!ports.has("outside")) return invalid("/ports/outside", "required");
    if (auto st = read_port(ports.at("inside"), "/ports/inside", true, s.inside); !st.ok()) {
        return st;
    }
    if (auto st = read_port(ports.at("outside"), "/ports/outside", false, s.outside); !st.ok()) {
        return st;
    }
    if (s.inside.device == s.outside.device) {
        return invalid("/ports/outside/device", "must differ from the inside device");
    }
    return Ok{};
}

/// The translator knobs under "siit" besides pool6 and the EAMT (RFC 7915, RFC 6791).
Status read_siit_knobs(const ObjectReader& siit, config::RuntimeConfig& rt) {
    if (auto st = siit.ipv4_prefix("rfc6791_pool4", rt.rfc6791_pool4); !st.ok()) return st;
    std::string select = "random";
    if (auto st = siit.string("rfc6791_select", select); !st.ok()) return st;
    if (select != "random" && select != "hash") {
        return invalid("/siit/rfc6791_select",
                       "must be \"random\" or \"hash\", got \"" + select + "\"");
    }
    rt.rfc6791_hash = select == "hash";
    if (auto st = siit.boolean("amend_udp_checksum_zero", rt.amend_udp_checksum_zero); !st.ok()) {
        return st;
    }
    if (siit.has("traffic_class")) {
        uint8_t tc = 0;
        if (auto st = siit.uint("traffic_class", tc, 0, 255); !st.ok()) return st;
        rt.traffic_class = tc;
    }
    if (auto st = siit.uint("icmp_errors_per_sec", rt.icmp_errors_per_sec, 0, 1000000); !st.ok()) {
        return st;
    }
    return siit.uint("icmp_error_burst", rt.icmp_error_burst, 1, 1000000);
}

Status read_siit(ObjectReader& r, config::RuntimeConfig& rt) {
    if (!r.has("siit")) return Ok{};
    ObjectReader siit(r.at("siit"), "/siit");
    if (!siit.ok()) return siit.error();
    if (auto st = siit.only({"pool6", "eamt", "rfc6791_pool4", "rfc6791_select",
                             "amend_udp_checksum_zero", "traffic_class", "icmp_errors_per_sec",
                             "icmp_error_burst"});
        !st.ok()) {
        return st;
    }
    if (auto st = read_siit_knobs(siit, rt); !st.ok()) return st;
    if (auto st = siit.ipv6_prefix("pool6", rt.pool6); !st.ok()) return st;
    if (rt.pool6) {
        if (auto st = net::validate_pref64(*rt.pool6); !st.ok()) {
            return invalid("/siit/pool6", st.error().message);
        }
    }
    if (!siit.has("eamt")) return Ok{};
    const json& arr = siit.at("eamt");
    if (!arr.is_array()) return invalid("/siit/eamt", "must be an array");
    for (std::size_t i = 0; i < arr.size(); ++i) {
        const std::string ptr = "/siit/eamt/" + std::to_string(i);
        ObjectReader e(arr[i], ptr);
        if (!e.ok()) return e.error();
        if (auto st = e.only({"ipv6", "ipv4"}); !st.ok()) return st;
        std::optional<net::Ipv6Prefix> p6;
        std::optional<net::Ipv4Prefix> p4;
        if (auto st = e.ipv6_prefix("ipv6", p6, true); !st.ok()) return st;
        if (auto st = e.ipv4_prefix("ipv4", p4, true); !st.ok()) return st;
        if (128 - p6->len != 32 - p4->len) {
            return invalid(ptr, "IPv6 and IPv4 prefixes must have equal suffix lengths (RFC 7757)");
        }
        rt.eamt.push_back({*p6, *p4});
    }
    return Ok{};
}

/// "mode" defaults to the object present: "nat64", else "siit", else "none".
Status read_runtime(ObjectReader& r, config::RuntimeConfig& rt) {
    std::string mode = r.has("nat64") ? "nat64" : r.has("siit") ? "siit" : "none";
    if (auto st = r.string("mode", mode); !st.ok()) return st;
    if (mode == "none") {
        rt.mode = config::Mode::None;
    } else if (mode == "siit") {
        rt.mode = config::Mode::Siit;
    } else if (mode == "nat64") {
        rt.mode = config::Mode::Nat64;
    } else {
        return invalid("/mode", "must be \"nat64\", \"siit\" or \"none\", got \"" + mode + "\"");
    }
    if (auto st = r.boolean("allow_non_global_in_wkp", rt.allow_non_global_in_wkp); !st.ok()) {
        return st;
    }
    if (auto st = r.uint("lowest_ipv6_mtu", rt.lowest_ipv6_mtu, 1280, 9000); !st.ok()) return st;
    if (auto st = read_siit(r, rt); !st.ok()) return st;
    if (rt.mode == config::Mode::Siit && !rt.pool6 && rt.eamt.empty()) {
        return invalid("/siit", "siit mode needs a pool6 prefix or EAMT entries");
    }
    if (r.has("nat64")) {
        auto n = parse_nat64_config(r.at("nat64"), "/nat64");
        if (!n) return n.error();
        rt.nat64 = std::move(*n);
    }
    if (rt.mode == config::Mode::Nat64 && !rt.nat64) {
        return invalid("/nat64", "required in nat64 mode");
    }
    return Ok{};
}

/// pool4 may include the outside port's own address; then its ports must stay clear of
/// the DNS64 upstream source ports, which the workers steer to the DNS64 lcore.
Status check_nat64_vs_dns64(const Config& c) {
    if (!c.runtime.nat64 || !c.dns64) return Ok{};
    const auto& pool4 = c.runtime.nat64->pool4;
    for (std::size_t i = 0; i < pool4.size(); ++i) {
        const auto& e = pool4[i];
        if (e.proto != config::L4Proto::Udp && e.proto != config::L4Proto::Tcp) continue;
        bool own = false;
        for (const auto& a : c.startup.outside.ipv4) own = own || e.prefix.contains(a.addr);
        if (own && e.port_min <= c.dns64->source_port_max &&
            c.dns64->source_port_min <= e.port_max) {
            return invalid("/nat64/pool4",
                           "ports on the gateway's own address overlap dns64.source_ports");
        }
    }
    return Ok{};
}

/// The "dns64" object (RFC 6147 service): parsed by the DNS64 config library, then checked
/// against the ports. The service defaults to the inside port's first address; other
/// service addresses become extra inside addresses (NDP, echo) and need room there.
Status read_dns64(ObjectReader& r, Config& c) {
    if (!r.has("dns64")) {
        if (c.startup.dns64_lcore) return invalid("/dns64", "required when dns64_lcore is true");
        return Ok{};
    }
    if (r.has("dns64_lcore") && !c.startup.dns64_lcore) {
        return invalid("/dns64_lcore", "must be true when a dns64 object is configured");
    }
    nlohmann::json dj = r.at("dns64");
    if (dj.is_object() && !dj.contains("prefixes") && c.runtime.nat64) {
        dj["prefixes"] = nlohmann::json::array(
            {net::to_string(c.runtime.nat64->pool6)});  // RFC 6147 §5.2: one prefix
    }
    auto d = parse_dns64_config(dj, "/dns64");
    if (!d) return d.error();
    if (d->service.empty()) d->service.push_back(c.startup.inside.ipv6.front().addr);
    std::size_t extra = 0;
    for (const auto& a : d->service) {
        bool own = false;
        for (const auto& i : c.startup.inside.ipv6) own = own || i.addr == a;
        extra += own ? 0 : 1;
    }
    if (c.startup.inside.ipv6.size() + extra > 4) {
        return invalid("/dns64/service", "at most 4 inside addresses including DNS64 services");
    }
    c.startup.dns64_lcore = true;
    c.dns64 = std::move(*d);
    return Ok{};
}

}  // namespace

Result<Config> parse_config(const json& doc) {
    ObjectReader r(doc, "");
    if (!r.ok()) return r.error();
    if (auto st =
            r.only({"eal_args", "workers", "dns64_lcore", "api_listen", "idle_sleep_us",
                    "idle_yield_polls", "mbufs", "mbuf_data_room", "neighbors", "ports", "mode",
                    "siit", "nat64", "dns64", "dns64_idle_polls", "dns64_idle_sleep_us",
                    "dns64_ring_size", "allow_non_global_in_wkp", "lowest_ipv6_mtu"});
        !st.ok()) {
        return st.error();
    }
    Config c;
    if (auto st = read_startup(r, c.startup); !st.ok()) return st.error();
    if (auto st = read_runtime(r, c.runtime); !st.ok()) return st.error();
    if (auto st = read_dns64(r, c); !st.ok()) return st.error();
    if (auto st = check_nat64_vs_dns64(c); !st.ok()) return st.error();
    return c;
}

Result<Config> parse_config_text(std::string_view text) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::exception& e) {  // parse_error, and out_of_range for 1E400
        return invalid("", std::string("JSON syntax error: ") + e.what());
    }
    return parse_config(doc);
}

Result<Config> load_config_file(const std::string& path, std::string* text) {
    std::ifstream in(path);
    if (!in) return Error{ErrorCode::NotFound, path, "cannot open config file"};
    std::stringstream ss;
    ss << in.rdbuf();
    if (text) *text = ss.str();
    return parse_config_text(ss.str());
}

std::string_view embedded_default_config() {
    // The demo topology (deploy/demo.sh): straitd in its own namespace, attached by
    // AF_PACKET to gw-in (IPv6-only clients, 2001:db8:6::/64) and gw-out (IPv4 side,
    // 198.51.100.0/24). Stateful NAT64 (RFC 6146) shares the pool4 address 192.0.2.1
    // (routed to the gateway by the IPv4 side) among the clients; IPv4 servers appear
    // inside the network-specific prefix 2001:db8:64::/96 (RFC 6052 §3.1). DNS64
    // (RFC 6147) answers on 2001:db8:6::53 from the resolver 198.51.100.2 with that
    // prefix, on a third lcore that shares CPU 0 with the main lcore (it sleeps when idle).
    return R"json({
  "eal_args": ["--in-memory", "--no-pci", "--lcores=0@0,1@1,2@0", "--log-level=*:notice"],
  "workers": 1,
  "idle_sleep_us": 50,
  "mbuf_data_room": 12288,
  "api_listen": "127.0.0.1:8080",
  "ports": {
    "inside":  {"device": "net_af_packet0", "devargs": "iface=gw-in",
                "ipv6": ["2001:db8:6::1/64"]},
    "outside": {"device": "net_af_packet1", "devargs": "iface=gw-out",
                "ipv4": ["198.51.100.1/24"]}
  },
  "mode": "nat64",
  "nat64": {
    "pool6": "2001:db8:64::/96",
    "pool4": [{"prefix": "192.0.2.1/32", "protocols": ["tcp", "udp", "icmp"],
               "ports": {"min": 1024, "max": 65535}}],
    "capacity": 65536
  },
  "dns64": {
    "service": ["2001:db8:6::53"],
    "upstreams": ["198.51.100.2"]
  }
})json";
}

}  // namespace strait::ctl
