// SPDX-License-Identifier: Apache-2.0
// Per-client token bucket over a fixed, preallocated table (bounded memory under floods).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "strait/net/addr.h"

namespace strait::dns64 {

/// Token bucket per client address in a 2-way set-associative table: a new client takes
/// the least recently seen of its two slots, so memory stays bounded and a flood of
/// spoofed sources only evicts itself. Thread: DNS64 lcore only.
class RateLimiter {
public:
    /// `qps` 0 disables limiting; `burst` 0 means 2 * qps. Resets all buckets.
    void configure(uint32_t qps, uint32_t burst, std::size_t slots = 16384);
    /// Takes one token for `client`; false when the bucket is empty (drop, count).
    bool allow(const net::Ipv6Addr& client, uint64_t now_ns);
    [[nodiscard]] bool enabled() const { return qps_ != 0; }

private:
    struct Slot {
        net::Ipv6Addr addr;
        bool used = false;
        uint64_t last_ns = 0;
        uint64_t tokens_nano = 0;  // tokens * 1e9, so refill is integer arithmetic
    };
    uint64_t qps_ = 0;
    uint64_t burst_nano_ = 0;
    std::vector<Slot> slots_;
    std::size_t mask_ = 0;
};

}  // namespace strait::dns64
