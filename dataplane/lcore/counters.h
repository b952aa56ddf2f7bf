// SPDX-License-Identifier: Apache-2.0
// Per-lcore counters: one cache-line-aligned block per lcore, single writer (the lcore),
// read by the main lcore with relaxed loads.
#pragma once

#include <atomic>
#include <cstdint>

#include "strait/util/drop_reasons.h"
#include "strait/util/stats.h"
#include "strait/util/xlat_counters.h"

namespace strait::dp {

// thread: written by the owning lcore only; read by the main lcore (relaxed).
struct alignas(64) LcoreCounters {
    uint64_t rx[2] = {};
    uint64_t tx[2] = {};
    uint64_t translated_v6_to_v4 = 0;
    uint64_t translated_v4_to_v6 = 0;
    uint64_t local_replies = 0;
    uint64_t drops[kDropReasonCount] = {};
    XlatCounters xlat;  // the translator's own (XlatContext), copied once per burst

    void drop(DropReason r) { ++drops[static_cast<unsigned>(r)]; }
};

/// Copies a block for reporting. Plain loads of aligned 64-bit words do not tear on the
/// platforms DPDK supports; atomic_ref makes the intent explicit.
inline LcoreStats read_counters(const LcoreCounters& c) {
    LcoreStats s;
    auto ld = [](const uint64_t& v) {
        return std::atomic_ref<uint64_t>(const_cast<uint64_t&>(v)).load(std::memory_order_relaxed);
    };
    for (int p = 0; p < 2; ++p) {
        s.rx[p] = ld(c.rx[p]);
        s.tx[p] = ld(c.tx[p]);
    }
    s.translated_v6_to_v4 = ld(c.translated_v6_to_v4);
    s.translated_v4_to_v6 = ld(c.translated_v4_to_v6);
    s.local_replies = ld(c.local_replies);
    for (std::size_t i = 0; i < kDropReasonCount; ++i) s.drops[i] = ld(c.drops[i]);
    for (std::size_t i = 0; i < kXlatCounterCount; ++i) s.xlat[i] = ld(c.xlat.v[i]);
    return s;
}

}  // namespace strait::dp
