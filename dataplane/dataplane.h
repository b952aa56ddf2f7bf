// SPDX-License-Identifier: Apache-2.0
// The running dataplane: EAL, ports, neighbour tables and lcores, from start to clean stop.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "strait/config/config.h"
#include "strait/util/result.h"
#include "strait/util/stats.h"

namespace strait::dp {

class Dataplane {
public:
    /// Initialises EAL (config eal_args + `eal_overrides`), sets up both ports and
    /// launches the worker lcores. Thread: main, once per process.
    static Result<std::unique_ptr<Dataplane>> start(const config::Config& cfg,
                                                    const std::vector<std::string>& eal_overrides);
    ~Dataplane();

    /// Copies all counters. Thread: any (relaxed reads).
    [[nodiscard]] StatsSnapshot stats() const;
    /// Stops lcores, drains TX, closes ports, releases EAL memory; returns the counters
    /// as they were once the lcores stopped (empty on a second call). Thread: main.
    StatsSnapshot stop();
    /// Empties the DNS64 answer cache (applied by the DNS64 lcore at its next lookup);
    /// false when DNS64 is not configured. Thread: any.
    bool flush_dns64_cache();

    struct Impl;

private:
    explicit Dataplane(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace strait::dp
