// SPDX-License-Identifier: Apache-2.0
// Injectable randomness for upstream transaction IDs and source ports (RFC 5452 §9).
#pragma once

#include <sys/random.h>

#include <cstddef>
#include <cstdint>

namespace strait::dns64 {

/// Source of random 64-bit words. Only used on the miss path (one call per upstream
/// query), so a virtual call is fine. Thread: owned by one thread.
class Rng {
public:
    virtual ~Rng() = default;
    virtual uint64_t next() = 0;
};

/// Deterministic SplitMix64 for tests and benchmarks (print the seed). Not for production:
/// RFC 5452 needs unpredictable IDs and ports.
class SplitMixRng final : public Rng {
public:
    explicit SplitMixRng(uint64_t seed) : s_(seed) {}
    uint64_t next() override {
        uint64_t z = (s_ += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }

private:
    uint64_t s_;
};

/// Kernel randomness (getrandom(2)) drawn 4 KiB at a time, so the DNS64 lcore makes one
/// syscall per 512 upstream queries. Falls back to SplitMix on syscall failure.
class SystemRng final : public Rng {
public:
    uint64_t next() override {
        if (pos_ == kWords) refill();
        return buf_[pos_++];
    }

private:
    static constexpr std::size_t kWords = 512;
    void refill() {
        if (getrandom(buf_, sizeof buf_, 0) != static_cast<ssize_t>(sizeof buf_)) {
            for (auto& w : buf_) w = fallback_.next();
        }
        pos_ = 0;
    }
    uint64_t buf_[kWords] = {};
    std::size_t pos_ = kWords;
    SplitMixRng fallback_{0x5eed};
};

}  // namespace strait::dns64
