// SPDX-License-Identifier: Apache-2.0
// Renders a StatsSnapshot as the REST JSON document and as Prometheus text.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "strait/util/stats.h"

namespace strait::ctl {

/// {"uptime_ms", "totals": {rx, tx, ..., "drops": {label: n}}, "ports": [...], "lcores": [...]}
/// Drop labels with a zero count are omitted from "drops" but present in "lcores".
nlohmann::json stats_to_json(const StatsSnapshot& s);

/// Prometheus exposition: strait_<area>_<name>_total{lcore="..",reason=".."}.
std::string stats_to_prometheus(const StatsSnapshot& s);

}  // namespace strait::ctl
