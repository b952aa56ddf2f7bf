// SPDX-License-Identifier: Apache-2.0
// The one table of reasons a packet is dropped. It generates the enum, the metric label
// and the help text; adding a reason is one line. Keep labels snake_case and stable:
// operators alert on them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

// X(Enumerator, "metric_label", "help text")
#define STRAIT_DROP_REASONS(X)                                                               \
    X(FrameTooShort, "frame_too_short", "frame shorter than its Ethernet header")             \
    X(MultiSegment, "multi_segment", "frame in an mbuf chain (raise mbuf_data_room)")         \
    X(UnknownEthertype, "unknown_ethertype", "EtherType is not IPv4, IPv6 or ARP")            \
    X(NotForUs, "not_for_us", "destination MAC is neither ours nor broadcast/multicast")      \
    X(WrongFamily, "wrong_family", "IPv4 on the inside port or IPv6 on the outside port")     \
    X(ArpMalformed, "arp_malformed", "ARP packet truncated or not Ethernet/IPv4")             \
    X(ArpNotForUs, "arp_not_for_us", "ARP request for an address that is not ours")           \
    X(Ipv4Truncated, "ipv4_truncated", "IPv4 header or total length beyond the frame")        \
    X(Ipv4BadVersion, "ipv4_bad_version", "IPv4 version or IHL field invalid")                \
    X(Ipv4BadChecksum, "ipv4_bad_checksum", "IPv4 header checksum wrong")                     \
    X(Ipv6Truncated, "ipv6_truncated", "IPv6 header or payload length beyond the frame")      \
    X(Ipv6BadVersion, "ipv6_bad_version", "IPv6 version field is not 6")                      \
    X(IcmpTruncated, "icmp_truncated", "ICMP/ICMPv6 message shorter than its header")         \
    X(IcmpBadChecksum, "icmp_bad_checksum", "ICMP/ICMPv6 checksum wrong")                     \
    X(IcmpUnhandled, "icmp_unhandled", "ICMP to the gateway that it does not answer")         \
    X(NdpMalformed, "ndp_malformed", "NDP message invalid (RFC 4861 validation)")             \
    X(NdpNotForUs, "ndp_not_for_us", "Neighbor Solicitation for an address that is not ours") \
    X(LocalUnhandled, "local_unhandled", "packet to the gateway's own address not served")    \
    X(NoRoute, "no_route", "no translation or route for the destination")                     \
    X(NeighborUnresolved, "neighbor_unresolved", "next hop MAC unknown; resolution started")  \
    X(NeighborTableFull, "neighbor_table_full", "neighbour table has no room")                \
    X(TxFull, "tx_full", "TX queue or handoff ring full")                                     \
    X(MbufAllocFailed, "mbuf_alloc_failed", "no mbuf for a generated packet")                 \
    X(RingFull, "ring_full", "handoff ring to another lcore full")                            \
    X(AnswerRingFull, "dns64_answer_ring_full", "upstream answer ring to the DNS64 lcore full") \
    X(XlatNoHeadroom, "xlat_no_headroom", "buffer headroom too small to grow the header")       \
    X(XlatNoMapping, "xlat_no_mapping", "address outside pool6 and the EAMT (or no session)")   \
    X(XlatNonGlobalInWkp, "xlat_non_global_in_wkp", "non-global IPv4 under 64:ff9b::/96")      \
    X(XlatBadProtocol, "xlat_bad_protocol", "ICMPv6 inside IPv4 or ICMPv4 inside IPv6")          \
    X(Ipv4TtlExpired, "ipv4_ttl_expired", "IPv4 TTL reached zero at the translator")           \
    X(Ipv6HopLimitExpired, "ipv6_hop_limit_expired", "IPv6 hop limit reached zero")            \
    X(Ipv4SourceRoute, "ipv4_source_route", "IPv4 packet with an unexpired source route")       \
    X(Ipv6RoutingHeader, "ipv6_routing_header", "IPv6 routing header with segments left")      \
    X(Ipv4FragNeeded, "ipv4_frag_needed", "IPv4 DF packet larger than the IPv6 MTU")           \
    X(Ipv6PacketTooBig, "ipv6_packet_too_big", "IPv6 packet larger than the IPv4 MTU")          \
    X(IcmpUntranslatable, "icmp_untranslatable", "ICMP type/code/pointer with no RFC 7915 map") \
    X(IcmpFragmented, "icmp_fragmented", "fragmented ICMP message cannot be translated")       \
    X(IcmpErrorInError, "icmp_error_in_error", "ICMP error quoting another ICMP error")         \
    X(IcmpInnerMalformed, "icmp_inner_malformed", "packet quoted in an ICMP error is invalid") \
    X(UdpZeroChecksum, "udp_zero_checksum", "IPv4 UDP without checksum, policy drop")          \
    X(UdpZeroChecksumFragment, "udp_zero_checksum_fragment", "fragmented zero-checksum UDP")   \
    X(UdpMalformed, "udp_malformed", "UDP length field inconsistent with the IP length")       \
    X(UdpBadChecksum, "udp_bad_checksum", "UDP checksum wrong (or zero over IPv6)")            \
    X(Dns64TooBig, "dns64_too_big", "DNS64 message does not fit one frame of the port MTU")    \
    X(Dns64TcpDropped, "dns64_tcp_dropped", "DNS-over-TCP segment: bad, or no connection")     \
    X(Nat64NoBib, "nat64_no_bib", "IPv4 packet to a pool4 transport address with no BIB entry") \
    X(Nat64TcpNoSession, "nat64_tcp_no_session", "TCP segment other than SYN with no session") \
    X(Nat64Filtered, "nat64_filtered", "externally initiated flow refused by filtering policy") \
    X(Nat64TableFull, "nat64_table_full", "NAT64 session or BIB table full: new flow refused") \
    X(Nat64Pool4Exhausted, "nat64_pool4_exhausted", "no free pool4 port for a new mapping") \
    X(Nat64Untracked, "nat64_untracked", "protocol or fragment NAT64 keeps no state for")      \
    X(Nat64SubscriberLimit, "nat64_subscriber_limit", "subscriber at its session limit: new flow refused") \
    X(Nat64NoSession, "nat64_no_session", "ICMP error quoting a packet of no known session")   \
    X(InternalBug, "internal_bug", "impossible state; please report")

namespace strait {

enum class DropReason : uint16_t {
#define STRAIT_X(e, label, help) e,
    STRAIT_DROP_REASONS(STRAIT_X)
#undef STRAIT_X
        Count_
};

inline constexpr std::size_t kDropReasonCount = static_cast<std::size_t>(DropReason::Count_);

/// Metric label of a reason ("bad_checksum"); thread: any.
constexpr std::string_view drop_label(DropReason r) {
    constexpr std::string_view kLabels[] = {
#define STRAIT_X(e, label, help) label,
        STRAIT_DROP_REASONS(STRAIT_X)
#undef STRAIT_X
    };
    return kLabels[static_cast<std::size_t>(r)];
}

/// One-line help text of a reason; thread: any.
constexpr std::string_view drop_help(DropReason r) {
    constexpr std::string_view kHelp[] = {
#define STRAIT_X(e, label, help) help,
        STRAIT_DROP_REASONS(STRAIT_X)
#undef STRAIT_X
    };
    return kHelp[static_cast<std::size_t>(r)];
}

}  // namespace strait
