// SPDX-License-Identifier: Apache-2.0
// Test helpers: hand-built IPv4/IPv6 packets with correct checksums, a headroom buffer, and
// full checksum verification of translator output independent of strait/net/checksum.h
// (tests/common/ref_checksum.h).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "strait/net/addr.h"
#include "strait/net/bytes.h"
#include "tests/common/ref_checksum.h"
#include "xlat_types.h"

namespace strait::xlat::test {

using Bytes = std::vector<uint8_t>;

inline net::Ipv4Addr v4(const char* s) { return *net::parse_ipv4(s); }
inline net::Ipv6Addr v6(const char* s) { return *net::parse_ipv6(s); }

/// A 4 KiB buffer holding one packet with 256 bytes of headroom, like an mbuf.
struct Buf {
    std::array<uint8_t, 4096> mem{};
    PacketBuf pkt;
    explicit Buf(const Bytes& b, uint32_t headroom = 256) {
        std::memcpy(mem.data() + headroom, b.data(), b.size());
        pkt = PacketBuf{mem.data() + headroom, static_cast<uint32_t>(b.size()), headroom,
                        static_cast<uint32_t>(mem.size() - headroom - b.size())};
    }
    [[nodiscard]] Bytes bytes() const { return Bytes(pkt.data, pkt.data + pkt.len); }
};

struct V4Opts {
    uint8_t tos = 0, ttl = 64, proto = 17;
    uint16_t id = 0x1234;
    bool df = true, mf = false;
    uint16_t frag_off = 0;  // 8-byte units
    Bytes options;          // appended after the fixed header (multiple of 4)
    int total_len = -1;     // override
};

/// IPv4 header + `l4` with a correct header checksum.
Bytes ipv4(net::Ipv4Addr src, net::Ipv4Addr dst, const Bytes& l4, const V4Opts& o = {});
/// IPv6 header + `payload` (extension headers included by the caller); next = first header.
Bytes ipv6(const net::Ipv6Addr& src, const net::Ipv6Addr& dst, uint8_t next, const Bytes& payload,
           uint8_t hop = 64, uint8_t tclass = 0);

/// UDP/TCP/ICMP bodies with correct checksums for the given address family.
Bytes udp4(net::Ipv4Addr s, net::Ipv4Addr d, uint16_t sp, uint16_t dp, const Bytes& data);
Bytes udp6(const net::Ipv6Addr& s, const net::Ipv6Addr& d, uint16_t sp, uint16_t dp,
           const Bytes& data);
Bytes tcp4(net::Ipv4Addr s, net::Ipv4Addr d, uint16_t sp, uint16_t dp, const Bytes& data);
Bytes tcp6(const net::Ipv6Addr& s, const net::Ipv6Addr& d, uint16_t sp, uint16_t dp,
           const Bytes& data);
Bytes icmp4(uint8_t type, uint8_t code, uint32_t rest, const Bytes& data);
Bytes icmp6(const net::Ipv6Addr& s, const net::Ipv6Addr& d, uint8_t type, uint8_t code,
            uint32_t rest, const Bytes& data);
Bytes payload(std::size_t n, uint8_t seed = 0);
Bytes cat(const Bytes& a, const Bytes& b);

/// Full, independent verification of an output packet: IPv4 header checksum, and the
/// TCP/UDP/ICMP/ICMPv6 checksum over the whole (non-fragmented) transport payload.
/// Returns "" when all good, else a description.
std::string verify_ipv4(const Bytes& p);
std::string verify_ipv6(const Bytes& p);

/// A trivial Mapper for direction tests: fixed prefix 2001:db8:64::/96 both ways, optional
/// forced failure, and optional port rewrite (NAT64-like) to exercise the hook.
struct TestMapper {
    bool fail = false;
    int add_to_src_port = 0;
    MapResult map_v6_to_v4(const Flow6& in, Flow4& out, MapScope scope);
    MapResult map_v4_to_v6(const Flow4& in, Flow6& out, MapScope scope);
    MapScope last_scope = MapScope::Outer;
    int calls = 0;
};

}  // namespace strait::xlat::test
