// SPDX-License-Identifier: Apache-2.0
// Parse and validate the "dns64" object of the Strait config into a Dns64Config; errors
// name the JSON pointer of the bad field ("/dns64/prefixes/1").
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "dns64/config.h"
#include "strait/util/result.h"

namespace strait::ctl {

/// Builds a Dns64Config from the JSON object `j` found at JSON pointer `where`. Unknown
/// keys are errors (typos must not silently fall back to defaults). Shape: see
/// dns64/README.md. Thread: control plane; never throws.
Result<dns64::Dns64Config> parse_dns64_config(const nlohmann::json& j,
                                              const std::string& where = "/dns64");

/// Same, from JSON text holding just the dns64 object (tests, CLI). Thread: any.
Result<dns64::Dns64Config> parse_dns64_config_text(std::string_view text,
                                                   const std::string& where = "/dns64");

/// Cross-field checks on a config however it was built (prefix lengths, RFC 6052 §2.2
/// u-octet, map indexes, port range). Thread: any.
Status validate_dns64_config(const dns64::Dns64Config& cfg, const std::string& where = "/dns64");

}  // namespace strait::ctl
