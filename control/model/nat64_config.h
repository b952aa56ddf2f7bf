// SPDX-License-Identifier: Apache-2.0
// Parse and validate the "nat64" object of the Strait config (RFC 6146 stateful NAT64);
// errors name the JSON pointer of the bad field ("/nat64/pool4/0/ports/min").
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "strait/config/nat64.h"
#include "strait/util/result.h"

namespace strait::ctl {

/// Builds a Nat64Config from the JSON object `j` at JSON pointer `where`. Unknown keys are
/// errors. Checks: pool6 is an RFC 6052 prefix; pool4 entries do not overlap (same
/// address, protocol and port); static BIB entries lie inside pool4 and are unique on
/// both sides. Thread: control plane; never throws.
Result<config::Nat64Config> parse_nat64_config(const nlohmann::json& j,
                                               const std::string& where = "/nat64");

/// Protocol name as in the schema ("tcp", "udp", "icmp").
const char* proto_name(config::L4Proto p);

}  // namespace strait::ctl
