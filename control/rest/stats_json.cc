// SPDX-License-Identifier: Apache-2.0
// StatsSnapshot -> JSON and Prometheus text.
#include "control/rest/stats_json.h"

#include <sstream>

namespace strait::ctl {

using nlohmann::json;

namespace {
// Every translator counter, zero or not (they are few, and a missing key reads as a bug).
json xlat_json(const std::array<uint64_t, kXlatCounterCount>& v) {
    json j = json::object();
    for (std::size_t i = 0; i < kXlatCounterCount; ++i) {
        j[std::string(xlat_counter_name(static_cast<XlatCounter>(i)))] = v[i];
    }
    return j;
}
// The DNS64 lcore translates nothing: its translator counters are not shown.
bool translates(const LcoreStats& l) { return l.role != "dns64"; }
}  // namespace

json stats_to_json(const StatsSnapshot& s) {
    LcoreStats total;
    json lcores = json::array();
    for (const auto& l : s.lcores) {
        json drops = json::object();
        for (std::size_t i = 0; i < kDropReasonCount; ++i) {
            total.drops[i] += l.drops[i];
            if (l.drops[i]) drops[std::string(drop_label(static_cast<DropReason>(i)))] = l.drops[i];
        }
        for (int p = 0; p < 2; ++p) {
            total.rx[p] += l.rx[p];
            total.tx[p] += l.tx[p];
        }
        total.translated_v6_to_v4 += l.translated_v6_to_v4;
        total.translated_v4_to_v6 += l.translated_v4_to_v6;
        total.local_replies += l.local_replies;
        for (std::size_t i = 0; i < kXlatCounterCount; ++i) total.xlat[i] += l.xlat[i];
        json lc = {{"lcore", l.lcore},
                   {"role", l.role},
                   {"rx", {{"inside", l.rx[0]}, {"outside", l.rx[1]}}},
                   {"tx", {{"inside", l.tx[0]}, {"outside", l.tx[1]}}},
                   {"translated_v6_to_v4", l.translated_v6_to_v4},
                   {"translated_v4_to_v6", l.translated_v4_to_v6},
                   {"local_replies", l.local_replies},
                   {"drops", drops}};
        if (translates(l)) lc["xlat"] = xlat_json(l.xlat);
        lcores.push_back(lc);
    }
    json drops = json::object();
    uint64_t dropped = 0;
    for (std::size_t i = 0; i < kDropReasonCount; ++i) {
        dropped += total.drops[i];
        if (total.drops[i]) {
            drops[std::string(drop_label(static_cast<DropReason>(i)))] = total.drops[i];
        }
    }
    json ports = json::array();
    for (const auto& p : s.ports) {
        ports.push_back({{"name", p.name},
                         {"ipackets", p.ipackets},
                         {"opackets", p.opackets},
                         {"ibytes", p.ibytes},
                         {"obytes", p.obytes},
                         {"imissed", p.imissed},
                         {"ierrors", p.ierrors},
                         {"oerrors", p.oerrors},
                         {"rx_nombuf", p.rx_nombuf}});
    }
    json out = {{"uptime_ms", s.uptime_ms},
                {"totals",
                 {{"rx", {{"inside", total.rx[0]}, {"outside", total.rx[1]}}},
                  {"tx", {{"inside", total.tx[0]}, {"outside", total.tx[1]}}},
                  {"translated_v6_to_v4", total.translated_v6_to_v4},
                  {"translated_v4_to_v6", total.translated_v4_to_v6},
                  {"local_replies", total.local_replies},
                  {"dropped", dropped},
                  {"drops", drops},
                  {"xlat", xlat_json(total.xlat)}}},
                {"ports", ports},
                {"lcores", lcores}};
    const std::pair<const char*, const std::vector<NamedCounter>*> groups[] = {
        {"dns64", &s.dns64},
        {"dns64_cache", &s.dns64_cache},
        {"dns64_upstream", &s.dns64_upstream}};
    for (const auto& [key, counters] : groups) {
        if (counters->empty()) continue;
        json g = json::object();
        for (const auto& c : *counters) g[c.name] = c.value;
        out[key] = g;
    }
    if (!s.nat64.empty()) {
        json g = json::object();
        for (const auto& c : s.nat64) {
            if (c.proto.empty()) {
                g[c.name] = c.value;
            } else {
                g[c.name][c.proto] = c.value;
            }
        }
        out["nat64"] = g;
        json pool4 = json::array();
        for (const auto& u : s.pool4) {
            pool4.push_back({{"address", u.address},
                             {"protocol", u.proto},
                             {"used", u.used},
                             {"ports", u.ports}});
        }
        out["pool4"] = pool4;
    }
    return out;
}

std::string stats_to_prometheus(const StatsSnapshot& s) {
    std::ostringstream o;
    o << "# HELP strait_dataplane_packets_total Packets received/sent by worker lcores.\n"
         "# TYPE strait_dataplane_packets_total counter\n";
    for (const auto& l : s.lcores) {
        for (int p = 0; p < 2; ++p) {
            const char* port = p == 0 ? "inside" : "outside";
            o << "strait_dataplane_packets_total{lcore=\"" << l.lcore << "\",port=\"" << port
              << "\",dir=\"rx\"} " << l.rx[p] << "\n";
            o << "strait_dataplane_packets_total{lcore=\"" << l.lcore << "\",port=\"" << port
              << "\",dir=\"tx\"} " << l.tx[p] << "\n";
        }
    }
    o << "# HELP strait_dataplane_translated_total Packets translated, by direction.\n"
         "# TYPE strait_dataplane_translated_total counter\n";
    for (const auto& l : s.lcores) {
        o << "strait_dataplane_translated_total{lcore=\"" << l.lcore << "\",dir=\"v6_to_v4\"} "
          << l.translated_v6_to_v4 << "\n";
        o << "strait_dataplane_translated_total{lcore=\"" << l.lcore << "\",dir=\"v4_to_v6\"} "
          << l.translated_v4_to_v6 << "\n";
    }
    o << "# HELP strait_dataplane_drops_total Packets dropped, by reason.\n"
         "# TYPE strait_dataplane_drops_total counter\n";
    for (const auto& l : s.lcores) {
        for (std::size_t i = 0; i < kDropReasonCount; ++i) {
            o << "strait_dataplane_drops_total{lcore=\"" << l.lcore << "\",reason=\""
              << drop_label(static_cast<DropReason>(i)) << "\"} " << l.drops[i] << "\n";
        }
    }
    for (std::size_t i = 0; i < kXlatCounterCount; ++i) {
        const auto c = static_cast<XlatCounter>(i);
        const std::string m = "strait_xlat_" + std::string(xlat_counter_name(c)) + "_total";
        o << "# HELP " << m << " Translator: " << xlat_counter_help(c) << ".\n# TYPE " << m
          << " counter\n";
        for (const auto& l : s.lcores) {
            if (translates(l)) o << m << "{lcore=\"" << l.lcore << "\"} " << l.xlat[i] << "\n";
        }
    }
    // name suffix: counters end in _total (Prometheus convention), gauges do not.
    auto emit = [&o](const std::string& prefix, const NamedCounter& c, bool gauge) {
        const std::string m = prefix + c.name + (gauge ? "" : "_total");
        o << "# HELP " << m << " DNS64: " << c.help << ".\n# TYPE " << m
          << (gauge ? " gauge\n" : " counter\n") << m << " " << c.value << "\n";
    };
    for (const auto& c : s.dns64) emit("strait_dns64_", c, false);
    for (const auto& c : s.dns64_cache) {
        emit("strait_dns64_cache_", c, c.name == "capacity" || c.name == "bytes");
    }
    for (const auto& g : s.dns64_upstream) emit("strait_dns64_", g, true);
    std::string last;
    for (const auto& c : s.nat64) {
        const std::string m = "strait_nat64_" + c.name + (c.gauge ? "" : "_total");
        if (m != last) {
            o << "# HELP " << m << " NAT64: " << c.help << ".\n# TYPE " << m
              << (c.gauge ? " gauge\n" : " counter\n");
            last = m;
        }
        o << m;
        if (!c.proto.empty()) o << "{proto=\"" << c.proto << "\"}";
        o << " " << c.value << "\n";
    }
    if (!s.pool4.empty()) {
        o << "# HELP strait_nat64_pool4_ports_used pool4 ports in use, by address and protocol.\n"
             "# TYPE strait_nat64_pool4_ports_used gauge\n";
        for (const auto& u : s.pool4) {
            o << "strait_nat64_pool4_ports_used{address=\"" << u.address << "\",proto=\"" << u.proto
              << "\"} " << u.used << "\n";
        }
        o << "# HELP strait_nat64_pool4_ports pool4 ports available, by address and protocol.\n"
             "# TYPE strait_nat64_pool4_ports gauge\n";
        for (const auto& u : s.pool4) {
            o << "strait_nat64_pool4_ports{address=\"" << u.address << "\",proto=\"" << u.proto
              << "\"} " << u.ports << "\n";
        }
    }
    return o.str();
}

}  // namespace strait::ctl
