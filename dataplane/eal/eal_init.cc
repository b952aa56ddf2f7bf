// SPDX-License-Identifier: Apache-2.0
// EAL arguments, rte_eal_init and ethdev configuration.
#include "dataplane/eal/eal_init.h"

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>

#include <algorithm>
#include <cstring>

namespace strait::dp {

std::vector<std::string> build_eal_args(const config::StartupConfig& cfg,
                                        const std::vector<std::string>& overrides,
                                        unsigned queues) {
    std::vector<std::string> args{"straitd"};
    args.insert(args.end(), cfg.eal_args.begin(), cfg.eal_args.end());
    for (const config::PortConfig* p : {&cfg.inside, &cfg.outside}) {
        if (p->devargs.empty()) continue;
        std::string vdev = p->device + "," + p->devargs;
        if (p->device.rfind("net_af_packet", 0) == 0) {
            if (p->devargs.find("qpairs=") == std::string::npos) {
                vdev += ",qpairs=" + std::to_string(queues);
            }
            // One ring frame must hold what the mbuf can: the kernel cuts frames to it.
            if (p->devargs.find("framesz=") == std::string::npos) {
                // The PMD walks frames at a framesz stride: one frame per page-aligned block.
                const unsigned frame = std::max(4096u, cfg.mbuf_data_room / 4096u * 4096u);
                vdev += ",framesz=" + std::to_string(frame) + ",blocksz=" + std::to_string(frame);
            }
        }
        args.push_back("--vdev=" + vdev);
    }
    args.insert(args.end(), overrides.begin(), overrides.end());
    return args;
}

Status init_eal(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    // rte_eal_init keeps pointers into argv: the strings must outlive EAL.
    static std::vector<std::string> keep;
    keep = args;
    for (auto& a : keep) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (rte_eal_init(static_cast<int>(keep.size()), argv.data()) < 0) {
        return Error{ErrorCode::Unavailable, "eal_args",
                     std::string("rte_eal_init failed: ") + rte_strerror(rte_errno)};
    }
    return Ok{};
}

Result<PortSetup> setup_port(const config::PortConfig& cfg, const std::string& role,
                             uint16_t want_rx, uint16_t want_tx, rte_mempool* pool) {
    const std::string field = "/ports/" + role + "/device";
    PortSetup ps;
    if (rte_eth_dev_get_port_by_name(cfg.device.c_str(), &ps.port_id) != 0) {
        return invalid(field, "no DPDK port named \"" + cfg.device + "\"");
    }
    rte_eth_dev_info info{};
    if (rte_eth_dev_info_get(ps.port_id, &info) != 0) {
        return Error{ErrorCode::Unavailable, field, "cannot read device info"};
    }
    const bool af_packet = std::strcmp(info.driver_name, "net_af_packet") == 0;
    ps.nb_rx = af_packet ? info.max_rx_queues : std::min<uint16_t>(want_rx, info.max_rx_queues);
    ps.nb_tx = std::min<uint16_t>(want_tx, info.max_tx_queues);
    if (ps.nb_rx == 0 || ps.nb_tx == 0) return Error{ErrorCode::Unavailable, field, "no queues"};
    // Every lcore that sends owns a TX queue of its own on every port: never two on one.
    if (ps.nb_tx < want_tx) {
        return Error{ErrorCode::Unavailable, field,
                     "the device has " + std::to_string(info.max_tx_queues) +
                         " TX queues; workers + DNS64 lcore need " + std::to_string(want_tx)};
    }
    rte_eth_conf conf{};
    // Several RX queues: RSS over IP addresses and ports. Any key will do: the NAT64 tables
    // are read by every worker, so the two directions of a flow need not meet on one.
    const uint64_t rss = info.flow_type_rss_offloads &
                         (RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP);
    if (ps.nb_rx > 1 && rss != 0) {
        conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
        conf.rx_adv_conf.rss_conf.rss_hf = rss;
    }
    if (int rc = rte_eth_dev_configure(ps.port_id, ps.nb_rx, ps.nb_tx, &conf); rc != 0) {
        return Error{ErrorCode::Unavailable, field,
                     std::string("rte_eth_dev_configure: ") + rte_strerror(-rc)};
    }
    uint16_t rxd = cfg.rx_desc, txd = cfg.tx_desc;
    rte_eth_dev_adjust_nb_rx_tx_desc(ps.port_id, &rxd, &txd);
    const int socket = rte_eth_dev_socket_id(ps.port_id);
    for (uint16_t q = 0; q < ps.nb_rx; ++q) {
        if (rte_eth_rx_queue_setup(ps.port_id, q, rxd, socket, nullptr, pool) != 0) {
            return Error{ErrorCode::Unavailable, field, "RX queue setup failed"};
        }
    }
    for (uint16_t q = 0; q < ps.nb_tx; ++q) {
        if (rte_eth_tx_queue_setup(ps.port_id, q, txd, socket, nullptr) != 0) {
            return Error{ErrorCode::Unavailable, field, "TX queue setup failed"};
        }
    }
    if (cfg.mac) {
        rte_ether_addr a;
        std::memcpy(a.addr_bytes, cfg.mac->b.data(), 6);
        // Devices that cannot change their MAC (net_pcap) still work: straitd writes the
        // configured MAC itself and the port runs promiscuous.
        const int rc = rte_eth_dev_default_mac_addr_set(ps.port_id, &a);
        if (rc != 0 && rc != -ENOTSUP) {
            return invalid("/ports/" + role + "/mac", "the device refused the MAC address");
        }
    }
    if (int rc = rte_eth_dev_start(ps.port_id); rc != 0) {
        return Error{ErrorCode::Unavailable, field, std::string("start: ") + rte_strerror(-rc)};
    }
    rte_eth_promiscuous_enable(ps.port_id);  // best effort: vdevs may not support it
    rte_ether_addr a;
    rte_eth_macaddr_get(ps.port_id, &a);
    std::memcpy(ps.mac.b.data(), a.addr_bytes, 6);
    if (cfg.mac) ps.mac = *cfg.mac;
    return ps;
}

void close_port(uint16_t port_id) {
    rte_eth_dev_stop(port_id);
    rte_eth_dev_close(port_id);
}

}  // namespace strait::dp
