// SPDX-License-Identifier: Apache-2.0
// Minimal DNS-over-TCP responder (RFC 7766) on the DNS64 lcore; see tcp.h for its limits.
#include "dns64/lcore/tcp.h"

#include <rte_malloc.h>
#include <rte_random.h>

#include <algorithm>
#include <cstring>

#include "dataplane/pkt/frame.h"
#include "strait/net/bytes.h"
#include "strait/net/checksum.h"

namespace strait::dns64::lcore {

namespace {

using net::load_be16;
using net::load_be32;
using net::store_be16;
using net::store_be32;

constexpr uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10;
constexpr uint32_t kTcpHdrLen = 20;
constexpr uint16_t kDefaultMss = 1220;  // IPv6 minimum MTU 1280 - 60
constexpr uint16_t kWindow = 65535;

}  // namespace

/// One connection. Slots are found by a hash of (client, port); `gen` makes the ClientId
/// handed to the engine stale once the slot is reused.
struct TcpConn {
    static constexpr unsigned kBuf = 2048;  // reassembly of length-prefixed queries
    bool used = false;
    uint8_t svc = 0;
    uint16_t cport = 0;
    uint16_t mss = kDefaultMss;
    uint16_t buffered = 0;
    uint32_t gen = 0;
    uint32_t iss = 0;      // our initial sequence number
    uint32_t snd_nxt = 0;  // our next sequence number
    uint32_t rcv_nxt = 0;  // next client sequence number expected
    net::Ipv6Addr client;
    uint8_t buf[kBuf];
};

struct TcpTable {
    static constexpr unsigned kSlots = 1024;  // power of two
    TcpConn conns[kSlots];
};

namespace {

struct Seg {
    const uint8_t* ip;
    const uint8_t* tcp;
    net::Ipv6Addr client;
    uint16_t cport;
    uint32_t seq, ack;
    uint8_t flags;
    const uint8_t* data;
    uint32_t len;
};

unsigned slot_of(const net::Ipv6Addr& a, uint16_t port) {
    uint32_t h = port * 0x9e3779b1u;
    for (unsigned i = 0; i < 16; i += 4) h = (h ^ load_be32(a.b.data() + i)) * 0x85ebca6bu;
    return (h ^ (h >> 15)) & (TcpTable::kSlots - 1);
}

/// Builds and sends one segment: `pre` then `data` as payload (either may be empty).
void send_seg(LcoreState& s, unsigned svc, const net::Ipv6Addr& client, uint16_t cport,
              uint8_t flags, uint32_t seq, uint32_t ack, std::span<const uint8_t> pre,
              std::span<const uint8_t> data, uint16_t mss_opt) {
    const uint32_t hlen = kTcpHdrLen + (mss_opt ? 4 : 0);
    const auto l4 = static_cast<uint32_t>(hlen + pre.size() + data.size());
    rte_mbuf* m = nullptr;
    uint8_t* tcp = alloc_v6(s, svc, client, pkt::kProtoTcp, l4, m);
    if (tcp == nullptr) return;
    store_be16(tcp, kDnsPort);
    store_be16(tcp + 2, cport);
    store_be32(tcp + 4, seq);
    store_be32(tcp + 8, ack);
    tcp[12] = static_cast<uint8_t>((hlen / 4) << 4);
    tcp[13] = flags;
    store_be16(tcp + 14, kWindow);
    store_be32(tcp + 16, 0);  // checksum, urgent pointer
    if (mss_opt) {
        tcp[20] = 2;
        tcp[21] = 4;
        store_be16(tcp + 22, mss_opt);
    }
    if (!pre.empty()) std::memcpy(tcp + hlen, pre.data(), pre.size());
    if (!data.empty()) std::memcpy(tcp + hlen + pre.size(), data.data(), data.size());
    const uint8_t* ip = tcp - pkt::kIpv6HdrLen;
    store_be16(tcp + 16, net::checksum(tcp, l4, net::pseudo_sum_v6(ip + pkt::kIp6Src,
                                                                    ip + pkt::kIp6Dst,
                                                                    pkt::kProtoTcp, l4)));
    dp::forward_l3(s.eg, 0, m);
}

void send_ctl(LcoreState& s, const TcpConn& c, uint8_t flags, uint32_t seq) {
    send_seg(s, c.svc, c.client, c.cport, flags, seq, c.rcv_nxt, {}, {}, 0);
}

/// RST for a segment of no known connection (RFC 9293 §3.10.7.1).
void send_reset(LcoreState& s, unsigned svc, const Seg& g) {
    if (g.flags & kAck) {
        send_seg(s, svc, g.client, g.cport, kRst, g.ack, 0, {}, {}, 0);
        return;
    }
    const uint32_t ack = g.seq + g.len + ((g.flags & kSyn) ? 1 : 0) + ((g.flags & kFin) ? 1 : 0);
    send_seg(s, svc, g.client, g.cport, kRst | kAck, 0, ack, {}, {}, 0);
}

/// The peer's MSS option (RFC 9293 §3.7.1), capped so a segment fits the inside MTU.
uint16_t peer_mss(const LcoreState& s, const Seg& g) {
    const uint32_t hlen = (g.tcp[12] >> 4) * 4u;
    uint16_t mss = kDefaultMss;
    for (uint32_t i = kTcpHdrLen; i + 1 < hlen;) {
        const uint8_t kind = g.tcp[i];
        if (kind == 0) break;
        if (kind == 1) {
            ++i;
            continue;
        }
        const uint8_t olen = g.tcp[i + 1];
        if (olen < 2 || i + olen > hlen) break;
        if (kind == 2 && olen == 4) mss = load_be16(g.tcp + i + 2);
        i += olen;
    }
    const auto cap = static_cast<uint16_t>(s.cfg->mtu[0] - pkt::kIpv6HdrLen - kTcpHdrLen);
    return std::max<uint16_t>(64, std::min(mss, cap));
}

void on_syn(LcoreState& s, TcpConn& c, unsigned svc, const Seg& g) {
    const bool retransmit = c.used && c.client == g.client && c.cport == g.cport &&
                            c.rcv_nxt == g.seq + 1 && c.snd_nxt == c.iss + 1;
    if (!retransmit) {
        c.used = true;
        c.svc = static_cast<uint8_t>(svc);
        c.client = g.client;
        c.cport = g.cport;
        c.mss = peer_mss(s, g);
        c.buffered = 0;
        ++c.gen;
        c.iss = static_cast<uint32_t>(rte_rand());
        c.snd_nxt = c.iss + 1;
        c.rcv_nxt = g.seq + 1;
    }
    send_seg(s, c.svc, c.client, c.cport, kSyn | kAck, c.iss, c.rcv_nxt, {}, {},
             static_cast<uint16_t>(s.cfg->mtu[0] - pkt::kIpv6HdrLen - kTcpHdrLen));
}

/// Hands every complete length-prefixed message in the buffer to the engine.
void deliver_messages(LcoreState& s, FrameOut& out, TcpConn& c, unsigned slot) {
    ClientId client = ClientId::v6(c.client, c.cport, Transport::Tcp);
    client.conn = slot | (c.gen << 10);
    uint32_t off = 0;
    while (c.buffered - off >= 2) {
        const uint32_t len = load_be16(c.buf + off);
        if (c.buffered - off < 2 + len) break;
        s.cfg->engine->on_client_query({c.buf + off + 2, len}, client, now_ns(s), out);
        off += 2 + len;
        if (!c.used) return;  // the answer path reset the connection
    }
    c.buffered = static_cast<uint16_t>(c.buffered - off);
    if (off && c.buffered) std::memmove(c.buf, c.buf + off, c.buffered);
}

/// Data and FIN on an established connection, in order only (else a duplicate ACK).
void on_segment(LcoreState& s, FrameOut& out, TcpConn& c, unsigned slot, const Seg& g) {
    if (g.len == 0 && !(g.flags & kFin)) return;  // pure ACK: nothing to do
    if (g.seq != c.rcv_nxt) return send_ctl(s, c, kAck, c.snd_nxt);
    if (g.len > TcpConn::kBuf - c.buffered) {
        s.c.drop(DropReason::Dns64TcpDropped);
        send_ctl(s, c, kRst | kAck, c.snd_nxt);
        c.used = false;
        return;
    }
    std::memcpy(c.buf + c.buffered, g.data, g.len);
    c.buffered = static_cast<uint16_t>(c.buffered + g.len);
    c.rcv_nxt += g.len;
    if (g.flags & kFin) ++c.rcv_nxt;
    send_ctl(s, c, kAck, c.snd_nxt);
    deliver_messages(s, out, c, slot);
    if (c.used && (g.flags & kFin)) {
        // The client is done sending: close our side too and forget the connection.
        send_ctl(s, c, kFin | kAck, c.snd_nxt);
        ++c.snd_nxt;  // the FIN's sequence number: the client's last ACK acknowledges it
        c.used = false;
    }
}

}  // namespace

TcpTable* tcp_table_create() {
    return static_cast<TcpTable*>(rte_zmalloc("strait_dns64_tcp", sizeof(TcpTable), 64));
}

void tcp_table_free(TcpTable* t) { rte_free(t); }

void tcp_input(LcoreState& s, FrameOut& out, rte_mbuf* m, const uint8_t* ip, uint32_t plen,
               unsigned svc) {
    const uint8_t* tcp = ip + pkt::kIpv6HdrLen;
    const uint32_t hlen = plen >= kTcpHdrLen ? (tcp[12] >> 4) * 4u : 0;
    if (hlen < kTcpHdrLen || hlen > plen ||
        net::checksum(tcp, plen, net::pseudo_sum_v6(ip + pkt::kIp6Src, ip + pkt::kIp6Dst,
                                                     pkt::kProtoTcp, plen)) != 0) {
        return drop(s, m, DropReason::Dns64TcpDropped);
    }
    const Seg g{ip, tcp, net::Ipv6Addr::from_bytes(ip + pkt::kIp6Src), load_be16(tcp),
                load_be32(tcp + 4), load_be32(tcp + 8), tcp[13], tcp + hlen, plen - hlen};
    const unsigned slot = slot_of(g.client, g.cport);
    TcpConn& c = s.tcp->conns[slot];
    const bool known = c.used && c.client == g.client && c.cport == g.cport && c.svc == svc;
    if (g.flags & kRst) {
        if (known) c.used = false;
    } else if ((g.flags & (kSyn | kAck)) == kSyn) {
        on_syn(s, c, svc, g);
    } else if (!c.used && c.client == g.client && c.cport == g.cport && g.len == 0 &&
               (g.flags & kAck) && g.ack == c.snd_nxt) {
        // The last ACK of a connection we closed: expected, nothing to do.
    } else if (!known) {
        if (g.len || (g.flags & kFin)) send_reset(s, svc, g);
        s.c.drop(DropReason::Dns64TcpDropped);
    } else {
        on_segment(s, out, c, slot, g);
    }
    rte_pktmbuf_free(m);
}

void tcp_to_client(LcoreState& s, const ClientId& client, std::span<const uint8_t> msg) {
    TcpConn* c = s.tcp ? &s.tcp->conns[client.conn & (TcpTable::kSlots - 1)] : nullptr;
    if (c == nullptr || !c->used || (c->gen & 0x3fffff) != (client.conn >> 10) ||
        c->client != client.addr || c->cport != client.port || msg.size() > 65535) {
        s.c.drop(DropReason::Dns64TcpDropped);
        return;
    }
    uint8_t prefix[2];
    store_be16(prefix, static_cast<uint16_t>(msg.size()));
    std::span<const uint8_t> pre(prefix, 2);
    std::size_t off = 0;
    while (!pre.empty() || off < msg.size()) {
        const std::size_t room = c->mss - pre.size();
        const std::size_t n = std::min(room, msg.size() - off);
        send_seg(s, c->svc, c->client, c->cport, kPsh | kAck, c->snd_nxt, c->rcv_nxt, pre,
                 msg.subspan(off, n), 0);
        c->snd_nxt += static_cast<uint32_t>(pre.size() + n);
        off += n;
        pre = {};
    }
}

}  // namespace strait::dns64::lcore
