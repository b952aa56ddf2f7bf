// SPDX-License-Identifier: Apache-2.0
// The one table of translator event counters (not drops: those are drop_reasons.h). It
// generates the enum, the metric name and the help text; adding a counter is one line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

// X(Enumerator, "metric_name", "help text")
#define STRAIT_XLAT_COUNTERS(X)                                                                    \
    X(IcmpErrorsSent, "icmp_errors_sent", "ICMP/ICMPv6 errors the translator generated")           \
    X(IcmpErrorsRateLimited, "icmp_errors_rate_limited",                                           \
      "ICMP/ICMPv6 errors not generated: rate limit (siit.icmp_errors_per_sec)")                   \
    X(Rfc6791Pool, "rfc6791_pool",                                                                 \
      "ICMPv6 errors from unmapped sources given a siit.rfc6791_pool4 source")                     \
    X(Rfc6791Self, "rfc6791_self", "ICMPv6 errors from unmapped sources given the gateway's IPv4") \
    X(IcmpExtKept, "icmp_ext_kept", "ICMP errors translated with their RFC 4884 extension")        \
    X(IcmpExtRemoved, "icmp_ext_removed",                                                          \
      "RFC 4884 extensions removed: no room or no length field")                                   \
    X(IcmpExtInvalid, "icmp_ext_invalid", "RFC 4884 length fields inconsistent: read as none")     \
    X(UdpChecksumsComputed, "udp_checksums_computed",                                              \
      "zero IPv4 UDP checksums computed (RFC 7915 §4.5)")

namespace strait {

enum class XlatCounter : uint8_t {
#define STRAIT_X(e, name, help) e,
    STRAIT_XLAT_COUNTERS(STRAIT_X)
#undef STRAIT_X
        Count_
};

inline constexpr std::size_t kXlatCounterCount = static_cast<std::size_t>(XlatCounter::Count_);

/// Name and help text of one counter, in enum order.
struct XlatCounterInfo {
    std::string_view name;  ///< metric name: strait_xlat_<name>_total
    std::string_view help;
};
inline constexpr XlatCounterInfo kXlatCounterInfo[] = {
#define STRAIT_X(e, name, help) {name, help},
    STRAIT_XLAT_COUNTERS(STRAIT_X)
#undef STRAIT_X
};

/// Metric name of a counter ("icmp_errors_sent"); thread: any.
constexpr std::string_view xlat_counter_name(XlatCounter c) {
    return kXlatCounterInfo[static_cast<std::size_t>(c)].name;
}
/// One-line help text of a counter; thread: any.
constexpr std::string_view xlat_counter_help(XlatCounter c) {
    return kXlatCounterInfo[static_cast<std::size_t>(c)].help;
}

/// One lcore's translator counters: plain increments by the owning lcore.
struct XlatCounters {
    uint64_t v[kXlatCounterCount] = {};
    void inc(XlatCounter c) { ++v[static_cast<std::size_t>(c)]; }
    [[nodiscard]] uint64_t get(XlatCounter c) const { return v[static_cast<std::size_t>(c)]; }
};

}  // namespace strait
