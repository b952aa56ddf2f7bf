// SPDX-License-Identifier: Apache-2.0
// Vocabulary of the RFC 7915 translator: packet buffer, verdicts, config, per-lcore context.
#pragma once

#include <cstdint>

#include "strait/net/addr.h"
#include "strait/util/drop_reasons.h"
#include "strait/util/xlat_counters.h"

namespace strait::xlat {

/// A contiguous L3 packet inside a larger buffer (one mbuf segment). `data` points at the
/// IP header; bytes [data - headroom, data + len + tailroom) are writable. The translator
/// may move `data` (keeping headroom/tailroom consistent) and change `len`; the mbuf adapter
/// then applies the same delta to data_off / pkt_len / data_len. Multi-segment mbufs must
/// be linearised first. thread: owned by one lcore.
struct PacketBuf {
    uint8_t* data = nullptr;
    uint32_t len = 0;
    uint32_t headroom = 0;
    uint32_t tailroom = 0;

    /// Moves the start by `delta` bytes (negative = into headroom), keeping the end fixed.
    void move_start(int32_t delta) {
        data += delta;
        headroom = static_cast<uint32_t>(static_cast<int64_t>(headroom) + delta);
        len = static_cast<uint32_t>(static_cast<int64_t>(len) - delta);
    }
    /// Cuts the packet to `n` bytes (n <= len), growing tailroom.
    void truncate(uint32_t n) {
        tailroom += len - n;
        len = n;
    }
    /// Sets the length to `n` bytes (n <= len + tailroom), keeping the start.
    void resize(uint32_t n) {
        tailroom = tailroom + len - n;
        len = n;
    }
};

/// What the caller does with the buffer after a translate_* call.
enum class Verdict : uint8_t {
    Forward,         ///< buffer holds the translated packet: send it out the other family's port
    ReplyIcmpError,  ///< buffer holds an ICMP(v6) error: send it back out the arrival port
    Drop,            ///< free the packet, count `reason`
    Fragment,        ///< buffer holds a complete IPv6 packet above `mtu`: call fragment_v6()
    Hairpin,         ///< v6_to_v4 only: buffer holds IPv4; run translate_v4_to_v6 with
                     ///< MapScope::Hairpin and send the result back out the IPv6 port
};

/// Result of one translation. `reason` is meaningful for Drop and, for ReplyIcmpError, names
/// why the original was dropped (count it too). `mtu` is set for Fragment.
struct Outcome {
    Verdict verdict = Verdict::Drop;
    DropReason reason = DropReason::InternalBug;
    uint16_t mtu = 0;

    static Outcome forward() { return {Verdict::Forward, DropReason::InternalBug, 0}; }
    static Outcome drop(DropReason r) { return {Verdict::Drop, r, 0}; }
};

/// RFC 7915 §4.5 leaves unfragmented IPv4 UDP without checksum to configuration
/// (siit.amend_udp_checksum_zero: true = Compute).
enum class UdpZeroChecksum : uint8_t { Compute, Drop };

/// How an RFC 6791 source is picked from a pool of more than one address.
enum class Rfc6791Select : uint8_t {
    Random,  ///< RFC 6791 §5 (RECOMMENDED): pseudorandomly per error
    Hash,    ///< by a hash of the error's IPv6 source: one router, one IPv4 address
};

/// Translator configuration: a plain struct copied into each lcore from the config snapshot.
/// Every field is set from the config schema (dataplane.cc setup_translation).
struct XlatConfig {
    uint16_t mtu4 = 1500;             ///< MTU of the IPv4 egress link (ports.outside.mtu)
    uint16_t mtu6 = 1500;             ///< MTU of the IPv6 egress link (ports.inside.mtu)
    uint16_t lowest_ipv6_mtu = 1280;  ///< RFC 7915 §4: fragment DF=0 packets to this size
    bool reset_tos = false;           ///< RFC 7915 §4.1/§5.1: write `traffic_class` instead
    uint8_t traffic_class = 0;        ///< TOS / traffic class used when reset_tos
    UdpZeroChecksum udp_zero_checksum = UdpZeroChecksum::Compute;
    net::Ipv4Addr self_ipv4;              ///< source of ICMPv4 errors the translator generates
    net::Ipv6Addr self_ipv6;              ///< source of ICMPv6 errors the translator generates
    uint32_t icmp_errors_per_sec = 1000;  ///< token bucket rate of generated errors, per lcore;
                                          ///< 0: the translator generates no ICMP errors
    uint32_t icmp_error_burst = 64;       ///< token bucket depth
    /// RFC 6791 pool (siit.rfc6791_pool4): sources for ICMPv6 errors whose IPv6 source has
    /// no IPv4 mapping; without one (has_rfc6791_pool4 false) self_ipv4 is used.
    bool has_rfc6791_pool4 = false;
    net::Ipv4Prefix rfc6791_pool4;
    Rfc6791Select rfc6791_select = Rfc6791Select::Random;
};

/// Per-lcore mutable state. `now_ns` is set by the caller once per burst (any monotonic
/// clock; tests inject it). thread: one lcore, never shared.
struct XlatContext {
    uint64_t now_ns = 0;
    uint64_t icmp_last_refill_ns = 0;
    uint32_t icmp_tokens = 0;
    bool icmp_bucket_started = false;
    uint16_t next_ipv4_id = 1;  ///< RFC 7915 §5.1 / RFC 6864 identification counter
    /// Pseudorandom state for RFC 6791 picks (not secret: it spreads sources over a pool).
    /// The lcore seeds it once at start; tests leave the fixed default.
    uint64_t rng_state = 0x9e3779b97f4a7c15ull;
    XlatCounters counters;  ///< copied to the lcore's counter block for stats
};

/// Which packet a Mapper call is about (see mapper.h).
enum class MapScope : uint8_t {
    Outer,       ///< the packet itself (TCP, UDP, ICMP query, other)
    ErrorOuter,  ///< outer header of an ICMP error; the Inner call came just before
    Inner,       ///< packet quoted inside an ICMP error: it travelled the opposite direction
    Hairpin,     ///< RFC 7757 §4.2 second pass of a hairpinned packet (v4_to_v6 only)
    /// Second pass of a hairpinned ICMP error (v4_to_v6 only; only mappers that answer
    /// MapStatus::Hairpin see these): the quoted packet, then the outer header.
    HairpinInner,
    HairpinErrorOuter,
};

/// Addresses and transport identifiers handed to / filled by a Mapper. For TCP/UDP the
/// ports; for ICMP echo both ports carry the identifier (the mapper keeps them equal; the
/// translator writes back src_port on v6_to_v4 and dst_port on v4_to_v6 of the outer
/// packet, the opposite for Inner). `has_ports` is false for non-first fragments, other
/// protocols and truncated quotes.
struct Flow4 {
    net::Ipv4Addr src, dst;
    uint16_t src_port = 0, dst_port = 0;
    uint8_t proto = 0;  ///< IPv4 protocol (1 = ICMP)
    bool has_ports = false;
    uint8_t tcp_flags = 0;  ///< TCP only: flags byte (FIN 0x01, SYN 0x02, RST 0x04), for NAT64
};
struct Flow6 {
    net::Ipv6Addr src, dst;
    uint16_t src_port = 0, dst_port = 0;
    uint8_t proto = 0;  ///< IPv6 next header (58 = ICMPv6)
    bool has_ports = false;
    uint8_t tcp_flags = 0;  ///< TCP only: flags byte (FIN 0x01, SYN 0x02, RST 0x04), for NAT64
};

/// A Mapper's answer.
enum class MapStatus : uint8_t {
    Ok,
    Hairpin,  ///< v6_to_v4 Outer/ErrorOuter: the destination is itself mapped back to IPv6
    Drop,
};
/// `src_unmapped` (v6_to_v4 ErrorOuter only, with Ok or Hairpin): the source has no IPv4
/// mapping and out.src is unset; the translator picks an RFC 6791 source (RFC 7915 §5.1).
struct MapResult {
    MapStatus status = MapStatus::Drop;
    DropReason reason = DropReason::XlatNoMapping;
    bool src_unmapped = false;
    static MapResult ok() { return {MapStatus::Ok, DropReason::InternalBug}; }
    static MapResult drop(DropReason r) { return {MapStatus::Drop, r}; }
};

}  // namespace strait::xlat
