// SPDX-License-Identifier: Apache-2.0
// How a polling lcore backs off when its queues are empty, so lcores can share CPUs on
// small machines. Only the idle path pays: a poll that found work resets the count.
#pragma once

#include <rte_cycles.h>
#include <sched.h>

#include <cstdint>

namespace strait::dp {

struct IdlePolicy {
    /// Consecutive empty polls before sched_yield(): another lcore thread pinned to the
    /// same CPU runs at once instead of waiting for the end of a scheduler time slice.
    /// 0: never yield. With nothing else runnable on the CPU, a yield returns at once.
    uint32_t yield_after = 0;
    uint32_t sleep_after = 256;  ///< consecutive empty polls before sleeping
    uint32_t sleep_us = 0;       ///< 0: never sleep
};

class IdleBackoff {
public:
    explicit IdleBackoff(const IdlePolicy& p) : p_(p) {}

    /// Call once per loop with whether the loop found any work.
    void after_poll(bool busy) {
        if (busy) {
            empty_ = 0;
            return;
        }
        ++empty_;
        if (p_.sleep_us && empty_ > p_.sleep_after) {
            rte_delay_us_sleep(p_.sleep_us);
        } else if (p_.yield_after && empty_ >= p_.yield_after) {
            sched_yield();
        }
    }

private:
    IdlePolicy p_;
    uint32_t empty_ = 0;
};

}  // namespace strait::dp
