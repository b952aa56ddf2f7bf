// SPDX-License-Identifier: Apache-2.0
// The DNS-over-TCP responder (RFC 7766) of the DNS64 lcore, and the lcore's TCP lifecycle;
// see tcp.h. Segment machinery and timers: tcp_conn.h, shared with lcore/tcp_client.cc.
#include "dns64/lcore/tcp.h"

#include <rte_malloc.h>
#include <rte_random.h>

#include <cstring>
#include <new>

#include "dataplane/pkt/frame.h"
#include "dns64/lcore/byte_queue.h"
#include "dns64/lcore/tcp_client.h"
#include "dns64/lcore/tcp_conn.h"
#include "strait/net/bytes.h"
#include "strait/net/checksum.h"

namespace strait::dns64::lcore {

/// One client connection. `gen` makes the ClientId handed to the engine stale once the
/// slot is reused. A freed slot keeps its flow's tuple and sequence numbers, so the last
/// ACK or a repeated FIN of a connection just closed is not answered with a RST.
struct TcpConn {
    static constexpr unsigned kBuf = 2048;  // reassembly of length-prefixed queries
    enum class State : uint8_t { Free, SynRcvd, Established, Closing };
    State state = State::Free;
    uint16_t buffered = 0;
    uint16_t outstanding = 0;  // queries handed to the engine and not answered yet
    uint32_t gen = 0;
    TcpFlow f;
    uint8_t buf[kBuf] = {};
};

struct TcpTable {
    static constexpr unsigned kSlots = 1024;  // power of two; ClientId::conn has 10 bits
    /// Answers queued on one connection (pipelined queries): two maximal messages.
    static constexpr uint32_t kMaxQueued = 2 * (65535 + 2);
    uint32_t sweep = 0;
    TcpConn conns[kSlots];
};

namespace {

/// Buffers of every connection: 8192 chunks of 512 bytes (4 MiB) per lcore.
constexpr uint32_t kStoreChunks = 8192;
constexpr unsigned kGenShift = 10;
constexpr uint32_t kGenMask = 0x3fffff;

using State = TcpConn::State;

bool live(const TcpConn& c) { return c.state != State::Free; }
bool closed(const TcpConn& c) { return c.state == State::Free && c.f.path.rport != 0; }

void release(LcoreState& s, TcpConn& c) {
    flow_release(s, c.f);
    c.state = State::Free;
    c.buffered = 0;
    c.outstanding = 0;
}

void abort_conn(LcoreState& s, TcpConn& c) {
    flow_send_ctl(s, c.f, kTcpRst | kTcpAck);
    release(s, c);
}

void set_rcv_wnd(TcpConn& c) { c.f.rcv_wnd = static_cast<uint16_t>(TcpConn::kBuf - c.buffered); }

/// Our side closes once the client's FIN came and every query it sent is answered.
void maybe_close(TcpConn& c) {
    if (c.f.peer_fin && c.outstanding == 0 && !c.f.fin_queued) {
        c.f.fin_queued = true;
        c.state = State::Closing;
    }
}

void accept_syn(LcoreState& s, TcpTable& t, const TcpPath& p, const TcpSeg& g, uint64_t now) {
    TcpConn* c = table_free_slot(t.conns, p, live);
    if (c == nullptr) {
        // Refused at once, so the client gives up or retries instead of waiting out SYNs.
        dns_counters(s).tcp_table_full.inc();
        send_reset_for(s, p, g);
        return;
    }
    flow_init(c->f, p, static_cast<uint32_t>(rte_rand()), kTcpSyn | kTcpAck, now);
    ++c->gen;
    c->state = State::SynRcvd;
    c->f.rcv_nxt = g.seq + 1;  // data on the SYN (TCP Fast Open) is ignored: resent later
    c->f.snd_wnd = g.wnd;
    set_rcv_wnd(*c);
    flow_set_mss(s, c->f, g);
    flow_send_syn(s, c->f, now);
}

/// Segments of no live connection: a SYN opens one; the last ACK or a repeated FIN of a
/// connection just closed is absorbed; anything else gets a RST (RFC 9293 §3.10.7.1).
void on_unknown(LcoreState& s, TcpTable& t, const TcpPath& p, const TcpSeg& g, uint64_t now) {
    if (g.flags & kTcpRst) return;
    if ((g.flags & (kTcpSyn | kTcpAck)) == kTcpSyn) return accept_syn(s, t, p, g, now);
    if (TcpConn* c = table_find(t.conns, p, closed)) {
        if (g.len == 0 && !(g.flags & (kTcpFin | kTcpSyn))) return;
        if ((g.flags & kTcpFin) && g.seq + g.len + 1 == c->f.rcv_nxt) {
            return flow_send_ctl(s, c->f, kTcpAck);
        }
    }
    s.c.drop(DropReason::Dns64TcpDropped);
    send_reset_for(s, p, g);
}

/// Hands every complete length-prefixed query in the buffer to the engine (RFC 7766 §8).
void deliver_queries(LcoreState& s, FrameOut& out, TcpTable& t, TcpConn& c, uint64_t now) {
    ClientId client = ClientId::v6(c.f.path.peer6, c.f.path.rport, Transport::Tcp);
    client.conn = static_cast<uint32_t>(&c - t.conns) | (c.gen & kGenMask) << kGenShift;
    uint32_t off = 0;
    while (c.buffered - off >= 2) {
        const uint32_t len = net::load_be16(c.buf + off);
        if (c.buffered - off < 2 + len) break;
        if (!c.f.fin_queued) {  // after an idle close, late queries go unanswered
            ++c.outstanding;
            s.cfg->engine->on_client_query({c.buf + off + 2, len}, client, now, out);
            if (c.state == State::Free) return;  // the answer path reset the connection
        }
        off += 2 + len;
    }
    c.buffered = static_cast<uint16_t>(c.buffered - off);
    if (off && c.buffered) std::memmove(c.buf, c.buf + off, c.buffered);
    if (c.buffered == TcpConn::kBuf) {  // one query larger than the buffer: cannot serve
        s.c.drop(DropReason::Dns64TcpDropped);
        return abort_conn(s, c);
    }
    set_rcv_wnd(c);
}

/// A segment of a live connection (RFC 9293 §3.10.7.4, in-order receive only).
void on_conn(LcoreState& s, FrameOut& out, TcpTable& t, TcpConn& c, TcpSeg& g, uint64_t now) {
    TcpFlow& f = c.f;
    if (g.flags & kTcpRst) {
        if (!flow_rst_acceptable(f, g)) return flow_send_ctl(s, f, kTcpAck);  // RFC 5961 §3.2
        dns_counters(s).tcp_resets.inc();
        return release(s, c);
    }
    if (g.flags & kTcpSyn) {
        if (c.state == State::SynRcvd && g.seq + 1 == f.rcv_nxt) {
            f.rtt_on = false;  // a second SYN-ACK: its ACK would time the wrong one (Karn)
            return flow_send_syn(s, f, now);
        }
        return flow_send_ctl(s, f, kTcpAck);  // RFC 5961 §4 challenge ACK
    }
    if (!(g.flags & kTcpAck)) return;
    f.idle_at = now + kIdleTimeoutNs;
    if (flow_ack(s, f, g, now) == AckResult::Invalid) return flow_send_ctl(s, f, kTcpAck);
    if (c.state == State::SynRcvd) {
        if (!f.syn_acked) return;
        c.state = State::Established;
        dns_counters(s).tcp_connections.inc();
    }
    const bool need_ack = g.len > 0 || (g.flags & kTcpFin);
    if (need_ack && !f.peer_fin && flow_trim(f, g)) {
        std::memcpy(c.buf + c.buffered, g.data, g.len);
        c.buffered = static_cast<uint16_t>(c.buffered + g.len);
        f.rcv_nxt += g.len;
        if (g.flags & kTcpFin) {
            ++f.rcv_nxt;
            f.peer_fin = true;
        }
        set_rcv_wnd(c);
        deliver_queries(s, out, t, c, now);
        if (c.state == State::Free) return;
    }
    maybe_close(c);
    if (!flow_output(s, f, now) && need_ack) flow_send_ctl(s, f, kTcpAck);
    if (f.fin_acked && f.peer_fin) release(s, c);
}

/// Timers of one connection: retransmission (bounded), then the idle bound.
void sweep_one(LcoreState& s, TcpConn& c, uint64_t now) {
    if (!live(c)) return;
    Dns64Counters& dc = dns_counters(s);
    switch (flow_timer(s, c.f, now)) {
        case TimerResult::None:
        case TimerResult::Probed:
            break;
        case TimerResult::Retransmitted:
            dc.tcp_retransmits.inc();
            break;
        case TimerResult::GaveUp:
            dc.tcp_timeouts.inc();
            return abort_conn(s, c);
    }
    if (now < c.f.idle_at) return;
    if (c.state == State::Established && !c.f.fin_queued && c.f.q.size() == 0) {
        // RFC 7766 §6.2.3: a quiet client's connection is closed, gracefully.
        dc.tcp_idle_closes.inc();
        c.f.fin_queued = true;
        c.state = State::Closing;
        c.f.idle_at = now + kIdleTimeoutNs;  // bounds the close handshake too
        flow_output(s, c.f, now);
        return;
    }
    // A handshake or close that never completes, or a peer that stopped acknowledging.
    dc.tcp_timeouts.inc();
    abort_conn(s, c);
}

}  // namespace

void tcp_start(LcoreState& s) {
    void* t = rte_zmalloc("strait_dns64_tcp", sizeof(TcpTable), 64);
    void* st = rte_zmalloc("strait_dns64_tcp_store", sizeof(ChunkStore), 64);
    auto* mem = static_cast<uint8_t*>(
        rte_malloc("strait_dns64_tcp_bufs", size_t{kStoreChunks} * ChunkStore::kChunk, 64));
    auto* next = static_cast<uint32_t*>(
        rte_zmalloc("strait_dns64_tcp_links", (kStoreChunks + 1) * sizeof(uint32_t), 64));
    TcpClientTable* up = tcp_client_table_create();
    if (t == nullptr || st == nullptr || mem == nullptr || next == nullptr || up == nullptr) {
        rte_free(t);
        rte_free(st);
        rte_free(mem);
        rte_free(next);
        tcp_client_table_free(up);
        return;
    }
    s.tcp = new (t) TcpTable();
    s.tcp_store = new (st) ChunkStore();
    s.tcp_store->init(mem, next, kStoreChunks);
    s.tcp_up = up;
}

void tcp_stop(LcoreState& s) {
    if (s.tcp_store == nullptr) return;
    rte_free(s.tcp);
    tcp_client_table_free(s.tcp_up);
    rte_free(s.tcp_store->mem());
    rte_free(s.tcp_store->links());
    rte_free(s.tcp_store);
    s.tcp = nullptr;
    s.tcp_up = nullptr;
    s.tcp_store = nullptr;
}

void tcp_tick(LcoreState& s, FrameOut& out, uint64_t now) {
    if (s.tcp == nullptr) return;
    table_sweep(s.tcp->conns, s.tcp->sweep, [&](TcpConn& c) { sweep_one(s, c, now); });
    tcp_client_tick(s, out, now);
}

void tcp_input(LcoreState& s, FrameOut& out, rte_mbuf* m, const uint8_t* ip, uint32_t plen,
               unsigned svc) {
    const uint8_t* tcp = ip + pkt::kIpv6HdrLen;
    TcpSeg g;
    if (!parse_tcp(tcp, plen,
                   net::pseudo_sum_v6(ip + pkt::kIp6Src, ip + pkt::kIp6Dst, pkt::kProtoTcp, plen),
                   g)) {
        return drop(s, m, DropReason::Dns64TcpDropped);
    }
    TcpPath p;
    p.svc = static_cast<uint8_t>(svc);
    p.lport = g.dport;
    p.rport = g.sport;
    p.peer6 = net::Ipv6Addr::from_bytes(ip + pkt::kIp6Src);
    const uint64_t now = now_ns(s);
    if (TcpConn* c = table_find(s.tcp->conns, p, live)) {
        on_conn(s, out, *s.tcp, *c, g, now);
    } else {
        on_unknown(s, *s.tcp, p, g, now);
    }
    rte_pktmbuf_free(m);
}

void tcp_to_client(LcoreState& s, const ClientId& client, std::span<const uint8_t> msg) {
    TcpConn* c = s.tcp ? &s.tcp->conns[client.conn & (TcpTable::kSlots - 1)] : nullptr;
    const bool ours = c != nullptr &&
                      (c->state == State::Established || c->state == State::Closing) &&
                      (c->gen & kGenMask) == (client.conn >> kGenShift) &&
                      c->f.path.peer6 == client.addr && c->f.path.rport == client.port;
    if (!ours || c->f.fin_queued || msg.size() > 65535) {
        s.c.drop(DropReason::Dns64TcpDropped);
        return;
    }
    if (c->outstanding) --c->outstanding;
    const auto n = static_cast<uint32_t>(msg.size());
    uint8_t len[2];
    net::store_be16(len, static_cast<uint16_t>(n));
    if (c->f.q.size() + 2 + n > TcpTable::kMaxQueued || !c->f.q.fits(*s.tcp_store, 2 + n)) {
        // The client reads slower than it asks: reset rather than hold the store hostage.
        dns_counters(s).tcp_buffer_full.inc();
        return abort_conn(s, *c);
    }
    c->f.q.append(*s.tcp_store, len, 2);
    c->f.q.append(*s.tcp_store, msg.data(), n);
    maybe_close(*c);
    flow_output(s, c->f, now_ns(s));
}

}  // namespace strait::dns64::lcore
