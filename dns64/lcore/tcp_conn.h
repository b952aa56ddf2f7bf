// SPDX-License-Identifier: Apache-2.0
// TCP machinery shared by the DNS64 lcore's responder (IPv6 clients, lcore/tcp.cc) and its
// upstream client (IPv4 resolvers, lcore/tcp_client.cc): segment parsing and building, the
// send side (peer window, congestion window, RFC 6298 retransmission timer), in-order
// receive, and fixed connection tables probed by hash. Thread: DNS64 lcore only.
#pragma once

#include <cstdint>

#include "dns64/lcore/byte_queue.h"
#include "dns64/lcore/lcore_state.h"
#include "strait/net/addr.h"

namespace strait::dns64::lcore {

inline constexpr uint8_t kTcpFin = 0x01;
inline constexpr uint8_t kTcpSyn = 0x02;
inline constexpr uint8_t kTcpRst = 0x04;
inline constexpr uint8_t kTcpPsh = 0x08;
inline constexpr uint8_t kTcpAck = 0x10;
inline constexpr uint32_t kTcpHdrLen = 20;

/// RFC 6298 §2.1: 1 s before any RTT sample; §2.4 allows a floor below 1 s, and 200 ms
/// (Linux's) keeps a lost answer segment from stalling a DNS exchange for a second.
inline constexpr uint64_t kRtoInitialNs = 1'000'000'000;
inline constexpr uint64_t kRtoMinNs = 200'000'000;
inline constexpr uint64_t kRtoMaxNs = 4'000'000'000;
/// Retransmissions of one segment before the connection is reset (about 6 s at the floor).
inline constexpr uint8_t kMaxRetransmits = 5;
/// RFC 7766 §6.2.3: servers close idle connections after a few seconds; the upstream side
/// uses the same bound for a resolver that stops talking.
inline constexpr uint64_t kIdleTimeoutNs = 5'000'000'000;
/// Connections examined per timer tick (1 ms): a 1024-slot table is swept every 16 ms.
inline constexpr unsigned kSweepPerTick = 64;
/// Slots probed from a tuple's hash; a SYN finding all of them busy is refused.
inline constexpr unsigned kProbe = 8;

/// A checksum-verified TCP segment.
struct TcpSeg {
    uint16_t sport = 0;
    uint16_t dport = 0;
    uint32_t seq = 0;
    uint32_t ack = 0;
    uint8_t flags = 0;
    uint32_t wnd = 0;  ///< unscaled: we never offer window scaling (RFC 7323 §1.3)
    uint16_t mss = 0;  ///< MSS option, 0 when absent
    const uint8_t* data = nullptr;
    uint32_t len = 0;
};

/// Parses the TCP header at `tcp` (`len` bytes to the end of the IP payload) and checks
/// the checksum with the pseudo-header sum `pseudo`. False for anything malformed.
bool parse_tcp(const uint8_t* tcp, uint32_t len, uint32_t pseudo, TcpSeg& g);

/// Who a connection talks to: an IPv6 client of inside service address `svc`, or an IPv4
/// resolver from the outside port's first address.
struct TcpPath {
    bool v4 = false;
    uint8_t svc = 0;
    uint16_t lport = 0;
    uint16_t rport = 0;
    net::Ipv6Addr peer6;
    net::Ipv4Addr peer4;
};

/// Both directions' sequence space and the timers of one connection. Send side: `q` holds
/// every byte from the oldest unacknowledged one; [0, sent) is in flight, the rest unsent.
struct TcpFlow {
    TcpPath path;
    uint32_t iss = 0;
    uint32_t q_seq = 0;  ///< sequence number of q's first byte
    uint32_t sent = 0;
    uint32_t snd_wnd = 0;  ///< the peer's advertised window
    uint32_t cwnd = 0;     ///< RFC 5681 congestion window (slow start only: short exchanges)
    uint16_t mss = 536;    ///< peer's MSS, capped by our MTU
    uint16_t rcv_wnd = 0;  ///< what we advertise: free room in the owner's receive buffer
    bool syn_acked = false;
    bool fin_queued = false;  ///< send FIN once q is sent
    bool fin_sent = false;
    bool fin_acked = false;
    bool peer_fin = false;
    bool rtt_on = false;  ///< timing one segment (Karn: never a retransmitted one)
    uint8_t retries = 0;
    uint8_t syn_flags = 0;  ///< kTcpSyn (client) or kTcpSyn|kTcpAck (responder)
    uint32_t rcv_nxt = 0;
    uint32_t snd_max = 0;  ///< highest sequence number sent (new data vs retransmission)
    uint32_t rtt_seq = 0;
    uint64_t rtt_start_ns = 0;
    uint64_t srtt_ns = 0;  ///< 0: no sample yet
    uint64_t rttvar_ns = 0;
    uint64_t rto_ns = kRtoInitialNs;
    uint64_t rto_at = 0;   ///< retransmission or persist deadline; 0: off
    uint64_t idle_at = 0;  ///< reset by every segment from the peer
    ByteQueue q;
};

/// Starts a flow on an empty slot: ISN `iss`, SYN (`syn_flags`) not yet sent.
void flow_init(TcpFlow& f, const TcpPath& p, uint32_t iss, uint8_t syn_flags, uint64_t now);
/// Returns the flow's buffered bytes to the store; call before a slot is reused.
void flow_release(LcoreState& s, TcpFlow& f);
/// Sends (or resends) our SYN or SYN-ACK with the MSS option, and arms the timer.
void flow_send_syn(LcoreState& s, TcpFlow& f, uint64_t now);
/// Our next sequence number.
[[nodiscard]] uint32_t flow_snd_nxt(const TcpFlow& f);
/// The peer's MSS option (or the RFC 9293 §3.7.1 default), capped to fit our MTU.
void flow_set_mss(const LcoreState& s, TcpFlow& f, const TcpSeg& g);

enum class AckResult : uint8_t { Advanced, Duplicate, Invalid };
/// The ACK field of a segment (RFC 9293 §3.10.7.4): frees acknowledged bytes, takes the
/// window, samples the RTT (RFC 6298), grows cwnd, restarts or stops the timer. Invalid:
/// it acknowledges what was never sent (answer with an ACK, ignore the segment).
AckResult flow_ack(LcoreState& s, TcpFlow& f, const TcpSeg& g, uint64_t now);

/// Trims `g` to the new bytes starting at rcv_nxt that fit rcv_wnd (a FIN survives only
/// with all its data). False when nothing new starts at rcv_nxt (a duplicate or out of
/// order: the caller sends an ACK; the peer retransmits in order).
bool flow_trim(const TcpFlow& f, TcpSeg& g);
/// RFC 5961 §3.2: a RST is taken only when its sequence number is in the window.
[[nodiscard]] bool flow_rst_acceptable(const TcpFlow& f, const TcpSeg& g);

/// Sends what the peer's window and cwnd allow from q, then FIN once queued and q is sent;
/// every segment carries an ACK. True if anything was sent. `force`: one segment only (a
/// retransmission).
bool flow_output(LcoreState& s, TcpFlow& f, uint64_t now, bool force = false);
/// A bare segment at snd_nxt with `flags` (ACK, RST|ACK).
void flow_send_ctl(LcoreState& s, const TcpFlow& f, uint8_t flags);

enum class TimerResult : uint8_t { None, Retransmitted, Probed, GaveUp };
/// RFC 6298 §5.4-5.6 when rto_at passed: retransmit the oldest segment (or SYN, FIN), or
/// probe a closed window, and back off. GaveUp after kMaxRetransmits (the caller resets):
/// a window closed for ~6 s ends the connection too, so no peer holds a slot forever.
TimerResult flow_timer(LcoreState& s, TcpFlow& f, uint64_t now);

/// RFC 9293 §3.10.7.1: the RST answering segment `g` of no connection on `p`.
void send_reset_for(LcoreState& s, const TcpPath& p, const TcpSeg& g);

/// Hash of a path's tuple, for the tables' probing.
[[nodiscard]] uint32_t path_hash(const TcpPath& p);
[[nodiscard]] bool same_tuple(const TcpPath& a, const TcpPath& b);

/// Linear probing over kProbe slots from `h` (tables never shrink the probe window, so
/// removal needs no tombstones). `live(c)` tells a connection in use.
template <class Conn, unsigned N, class Live>
Conn* table_find(Conn (&conns)[N], const TcpPath& p, Live live) {
    const uint32_t h = path_hash(p);
    for (unsigned i = 0; i < kProbe; ++i) {
        Conn& c = conns[(h + i) & (N - 1)];
        if (live(c) && same_tuple(c.f.path, p)) return &c;
    }
    return nullptr;
}
template <class Conn, unsigned N, class Live>
Conn* table_free_slot(Conn (&conns)[N], const TcpPath& p, Live live) {
    const uint32_t h = path_hash(p);
    for (unsigned i = 0; i < kProbe; ++i) {
        Conn& c = conns[(h + i) & (N - 1)];
        if (!live(c)) return &c;
    }
    return nullptr;
}
/// Calls fn(conn) for the next kSweepPerTick slots from `cursor` (incremental, never a
/// stop-the-world scan).
template <class Conn, unsigned N, class Fn>
void table_sweep(Conn (&conns)[N], uint32_t& cursor, Fn fn) {
    for (unsigned i = 0; i < kSweepPerTick && i < N; ++i) {
        fn(conns[cursor]);
        cursor = (cursor + 1) & (N - 1);
    }
}

}  // namespace strait::dns64::lcore
