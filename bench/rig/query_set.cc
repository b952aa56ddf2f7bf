// SPDX-License-Identifier: Apache-2.0
// Parsing the rig's query list into question wire bytes.
#include "query_set.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

namespace strait::rig {
namespace {

constexpr std::pair<const char*, uint16_t> kTypes[] = {
    {"A", 1},   {"NS", 2},   {"CNAME", 5}, {"SOA", 6},  {"PTR", 12},
    {"MX", 15}, {"TXT", 16}, {"AAAA", 28}, {"SRV", 33}, {"ANY", 255},
};
constexpr const char* kCounterMarker = "{n}";
constexpr size_t kCounterDigits = 8;

int type_code(const std::string& t) {
    for (const auto& [name, code] : kTypes) {
        if (t == name) return code;
    }
    if (t.rfind("TYPE", 0) == 0 && t.size() > 4) {
        long v = std::strtol(t.c_str() + 4, nullptr, 10);
        if (v > 0 && v < 65536) return static_cast<int>(v);
    }
    return -1;
}

}  // namespace

Question make_question(const std::string& name, const std::string& type, std::string& error) {
    Question q;
    q.text = name + " " + type;
    int code = type_code(type);
    if (code < 0) {
        error = "unknown type " + type;
        return {};
    }
    std::string n = name;
    if (!n.empty() && n.back() == '.') n.pop_back();
    std::stringstream labels(n);
    std::string label;
    while (std::getline(labels, label, '.')) {
        size_t marker = label.find(kCounterMarker);
        std::string wire_label = label;
        if (marker != std::string::npos) {
            if (q.counter_at >= 0) {
                error = "more than one {n} in " + name;
                return {};
            }
            wire_label.replace(marker, 3, std::string(kCounterDigits, '0'));
            q.counter_at = static_cast<int>(q.wire.size() + 1 + marker);
        }
        if (wire_label.empty() || wire_label.size() > 63) {
            error = "bad label in " + name;
            return {};
        }
        q.wire.push_back(static_cast<uint8_t>(wire_label.size()));
        q.wire.insert(q.wire.end(), wire_label.begin(), wire_label.end());
    }
    q.wire.push_back(0);
    if (q.wire.size() > 255) {
        error = "name too long: " + name;
        return {};
    }
    q.wire.push_back(static_cast<uint8_t>(code >> 8));
    q.wire.push_back(static_cast<uint8_t>(code & 0xff));
    q.wire.push_back(0);
    q.wire.push_back(1);  // class IN
    return q;
}

std::vector<Question> load_questions(const std::string& file, std::string& error) {
    std::ifstream in(file);
    if (!in) {
        error = file + ": cannot open";
        return {};
    }
    std::vector<Question> out;
    std::string line;
    for (int no = 1; std::getline(in, line); ++no) {
        std::istringstream fields(line);
        std::string name, type;
        if (!(fields >> name) || name[0] == '#') continue;
        if (!(fields >> type)) type = "AAAA";
        Question q = make_question(name, type, error);
        if (q.wire.empty()) {
            error = file + ":" + std::to_string(no) + ": " + error;
            return {};
        }
        out.push_back(std::move(q));
    }
    if (out.empty()) error = file + ": no queries";
    return out;
}

}  // namespace strait::rig
