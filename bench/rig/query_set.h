// SPDX-License-Identifier: Apache-2.0
// The rig's query list: "name type" lines turned into DNS question wire bytes once, at start.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace strait::rig {

/// One question in wire form (QNAME, QTYPE, QCLASS=IN). A name with the marker "{n}" gets
/// eight hex digits there, patched per query from a counter (cache-miss mixes): `counter_at`
/// is the offset of those digits in `wire`, or -1.
struct Question {
    std::vector<uint8_t> wire;
    int counter_at = -1;
    std::string text;  // "name type", for reports
};

/// Reads FILE: one "name type" per line (types A AAAA PTR MX NS CNAME TXT SOA ANY or TYPEn);
/// blank lines and lines starting with '#' are skipped. Returns an empty list and sets
/// `error` ("file:line: why") on the first bad line.
std::vector<Question> load_questions(const std::string& file, std::string& error);

/// The question wire for one name and type, or empty with `error` set.
Question make_question(const std::string& name, const std::string& type, std::string& error);

}  // namespace strait::rig
