// SPDX-License-Identifier: Apache-2.0
// Byte-exact comparison against scapy-built vectors (tests/golden/xlat/regenerate.py).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "packet_builder.h"
#include "siit_mapper.h"
#include "v4_to_v6.h"
#include "v6_to_v4.h"

namespace strait::xlat::test {
namespace {

struct Vector {
    std::string name, direction;
    Bytes in, out;
};

Bytes unhex(const std::string& s) {
    Bytes b;
    for (std::size_t i = 0; i + 1 < s.size(); i += 2) {
        b.push_back(static_cast<uint8_t>(std::stoi(s.substr(i, 2), nullptr, 16)));
    }
    return b;
}

std::vector<Vector> load() {
    std::ifstream f(STRAIT_GOLDEN_DIR "/vectors.txt");
    std::vector<Vector> v;
    std::string line;
    while (std::getline(f, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream ss(line);
        Vector x;
        std::string in, out;
        ss >> x.name >> x.direction >> in >> out;
        x.in = unhex(in);
        x.out = unhex(out);
        v.push_back(x);
    }
    return v;
}

TEST(Golden, ScapyVectorsMatchByteForByte) {
    const std::vector<Vector> vectors = load();
    ASSERT_GE(vectors.size(), 18u) << "missing " STRAIT_GOLDEN_DIR "/vectors.txt";
    const Eamt eamt;
    SiitMapper mapper(eamt, net::Ipv6Prefix{v6("2001:db8:64::"), 96}, false);
    // Each vector on its own: one failing vector does not hide the others.
    const auto check = [&](const Vector& x) {
        SCOPED_TRACE(x.name);
        XlatConfig cfg;
        XlatContext ctx;
        ctx.next_ipv4_id = 1;
        Buf b(x.in);
        const Outcome r = x.direction == "v4_to_v6" ? translate_v4_to_v6(b.pkt, cfg, ctx, mapper)
                                                    : translate_v6_to_v4(b.pkt, cfg, ctx, mapper);
        ASSERT_EQ(r.verdict, Verdict::Forward) << drop_label(r.reason);
        const Bytes got = b.bytes();
        ASSERT_EQ(got.size(), x.out.size());
        for (std::size_t i = 0; i < got.size(); ++i) {
            ASSERT_EQ(int{got[i]}, int{x.out[i]}) << "first difference at byte " << i;
        }
    };
    for (const Vector& x : vectors) check(x);
}

}  // namespace
}  // namespace strait::xlat::test
