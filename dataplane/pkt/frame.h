// SPDX-License-Identifier: Apache-2.0
// Ethernet/ARP/IPv4/IPv6/ICMP field offsets and constants used by the pure packet code.
#pragma once

#include <cstdint>

namespace strait::pkt {

inline constexpr uint32_t kEthHdrLen = 14;
inline constexpr uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr uint16_t kEtherTypeArp = 0x0806;
inline constexpr uint16_t kEtherTypeIpv6 = 0x86dd;

inline constexpr uint32_t kArpLen = 28;  // Ethernet/IPv4 ARP body (RFC 826)
inline constexpr uint32_t kIpv4MinHdr = 20;
inline constexpr uint32_t kIpv6HdrLen = 40;

inline constexpr uint8_t kProtoIcmp = 1;
inline constexpr uint8_t kProtoTcp = 6;
inline constexpr uint8_t kProtoUdp = 17;
inline constexpr uint8_t kProtoIcmp6 = 58;

inline constexpr uint8_t kIcmp4EchoReply = 0;
inline constexpr uint8_t kIcmp4EchoRequest = 8;
inline constexpr uint8_t kIcmp6EchoRequest = 128;
inline constexpr uint8_t kIcmp6EchoReply = 129;
inline constexpr uint8_t kIcmp6NeighborSolicit = 135;
inline constexpr uint8_t kIcmp6NeighborAdvert = 136;

// IPv6 header field offsets (from the start of the IPv6 header).
inline constexpr uint32_t kIp6PayloadLen = 4;
inline constexpr uint32_t kIp6NextHeader = 6;
inline constexpr uint32_t kIp6HopLimit = 7;
inline constexpr uint32_t kIp6Src = 8;
inline constexpr uint32_t kIp6Dst = 24;

// IPv4 header field offsets.
inline constexpr uint32_t kIp4TotalLen = 2;
inline constexpr uint32_t kIp4FragOff = 6;
inline constexpr uint32_t kIp4Ttl = 8;
inline constexpr uint32_t kIp4Proto = 9;
inline constexpr uint32_t kIp4Checksum = 10;
inline constexpr uint32_t kIp4Src = 12;
inline constexpr uint32_t kIp4Dst = 16;

}  // namespace strait::pkt
