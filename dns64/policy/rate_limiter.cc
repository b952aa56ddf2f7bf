// SPDX-License-Identifier: Apache-2.0
// Implementation of the per-client token bucket.
#include "dns64/policy/rate_limiter.h"

#include <algorithm>

#include "dns64/policy/policy.h"

namespace strait::dns64 {

void RateLimiter::configure(uint32_t qps, uint32_t burst, std::size_t slots) {
    qps_ = qps;
    burst_nano_ = uint64_t{burst ? burst : 2 * qps} * 1'000'000'000ull;
    std::size_t n = 2;
    while (n < slots) n <<= 1;
    slots_.assign(qps ? n : 0, Slot{});
    mask_ = n - 1;
}

bool RateLimiter::allow(const net::Ipv6Addr& client, uint64_t now_ns) {
    if (qps_ == 0) return true;
    const std::size_t i = fnv1a(client.b.data(), client.b.size()) & mask_;
    Slot* s = &slots_[i];
    Slot* other = &slots_[i ^ 1];
    if (!(s->used && s->addr == client)) {
        if (other->used && other->addr == client) {
            s = other;
        } else {
            if (s->used && (!other->used || other->last_ns < s->last_ns)) s = other;
            *s = Slot{client, true, now_ns, burst_nano_};
        }
    }
    if (now_ns > s->last_ns) {
        const uint64_t dt = now_ns - s->last_ns;
        // qps tokens per second == qps nano-tokens per ns; saturate at the burst.
        const uint64_t add = dt >= burst_nano_ / qps_ ? burst_nano_ : dt * qps_;
        s->tokens_nano = std::min(burst_nano_, s->tokens_nano + add);
        s->last_ns = now_ns;
    }
    if (s->tokens_nano < 1'000'000'000ull) return false;
    s->tokens_nano -= 1'000'000'000ull;
    return true;
}

}  // namespace strait::dns64
