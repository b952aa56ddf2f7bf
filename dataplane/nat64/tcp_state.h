// SPDX-License-Identifier: Apache-2.0
// RFC 6146 §3.5.2.2 TCP session state machine as a pure function (table-driven tests in
// tests/unit/nat64/tcp_state_test.cc).
#pragma once

#include <cstdint>

namespace strait::nat64 {

enum class TcpState : uint8_t {
    Closed,
    V4Init,
    V6Init,
    Established,
    V4FinRcv,
    V6FinRcv,
    V4V6FinRcv,
    Trans,
};

/// Which lifetime a packet sets (RFC 6146 §3.5.2.2): keep the current deadline, or
/// refresh it to TCP_TRANS, TCP_EST or TCP_INCOMING_SYN from now.
enum class TcpTimer : uint8_t { Keep, Trans, Est, IncomingSyn };

struct TcpStep {
    TcpState next;
    TcpTimer timer;
};

inline constexpr uint8_t kTcpFin = 0x01;
inline constexpr uint8_t kTcpSyn = 0x02;
inline constexpr uint8_t kTcpRst = 0x04;

/// The state after a packet with TCP `flags` travelling from the IPv6 side (`from_v6`) or
/// the IPv4 side, in session state `s`. CLOSED covers session creation: a V6 SYN opens
/// V6 INIT (TCP_TRANS), a V4 SYN opens V4 INIT (TCP_INCOMING_SYN); any other packet stays
/// CLOSED (the caller refuses to create a session). thread: any (pure).
constexpr TcpStep tcp_step(TcpState s, bool from_v6, uint8_t flags) {
    const bool syn = flags & kTcpSyn;
    const bool fin = flags & kTcpFin;
    const bool rst = flags & kTcpRst;
    switch (s) {
        case TcpState::Closed:
            if (!syn || rst) return {TcpState::Closed, TcpTimer::Keep};
            return from_v6 ? TcpStep{TcpState::V6Init, TcpTimer::Trans}
                           : TcpStep{TcpState::V4Init, TcpTimer::IncomingSyn};
        case TcpState::V4Init:
            if (from_v6 && syn) return {TcpState::Established, TcpTimer::Est};
            return {s, TcpTimer::Keep};
        case TcpState::V6Init:
            if (!from_v6 && syn) return {TcpState::Established, TcpTimer::Est};
            if (from_v6 && syn) return {s, TcpTimer::Trans};
            return {s, TcpTimer::Keep};
        case TcpState::Established:
            if (rst) return {TcpState::Trans, TcpTimer::Trans};
            if (fin) return {from_v6 ? TcpState::V6FinRcv : TcpState::V4FinRcv, TcpTimer::Keep};
            return {s, TcpTimer::Est};
        case TcpState::V4FinRcv:
            if (from_v6 && fin) return {TcpState::V4V6FinRcv, TcpTimer::Trans};
            return {s, TcpTimer::Est};
        case TcpState::V6FinRcv:
            if (!from_v6 && fin) return {TcpState::V4V6FinRcv, TcpTimer::Trans};
            return {s, TcpTimer::Est};
        case TcpState::V4V6FinRcv:
            return {s, TcpTimer::Keep};
        case TcpState::Trans:
            if (rst) return {s, TcpTimer::Keep};
            return {TcpState::Established, TcpTimer::Est};
    }
    return {s, TcpTimer::Keep};
}

/// Name for logs, the sessions API and tests.
constexpr const char* tcp_state_name(TcpState s) {
    constexpr const char* kNames[] = {
        "CLOSED",     "V4_INIT",    "V6_INIT",           "ESTABLISHED",
        "V4_FIN_RCV", "V6_FIN_RCV", "V4_FIN_V6_FIN_RCV", "TRANS"};
    return kNames[static_cast<unsigned>(s)];
}

}  // namespace strait::nat64
