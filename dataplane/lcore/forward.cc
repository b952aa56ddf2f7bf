// SPDX-License-Identifier: Apache-2.0
// Egress stage: next hop, Ethernet header, neighbour resolution with a hold slot.
#include <rte_cycles.h>

#include <cstring>

#include "dataplane/lcore/egress.h"
#include "dataplane/lcore/worker_state.h"
#include "dataplane/pkt/frame.h"
#include "dataplane/pkt/local_reply.h"
#include "strait/net/bytes.h"

namespace strait::dp {
namespace {

void drop(const Egress& e, rte_mbuf* m, DropReason r) {
    e.c->drop(r);
    rte_pktmbuf_free(m);
}

void send_resolution_request(const Egress& e, unsigned pi, const NeighborKey& key) {
    const PortRuntime& port = *e.ports[pi];
    rte_mbuf* req = rte_pktmbuf_alloc(e.pool);
    if (req == nullptr) {
        e.c->drop(DropReason::MbufAllocFailed);
        return;
    }
    auto* buf = rte_pktmbuf_mtod(req, uint8_t*);
    uint32_t len;
    if (port.role == pkt::PortRole::Outside) {
        len = pkt::build_arp_request(buf, port.local.mac, port.local.v4[0],
                                     net::Ipv4Addr::from_bytes(key.ip));
    } else {
        len = pkt::build_neighbor_solicit(buf, port.local.mac, port.local.v6[0],
                                          net::Ipv6Addr::from_bytes(key.ip));
    }
    req->data_len = static_cast<uint16_t>(len);
    req->pkt_len = len;
    e.tx[pi].push(req, *e.c);
}

}  // namespace

void forward_l3(WorkerState& w, unsigned pi, rte_mbuf* m) {
    const Egress e{w.cfg->ports, w.cfg->pool, &w.c, w.tx, w.request_interval_tsc};
    forward_l3(e, pi, m);
}

void forward_l3(const Egress& e, unsigned pi, rte_mbuf* m) {
    const PortRuntime& port = *e.ports[pi];
    const bool v6 = port.role == pkt::PortRole::Inside;
    const uint8_t* ip = rte_pktmbuf_mtod(m, const uint8_t*);
    NeighborKey key;
    const uint8_t* dst = ip + (v6 ? pkt::kIp6Dst : pkt::kIp4Dst);
    const bool on_link = v6 ? port.local.on_link_v6(dst) : port.local.on_link_v4(dst);
    if (on_link) {
        std::memcpy(key.ip, dst, v6 ? 16 : 4);
    } else if (port.has_gateway) {
        std::memcpy(key.ip, port.gateway, 16);
    } else {
        return drop(e, m, DropReason::NoRoute);
    }
    auto* eth = reinterpret_cast<uint8_t*>(rte_pktmbuf_prepend(m, pkt::kEthHdrLen));
    if (eth == nullptr) return drop(e, m, DropReason::InternalBug);
    std::memcpy(eth + 6, port.local.mac.b.data(), 6);
    net::store_be16(eth + 12, v6 ? pkt::kEtherTypeIpv6 : pkt::kEtherTypeIpv4);
    net::MacAddr mac;
    if (port.nbr->lookup(key, mac)) {
        std::memcpy(eth, mac.b.data(), 6);
        return e.tx[pi].push(m, *e.c);
    }
    bool replaced = false;
    NeighborTable::Released send_now;
    uint32_t n_send = 0;
    auto r = port.nbr->hold(key, m, rte_rdtsc(), e.request_interval_tsc, mac, replaced, send_now,
                            n_send);
    if (replaced) e.c->drop(DropReason::NeighborUnresolved);
    switch (r) {
        case NeighborTable::HoldResult::Full:
            return drop(e, m, DropReason::NeighborTableFull);
        case NeighborTable::HoldResult::HeldAndRequest:
            return send_resolution_request(e, pi, key);
        case NeighborTable::HoldResult::Resolved:
            for (uint32_t i = 0; i < n_send; ++i) {
                std::memcpy(rte_pktmbuf_mtod(send_now[i], uint8_t*), mac.b.data(), 6);
                e.tx[pi].push(send_now[i], *e.c);
            }
            return;
        case NeighborTable::HoldResult::Held:
            return;
    }
}

}  // namespace strait::dp
