// SPDX-License-Identifier: Apache-2.0
// Packets for the NAT64 tests: the xlat test builders plus TCP flags and ICMP echo, and a
// reader of the fields the tests check in the translator's output.
#pragma once

#include <cstdint>
#include <cstring>

#include "strait/net/rfc6052.h"
#include "tests/common/packet_check.h"
#include "tests/common/ref_checksum.h"
#include "tests/unit/xlat/packet_builder.h"

namespace strait::nat64::test {

using xlat::test::Bytes;
using xlat::test::payload;
using xlat::test::v4;
using xlat::test::v6;

inline const net::Ipv6Prefix kPool6{v6("2001:db8:64::"), 96};

/// The IPv4 address as IPv6 nodes see it (RFC 6052 §2.2, /96).
inline net::Ipv6Addr in_pool6(const char* a) { return net::embed_ipv4(kPool6, v4(a)); }

inline constexpr uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kAck = 0x10;

/// Rewrites the TCP flags of an IPv4/IPv6 packet built by the xlat builders (PSH+ACK) and
/// recomputes the checksum with the tests' own routine.
inline void set_tcp_flags(Bytes& p, uint8_t flags) {
    const bool is6 = (p[0] >> 4) == 6;
    const std::size_t off = is6 ? 40 : (p[0] & 15u) * 4;
    uint8_t* l4 = p.data() + off;
    l4[13] = flags;
    l4[16] = l4[17] = 0;
    const testing::ByteSpan seg(l4, p.size() - off);
    const uint16_t c =
        is6 ? testing::l4_checksum_v6(p.data(), 6, seg) : testing::l4_checksum_v4(p.data(), 6, seg);
    net::store_be16(l4 + 16, c);
}

inline Bytes udp_v6(const net::Ipv6Addr& s, uint16_t sp, const net::Ipv6Addr& d, uint16_t dp,
                    const Bytes& data = payload(24), uint8_t hop = 64) {
    return xlat::test::ipv6(s, d, 17, xlat::test::udp6(s, d, sp, dp, data), hop);
}
inline Bytes udp_v4(net::Ipv4Addr s, uint16_t sp, net::Ipv4Addr d, uint16_t dp,
                    const Bytes& data = payload(24), uint8_t ttl = 64) {
    xlat::test::V4Opts o;
    o.ttl = ttl;
    return xlat::test::ipv4(s, d, xlat::test::udp4(s, d, sp, dp, data), o);
}
inline Bytes tcp_v6(const net::Ipv6Addr& s, uint16_t sp, const net::Ipv6Addr& d, uint16_t dp,
                    uint8_t flags, const Bytes& data = {}) {
    Bytes p = xlat::test::ipv6(s, d, 6, xlat::test::tcp6(s, d, sp, dp, data));
    set_tcp_flags(p, flags);
    return p;
}
inline Bytes tcp_v4(net::Ipv4Addr s, uint16_t sp, net::Ipv4Addr d, uint16_t dp, uint8_t flags,
                    const Bytes& data = {}) {
    xlat::test::V4Opts o;
    o.proto = 6;
    Bytes p = xlat::test::ipv4(s, d, xlat::test::tcp4(s, d, sp, dp, data), o);
    set_tcp_flags(p, flags);
    return p;
}
/// ICMPv6 echo request (128) or reply (129) with identifier `id`.
inline Bytes echo_v6(const net::Ipv6Addr& s, const net::Ipv6Addr& d, uint16_t id, bool request,
                     uint16_t seq = 1) {
    const uint32_t rest = uint32_t{id} << 16 | seq;
    return xlat::test::ipv6(s, d, 58,
                            xlat::test::icmp6(s, d, request ? 128 : 129, 0, rest, payload(16)));
}
/// ICMP echo request (8) or reply (0).
inline Bytes echo_v4(net::Ipv4Addr s, net::Ipv4Addr d, uint16_t id, bool request,
                     uint16_t seq = 1) {
    xlat::test::V4Opts o;
    o.proto = 1;
    const uint32_t rest = uint32_t{id} << 16 | seq;
    return xlat::test::ipv4(s, d, xlat::test::icmp4(request ? 8 : 0, 0, rest, payload(16)), o);
}
/// An ICMP error (type, code) from `s` to `d` quoting `quoted`.
inline Bytes icmp_error_v4(net::Ipv4Addr s, net::Ipv4Addr d, uint8_t type, uint8_t code,
                           const Bytes& quoted) {
    xlat::test::V4Opts o;
    o.proto = 1;
    return xlat::test::ipv4(s, d, xlat::test::icmp4(type, code, 0, quoted), o);
}
inline Bytes icmp_error_v6(const net::Ipv6Addr& s, const net::Ipv6Addr& d, uint8_t type,
                           uint8_t code, const Bytes& quoted) {
    return xlat::test::ipv6(s, d, 58, xlat::test::icmp6(s, d, type, code, 0, quoted));
}

/// The fields the tests look at. Ports: TCP/UDP ports, or the ICMP echo identifier in both.
struct Fields {
    std::string src, dst;
    uint8_t proto = 0;  ///< IPv4 protocol / IPv6 next header
    uint8_t ttl = 0;    ///< TTL / hop limit
    uint16_t sport = 0, dport = 0;
    uint8_t tcp_flags = 0, icmp_type = 0, icmp_code = 0;
    Bytes inner;  ///< ICMP errors: the quoted packet
};

inline Fields fields(const Bytes& p) {
    Fields f;
    std::size_t off;
    if ((p[0] >> 4) == 4) {
        net::Ipv4Addr s, d;
        std::memcpy(s.b.data(), &p[12], 4);
        std::memcpy(d.b.data(), &p[16], 4);
        f.src = net::to_string(s);
        f.dst = net::to_string(d);
        f.proto = p[9];
        f.ttl = p[8];
        off = (p[0] & 15u) * 4;
    } else {
        net::Ipv6Addr s, d;
        std::memcpy(s.b.data(), &p[8], 16);
        std::memcpy(d.b.data(), &p[24], 16);
        f.src = net::to_string(s);
        f.dst = net::to_string(d);
        f.proto = p[6];
        f.ttl = p[7];
        off = 40;
    }
    const uint8_t* l4 = p.data() + off;
    if (f.proto == 1 || f.proto == 58) {
        f.icmp_type = l4[0];
        f.icmp_code = l4[1];
        f.sport = f.dport = net::load_be16(l4 + 4);
        const bool error = f.proto == 1 ? f.icmp_type != 0 && f.icmp_type != 8 : l4[0] < 128;
        if (error) f.inner.assign(l4 + 8, p.data() + p.size());
    } else {
        f.sport = net::load_be16(l4);
        f.dport = net::load_be16(l4 + 2);
        if (f.proto == 6) f.tcp_flags = l4[13];
    }
    return f;
}

/// "" when the packet is well formed (tests/common/packet_check.h).
inline std::string check(const Bytes& p) {
    if (p.empty()) return "empty";
    return (p[0] >> 4) == 4 ? testing::check_ipv4(p.data(), p.size())
                            : testing::check_ipv6(p.data(), p.size());
}

}  // namespace strait::nat64::test
