// SPDX-License-Identifier: Apache-2.0
// RFC 7915 ICMPv4 <-> ICMPv6 type/code tables, Parameter Problem pointer maps and MTU rules.
#pragma once

#include <cstdint>

#include "xlat_types.h"

namespace strait::xlat {

inline constexpr uint8_t kIcmp4EchoReply = 0;
inline constexpr uint8_t kIcmp4DestUnreach = 3;
inline constexpr uint8_t kIcmp4AdminProhibited = 13;  // Destination Unreachable code (RFC 1812)
inline constexpr uint8_t kIcmp4EchoRequest = 8;
inline constexpr uint8_t kIcmp4TimeExceeded = 11;
inline constexpr uint8_t kIcmp4ParamProblem = 12;
inline constexpr uint8_t kIcmp6DestUnreach = 1;
inline constexpr uint8_t kIcmp6PacketTooBig = 2;
inline constexpr uint8_t kIcmp6TimeExceeded = 3;
inline constexpr uint8_t kIcmp6ParamProblem = 4;
inline constexpr uint8_t kIcmp6EchoRequest = 128;
inline constexpr uint8_t kIcmp6EchoReply = 129;

/// How the rest of the ICMP header (bytes 4-7) is rewritten for a mapped message.
enum class IcmpRest : uint8_t {
    Copy,        ///< echo identifier/sequence: unchanged
    Zero,        ///< unused field
    Mtu,         ///< PTB <-> Fragmentation Needed: recompute the MTU
    Pointer,     ///< Parameter Problem: map the pointer (may fail -> drop)
    NextHeader,  ///< ICMPv4 protocol unreachable -> ICMPv6 Parameter Problem pointer 6
};

/// One translated type/code. `ok` false means "silently drop" (RFC 7915 says so).
struct IcmpMapping {
    bool ok = false;
    uint8_t type = 0;
    uint8_t code = 0;
    bool is_error = false;
    IcmpRest rest = IcmpRest::Zero;
};

/// True for ICMPv4 error types (RFC 792/1812: 3, 4, 5, 11, 12); thread: any.
constexpr bool icmp4_is_error(uint8_t type) {
    return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}
/// RFC 4443 §2.1: types 0-127 are errors.
constexpr bool icmp6_is_error(uint8_t type) { return type < 128; }

/// RFC 7915 §4.2 (ICMPv4 -> ICMPv6) type/code table; thread: any.
IcmpMapping map_icmp_v4_to_v6(uint8_t type, uint8_t code);
/// RFC 7915 §5.2 (ICMPv6 -> ICMPv4) type/code table; thread: any.
IcmpMapping map_icmp_v6_to_v4(uint8_t type, uint8_t code);

/// RFC 7915 §4.2 figure 3: IPv4 Parameter Problem pointer -> IPv6 pointer; -1 if none.
int map_pointer_v4_to_v6(uint8_t ptr);
/// RFC 7915 §5.2 figure 6: IPv6 Parameter Problem pointer -> IPv4 pointer; -1 if none.
int map_pointer_v6_to_v4(uint32_t ptr);

/// RFC 7915 §4.2: MTU of the ICMPv6 PTB made from a Fragmentation Needed that announced
/// `mtu4` (0 = pre-RFC 1191 router: use the RFC 1191 plateau below `inner_total_len`):
/// min(mtu4 + 20, cfg.mtu6, cfg.mtu4 + 20), never below 1280 (RFC 8200 §5).
uint32_t ptb_mtu_v4_to_v6(uint16_t mtu4, uint16_t inner_total_len, const XlatConfig& cfg);
/// RFC 7915 §5.2: MTU of the Fragmentation Needed made from a PTB announcing `mtu6`:
/// min(mtu6 - 20, cfg.mtu4, cfg.mtu6 - 20), never below 68 (RFC 791), at most 65535.
uint16_t frag_needed_mtu_v6_to_v4(uint32_t mtu6, const XlatConfig& cfg);

}  // namespace strait::xlat
