// SPDX-License-Identifier: Apache-2.0
// RFC 6146 §3.5.2.2 TCP state machine, table-driven: every state x {from IPv6, from IPv4} x
// {SYN, FIN, RST, other}, with the lifetime each packet sets. The rows are written from the
// RFC's text, not from tcp_state.h.
#include "dataplane/nat64/tcp_state.h"

#include <gtest/gtest.h>

#include <string>

namespace strait::nat64 {
namespace {

using S = TcpState;
using T = TcpTimer;

constexpr uint8_t kAck = 0x10;
enum class Kind { Syn, Fin, Rst, Other };

struct Row {
    S state;
    bool from_v6;
    Kind kind;
    S next;
    T timer;
};

// V6 = a packet from the IPv6 side, V4 = from the IPv4 side.
constexpr bool V6 = true, V4 = false;

const Row kRows[] = {
    // CLOSED: "If a V6 SYN is received ... the state is moved to V6 INIT ... lifetime ...
    // TCP_TRANS"; a V4 SYN moves to V4 INIT with TCP_INCOMING_SYN (the simultaneous-open
    // wait). Any other packet creates nothing.
    {S::Closed, V6, Kind::Syn, S::V6Init, T::Trans},
    {S::Closed, V6, Kind::Fin, S::Closed, T::Keep},
    {S::Closed, V6, Kind::Rst, S::Closed, T::Keep},
    {S::Closed, V6, Kind::Other, S::Closed, T::Keep},
    {S::Closed, V4, Kind::Syn, S::V4Init, T::IncomingSyn},
    {S::Closed, V4, Kind::Fin, S::Closed, T::Keep},
    {S::Closed, V4, Kind::Rst, S::Closed, T::Keep},
    {S::Closed, V4, Kind::Other, S::Closed, T::Keep},
    // V4 INIT: "If a V6 SYN is received ... the state is moved to ESTABLISHED ... TCP_EST";
    // anything else is translated with the state and lifetime unchanged.
    {S::V4Init, V6, Kind::Syn, S::Established, T::Est},
    {S::V4Init, V6, Kind::Fin, S::V4Init, T::Keep},
    {S::V4Init, V6, Kind::Rst, S::V4Init, T::Keep},
    {S::V4Init, V6, Kind::Other, S::V4Init, T::Keep},
    {S::V4Init, V4, Kind::Syn, S::V4Init, T::Keep},
    {S::V4Init, V4, Kind::Fin, S::V4Init, T::Keep},
    {S::V4Init, V4, Kind::Rst, S::V4Init, T::Keep},
    {S::V4Init, V4, Kind::Other, S::V4Init, T::Keep},
    // V6 INIT: "If a V4 SYN is received (with or without the ACK flag) ... ESTABLISHED ...
    // TCP_EST"; "If a V6 SYN packet is received ... lifetime ... TCP_TRANS" (retransmission);
    // anything else unchanged.
    {S::V6Init, V6, Kind::Syn, S::V6Init, T::Trans},
    {S::V6Init, V6, Kind::Fin, S::V6Init, T::Keep},
    {S::V6Init, V6, Kind::Rst, S::V6Init, T::Keep},
    {S::V6Init, V6, Kind::Other, S::V6Init, T::Keep},
    {S::V6Init, V4, Kind::Syn, S::Established, T::Est},
    {S::V6Init, V4, Kind::Fin, S::V6Init, T::Keep},
    {S::V6Init, V4, Kind::Rst, S::V6Init, T::Keep},
    {S::V6Init, V4, Kind::Other, S::V6Init, T::Keep},
    // ESTABLISHED: a V4 FIN moves to V4 FIN RCV and a V6 FIN to V6 FIN RCV (lifetime not
    // touched); a RST either way moves to TRANS with TCP_TRANS; any other packet refreshes
    // TCP_EST.
    {S::Established, V6, Kind::Syn, S::Established, T::Est},
    {S::Established, V6, Kind::Fin, S::V6FinRcv, T::Keep},
    {S::Established, V6, Kind::Rst, S::Trans, T::Trans},
    {S::Established, V6, Kind::Other, S::Established, T::Est},
    {S::Established, V4, Kind::Syn, S::Established, T::Est},
    {S::Established, V4, Kind::Fin, S::V4FinRcv, T::Keep},
    {S::Established, V4, Kind::Rst, S::Trans, T::Trans},
    {S::Established, V4, Kind::Other, S::Established, T::Est},
    // V4 FIN RCV: "If a V6 FIN packet is received ... V4 FIN + V6 FIN RCV ... TCP_TRANS";
    // any other packet refreshes TCP_EST.
    {S::V4FinRcv, V6, Kind::Syn, S::V4FinRcv, T::Est},
    {S::V4FinRcv, V6, Kind::Fin, S::V4V6FinRcv, T::Trans},
    {S::V4FinRcv, V6, Kind::Rst, S::V4FinRcv, T::Est},
    {S::V4FinRcv, V6, Kind::Other, S::V4FinRcv, T::Est},
    {S::V4FinRcv, V4, Kind::Syn, S::V4FinRcv, T::Est},
    {S::V4FinRcv, V4, Kind::Fin, S::V4FinRcv, T::Est},
    {S::V4FinRcv, V4, Kind::Rst, S::V4FinRcv, T::Est},
    {S::V4FinRcv, V4, Kind::Other, S::V4FinRcv, T::Est},
    // V6 FIN RCV: the mirror image.
    {S::V6FinRcv, V6, Kind::Syn, S::V6FinRcv, T::Est},
    {S::V6FinRcv, V6, Kind::Fin, S::V6FinRcv, T::Est},
    {S::V6FinRcv, V6, Kind::Rst, S::V6FinRcv, T::Est},
    {S::V6FinRcv, V6, Kind::Other, S::V6FinRcv, T::Est},
    {S::V6FinRcv, V4, Kind::Syn, S::V6FinRcv, T::Est},
    {S::V6FinRcv, V4, Kind::Fin, S::V4V6FinRcv, T::Trans},
    {S::V6FinRcv, V4, Kind::Rst, S::V6FinRcv, T::Est},
    {S::V6FinRcv, V4, Kind::Other, S::V6FinRcv, T::Est},
    // V6 FIN + V4 FIN RCV: "All packets are translated and forwarded"; the TCP_TRANS
    // lifetime set on entry runs out.
    {S::V4V6FinRcv, V6, Kind::Syn, S::V4V6FinRcv, T::Keep},
    {S::V4V6FinRcv, V6, Kind::Fin, S::V4V6FinRcv, T::Keep},
    {S::V4V6FinRcv, V6, Kind::Rst, S::V4V6FinRcv, T::Keep},
    {S::V4V6FinRcv, V6, Kind::Other, S::V4V6FinRcv, T::Keep},
    {S::V4V6FinRcv, V4, Kind::Syn, S::V4V6FinRcv, T::Keep},
    {S::V4V6FinRcv, V4, Kind::Fin, S::V4V6FinRcv, T::Keep},
    {S::V4V6FinRcv, V4, Kind::Rst, S::V4V6FinRcv, T::Keep},
    {S::V4V6FinRcv, V4, Kind::Other, S::V4V6FinRcv, T::Keep},
    // TRANS: "If a packet other than a RST packet is received, the lifetime ... TCP_EST
    // and the state is moved to ESTABLISHED"; a RST leaves both as they are.
    {S::Trans, V6, Kind::Syn, S::Established, T::Est},
    {S::Trans, V6, Kind::Fin, S::Established, T::Est},
    {S::Trans, V6, Kind::Rst, S::Trans, T::Keep},
    {S::Trans, V6, Kind::Other, S::Established, T::Est},
    {S::Trans, V4, Kind::Syn, S::Established, T::Est},
    {S::Trans, V4, Kind::Fin, S::Established, T::Est},
    {S::Trans, V4, Kind::Rst, S::Trans, T::Keep},
    {S::Trans, V4, Kind::Other, S::Established, T::Est},
};

const char* timer_name(T t) {
    switch (t) {
        case T::Keep:
            return "keep";
        case T::Trans:
            return "TCP_TRANS";
        case T::Est:
            return "TCP_EST";
        case T::IncomingSyn:
            return "TCP_INCOMING_SYN";
    }
    return "?";
}

std::string describe(const Row& r, uint8_t flags) {
    return std::string(tcp_state_name(r.state)) + (r.from_v6 ? " + V6 " : " + V4 ") + "flags 0x" +
           std::to_string(flags);
}

/// Flag bytes a segment of this kind carries on the wire: bare and with ACK (a SYN-ACK is
/// a SYN, a FIN-ACK a FIN; RST and FIN together count as RST).
std::vector<uint8_t> flags_of(Kind k) {
    switch (k) {
        case Kind::Syn:
            return {kTcpSyn, kTcpSyn | kAck};
        case Kind::Fin:
            return {kTcpFin, kTcpFin | kAck};
        case Kind::Rst:
            return {kTcpRst, kTcpRst | kAck};
        case Kind::Other:
            return {kAck, 0x18 /* PSH+ACK */, 0x00};
    }
    return {};
}

TEST(TcpState, EveryStateDirectionAndFlagFollowsRfc6146) {
    ASSERT_EQ(std::size(kRows), 8u * 2 * 4) << "the table covers every combination once";
    for (const Row& r : kRows) {
        for (const uint8_t f : flags_of(r.kind)) {
            const TcpStep s = tcp_step(r.state, r.from_v6, f);
            EXPECT_EQ(s.next, r.next) << describe(r, f) << ": got " << tcp_state_name(s.next)
                                      << ", want " << tcp_state_name(r.next);
            EXPECT_EQ(s.timer, r.timer) << describe(r, f) << ": got " << timer_name(s.timer)
                                        << ", want " << timer_name(r.timer);
        }
    }
}

TEST(TcpState, RstWinsOverFinInEstablished) {
    EXPECT_EQ(tcp_step(S::Established, V6, kTcpRst | kTcpFin).next, S::Trans);
    EXPECT_EQ(tcp_step(S::Established, V4, kTcpRst | kTcpFin).next, S::Trans);
}

TEST(TcpState, ASynWithRstCreatesNothing) {
    EXPECT_EQ(tcp_step(S::Closed, V6, kTcpSyn | kTcpRst).next, S::Closed);
    EXPECT_EQ(tcp_step(S::Closed, V4, kTcpSyn | kTcpRst).next, S::Closed);
}

// The whole life of a connection opened from IPv6 and closed from both ends, then one
// opened from IPv4 (simultaneous open) and reset.
TEST(TcpState, ConnectionLives) {
    struct Step {
        bool from_v6;
        uint8_t flags;
        S want;
    };
    const Step v6_open[] = {
        {V6, kTcpSyn, S::V6Init},   {V4, kTcpSyn | kAck, S::Established},
        {V6, kAck, S::Established}, {V6, kTcpFin | kAck, S::V6FinRcv},
        {V4, kAck, S::V6FinRcv},    {V4, kTcpFin | kAck, S::V4V6FinRcv},
        {V6, kAck, S::V4V6FinRcv},
    };
    S s = S::Closed;
    for (const Step& st : v6_open) {
        s = tcp_step(s, st.from_v6, st.flags).next;
        EXPECT_EQ(s, st.want);
    }
    const Step v4_open[] = {
        {V4, kTcpSyn, S::V4Init},   {V6, kTcpSyn | kAck, S::Established}, {V4, kTcpRst, S::Trans},
        {V6, kAck, S::Established}, {V6, kTcpRst | kAck, S::Trans},
    };
    s = S::Closed;
    for (const Step& st : v4_open) {
        s = tcp_step(s, st.from_v6, st.flags).next;
        EXPECT_EQ(s, st.want);
    }
}

TEST(TcpState, NamesAreTheRfcs) {
    EXPECT_STREQ(tcp_state_name(S::Closed), "CLOSED");
    EXPECT_STREQ(tcp_state_name(S::V4Init), "V4_INIT");
    EXPECT_STREQ(tcp_state_name(S::V6Init), "V6_INIT");
    EXPECT_STREQ(tcp_state_name(S::Established), "ESTABLISHED");
    EXPECT_STREQ(tcp_state_name(S::V4FinRcv), "V4_FIN_RCV");
    EXPECT_STREQ(tcp_state_name(S::V6FinRcv), "V6_FIN_RCV");
    EXPECT_STREQ(tcp_state_name(S::V4V6FinRcv), "V4_FIN_V6_FIN_RCV");
    EXPECT_STREQ(tcp_state_name(S::Trans), "TRANS");
}

// The machine is constexpr: the compiler checks the opening transitions too.
static_assert(tcp_step(S::Closed, V6, kTcpSyn).next == S::V6Init);
static_assert(tcp_step(S::V6Init, V4, kTcpSyn | kAck).next == S::Established);

}  // namespace
}  // namespace strait::nat64
