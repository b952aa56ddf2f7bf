// SPDX-License-Identifier: Apache-2.0
// JSON config -> typed Config: parse, validate (errors name the JSON pointer), normalise.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "strait/config/config.h"
#include "strait/util/result.h"

namespace strait::ctl {

/// Validates and normalises a whole config document. Unknown keys are errors (a typo must
/// not silently fall back to a default). Thread: any; no side effects.
Result<config::Config> parse_config(const nlohmann::json& doc);

/// Parses JSON text (syntax errors report line/column) then parse_config().
Result<config::Config> parse_config_text(std::string_view text);

/// Reads and parses a config file; `text`, when given, receives the file's contents.
Result<config::Config> load_config_file(const std::string& path, std::string* text = nullptr);

/// The embedded default: the demo topology (see README), used when no file is given.
std::string_view embedded_default_config();

}  // namespace strait::ctl
