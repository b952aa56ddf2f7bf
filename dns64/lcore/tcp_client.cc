// SPDX-License-Identifier: Apache-2.0
// The DNS64 lcore's upstream DNS-over-TCP client; see tcp_client.h.
#include "dns64/lcore/tcp_client.h"

#include <rte_malloc.h>
#include <rte_random.h>

#include <algorithm>
#include <cstring>
#include <new>

#include "dataplane/pkt/frame.h"
#include "dns64/lcore/byte_queue.h"
#include "dns64/lcore/tcp_conn.h"
#include "strait/net/bytes.h"
#include "strait/net/checksum.h"

namespace strait::dns64::lcore {

/// One exchange: the query goes out through the flow's send queue, the answer (with its
/// two-byte length) collects in `rq`.
struct UpConn {
    enum class State : uint8_t { Free, SynSent, Established, Closing };
    State state = State::Free;
    bool answered = false;
    uint16_t qid = 0;  // the query's DNS ID, to name the exchange in failure reports
    TcpFlow f;
    ByteQueue rq;
};

struct TcpClientTable {
    static constexpr unsigned kSlots = 256;  // power of two; TCP upstream is the rare path
    static constexpr unsigned kMaxDeferred = 64;
    static constexpr uint32_t kMaxAnswer = 65535 + 2;
    struct Failure {
        net::Ipv4Addr server;
        uint16_t server_port;
        uint16_t local_port;
        uint16_t id;
    };
    uint32_t sweep = 0;
    unsigned n_failed = 0;
    Failure failed[kMaxDeferred];
    UpConn conns[kSlots];
    uint8_t msg[65535];  // one reassembled answer, handed to the engine
};

namespace {

using State = UpConn::State;

bool live(const UpConn& c) { return c.state != State::Free; }

void release(LcoreState& s, UpConn& c) {
    flow_release(s, c.f);
    c.rq.clear(*s.tcp_store);
    c.state = State::Free;
}

void set_rcv_wnd(UpConn& c) {
    c.f.rcv_wnd =
        static_cast<uint16_t>(std::min<uint32_t>(65535, TcpClientTable::kMaxAnswer - c.rq.size()));
}

/// Ends the exchange without an answer: frees the slot (RST first unless the resolver
/// reset it), then tells the engine, which may open the next exchange at once.
void fail(LcoreState& s, FrameOut& out, UpConn& c, uint64_t now, bool send_rst) {
    if (send_rst) flow_send_ctl(s, c.f, kTcpRst | kTcpAck);
    const TcpPath p = c.f.path;
    const bool report = !c.answered;
    const uint16_t id = c.qid;
    release(s, c);
    if (report) {
        s.cfg->engine->on_upstream_tcp_failed(p.peer4, p.rport, p.lport, id, now, out);
    }
}

void defer_failure(TcpClientTable& t, net::Ipv4Addr server, uint16_t sport, uint16_t lport,
                   uint16_t id) {
    // Beyond kMaxDeferred the engine's own timeout takes over.
    if (t.n_failed < TcpClientTable::kMaxDeferred)
        t.failed[t.n_failed++] = {server, sport, lport, id};
}

/// Once the whole answer is in: to the engine, and our side closes (one query per
/// connection; RFC 7766 §6.2.1 lets the client close).
void try_answer(LcoreState& s, FrameOut& out, TcpClientTable& t, UpConn& c, uint64_t now) {
    if (c.rq.size() < 2) return;
    uint8_t len[2];
    c.rq.read(*s.tcp_store, 0, 2, len);
    const uint32_t n = net::load_be16(len);
    if (c.rq.size() < 2 + n) return;
    c.rq.read(*s.tcp_store, 2, n, t.msg);
    c.rq.clear(*s.tcp_store);
    c.answered = true;
    c.f.fin_queued = true;
    c.state = State::Closing;
    const TcpPath p = c.f.path;
    s.cfg->engine->on_upstream_answer({t.msg, n}, p.peer4, p.rport, p.lport, now, out,
                                      Transport::Tcp);
}

/// SYN-SENT (RFC 9293 §3.10.7.3): our SYN acknowledged by the resolver's SYN-ACK, or refused.
void on_syn_sent(LcoreState& s, FrameOut& out, UpConn& c, const TcpSeg& g, uint64_t now) {
    TcpFlow& f = c.f;
    const bool ack_ok = (g.flags & kTcpAck) && g.ack == f.iss + 1;
    if (g.flags & kTcpRst) {
        if (!ack_ok) return;
        dns_counters(s).upstream_tcp_resets.inc();  // refused: nothing listens on the port
        return fail(s, out, c, now, false);
    }
    if ((g.flags & kTcpAck) && !ack_ok) return send_reset_for(s, f.path, g);
    if ((g.flags & (kTcpSyn | kTcpAck)) != (kTcpSyn | kTcpAck)) return;
    f.rcv_nxt = g.seq + 1;
    flow_set_mss(s, f, g);
    flow_ack(s, f, g, now);
    c.state = State::Established;
    f.idle_at = now + kIdleTimeoutNs;
    if (!flow_output(s, f, now)) flow_send_ctl(s, f, kTcpAck);
}

void on_segment(LcoreState& s, FrameOut& out, TcpClientTable& t, UpConn& c, TcpSeg& g,
                uint64_t now) {
    TcpFlow& f = c.f;
    if (c.state == State::SynSent) return on_syn_sent(s, out, c, g, now);
    if (g.flags & kTcpRst) {
        if (!flow_rst_acceptable(f, g)) return flow_send_ctl(s, f, kTcpAck);  // RFC 5961 §3.2
        dns_counters(s).upstream_tcp_resets.inc();
        return fail(s, out, c, now, false);
    }
    // A repeated SYN-ACK means our ACK was lost: acknowledge again.
    if (g.flags & kTcpSyn) return flow_send_ctl(s, f, kTcpAck);
    if (!(g.flags & kTcpAck)) return;
    f.idle_at = now + kIdleTimeoutNs;
    if (flow_ack(s, f, g, now) == AckResult::Invalid) return flow_send_ctl(s, f, kTcpAck);
    const bool need_ack = g.len > 0 || (g.flags & kTcpFin);
    if (need_ack && !f.peer_fin && flow_trim(f, g)) {
        // Bytes after the answer (none from a sane resolver) are acknowledged, not kept.
        if (!c.answered && !c.rq.append(*s.tcp_store, g.data, g.len)) {
            return fail(s, out, c, now, true);  // the store is exhausted
        }
        f.rcv_nxt += g.len;
        if (g.flags & kTcpFin) {
            ++f.rcv_nxt;
            f.peer_fin = true;
        }
        set_rcv_wnd(c);
        if (!c.answered) try_answer(s, out, t, c, now);
        if (c.state == State::Free) return;
    }
    if (f.peer_fin && !c.answered) return fail(s, out, c, now, true);  // closed mid-answer
    if (!flow_output(s, f, now) && need_ack) flow_send_ctl(s, f, kTcpAck);
    if (f.fin_acked && f.peer_fin) release(s, c);
}

void sweep_one(LcoreState& s, FrameOut& out, UpConn& c, uint64_t now) {
    if (!live(c)) return;
    switch (flow_timer(s, c.f, now)) {
        case TimerResult::None:
        case TimerResult::Probed:
            break;
        case TimerResult::Retransmitted:
            dns_counters(s).upstream_tcp_retransmits.inc();
            break;
        case TimerResult::GaveUp:
            return fail(s, out, c, now, true);
    }
    if (now >= c.f.idle_at) fail(s, out, c, now, true);
}

}  // namespace

TcpClientTable* tcp_client_table_create() {
    void* p = rte_zmalloc("strait_dns64_tcp_up", sizeof(TcpClientTable), 64);
    return p ? new (p) TcpClientTable() : nullptr;
}

void tcp_client_table_free(TcpClientTable* t) { rte_free(t); }

void tcp_client_open(LcoreState& s, net::Ipv4Addr server, uint16_t server_port, uint16_t local_port,
                     std::span<const uint8_t> msg) {
    if (s.tcp_up == nullptr || msg.size() < 2 || msg.size() > 65535) {
        s.c.drop(DropReason::Dns64TcpDropped);  // the engine's timeout answers the client
        return;
    }
    TcpClientTable& t = *s.tcp_up;
    TcpPath p;
    p.v4 = true;
    p.lport = local_port;
    p.rport = server_port;
    p.peer4 = server;
    const uint16_t id = net::load_be16(msg.data());
    const uint64_t now = now_ns(s);
    // The engine reused a port whose last exchange with this resolver is still closing.
    if (UpConn* old = table_find(t.conns, p, live)) {
        flow_send_ctl(s, old->f, kTcpRst | kTcpAck);
        release(s, *old);
    }
    UpConn* c = table_free_slot(t.conns, p, live);
    const auto n = static_cast<uint32_t>(msg.size());
    if (c == nullptr || !c->f.q.fits(*s.tcp_store, 2 + n)) {
        dns_counters(s).upstream_tcp_table_full.inc();
        return defer_failure(t, server, server_port, local_port, id);
    }
    flow_init(c->f, p, static_cast<uint32_t>(rte_rand()), kTcpSyn, now);
    uint8_t len[2];
    net::store_be16(len, static_cast<uint16_t>(n));
    c->f.q.append(*s.tcp_store, len, 2);
    c->f.q.append(*s.tcp_store, msg.data(), n);
    c->state = State::SynSent;
    c->answered = false;
    c->qid = id;
    set_rcv_wnd(*c);
    flow_send_syn(s, c->f, now);
    dns_counters(s).upstream_tcp_connections.inc();
}

void tcp_client_input(LcoreState& s, FrameOut& out, rte_mbuf* m, const uint8_t* ip, uint32_t ihl,
                      uint32_t total) {
    const uint8_t* tcp = ip + ihl;
    const uint32_t len = total - ihl;
    TcpSeg g;
    if (s.tcp_up == nullptr ||
        !parse_tcp(tcp, len,
                   net::pseudo_sum_v4(ip + pkt::kIp4Src, ip + pkt::kIp4Dst, pkt::kProtoTcp, len),
                   g)) {
        return drop(s, m, DropReason::Dns64TcpDropped);
    }
    TcpPath p;
    p.v4 = true;
    p.lport = g.dport;
    p.rport = g.sport;
    p.peer4 = net::Ipv4Addr::from_bytes(ip + pkt::kIp4Src);
    if (UpConn* c = table_find(s.tcp_up->conns, p, live)) {
        on_segment(s, out, *s.tcp_up, *c, g, now_ns(s));
    } else {
        // Strict matching: no exchange of ours on this tuple (RFC 9293 §3.10.7.1).
        if (!(g.flags & kTcpRst)) send_reset_for(s, p, g);
        s.c.drop(DropReason::Dns64TcpDropped);
    }
    rte_pktmbuf_free(m);
}

void tcp_client_tick(LcoreState& s, FrameOut& out, uint64_t now) {
    TcpClientTable& t = *s.tcp_up;
    // Reporting may open new exchanges that fail and defer again: take the batch first.
    TcpClientTable::Failure batch[TcpClientTable::kMaxDeferred];
    const unsigned n = t.n_failed;
    std::copy(t.failed, t.failed + n, batch);
    t.n_failed = 0;
    for (unsigned i = 0; i < n; ++i) {
        const auto& f = batch[i];
        s.cfg->engine->on_upstream_tcp_failed(f.server, f.server_port, f.local_port, f.id, now,
                                              out);
    }
    table_sweep(t.conns, t.sweep, [&](UpConn& c) { sweep_one(s, out, c, now); });
}

}  // namespace strait::dns64::lcore
