// SPDX-License-Identifier: Apache-2.0
// Shared TCP send/receive machinery of the DNS64 lcore (see tcp_conn.h).
#include "dns64/lcore/tcp_conn.h"

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

/// Sequence-space comparison (RFC 9293 §3.4): a - b as a signed distance.
int32_t seq_diff(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b); }

uint32_t ip_hdr_len(const TcpPath& p) { return p.v4 ? pkt::kIpv4MinHdr : pkt::kIpv6HdrLen; }

/// Largest segment payload our side of the path carries (MTU minus IP and TCP headers).
uint16_t mss_cap(const LcoreState& s, const TcpPath& p) {
    return static_cast<uint16_t>(s.cfg->mtu[p.v4 ? 1 : 0] - ip_hdr_len(p) - kTcpHdrLen);
}

/// Builds and sends one segment on `p`: payload bytes [off, off + n) of `q` (if any), an
/// MSS option on SYNs.
void emit(LcoreState& s, const TcpPath& p, uint8_t flags, uint32_t seq, uint32_t ack, uint16_t wnd,
          const ByteQueue* q, uint32_t off, uint32_t n) {
    const bool syn = (flags & kTcpSyn) != 0;
    const uint32_t hlen = kTcpHdrLen + (syn ? 4 : 0);
    const uint32_t l4 = hlen + n;
    rte_mbuf* m = nullptr;
    uint8_t* tcp = p.v4 ? alloc_v4(s, p.peer4, pkt::kProtoTcp, l4, m)
                        : alloc_v6(s, p.svc, p.peer6, pkt::kProtoTcp, l4, m);
    if (tcp == nullptr) return;  // counted; the retransmission timer covers the loss
    store_be16(tcp, p.lport);
    store_be16(tcp + 2, p.rport);
    store_be32(tcp + 4, seq);
    store_be32(tcp + 8, (flags & kTcpAck) ? ack : 0);
    tcp[12] = static_cast<uint8_t>((hlen / 4) << 4);
    tcp[13] = flags;
    store_be16(tcp + 14, wnd);
    store_be32(tcp + 16, 0);  // checksum, urgent pointer
    if (syn) {
        tcp[20] = 2;  // MSS (RFC 9293 §3.2)
        tcp[21] = 4;
        store_be16(tcp + 22, mss_cap(s, p));
    }
    if (n) q->read(*s.tcp_store, off, n, tcp + hlen);
    const uint8_t* ip = tcp - ip_hdr_len(p);
    const uint32_t pseudo =
        p.v4 ? net::pseudo_sum_v4(ip + pkt::kIp4Src, ip + pkt::kIp4Dst, pkt::kProtoTcp, l4)
             : net::pseudo_sum_v6(ip + pkt::kIp6Src, ip + pkt::kIp6Dst, pkt::kProtoTcp, l4);
    store_be16(tcp + 16, net::checksum(tcp, l4, pseudo));
    dp::forward_l3(s.eg, p.v4 ? 1 : 0, m);
}

/// RFC 6298 §2.2-2.4 with a 1 ms clock granularity.
void rtt_sample(TcpFlow& f, uint64_t r) {
    if (f.srtt_ns == 0) {
        f.srtt_ns = std::max<uint64_t>(r, 1);
        f.rttvar_ns = r / 2;
    } else {
        const uint64_t err = f.srtt_ns > r ? f.srtt_ns - r : r - f.srtt_ns;
        f.rttvar_ns = (3 * f.rttvar_ns + err) / 4;
        f.srtt_ns = (7 * f.srtt_ns + r) / 8;
    }
    const uint64_t rto = f.srtt_ns + std::max<uint64_t>(1'000'000, 4 * f.rttvar_ns);
    f.rto_ns = std::clamp(rto, kRtoMinNs, kRtoMaxNs);
}

bool outstanding(const TcpFlow& f) {
    return !f.syn_acked || f.sent > 0 || (f.fin_sent && !f.fin_acked);
}

}  // namespace

bool parse_tcp(const uint8_t* tcp, uint32_t len, uint32_t pseudo, TcpSeg& g) {
    if (len < kTcpHdrLen) return false;
    const uint32_t hlen = (tcp[12] >> 4) * 4u;
    if (hlen < kTcpHdrLen || hlen > len || net::checksum(tcp, len, pseudo) != 0) return false;
    g.sport = load_be16(tcp);
    g.dport = load_be16(tcp + 2);
    g.seq = load_be32(tcp + 4);
    g.ack = load_be32(tcp + 8);
    g.flags = tcp[13];
    g.wnd = load_be16(tcp + 14);
    g.data = tcp + hlen;
    g.len = len - hlen;
    g.mss = 0;
    for (uint32_t i = kTcpHdrLen; i < hlen;) {
        const uint8_t kind = tcp[i];
        if (kind == 0) break;
        if (kind == 1) {
            ++i;
            continue;
        }
        if (i + 1 >= hlen) break;
        const uint8_t olen = tcp[i + 1];
        if (olen < 2 || i + olen > hlen) break;
        if (kind == 2 && olen == 4) g.mss = load_be16(tcp + i + 2);
        i += olen;
    }
    return true;
}

void flow_init(TcpFlow& f, const TcpPath& p, uint32_t iss, uint8_t syn_flags, uint64_t now) {
    f = TcpFlow{};  // the owner emptied q (flow_release) before reusing the slot
    f.path = p;
    f.iss = iss;
    f.q_seq = iss + 1;
    f.snd_max = iss;
    f.syn_flags = syn_flags;
    f.mss = p.v4 ? 536 : 1220;
    f.cwnd = 2u * f.mss;
    f.idle_at = now + kIdleTimeoutNs;
}

void flow_release(LcoreState& s, TcpFlow& f) { f.q.clear(*s.tcp_store); }

void flow_send_syn(LcoreState& s, TcpFlow& f, uint64_t now) {
    emit(s, f.path, f.syn_flags, f.iss, f.rcv_nxt, f.rcv_wnd, nullptr, 0, 0);
    f.snd_max = f.iss + 1;
    if (f.retries == 0 && !f.rtt_on) {
        f.rtt_on = true;
        f.rtt_seq = f.iss + 1;
        f.rtt_start_ns = now;
    }
    f.rto_at = now + f.rto_ns;
}

uint32_t flow_snd_nxt(const TcpFlow& f) { return f.q_seq + f.sent + (f.fin_sent ? 1 : 0); }

void flow_set_mss(const LcoreState& s, TcpFlow& f, const TcpSeg& g) {
    const uint16_t dflt = f.path.v4 ? 536 : 1220;  // RFC 9293 §3.7.1, RFC 8200 §8.3
    f.mss = std::max<uint16_t>(64, std::min(g.mss ? g.mss : dflt, mss_cap(s, f.path)));
    // RFC 6928 initial window: min(10 MSS, max(2 MSS, 14600)).
    f.cwnd = std::min(10u * f.mss, std::max(2u * f.mss, 14600u));
}

AckResult flow_ack(LcoreState& s, TcpFlow& f, const TcpSeg& g, uint64_t now) {
    const uint32_t una = f.syn_acked ? f.q_seq : f.iss;
    // Against the highest sequence number sent, not snd_nxt: after a timeout rewinds to
    // the oldest byte, the peer may still acknowledge everything sent before.
    if (seq_diff(g.ack, f.snd_max) > 0) return AckResult::Invalid;
    const int32_t adv = seq_diff(g.ack, una);
    if (adv < 0) return AckResult::Duplicate;
    f.snd_wnd = g.wnd;  // also from duplicates: that is how a closed window reopens
    if (adv == 0) return AckResult::Duplicate;
    auto n = static_cast<uint32_t>(adv);
    if (!f.syn_acked) {
        f.syn_acked = true;
        --n;
    }
    const uint32_t data = std::min(n, f.q.size());
    f.q.consume(*s.tcp_store, data);
    f.q_seq += data;
    f.sent = f.sent > data ? f.sent - data : 0;
    if (n > data && f.fin_queued) {  // the FIN (sent: snd_max covers it) is acknowledged
        f.fin_sent = true;
        f.fin_acked = true;
    }
    if (f.rtt_on && seq_diff(g.ack, f.rtt_seq) >= 0) {
        rtt_sample(f, now - f.rtt_start_ns);
        f.rtt_on = false;
    }
    // RFC 5681 §3.1 slow start, RFC 3465 L=1: short exchanges never leave it.
    f.cwnd = std::min<uint32_t>(f.cwnd + std::min<uint32_t>(data, f.mss), 1u << 20);
    f.retries = 0;
    f.rto_at = outstanding(f) ? now + f.rto_ns : 0;  // RFC 6298 §5.2-5.3
    return AckResult::Advanced;
}

bool flow_trim(const TcpFlow& f, TcpSeg& g) {
    const int32_t late = seq_diff(f.rcv_nxt, g.seq);  // bytes we already have
    const uint32_t span = g.len + ((g.flags & kTcpFin) ? 1 : 0);
    if (late < 0 || static_cast<uint32_t>(late) >= span) return false;
    g.data += late;
    g.len -= static_cast<uint32_t>(std::min<int32_t>(late, static_cast<int32_t>(g.len)));
    g.seq = f.rcv_nxt;
    if (g.len > f.rcv_wnd) {
        g.len = f.rcv_wnd;
        g.flags = static_cast<uint8_t>(g.flags & ~kTcpFin);  // its FIN lies beyond the window
    }
    return g.len > 0 || (g.flags & kTcpFin);
}

bool flow_rst_acceptable(const TcpFlow& f, const TcpSeg& g) {
    const int32_t d = seq_diff(g.seq, f.rcv_nxt);
    return d >= 0 && d < std::max<int32_t>(f.rcv_wnd, 1);
}

bool flow_output(LcoreState& s, TcpFlow& f, uint64_t now, bool force) {
    if (!f.syn_acked) return false;
    bool any = false;
    for (;;) {
        const uint32_t unsent = f.q.size() - f.sent;
        const uint32_t wnd = std::min(f.snd_wnd, f.cwnd);
        const uint32_t room = wnd > f.sent ? wnd - f.sent : 0;
        const uint32_t n = std::min({unsent, room, uint32_t{f.mss}});
        const bool fin = f.fin_queued && !f.fin_sent && n == unsent;
        if (n == 0 && !fin) break;
        const uint32_t seq = f.q_seq + f.sent;
        const auto flags =
            static_cast<uint8_t>(kTcpAck | (n && n == unsent ? kTcpPsh : 0) | (fin ? kTcpFin : 0));
        emit(s, f.path, flags, seq, f.rcv_nxt, f.rcv_wnd, &f.q, f.sent, n);
        const uint32_t end = seq + n + (fin ? 1 : 0);
        if (!f.rtt_on && seq_diff(seq, f.snd_max) >= 0) {  // Karn: time new data only
            f.rtt_on = true;
            f.rtt_seq = end;
            f.rtt_start_ns = now;
        }
        if (seq_diff(end, f.snd_max) > 0) f.snd_max = end;
        f.sent += n;
        f.fin_sent = f.fin_sent || fin;
        any = true;
        if (fin || force) break;
    }
    // RFC 6298 §5.1: run the timer while anything is in flight; with data held back by a
    // closed window it is the persist timer (RFC 9293 §3.8.6.1).
    const bool persist = f.q.size() > f.sent && f.snd_wnd == 0;
    if ((outstanding(f) || persist) && f.rto_at == 0) f.rto_at = now + f.rto_ns;
    return any;
}

void flow_send_ctl(LcoreState& s, const TcpFlow& f, uint8_t flags) {
    emit(s, f.path, flags, flow_snd_nxt(f), f.rcv_nxt, f.rcv_wnd, nullptr, 0, 0);
}

TimerResult flow_timer(LcoreState& s, TcpFlow& f, uint64_t now) {
    if (f.rto_at == 0 || now < f.rto_at) return TimerResult::None;
    if (f.retries >= kMaxRetransmits) return TimerResult::GaveUp;
    ++f.retries;
    f.rto_ns = std::min(f.rto_ns * 2, kRtoMaxNs);  // §5.5 back off
    f.rtt_on = false;                              // Karn's algorithm
    f.rto_at = 0;
    if (!f.syn_acked) {
        flow_send_syn(s, f, now);
        return TimerResult::Retransmitted;
    }
    if (f.sent == 0 && !f.fin_sent && f.snd_wnd == 0) {
        // RFC 9293 §3.8.6.1 persist: data waits for a closed window. The probe is a bare
        // ACK one byte below the window (as Linux sends it): the peer answers with its
        // current window, and no byte is left in flight. Bounded like retransmissions.
        emit(s, f.path, kTcpAck, f.q_seq - 1, f.rcv_nxt, f.rcv_wnd, nullptr, 0, 0);
        f.rto_at = now + f.rto_ns;
        return TimerResult::Probed;
    }
    // §5.4 and RFC 5681 §3.1: resend from the oldest unacknowledged byte, cwnd = 1 SMSS;
    // the rest follows as ACKs come back.
    f.sent = 0;
    f.fin_sent = false;
    f.cwnd = f.mss;
    flow_output(s, f, now, true);
    if (f.rto_at == 0) f.rto_at = now + f.rto_ns;
    return TimerResult::Retransmitted;
}

void send_reset_for(LcoreState& s, const TcpPath& p, const TcpSeg& g) {
    if (g.flags & kTcpAck) {
        emit(s, p, kTcpRst, g.ack, 0, 0, nullptr, 0, 0);
        return;
    }
    const uint32_t ack =
        g.seq + g.len + ((g.flags & kTcpSyn) ? 1 : 0) + ((g.flags & kTcpFin) ? 1 : 0);
    emit(s, p, kTcpRst | kTcpAck, 0, ack, 0, nullptr, 0, 0);
}

uint32_t path_hash(const TcpPath& p) {
    uint32_t h = (uint32_t{p.rport} << 16 | p.lport) * 0x9e3779b1u;
    if (p.v4) {
        h = (h ^ load_be32(p.peer4.b.data())) * 0x85ebca6bu;
    } else {
        for (unsigned i = 0; i < 16; i += 4) {
            h = (h ^ load_be32(p.peer6.b.data() + i)) * 0x85ebca6bu;
        }
        h ^= p.svc;
    }
    return h ^ (h >> 15);
}

bool same_tuple(const TcpPath& a, const TcpPath& b) {
    if (a.v4 != b.v4 || a.lport != b.lport || a.rport != b.rport) return false;
    return a.v4 ? a.peer4 == b.peer4 : (a.peer6 == b.peer6 && a.svc == b.svc);
}

}  // namespace strait::dns64::lcore
