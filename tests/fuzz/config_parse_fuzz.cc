// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the config pipeline's front door, parse_config_text (control/model), on any
// bytes. The contract (control/model/config_parse.h, STYLE.md "Errors"): every input gives
// a Config or an Error whose field is a JSON pointer naming the bad field, and no exception
// escapes. For JSON that parses, the pointer must resolve in the document, or name a
// missing member of an object that is there ("required" errors). Accepted configs are
// checked against the schema's ranges and parsed again to the same verdict.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "control/model/config_parse.h"

namespace strait::ctl {
namespace {

using nlohmann::json;

[[noreturn]] void violated(const char* what, const std::string& detail = {}) {
    std::fprintf(stderr, "config_parse_fuzz: invariant violated: %s %s\n", what, detail.c_str());
    std::abort();
}

void check(bool ok, const char* what, const std::string& detail = {}) {
    if (!ok) violated(what, detail);
}

/// The value `p` names in `doc`, or nullptr (nlohmann throws for some misses).
const json* resolve(const json& doc, const json::json_pointer& p) {
    try {
        return doc.contains(p) ? &doc.at(p) : nullptr;
    } catch (const json::exception&) {
        return nullptr;
    }
}

/// RFC 6901: the error's field names a value in `doc`, or a member missing from an object
/// that is in `doc`.
void check_pointer(const json& doc, const Error& e) {
    json::json_pointer ptr;
    try {
        ptr = json::json_pointer(e.field);
    } catch (const json::exception&) {
        violated("error field is not a JSON pointer:", e.to_string());
    }
    if (resolve(doc, ptr)) return;
    const json* parent = ptr.empty() ? nullptr : resolve(doc, ptr.parent_pointer());
    check(parent && parent->is_object(),
          "error field names nothing in the document:", e.to_string());
}

/// A few schema ranges (README "Configuration") that parse_config promises to enforce.
void check_config(const config::Config& c) {
    const auto& s = c.startup;
    check(s.workers >= 1 && s.workers <= 64, "workers out of range");
    check(!s.inside.ipv6.empty() && !s.outside.ipv4.empty(), "a port without an address");
    check(s.inside.mtu >= 1280 && s.outside.mtu >= 1280, "port MTU below 1280");
    check(s.inside.device != s.outside.device, "both ports on one device");
    check((s.dns64_ring_size & (s.dns64_ring_size - 1)) == 0, "ring size not a power of two");
    check(c.runtime.lowest_ipv6_mtu >= 1280, "lowest_ipv6_mtu below 1280");
    check(c.runtime.mode != config::Mode::Siit || c.runtime.pool6 || !c.runtime.eamt.empty(),
          "siit mode without a mapping");
    check(s.dns64_lcore == c.dns64.has_value(), "dns64_lcore and the dns64 object disagree");
}

void one_input(const uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const auto r = parse_config_text(text);
        const json doc = json::parse(text, nullptr, false);
        if (r.ok()) {
            check(!doc.is_discarded(), "accepted text that is not JSON");
            check_config(*r);
            const auto again = parse_config(doc);
            check(again.ok(), "the same document parsed twice gave two verdicts");
            return;
        }
        const Error& e = r.error();
        check(e.code == ErrorCode::InvalidArgument && !e.message.empty(),
              "error without a message");
        check(e.field.empty() || e.field[0] == '/', "error field is not a JSON pointer:", e.field);
        if (doc.is_discarded()) {
            check(e.field.empty(), "a syntax error names a field:", e.field);
            return;
        }
        check_pointer(doc, e);
        const auto again = parse_config(doc);
        check(!again.ok() && again.error().to_string() == e.to_string(),
              "the same document parsed twice gave two verdicts");
    } catch (const std::exception& x) {
        violated("exception escaped:", x.what());
    }
}

}  // namespace
}  // namespace strait::ctl

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    strait::ctl::one_input(data, size);
    return 0;
}
