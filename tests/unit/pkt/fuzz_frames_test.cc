// SPDX-License-Identifier: Apache-2.0
// Fuzz-ish robustness: random and mutated frames of random lengths through classify() and
// the local answers, each in an exact-size heap buffer so ASan (build with
// -Db_sanitize=address,undefined) catches any read or write past the frame. Deterministic:
// the seed is printed and can be replaced with STRAIT_FUZZ_SEED=<n>.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>

#include "dataplane/pkt/classify.h"
#include "dataplane/pkt/frame.h"
#include "dataplane/pkt/local_reply.h"
#include "tests/unit/pkt/test_frames.h"
#include "tests/unit/pkt/vectors.h"

namespace strait::pkt {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): test helpers
namespace v = vectors;

uint64_t seed() {
    const char* s = std::getenv("STRAIT_FUZZ_SEED");
    const uint64_t n = s ? std::strtoull(s, nullptr, 0) : 0x5354524149ull;
    std::printf("STRAIT_FUZZ_SEED=%llu\n", static_cast<unsigned long long>(n));
    return n;
}

struct Tally {
    uint64_t kinds[8] = {};
    uint64_t reasons[kDropReasonCount] = {};
    uint64_t replies = 0;
};

/// Runs one frame through the worker's stages on an exact-size buffer and checks the
/// invariants that hold for any input.
void exercise(const Frame& f, PortRole role, Tally& t) {
    const LocalAddrs local = role == PortRole::Inside ? inside_local() : outside_local();
    const auto len = static_cast<uint32_t>(f.size());
    std::unique_ptr<uint8_t[]> buf(new uint8_t[len ? len : 1]);
    if (len) std::memcpy(buf.get(), f.data(), len);
    const Classified c = classify(buf.get(), len, role, local);
    ++t.kinds[static_cast<unsigned>(c.kind)];
    if (c.kind == Kind::Drop) {
        ++t.reasons[static_cast<unsigned>(c.reason)];
        return;
    }
    ASSERT_LE(c.l3_len + kEthHdrLen, len);
    LocalResult r;
    switch (c.kind) {
        case Kind::Arp: r = arp_input(buf.get(), len, local); break;
        case Kind::Ndp: r = ndp_input(buf.get(), c.l3_len, len, local); break;
        case Kind::Echo6: r = echo6_reply(buf.get(), c.l3_len, local.mac); break;
        case Kind::Echo4: r = echo4_reply(buf.get(), c.l3_len, local.mac); break;
        default: return;  // transit: translation is tested elsewhere
    }
    if (r.action == LocalAction::Drop) ++t.reasons[static_cast<unsigned>(r.reason)];
    if (r.action != LocalAction::Reply) return;
    ++t.replies;
    ASSERT_LE(r.frame_len, len);
    const Frame out(buf.get(), buf.get() + r.frame_len);
    // Whatever we send must itself be well formed.
    if (c.kind == Kind::Echo4) {
        EXPECT_EQ(verify_ipv4_header(out), 0);
        EXPECT_EQ(verify_icmp4(out), 0);
    } else if (c.kind == Kind::Echo6 || c.kind == Kind::Ndp) {
        EXPECT_EQ(verify_icmp6(out), 0);
    }
    // The source MAC is ours, also for echo requests sent to a group MAC.
    EXPECT_EQ(std::memcmp(out.data() + 6, local.mac.b.data(), 6), 0)
        << "source MAC is not ours, kind " << static_cast<int>(c.kind);
}

TEST(FuzzFrames, RandomBytesOfRandomLength) {
    std::mt19937_64 rng(seed());
    Tally t;
    const LocalAddrs in = inside_local();
    const LocalAddrs out = outside_local();
    for (int i = 0; i < 100000; ++i) {
        Frame f(rng() % 200);
        for (auto& b : f) b = static_cast<uint8_t>(rng());
        // Bias the header so random bytes get past the first checks often enough.
        const PortRole role = (rng() & 1) ? PortRole::Inside : PortRole::Outside;
        if (f.size() >= 14 && (rng() & 3)) {
            std::memcpy(f.data(), (role == PortRole::Inside ? in : out).mac.b.data(), 6);
            static constexpr uint16_t kTypes[] = {0x0800, 0x86dd, 0x0806};
            put16(f, 12, kTypes[rng() % 3]);
            const uint8_t version = (rng() & 1) ? 0x40 : 0x60;
            if (f.size() > 14) f[14] = static_cast<uint8_t>((f[14] & 0x0f) | version);
        }
        exercise(f, role, t);
        if (HasFatalFailure()) return;
    }
    EXPECT_GT(t.kinds[static_cast<unsigned>(Kind::Drop)], 0u);
    EXPECT_GT(t.reasons[static_cast<unsigned>(DropReason::Ipv6Truncated)], 0u);
    EXPECT_GT(t.reasons[static_cast<unsigned>(DropReason::Ipv4Truncated)], 0u);
    EXPECT_GT(t.reasons[static_cast<unsigned>(DropReason::FrameTooShort)], 0u);
    EXPECT_GT(t.reasons[static_cast<unsigned>(DropReason::NotForUs)], 0u);
}

TEST(FuzzFrames, MutatedValidFrames) {
    std::mt19937_64 rng(seed() + 1);
    const std::pair<Frame, PortRole> seeds[] = {
        {frame_of(v::kArpRequest), PortRole::Outside},
        {frame_of(v::kArpReplyFromServer), PortRole::Outside},
        {frame_of(v::kEcho4Request), PortRole::Outside},
        {frame_of(v::kEcho4RequestOptions), PortRole::Outside},
        {frame_of(v::kTransit4Tcp), PortRole::Outside},
        {frame_of(v::kNeighborSolicit), PortRole::Inside},
        {frame_of(v::kDadNeighborSolicit), PortRole::Inside},
        {frame_of(v::kNeighborAdvertFromClient), PortRole::Inside},
        {frame_of(v::kEcho6Request), PortRole::Inside},
        {frame_of(v::kTransit6Udp), PortRole::Inside},
    };
    Tally t;
    for (int i = 0; i < 200000; ++i) {
        const auto& [base, role] = seeds[rng() % std::size(seeds)];
        Frame f = base;
        const unsigned flips = rng() % 4;
        for (unsigned k = 0; k < flips; ++k) f[rng() % f.size()] = static_cast<uint8_t>(rng());
        // Keep checksums right half the time so mutations reach the deeper checks.
        if (rng() & 1) {
            if (be16(f, 12) == 0x86dd && f.size() >= 58 && be16(f, 18) + 54u <= f.size()) {
                fix_icmp6(f);
            } else if (be16(f, 12) == 0x0800 && f.size() >= 34 && (f[14] & 0x0f) >= 5 &&
                       14u + (f[14] & 0x0f) * 4u <= f.size()) {
                fix_ipv4_header(f);
                const std::size_t ihl = (f[14] & 0x0f) * 4u;
                if (be16(f, 16) >= ihl + 4 && 14u + be16(f, 16) <= f.size()) fix_icmp4(f);
            }
        }
        switch (rng() % 4) {
            case 0: f.resize(rng() % (f.size() + 1)); break;     // truncate
            case 1: f.resize(f.size() + rng() % 64, 0); break;   // pad
            default: break;
        }
        exercise(f, role, t);
        if (HasFatalFailure()) return;
    }
    // The mutations must have reached every stage, or this test proves little.
    EXPECT_GT(t.kinds[static_cast<unsigned>(Kind::Arp)], 0u);
    EXPECT_GT(t.kinds[static_cast<unsigned>(Kind::Ndp)], 0u);
    EXPECT_GT(t.kinds[static_cast<unsigned>(Kind::Echo6)], 0u);
    EXPECT_GT(t.kinds[static_cast<unsigned>(Kind::Echo4)], 0u);
    EXPECT_GT(t.replies, 0u);
    EXPECT_GT(t.reasons[static_cast<unsigned>(DropReason::NdpMalformed)], 0u);
    EXPECT_GT(t.reasons[static_cast<unsigned>(DropReason::IcmpBadChecksum)], 0u);
    std::printf("replies=%llu\n", static_cast<unsigned long long>(t.replies));
}

}  // namespace
}  // namespace strait::pkt
