// SPDX-License-Identifier: Apache-2.0
// strait-rig frames: patched templates keep a valid UDP checksum (RFC 1624 incremental
// update against a full recomputation), answers parse, NDP solicitations get answered.
#include "frame.h"

#include <gtest/gtest.h>

#include <cstring>

namespace strait::rig {
namespace {

uint16_t full_udp_checksum(std::vector<uint8_t> f) {
    f[kUdpOff + 6] = f[kUdpOff + 7] = 0;
    uint32_t s = 0;
    auto add = [&s](const uint8_t* p, size_t n) {
        for (size_t i = 0; i < n; ++i) s += (i % 2 == 0) ? p[i] << 8 : p[i];
    };
    add(f.data() + kEthLen + 8, 32);
    size_t l4 = f.size() - kUdpOff;
    s += static_cast<uint32_t>(l4) + 17;
    add(f.data() + kUdpOff, l4);
    while (s >> 16) s = (s & 0xffff) + (s >> 16);
    uint16_t c = static_cast<uint16_t>(~s);
    return c == 0 ? 0xffff : c;
}

FrameSpec spec() {
    FrameSpec s;
    s.src_mac = {2, 0, 0, 0, 0, 1};
    s.dst_mac = {2, 0, 0, 0, 0, 2};
    s.src6 = {0x20, 0x01, 0x0d, 0xb8, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0};
    s.dst6 = {0x20, 0x01, 0x0d, 0xb8, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53};
    s.src_lo_base = 0x1000;
    s.src_count = 16;
    return s;
}

TEST(RigFrame, PatchedChecksumMatchesFullRecomputation) {
    std::string err;
    // Counter digits at an odd and at an even offset from the UDP header.
    for (const char* name : {"a{n}.wild.strait.test", "ab{n}.wild.strait.test", "x.strait.test"}) {
        Question q = make_question(name, "AAAA", err);
        ASSERT_FALSE(q.wire.empty()) << err;
        Template t = build_template(spec(), q);
        for (uint32_t i : {0u, 1u, 0xffffu, 0x12345678u, 0xffffffffu}) {
            std::vector<uint8_t> f = t.bytes;
            patch_query(f.data(), t, static_cast<uint16_t>(i * 7), static_cast<uint16_t>(i),
                        static_cast<uint16_t>(0x1000 + i % 16), i);
            uint16_t got = static_cast<uint16_t>(f[kUdpOff + 6] << 8 | f[kUdpOff + 7]);
            EXPECT_EQ(got, full_udp_checksum(f)) << name << " " << i;
        }
    }
}

TEST(RigFrame, CounterWritesEightHexDigits) {
    std::string err;
    Question q = make_question("{n}.wild.strait.test", "A", err);
    Template t = build_template(spec(), q);
    std::vector<uint8_t> f = t.bytes;
    patch_query(f.data(), t, 1, 2, 0x1000, 0xdeadbeef);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(f.data() + t.counter_at), 8), "deadbeef");
    EXPECT_EQ(f[kDnsOff + 12], 8);  // label length
}

TEST(RigFrame, RejectsBadLines) {
    std::string err;
    EXPECT_TRUE(make_question("x.test", "BOGUS", err).wire.empty());
    EXPECT_TRUE(make_question("{n}.{n}.test", "A", err).wire.empty());
    EXPECT_TRUE(make_question(std::string(64, 'a') + ".test", "A", err).wire.empty());
    EXPECT_EQ(make_question("x.test", "TYPE65", err).wire.size(), 8u + 4u);
}

TEST(RigFrame, ParsesAnAnswerToItsQuery) {
    std::string err;
    Template t = build_template(spec(), make_question("x.strait.test", "AAAA", err));
    std::vector<uint8_t> f = t.bytes;
    // Turn the query into an answer from the target: swap addresses and ports, QR, NXDOMAIN.
    std::memcpy(f.data() + kEthLen + 24, f.data() + kEthLen + 8, 16);
    std::memcpy(f.data() + kEthLen + 8, spec().dst6.data(), 16);
    f[kUdpOff] = 0;
    f[kUdpOff + 1] = 53;
    f[kUdpOff + 2] = 0x27;
    f[kUdpOff + 3] = 0x10;
    f[kDnsOff] = 0x12;
    f[kDnsOff + 1] = 0x34;
    f[kDnsOff + 2] |= 0x80;
    f[kDnsOff + 3] = 0x83;
    Answer a;
    ASSERT_TRUE(parse_answer(f.data(), static_cast<uint32_t>(f.size()), spec(), a));
    EXPECT_EQ(a.id, 0x1234);
    EXPECT_EQ(a.dport, 10000);
    EXPECT_EQ(a.rcode, 3);
    EXPECT_FALSE(parse_answer(t.bytes.data(), static_cast<uint32_t>(t.bytes.size()), spec(), a));
}

TEST(RigFrame, AnswersNeighborSolicitationForItsSourcesOnly) {
    std::vector<uint8_t> ns(kUdpOff + 32, 0);
    ns[12] = 0x86;
    ns[13] = 0xdd;
    std::memcpy(ns.data() + 6, spec().dst_mac.data(), 6);
    ns[kEthLen + 6] = 58;
    ns[kEthLen + 7] = 255;
    std::memcpy(ns.data() + kEthLen + 8, spec().dst6.data(), 16);
    ns[kUdpOff] = 135;
    std::array<uint8_t, 16> target = spec().src6;
    target[14] = 0x10;
    target[15] = 0x0f;  // base 0x1000 + 15: ours
    std::memcpy(ns.data() + kUdpOff + 8, target.data(), 16);
    std::array<uint8_t, 86> reply;
    uint32_t len = answer_ndp(ns.data(), static_cast<uint32_t>(ns.size()), spec(), reply);
    ASSERT_EQ(len, kUdpOff + 32);
    EXPECT_EQ(reply[kUdpOff], 136);
    EXPECT_EQ(0, std::memcmp(reply.data(), spec().dst_mac.data(), 6));
    EXPECT_EQ(0, std::memcmp(reply.data() + kUdpOff + 26, spec().src_mac.data(), 6));
    ns[kUdpOff + 8 + 15] = 0x10;  // base + 16: not ours
    EXPECT_EQ(answer_ndp(ns.data(), static_cast<uint32_t>(ns.size()), spec(), reply), 0u);
}

}  // namespace
}  // namespace strait::rig
