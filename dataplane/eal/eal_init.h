// SPDX-License-Identifier: Apache-2.0
// EAL start-up and port set-up from the startup config (main lcore, before workers run).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <rte_mempool.h>

#include "strait/config/config.h"
#include "strait/net/addr.h"
#include "strait/util/result.h"

namespace strait::dp {

/// argv for rte_eal_init: program name, config eal_args, one --vdev per port with
/// devargs, then `overrides` (command-line EAL arguments win because EAL takes the last).
/// AF_PACKET vdevs get qpairs=`queues` unless their devargs set it.
std::vector<std::string> build_eal_args(const config::StartupConfig& cfg,
                                        const std::vector<std::string>& overrides,
                                        unsigned queues);

/// Calls rte_eal_init. Thread: main, once.
Status init_eal(const std::vector<std::string>& args);

struct PortSetup {
    uint16_t port_id = 0;
    uint16_t nb_rx = 0;
    uint16_t nb_tx = 0;
    net::MacAddr mac;
};

/// Finds, configures and starts one port with up to `want_rx`/`want_tx` queues; for
/// AF_PACKET the RX queue count is whatever the device has (every socket must be polled).
Result<PortSetup> setup_port(const config::PortConfig& cfg, const std::string& role,
                             uint16_t want_rx, uint16_t want_tx, rte_mempool* pool);

/// Stops and closes a port. Thread: main, after workers stopped.
void close_port(uint16_t port_id);

}  // namespace strait::dp
