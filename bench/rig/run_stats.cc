// SPDX-License-Identifier: Apache-2.0
// Percentiles and the RCODE summary of a rig run.
#include "run_stats.h"

namespace strait::rig {

uint64_t RunStats::percentile_us(double p) const {
    uint64_t total = answered_ + late_;
    if (total == 0) return 0;
    auto want = static_cast<uint64_t>(p * static_cast<double>(total));
    if (want == 0) want = 1;
    uint64_t seen = 0;
    for (uint32_t us = 0; us <= kMaxUs; ++us) {
        seen += latency_us_[us];
        if (seen >= want) return us;
    }
    return kMaxUs;
}

std::string RunStats::rcode_summary() const {
    static constexpr const char* kNames[16] = {
        "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",  "REFUSED", "YXDOMAIN", "YXRRSET",
        "NXRRSET", "NOTAUTH", "NOTZONE",  "RCODE11",  "RCODE12", "RCODE13", "RCODE14",  "RCODE15"};
    std::string out;
    for (int i = 0; i < 16; ++i) {
        if (rcodes_[i] == 0) continue;
        if (!out.empty()) out += ",";
        out += std::string(kNames[i]) + "=" + std::to_string(rcodes_[i]);
    }
    return out.empty() ? "none" : out;
}

}  // namespace strait::rig
