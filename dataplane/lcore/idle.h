// SPDX-License-Identifier: Apache-2.0
// How a polling lcore backs off when its queues are empty, so lcores can share CPUs on
// small machines. Only the idle path pays: a poll that found work resets the count.
#pragma once

#include <rte_cycles.h>
#include <rte_rcu_qsbr.h>
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
    /// The lcore reports quiescent states as thread `id` of `v`: it goes offline while it
    /// sleeps, so a grace period never waits for a sleeping lcore.
    IdleBackoff(const IdlePolicy& p, rte_rcu_qsbr* v, unsigned id) : p_(p), qsbr_(v), id_(id) {}

    /// Call once per loop with whether the loop found any work.
    void after_poll(bool busy) {
        if (busy) {
            empty_ = 0;
            return;
        }
        ++empty_;
        if (p_.sleep_us && empty_ > p_.sleep_after) {
            if (qsbr_) rte_rcu_qsbr_thread_offline(qsbr_, id_);
            rte_delay_us_sleep(p_.sleep_us);
            if (qsbr_) rte_rcu_qsbr_thread_online(qsbr_, id_);
        } else if (p_.yield_after && empty_ >= p_.yield_after) {
            sched_yield();
        }
    }

private:
    IdlePolicy p_;
    rte_rcu_qsbr* qsbr_ = nullptr;
    unsigned id_ = 0;
    uint32_t empty_ = 0;
};

}  // namespace strait::dp
