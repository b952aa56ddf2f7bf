// SPDX-License-Identifier: Apache-2.0
// RFC 7915 §4.2 / §5.2 ICMP type, code, pointer and MTU translation tables.
#include "icmp_map.h"

#include <algorithm>

namespace strait::xlat {
namespace {

constexpr IcmpMapping error(uint8_t type, uint8_t code, IcmpRest rest = IcmpRest::Zero) {
    return {true, type, code, true, rest};
}
constexpr IcmpMapping kDrop{};

// RFC 7915 §4.2, Destination Unreachable (type 3) codes 0-15.
IcmpMapping dest_unreach_v4_to_v6(uint8_t code) {
    switch (code) {
        case 0: case 1: case 5: case 6: case 7: case 8: case 11: case 12:
            return error(kIcmp6DestUnreach, 0);  // no route to destination
        case 2:  // protocol unreachable -> Parameter Problem, pointer to Next Header
            return error(kIcmp6ParamProblem, 1, IcmpRest::NextHeader);
        case 3: return error(kIcmp6DestUnreach, 4);  // port unreachable
        case 4: return error(kIcmp6PacketTooBig, 0, IcmpRest::Mtu);
        case 9: case 10: case 13: case 15:
            return error(kIcmp6DestUnreach, 1);  // administratively prohibited
        default: return kDrop;  // 14 (host precedence violation) and unknown codes
    }
}

}  // namespace

IcmpMapping map_icmp_v4_to_v6(uint8_t type, uint8_t code) {
    switch (type) {
        case kIcmp4EchoRequest: return {true, kIcmp6EchoRequest, 0, false, IcmpRest::Copy};
        case kIcmp4EchoReply: return {true, kIcmp6EchoReply, 0, false, IcmpRest::Copy};
        case kIcmp4DestUnreach: return dest_unreach_v4_to_v6(code);
        case kIcmp4TimeExceeded: return error(kIcmp6TimeExceeded, code);
        case kIcmp4ParamProblem:
            // code 0 (pointer) and 2 (bad length) carry a pointer; 1 (missing option) drops.
            if (code == 0 || code == 2) return error(kIcmp6ParamProblem, 0, IcmpRest::Pointer);
            return kDrop;
        default:
            // 4 source quench, 5 redirect, 6 alternate host, 9/10 router adv/sol, 13-18
            // timestamp/info/mask: single-hop or obsolete, silently dropped.
            return kDrop;
    }
}

IcmpMapping map_icmp_v6_to_v4(uint8_t type, uint8_t code) {
    switch (type) {
        case kIcmp6EchoRequest: return {true, kIcmp4EchoRequest, 0, false, IcmpRest::Copy};
        case kIcmp6EchoReply: return {true, kIcmp4EchoReply, 0, false, IcmpRest::Copy};
        case kIcmp6DestUnreach:
            switch (code) {
                case 0: case 2: case 3: return error(kIcmp4DestUnreach, 1);  // host unreach
                case 1: return error(kIcmp4DestUnreach, 10);  // admin prohibited
                case 4: return error(kIcmp4DestUnreach, 3);   // port unreachable
                default: return kDrop;
            }
        case kIcmp6PacketTooBig: return error(kIcmp4DestUnreach, 4, IcmpRest::Mtu);
        case kIcmp6TimeExceeded: return error(kIcmp4TimeExceeded, code);
        case kIcmp6ParamProblem:
            if (code == 0) return error(kIcmp4ParamProblem, 0, IcmpRest::Pointer);
            if (code == 1) return error(kIcmp4DestUnreach, 2);  // protocol unreachable
            return kDrop;  // 2 (unrecognised option) and unknown codes
        default:
            return kDrop;  // MLD, ND and unknown informational/error types
    }
}

int map_pointer_v4_to_v6(uint8_t ptr) {
    switch (ptr) {
        case 0: return 0;   // version/IHL
        case 1: return 1;   // TOS -> traffic class
        case 2: case 3: return 4;  // total length -> payload length
        case 8: return 7;   // TTL -> hop limit
        case 9: return 6;   // protocol -> next header
        case 12: case 13: case 14: case 15: return 8;   // source address
        case 16: case 17: case 18: case 19: return 24;  // destination address
        default: return -1;  // identification, flags, checksum, options: n/a
    }
}

int map_pointer_v6_to_v4(uint32_t ptr) {
    if (ptr == 0) return 0;
    if (ptr == 1) return 1;
    if (ptr == 4 || ptr == 5) return 2;
    if (ptr == 6) return 9;
    if (ptr == 7) return 8;
    if (ptr >= 8 && ptr < 24) return 12;
    if (ptr >= 24 && ptr < 40) return 16;
    return -1;  // flow label and anything past the fixed header: n/a
}

uint32_t ptb_mtu_v4_to_v6(uint16_t mtu4, uint16_t inner_total_len, const XlatConfig& cfg) {
    uint32_t m = mtu4;
    if (m == 0) {
        // RFC 1191 §7 plateau table: the greatest plateau below the quoted total length.
        constexpr uint16_t kPlateaus[] = {32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68};
        m = 68;
        for (uint16_t p : kPlateaus) {
            if (p < inner_total_len) {
                m = p;
                break;
            }
        }
    }
    m = std::min({m + 20u, uint32_t{cfg.mtu6}, uint32_t{cfg.mtu4} + 20u});
    return std::max(m, 1280u);
}

uint16_t frag_needed_mtu_v6_to_v4(uint32_t mtu6, const XlatConfig& cfg) {
    const uint32_t from_ptb = mtu6 > 20 ? mtu6 - 20 : 0;
    const uint32_t link6 = cfg.mtu6 > 20 ? cfg.mtu6 - 20u : 0;
    uint32_t m = std::min({from_ptb, uint32_t{cfg.mtu4}, link6});
    m = std::clamp(m, 68u, 65535u);
    return static_cast<uint16_t>(m);
}

}  // namespace strait::xlat
