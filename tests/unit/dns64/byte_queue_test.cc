// SPDX-License-Identifier: Apache-2.0
// The chunked byte FIFO behind the DNS64 lcore's TCP buffers, against a std::deque model
// under random appends, reads and consumes (the seed is printed).
#include "dns64/lcore/byte_queue.h"

#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <vector>

namespace strait::dns64::lcore {
namespace {

struct Store {
    explicit Store(uint32_t n) : mem(n * ChunkStore::kChunk), next(n + 1) {
        st.init(mem.data(), next.data(), n);
    }
    std::vector<uint8_t> mem;
    std::vector<uint32_t> next;
    ChunkStore st;
};

std::vector<uint8_t> bytes(uint32_t n, uint8_t first) {
    std::vector<uint8_t> v(n);
    for (uint32_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(first + i);
    return v;
}

TEST(ByteQueue, ZeroInitialisedIsEmptyAndAppendsAcrossChunks) {
    Store s(8);
    ByteQueue q{};
    EXPECT_EQ(q.size(), 0u);
    const auto a = bytes(1300, 7);
    ASSERT_TRUE(q.append(s.st, a.data(), 1300));
    EXPECT_EQ(q.size(), 1300u);
    EXPECT_EQ(s.st.free_chunks(), 5u);  // 1300 bytes: three 512-byte chunks
    std::vector<uint8_t> out(1300);
    q.read(s.st, 0, 1300, out.data());
    EXPECT_EQ(out, a);
    q.read(s.st, 510, 4, out.data());  // straddles a chunk boundary
    EXPECT_EQ(std::vector<uint8_t>(out.begin(), out.begin() + 4),
              std::vector<uint8_t>(a.begin() + 510, a.begin() + 514));
}

TEST(ByteQueue, AppendIsAllOrNothingAndConsumeReturnsChunks) {
    Store s(2);
    ByteQueue q{};
    const auto a = bytes(1025, 1);
    EXPECT_FALSE(q.append(s.st, a.data(), 1025)) << "needs three chunks, two exist";
    EXPECT_EQ(q.size(), 0u);
    EXPECT_EQ(s.st.free_chunks(), 2u);
    ASSERT_TRUE(q.append(s.st, a.data(), 1024));
    EXPECT_EQ(s.st.free_chunks(), 0u);
    q.consume(s.st, 600);
    EXPECT_EQ(s.st.free_chunks(), 1u);
    q.clear(s.st);
    EXPECT_EQ(s.st.free_chunks(), 2u);
    EXPECT_EQ(q.size(), 0u);
}

TEST(ByteQueue, TwoQueuesShareTheStore) {
    Store s(3);
    ByteQueue q1{}, q2{};
    const auto a = bytes(700, 3);
    ASSERT_TRUE(q1.append(s.st, a.data(), 700));
    EXPECT_FALSE(q2.append(s.st, a.data(), 700));
    ASSERT_TRUE(q2.append(s.st, a.data(), 500));
    std::vector<uint8_t> out(500);
    q2.read(s.st, 0, 500, out.data());
    EXPECT_EQ(out, std::vector<uint8_t>(a.begin(), a.begin() + 500));
    q1.clear(s.st);
    q2.clear(s.st);
    EXPECT_EQ(s.st.free_chunks(), 3u);
}

TEST(ByteQueue, MatchesADequeUnderRandomOperations) {
    const uint32_t seed = std::random_device{}();
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    Store s(16);
    ByteQueue q{};
    std::deque<uint8_t> model;
    uint8_t next = 0;
    for (int step = 0; step < 20000; ++step) {
        const uint32_t op = rng() % 3;
        if (op == 0) {
            const uint32_t n = rng() % 1500;
            const auto a = bytes(n, next);
            const bool fits = q.append(s.st, a.data(), n);
            if (fits) {
                model.insert(model.end(), a.begin(), a.end());
                next = static_cast<uint8_t>(next + n);
            }
            ASSERT_EQ(q.size(), model.size());
        } else if (op == 1 && !model.empty()) {
            const uint32_t n = static_cast<uint32_t>(rng() % (model.size() + 1));
            q.consume(s.st, n);
            model.erase(model.begin(), model.begin() + n);
            ASSERT_EQ(q.size(), model.size());
        } else if (!model.empty()) {
            const uint32_t off = static_cast<uint32_t>(rng() % model.size());
            const uint32_t n = static_cast<uint32_t>(rng() % (model.size() - off + 1));
            std::vector<uint8_t> out(n);
            q.read(s.st, off, n, out.data());
            ASSERT_TRUE(std::equal(out.begin(), out.end(), model.begin() + off));
        }
        // Every chunk is either free or holds queued bytes: nothing leaks.
        const uint32_t held = 16 - s.st.free_chunks();
        ASSERT_LE(held, (model.size() + 2 * ChunkStore::kChunk - 2) / ChunkStore::kChunk + 1);
        if (model.empty()) {
            ASSERT_EQ(held, 0u);
        }
    }
}

}  // namespace
}  // namespace strait::dns64::lcore
