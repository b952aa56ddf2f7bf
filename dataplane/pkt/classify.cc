// SPDX-License-Identifier: Apache-2.0
// Frame validation and classification (pure: byte spans, no DPDK).
#include "dataplane/pkt/classify.h"

#include <cstring>

#include "dataplane/pkt/frame.h"
#include "strait/net/bytes.h"
#include "strait/net/checksum.h"

namespace strait::pkt {
namespace {

using net::load_be16;

Classified drop(DropReason r) { return {Kind::Drop, r, 0}; }

bool prefix_match(const uint8_t* a, const uint8_t* b, unsigned bits) {
    const unsigned full = bits / 8;
    if (std::memcmp(a, b, full) != 0) return false;
    const unsigned rem = bits % 8;
    if (rem == 0) return true;
    const auto mask = static_cast<uint8_t>(0xff << (8 - rem));
    return (a[full] & mask) == (b[full] & mask);
}

/// ff02::1:ffXX:XXXX for one of our addresses (RFC 4291 §2.7.1).
bool is_our_solicited_node(const uint8_t* a, const LocalAddrs& local) {
    static constexpr uint8_t kSnm[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff};
    if (std::memcmp(a, kSnm, 13) != 0) return false;
    for (unsigned i = 0; i < local.n6; ++i) {
        if (std::memcmp(a + 13, local.v6[i].b.data() + 13, 3) == 0) return true;
    }
    return std::memcmp(a + 13, local.v6_link_local.b.data() + 13, 3) == 0;
}

/// UDP or TCP to port 53 of an address marked as a DNS64 service (no extension headers:
/// DNS clients do not send them; anything else stays local_unhandled).
bool is_dns64_query(const uint8_t* ip, uint32_t l3_len, const LocalAddrs& local) {
    const uint8_t nh = ip[kIp6NextHeader];
    if ((nh != kProtoUdp && nh != kProtoTcp) || l3_len < kIpv6HdrLen + 8) return false;
    if (net::load_be16(ip + kIpv6HdrLen + 2) != 53) return false;
    for (unsigned i = 0; i < local.n6; ++i) {
        if ((local.dns_service_mask >> i & 1) &&
            std::memcmp(ip + kIp6Dst, local.v6[i].b.data(), 16) == 0) {
            return true;
        }
    }
    return false;
}

Classified classify_v6(const uint8_t* ip, uint32_t avail, const LocalAddrs& local) {
    if (avail < kIpv6HdrLen) return drop(DropReason::Ipv6Truncated);
    if ((ip[0] >> 4) != 6) return drop(DropReason::Ipv6BadVersion);
    const uint32_t l3_len = kIpv6HdrLen + load_be16(ip + kIp6PayloadLen);
    if (l3_len > avail) return drop(DropReason::Ipv6Truncated);
    const uint8_t* dst = ip + kIp6Dst;
    const bool to_us = local.owns_v6(dst);
    const bool multicast = dst[0] == 0xff;
    if (!to_us && !multicast) return {Kind::Transit6, DropReason::InternalBug, l3_len};
    if (to_us && is_dns64_query(ip, l3_len, local)) {
        return {Kind::Dns64Query, DropReason::InternalBug, l3_len};
    }
    if (ip[kIp6NextHeader] != kProtoIcmp6) return drop(DropReason::LocalUnhandled);
    const uint32_t icmp_len = l3_len - kIpv6HdrLen;
    if (icmp_len < 8) return drop(DropReason::IcmpTruncated);
    const uint8_t* icmp = ip + kIpv6HdrLen;
    if (net::checksum(icmp, icmp_len, net::pseudo_sum_v6(ip + kIp6Src, dst, kProtoIcmp6,
                                                          icmp_len)) != 0) {
        return drop(DropReason::IcmpBadChecksum);
    }
    const uint8_t type = icmp[0];
    if (type == kIcmp6NeighborSolicit || type == kIcmp6NeighborAdvert) {
        if (multicast && !is_our_solicited_node(dst, local) && dst[1] != 0x02) {
            return drop(DropReason::NdpNotForUs);
        }
        return {Kind::Ndp, DropReason::InternalBug, l3_len};
    }
    if (type == kIcmp6EchoRequest && to_us) return {Kind::Echo6, DropReason::InternalBug, l3_len};
    return drop(multicast ? DropReason::LocalUnhandled : DropReason::IcmpUnhandled);
}

Classified classify_v4(const uint8_t* ip, uint32_t avail, const LocalAddrs& local) {
    if (avail < kIpv4MinHdr) return drop(DropReason::Ipv4Truncated);
    const uint32_t ihl = (ip[0] & 0x0f) * 4u;
    if ((ip[0] >> 4) != 4 || ihl < kIpv4MinHdr) return drop(DropReason::Ipv4BadVersion);
    const uint32_t l3_len = load_be16(ip + kIp4TotalLen);
    if (ihl > avail || l3_len < ihl || l3_len > avail) return drop(DropReason::Ipv4Truncated);
    if (net::checksum(ip, ihl) != 0) return drop(DropReason::Ipv4BadChecksum);
    const uint8_t* dst = ip + kIp4Dst;
    if (!local.owns_v4(dst)) {
        const bool bcast_or_mcast = dst[0] >= 224 || (dst[0] == 255);
        if (bcast_or_mcast) return drop(DropReason::LocalUnhandled);
        return {Kind::Transit4, DropReason::InternalBug, l3_len};
    }
    const bool fragment = (load_be16(ip + kIp4FragOff) & 0x3fff) != 0;
    // UDP answers and, for truncated ones, the DNS64 lcore's own TCP connections (RFC 7766).
    const bool udp_or_tcp = ip[kIp4Proto] == kProtoUdp || ip[kIp4Proto] == kProtoTcp;
    if (!fragment && udp_or_tcp && l3_len >= ihl + 8 && local.dns_port_max != 0) {
        const uint16_t dport = load_be16(ip + ihl + 2);
        if (dport >= local.dns_port_min && dport <= local.dns_port_max) {
            return {Kind::Dns64Upstream, DropReason::InternalBug, l3_len};
        }
    }
    // NAT64 with pool4 on the gateway's own address: all but echo requests are transit.
    const Classified transit{Kind::Transit4, DropReason::InternalBug, l3_len};
    if (ip[kIp4Proto] != kProtoIcmp || fragment) {
        return local.transit_on_self ? transit : drop(DropReason::LocalUnhandled);
    }
    const uint32_t icmp_len = l3_len - ihl;
    if (icmp_len < 8) return drop(DropReason::IcmpTruncated);
    if (ip[ihl] != kIcmp4EchoRequest && local.transit_on_self) return transit;
    if (net::checksum(ip + ihl, icmp_len) != 0) return drop(DropReason::IcmpBadChecksum);
    if (ip[ihl] != kIcmp4EchoRequest) return drop(DropReason::IcmpUnhandled);
    return {Kind::Echo4, DropReason::InternalBug, l3_len};
}

}  // namespace

bool LocalAddrs::owns_v6(const uint8_t* a) const {
    for (unsigned i = 0; i < n6; ++i) {
        if (std::memcmp(a, v6[i].b.data(), 16) == 0) return true;
    }
    return std::memcmp(a, v6_link_local.b.data(), 16) == 0;
}

bool LocalAddrs::owns_v4(const uint8_t* a) const {
    for (unsigned i = 0; i < n4; ++i) {
        if (std::memcmp(a, v4[i].b.data(), 4) == 0) return true;
    }
    return false;
}

bool LocalAddrs::on_link_v4(const uint8_t* a) const {
    for (unsigned i = 0; i < n4; ++i) {
        if (prefix_match(a, v4[i].b.data(), v4_len[i])) return true;
    }
    return false;
}

bool LocalAddrs::on_link_v6(const uint8_t* a) const {
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) return true;
    for (unsigned i = 0; i < n6; ++i) {
        if (prefix_match(a, v6[i].b.data(), v6_len[i])) return true;
    }
    return false;
}

net::Ipv6Addr link_local_of(const net::MacAddr& mac) {
    net::Ipv6Addr a{};
    a.b[0] = 0xfe;
    a.b[1] = 0x80;
    a.b[8] = mac.b[0] ^ 0x02;
    a.b[9] = mac.b[1];
    a.b[10] = mac.b[2];
    a.b[11] = 0xff;
    a.b[12] = 0xfe;
    a.b[13] = mac.b[3];
    a.b[14] = mac.b[4];
    a.b[15] = mac.b[5];
    return a;
}

Classified classify(const uint8_t* frame, uint32_t len, PortRole role, const LocalAddrs& local) {
    if (len < kEthHdrLen) return drop(DropReason::FrameTooShort);
    const bool group = (frame[0] & 0x01) != 0;  // broadcast or multicast
    if (!group && std::memcmp(frame, local.mac.b.data(), 6) != 0) {
        return drop(DropReason::NotForUs);
    }
    const uint16_t ethertype = load_be16(frame + 12);
    const uint8_t* l3 = frame + kEthHdrLen;
    const uint32_t avail = len - kEthHdrLen;
    switch (ethertype) {
        case kEtherTypeArp:
            if (avail < kArpLen) return drop(DropReason::ArpMalformed);
            return {Kind::Arp, DropReason::InternalBug, kArpLen};
        case kEtherTypeIpv6:
            if (role != PortRole::Inside) return drop(DropReason::WrongFamily);
            return classify_v6(l3, avail, local);
        case kEtherTypeIpv4:
            if (role != PortRole::Outside) return drop(DropReason::WrongFamily);
            return classify_v4(l3, avail, local);
        default:
            return drop(DropReason::UnknownEthertype);
    }
}

}  // namespace strait::pkt
