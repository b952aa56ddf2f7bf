// SPDX-License-Identifier: Apache-2.0
// Implementation of the test packet builders and the independent checksum verifiers.
#include "packet_builder.h"

#include "strait/net/rfc6052.h"
#include "tests/common/ref_checksum.h"

namespace strait::xlat::test {

using net::load_be16;
using net::store_be16;
using net::store_be32;
using testing::inet_checksum;
using testing::pseudo_header_v4;
using testing::pseudo_header_v6;

Bytes cat(const Bytes& a, const Bytes& b) {
    Bytes r = a;
    r.insert(r.end(), b.begin(), b.end());
    return r;
}

Bytes payload(std::size_t n, uint8_t seed) {
    Bytes b(n);
    for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed + i * 7);
    return b;
}

Bytes ipv4(net::Ipv4Addr src, net::Ipv4Addr dst, const Bytes& l4, const V4Opts& o) {
    const std::size_t ihl = 20 + o.options.size();
    Bytes h(ihl);
    h[0] = static_cast<uint8_t>(0x40 | ihl / 4);
    h[1] = o.tos;
    store_be16(&h[2], static_cast<uint16_t>(o.total_len >= 0 ? o.total_len : ihl + l4.size()));
    store_be16(&h[4], o.id);
    store_be16(&h[6],
               static_cast<uint16_t>((o.df ? 0x4000 : 0) | (o.mf ? 0x2000 : 0) | o.frag_off));
    h[8] = o.ttl;
    h[9] = o.proto;
    std::memcpy(&h[12], src.b.data(), 4);
    std::memcpy(&h[16], dst.b.data(), 4);
    std::memcpy(&h[20], o.options.data(), o.options.size());
    store_be16(&h[10], inet_checksum({{h.data(), ihl}}));
    return cat(h, l4);
}

Bytes ipv6(const net::Ipv6Addr& src, const net::Ipv6Addr& dst, uint8_t next, const Bytes& payload,
           uint8_t hop, uint8_t tclass) {
    Bytes h(40);
    store_be32(&h[0], 6u << 28 | uint32_t{tclass} << 20);
    store_be16(&h[4], static_cast<uint16_t>(payload.size()));
    h[6] = next;
    h[7] = hop;
    std::memcpy(&h[8], src.b.data(), 16);
    std::memcpy(&h[24], dst.b.data(), 16);
    return cat(h, payload);
}

namespace {
Bytes l4(uint8_t proto, const Bytes& pseudo, uint16_t sp, uint16_t dp, const Bytes& data) {
    const bool udp = proto == 17;
    Bytes h(udp ? 8 : 20);
    store_be16(&h[0], sp);
    store_be16(&h[2], dp);
    if (udp) {
        store_be16(&h[4], static_cast<uint16_t>(8 + data.size()));
    } else {
        store_be32(&h[4], 1000);
        h[12] = 0x50;
        h[13] = 0x18;
        store_be16(&h[14], 8192);
    }
    Bytes r = cat(h, data);
    uint16_t c = inet_checksum({pseudo, r});
    if (udp && c == 0) c = 0xffff;
    store_be16(&r[udp ? 6 : 16], c);
    return r;
}
}  // namespace

Bytes udp4(net::Ipv4Addr s, net::Ipv4Addr d, uint16_t sp, uint16_t dp, const Bytes& data) {
    return l4(17, pseudo_header_v4(s.b.data(), d.b.data(), 17, uint16_t(8 + data.size())), sp, dp,
              data);
}
Bytes udp6(const net::Ipv6Addr& s, const net::Ipv6Addr& d, uint16_t sp, uint16_t dp,
           const Bytes& data) {
    return l4(17, pseudo_header_v6(s.b.data(), d.b.data(), 17, uint32_t(8 + data.size())), sp, dp,
              data);
}
Bytes tcp4(net::Ipv4Addr s, net::Ipv4Addr d, uint16_t sp, uint16_t dp, const Bytes& data) {
    return l4(6, pseudo_header_v4(s.b.data(), d.b.data(), 6, uint16_t(20 + data.size())), sp, dp,
              data);
}
Bytes tcp6(const net::Ipv6Addr& s, const net::Ipv6Addr& d, uint16_t sp, uint16_t dp,
           const Bytes& data) {
    return l4(6, pseudo_header_v6(s.b.data(), d.b.data(), 6, uint32_t(20 + data.size())), sp, dp,
              data);
}

Bytes icmp4(uint8_t type, uint8_t code, uint32_t rest, const Bytes& data) {
    Bytes h(8);
    h[0] = type;
    h[1] = code;
    store_be32(&h[4], rest);
    Bytes r = cat(h, data);
    store_be16(&r[2], inet_checksum({r}));
    return r;
}

Bytes icmp6(const net::Ipv6Addr& s, const net::Ipv6Addr& d, uint8_t type, uint8_t code,
            uint32_t rest, const Bytes& data) {
    Bytes h(8);
    h[0] = type;
    h[1] = code;
    store_be32(&h[4], rest);
    Bytes r = cat(h, data);
    store_be16(&r[2], inet_checksum(
                          {pseudo_header_v6(s.b.data(), d.b.data(), 58, uint32_t(r.size())), r}));
    return r;
}

std::string verify_ipv4(const Bytes& p) {
    if (p.size() < 20 || (p[0] >> 4) != 4) return "not IPv4";
    const std::size_t ihl = (p[0] & 15u) * 4;
    if (load_be16(&p[2]) != p.size())
        return "total length " + std::to_string(load_be16(&p[2])) + " != buffer " +
               std::to_string(p.size());
    if (inet_checksum({{p.data(), ihl}}) != 0) return "bad IPv4 header checksum";
    if ((load_be16(&p[6]) & 0x3fff) != 0) return "";  // fragment: transport not verifiable
    const testing::ByteSpan l4(p.data() + ihl, p.size() - ihl);
    if (p[9] == 1) return testing::l4_checksum_v4(p.data(), 1, l4) == 0 ? "" : "bad ICMP checksum";
    if (p[9] == 6 || p[9] == 17) {
        if (p[9] == 17 && load_be16(l4.data() + 6) == 0) return "";
        return testing::l4_checksum_v4(p.data(), p[9], l4) == 0 ? "" : "bad TCP/UDP checksum";
    }
    return "";
}

std::string verify_ipv6(const Bytes& p) {
    if (p.size() < 40 || (p[0] >> 4) != 6) return "not IPv6";
    if (load_be16(&p[4]) + 40u != p.size()) return "payload length mismatch";
    uint8_t next = p[6];
    std::size_t off = 40;
    if (next == 44) {
        if ((load_be16(&p[42]) & 0xfff9) != 0) return "";  // fragment: not verifiable
        next = p[40];
        off = 48;
    }
    if (next != 58 && next != 6 && next != 17) return "";
    const testing::ByteSpan l4(p.data() + off, p.size() - off);
    return testing::l4_checksum_v6(p.data(), next, l4) == 0
               ? ""
               : "bad L4 checksum (proto " + std::to_string(next) + ")";
}

namespace {
const net::Ipv6Prefix kPool6{v6("2001:db8:64::"), 96};
}

MapResult TestMapper::map_v6_to_v4(const Flow6& in, Flow4& out, MapScope scope) {
    ++calls;
    last_scope = scope;
    if (fail) return MapResult::drop(DropReason::XlatNoMapping);
    out.src = net::extract_ipv4(kPool6, in.src);
    out.dst = net::extract_ipv4(kPool6, in.dst);
    if (in.has_ports && scope == MapScope::Outer) {
        out.src_port = static_cast<uint16_t>(in.src_port + add_to_src_port);
        if (in.proto == 58) out.dst_port = out.src_port;
    }
    return MapResult::ok();
}

MapResult TestMapper::map_v4_to_v6(const Flow4& in, Flow6& out, MapScope scope) {
    ++calls;
    last_scope = scope;
    if (fail) return MapResult::drop(DropReason::XlatNoMapping);
    out.src = net::embed_ipv4(kPool6, in.src);
    out.dst = net::embed_ipv4(kPool6, in.dst);
    if (in.has_ports && scope == MapScope::Outer) {
        out.src_port = static_cast<uint16_t>(in.src_port + add_to_src_port);
        if (in.proto == 1) out.dst_port = out.src_port;
    }
    return MapResult::ok();
}

}  // namespace strait::xlat::test
