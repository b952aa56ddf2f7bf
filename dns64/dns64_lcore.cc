// SPDX-License-Identifier: Apache-2.0
// DNS64 lcore: ring -> UDP validation (TCP: lcore/tcp*.cc) -> engine -> IPv6/IPv4 framing
// -> egress.
#include "dns64/dns64_lcore.h"

#include <rte_cycles.h>
#include <rte_mbuf.h>

#include <cstring>
#include <span>

#include "dataplane/lcore/egress.h"
#include "dataplane/lcore/tx_buffer.h"
#include "dataplane/pkt/frame.h"
#include "dns64/lcore/lcore_state.h"
#include "dns64/lcore/tcp.h"
#include "dns64/lcore/tcp_client.h"
#include "strait/net/bytes.h"
#include "strait/net/checksum.h"

namespace strait::dns64 {
namespace lcore {
namespace {

using net::load_be16;
using net::store_be16;
using pkt::kIpv4MinHdr;
using pkt::kIpv6HdrLen;

constexpr unsigned kBurst = 32;
constexpr uint32_t kUdpHdrLen = 8;

/// A fresh mbuf with `l3_len` bytes at the IP header (Ethernet headroom left for egress),
/// or null (counted).
uint8_t* alloc_l3(LcoreState& s, unsigned pi, uint32_t l3_len, rte_mbuf*& m) {
    if (l3_len > s.cfg->mtu[pi]) {
        s.c.drop(DropReason::Dns64TooBig);
        return nullptr;
    }
    m = rte_pktmbuf_alloc(s.cfg->pool);
    if (m == nullptr) {
        s.c.drop(DropReason::MbufAllocFailed);
        return nullptr;
    }
    auto* p = reinterpret_cast<uint8_t*>(rte_pktmbuf_append(m, static_cast<uint16_t>(l3_len)));
    if (p == nullptr || rte_pktmbuf_headroom(m) < pkt::kEthHdrLen) {
        rte_pktmbuf_free(m);
        s.c.drop(DropReason::Dns64TooBig);
        return nullptr;
    }
    return p;
}

/// Writes the UDP header and payload at `udp`, then the checksum (RFC 768; a computed
/// zero is sent as 0xffff, and IPv6 requires one, RFC 8200 §8.1).
void write_udp(uint8_t* udp, uint16_t sport, uint16_t dport, std::span<const uint8_t> msg,
               uint32_t pseudo) {
    const auto ulen = static_cast<uint16_t>(kUdpHdrLen + msg.size());
    store_be16(udp, sport);
    store_be16(udp + 2, dport);
    store_be16(udp + 4, ulen);
    store_be16(udp + 6, 0);
    std::memcpy(udp + kUdpHdrLen, msg.data(), msg.size());
    const uint16_t sum = net::checksum(udp, ulen, pseudo);
    store_be16(udp + 6, sum == 0 ? 0xffff : sum);
}

}  // namespace

uint64_t now_ns(const LcoreState& s) {
    return static_cast<uint64_t>(static_cast<double>(rte_rdtsc()) * s.ns_per_tsc);
}

uint8_t* alloc_v6(LcoreState& s, unsigned svc, const net::Ipv6Addr& client, uint8_t nh,
                  uint32_t l4_len, rte_mbuf*& m) {
    uint8_t* ip = alloc_l3(s, 0, kIpv6HdrLen + l4_len, m);
    if (ip == nullptr) return nullptr;
    net::store_be32(ip, 0x60000000u);
    store_be16(ip + pkt::kIp6PayloadLen, static_cast<uint16_t>(l4_len));
    ip[pkt::kIp6NextHeader] = nh;
    ip[pkt::kIp6HopLimit] = kHopLimit;
    std::memcpy(ip + pkt::kIp6Src, s.cfg->ports[0]->local.v6[svc].b.data(), 16);
    std::memcpy(ip + pkt::kIp6Dst, client.b.data(), 16);
    return ip + kIpv6HdrLen;
}

/// IPv6/UDP from the service address the query went to (ClientId::conn is its index in
/// the inside port's addresses), port 53, to the client; TCP answers go to their
/// connection.
void FrameOut::to_client(const ClientId& client, std::span<const uint8_t> msg) {
    if (client.transport == Transport::Tcp) return tcp_to_client(s_, client, msg);
    if (client.is_v4 || client.conn >= s_.cfg->ports[0]->local.n6) {
        s_.c.drop(DropReason::InternalBug);
        return;
    }
    rte_mbuf* m = nullptr;
    const auto l4_len = static_cast<uint32_t>(kUdpHdrLen + msg.size());
    uint8_t* udp = alloc_v6(s_, client.conn, client.addr, pkt::kProtoUdp, l4_len, m);
    if (udp == nullptr) return;
    const uint8_t* ip = udp - kIpv6HdrLen;
    write_udp(udp, kDnsPort, client.port, msg,
              net::pseudo_sum_v6(ip + pkt::kIp6Src, ip + pkt::kIp6Dst, pkt::kProtoUdp, l4_len));
    dp::forward_l3(s_.eg, 0, m);
}

uint8_t* alloc_v4(LcoreState& s, net::Ipv4Addr dst, uint8_t proto, uint32_t l4_len, rte_mbuf*& m) {
    const auto total = static_cast<uint16_t>(kIpv4MinHdr + l4_len);
    uint8_t* ip = alloc_l3(s, 1, kIpv4MinHdr + l4_len, m);
    if (ip == nullptr) return nullptr;
    ip[0] = 0x45;
    ip[1] = 0;
    store_be16(ip + pkt::kIp4TotalLen, total);
    store_be16(ip + 4, s.ip_id++);
    store_be16(ip + pkt::kIp4FragOff, 0x4000);  // DF: answers and segments are sized to fit
    ip[pkt::kIp4Ttl] = kHopLimit;
    ip[pkt::kIp4Proto] = proto;
    store_be16(ip + pkt::kIp4Checksum, 0);
    std::memcpy(ip + pkt::kIp4Src, s.cfg->ports[1]->local.v4[0].b.data(), 4);
    std::memcpy(ip + pkt::kIp4Dst, dst.b.data(), 4);
    store_be16(ip + pkt::kIp4Checksum, net::checksum(ip, kIpv4MinHdr));
    return ip + kIpv4MinHdr;
}

/// IPv4/UDP from the outside port's first address at `local_port` to the resolver.
void FrameOut::to_upstream(net::Ipv4Addr server, uint16_t server_port, uint16_t local_port,
                           std::span<const uint8_t> msg) {
    rte_mbuf* m = nullptr;
    const auto l4_len = static_cast<uint16_t>(kUdpHdrLen + msg.size());
    uint8_t* udp = alloc_v4(s_, server, pkt::kProtoUdp, l4_len, m);
    if (udp == nullptr) return;
    const uint8_t* ip = udp - kIpv4MinHdr;
    write_udp(udp, local_port, server_port, msg,
              net::pseudo_sum_v4(ip + pkt::kIp4Src, ip + pkt::kIp4Dst, pkt::kProtoUdp, l4_len));
    dp::forward_l3(s_.eg, 1, m);
}

void FrameOut::to_upstream_tcp(net::Ipv4Addr server, uint16_t server_port, uint16_t local_port,
                               std::span<const uint8_t> msg) {
    tcp_client_open(s_, server, server_port, local_port, msg);
}

namespace {

/// UDP header checks shared by both families: 8 <= length <= what the IP header carries.
bool udp_ok(LcoreState& s, rte_mbuf* m, const uint8_t* udp, uint32_t avail) {
    if (avail < kUdpHdrLen || load_be16(udp + 4) < kUdpHdrLen || load_be16(udp + 4) > avail) {
        drop(s, m, DropReason::UdpMalformed);
        return false;
    }
    return true;
}

/// Index of the service address `dst` among the inside port's addresses (n6: none).
unsigned service_index(const pkt::LocalAddrs& local, const uint8_t* dst) {
    for (unsigned i = 0; i < local.n6; ++i) {
        if (std::memcmp(dst, local.v6[i].b.data(), 16) == 0) return i;
    }
    return local.n6;
}

/// A UDP query to service `svc`: checksum mandatory over IPv6 (RFC 8200 §8.1).
void udp_query_input(LcoreState& s, FrameOut& out, rte_mbuf* m, const uint8_t* ip,
                     uint32_t plen, unsigned svc) {
    const uint8_t* udp = ip + kIpv6HdrLen;
    if (!udp_ok(s, m, udp, plen)) return;
    const uint16_t ulen = load_be16(udp + 4);
    const uint32_t pseudo =
        net::pseudo_sum_v6(ip + pkt::kIp6Src, ip + pkt::kIp6Dst, pkt::kProtoUdp, ulen);
    if (load_be16(udp + 6) == 0 || net::checksum(udp, ulen, pseudo) != 0) {
        return drop(s, m, DropReason::UdpBadChecksum);
    }
    ClientId client = ClientId::v6(net::Ipv6Addr::from_bytes(ip + pkt::kIp6Src), load_be16(udp));
    client.conn = svc;
    s.cfg->engine->on_client_query({udp + kUdpHdrLen, ulen - kUdpHdrLen}, client, now_ns(s), out);
    rte_pktmbuf_free(m);
}

/// A client query (IPv6, inside port): UDP or TCP to a service address, port 53.
void query_input(LcoreState& s, FrameOut& out, rte_mbuf* m, const uint8_t* ip, uint32_t avail) {
    const uint32_t plen = load_be16(ip + pkt::kIp6PayloadLen);
    if (avail < kIpv6HdrLen || plen > avail - kIpv6HdrLen) {
        return drop(s, m, DropReason::Ipv6Truncated);
    }
    const unsigned svc = service_index(s.cfg->ports[0]->local, ip + pkt::kIp6Dst);
    if (svc == s.cfg->ports[0]->local.n6) return drop(s, m, DropReason::InternalBug);
    if (ip[pkt::kIp6NextHeader] == pkt::kProtoUdp) return udp_query_input(s, out, m, ip, plen, svc);
    if (s.tcp == nullptr) return drop(s, m, DropReason::Dns64TcpDropped);
    tcp_input(s, out, m, ip, plen, svc);
}

/// An upstream answer (IPv4, outside port): UDP or TCP to our address on a source port.
void upstream_input(LcoreState& s, FrameOut& out, rte_mbuf* m, const uint8_t* ip,
                    uint32_t avail) {
    const uint32_t ihl = (ip[0] & 0x0f) * 4u;
    const uint32_t total = load_be16(ip + pkt::kIp4TotalLen);
    if (avail < kIpv4MinHdr || ihl < kIpv4MinHdr || total < ihl || total > avail) {
        return drop(s, m, DropReason::Ipv4Truncated);
    }
    if (ip[pkt::kIp4Proto] == pkt::kProtoTcp) return tcp_client_input(s, out, m, ip, ihl, total);
    const uint8_t* udp = ip + ihl;
    if (!udp_ok(s, m, udp, total - ihl)) return;
    const uint16_t ulen = load_be16(udp + 4);
    const uint32_t pseudo =
        net::pseudo_sum_v4(ip + pkt::kIp4Src, ip + pkt::kIp4Dst, pkt::kProtoUdp, ulen);
    if (load_be16(udp + 6) != 0 && net::checksum(udp, ulen, pseudo) != 0) {
        return drop(s, m, DropReason::UdpBadChecksum);
    }
    s.cfg->engine->on_upstream_answer({udp + kUdpHdrLen, ulen - kUdpHdrLen},
                                      net::Ipv4Addr::from_bytes(ip + pkt::kIp4Src),
                                      load_be16(udp), load_be16(udp + 2), now_ns(s), out);
    rte_pktmbuf_free(m);
}

void handle(LcoreState& s, FrameOut& out, rte_mbuf* m) {
    const auto* f = rte_pktmbuf_mtod(m, const uint8_t*);
    if (m->nb_segs != 1 || m->data_len < pkt::kEthHdrLen) {
        return drop(s, m, DropReason::FrameTooShort);
    }
    const uint32_t avail = m->data_len - pkt::kEthHdrLen;
    switch (load_be16(f + 12)) {
        case pkt::kEtherTypeIpv6:
            ++s.c.rx[0];
            return query_input(s, out, m, f + pkt::kEthHdrLen, avail);
        case pkt::kEtherTypeIpv4:
            ++s.c.rx[1];
            return upstream_input(s, out, m, f + pkt::kEthHdrLen, avail);
        default:
            return drop(s, m, DropReason::InternalBug);
    }
}

}  // namespace
}  // namespace lcore

int dns64_lcore_main(void* arg) {
    using namespace lcore;
    auto* cfg = static_cast<Dns64LcoreConfig*>(arg);
    const uint64_t hz = rte_get_tsc_hz();
    LcoreState s{cfg, *cfg->counters, {}, {}, 1e9 / static_cast<double>(hz), 0, {}, {}, {}};
    tcp_start(s);
    for (unsigned pi = 0; pi < 2; ++pi) {
        s.tx[pi].port_id = cfg->ports[pi]->port_id;
        s.tx[pi].queue = cfg->txq[pi];
        s.tx[pi].port_index = static_cast<uint8_t>(pi);
    }
    s.eg = dp::Egress{cfg->ports, cfg->pool, &s.c, s.tx, hz / 10};
    FrameOut out(s);
    rte_mbuf* pkts[kBurst];
    uint64_t next_tick = rte_rdtsc();
    dp::IdleBackoff idle(cfg->idle);
    while (!cfg->stop->load(std::memory_order_relaxed)) {
        // Answers first: each frees a pending slot and finishes a query already paid for.
        unsigned n = rte_ring_sc_dequeue_burst(cfg->answer_ring, reinterpret_cast<void**>(pkts),
                                               kBurst, nullptr);
        for (unsigned i = 0; i < n; ++i) handle(s, out, pkts[i]);
        const unsigned nq = rte_ring_sc_dequeue_burst(cfg->ring, reinterpret_cast<void**>(pkts),
                                                      kBurst, nullptr);
        for (unsigned i = 0; i < nq; ++i) handle(s, out, pkts[i]);
        n += nq;
        const uint64_t now = rte_rdtsc();
        if (now >= next_tick) {
            const uint64_t t = now_ns(s);
            cfg->engine->on_tick(t, out);
            tcp_tick(s, out, t);
            next_tick = now + hz / 1000;
        }
        s.tx[0].flush(s.c);
        s.tx[1].flush(s.c);
        // Backing off when idle lets this lcore share a CPU (DESIGN.md "Threads and lcores").
        idle.after_poll(n != 0);
    }
    s.tx[0].flush(s.c);
    s.tx[1].flush(s.c);
    tcp_stop(s);
    return 0;
}

void drain_dns64_ring(rte_ring* ring) {
    void* m = nullptr;
    while (rte_ring_dequeue(ring, &m) == 0) rte_pktmbuf_free(static_cast<rte_mbuf*>(m));
}

}  // namespace strait::dns64
