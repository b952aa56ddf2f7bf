// SPDX-License-Identifier: Apache-2.0
// In-place answers for ARP, NDP and echo requests to the gateway's own addresses.
#include "dataplane/pkt/local_reply.h"

#include <algorithm>
#include <cstring>

#include "dataplane/pkt/frame.h"
#include "strait/net/bytes.h"
#include "strait/net/checksum.h"

namespace strait::pkt {
namespace {

using net::load_be16;
using net::store_be16;

LocalResult drop(DropReason r) { return {LocalAction::Drop, r, 0, {}}; }

void write_eth(uint8_t* frame, const uint8_t* dst, const net::MacAddr& src, uint16_t type) {
    std::memmove(frame, dst, 6);
    std::memcpy(frame + 6, src.b.data(), 6);
    store_be16(frame + 12, type);
}

void swap_bytes(uint8_t* a, uint8_t* b, std::size_t n) {
    uint8_t tmp[16];
    std::memcpy(tmp, a, n);
    std::memcpy(a, b, n);
    std::memcpy(b, tmp, n);
}

/// Finds the source/target link-layer address option (type 1 or 2) in NDP options.
const uint8_t* find_lla_option(const uint8_t* opts, uint32_t len, uint8_t type, bool& bad) {
    const uint8_t* found = nullptr;
    while (len >= 2) {
        const uint32_t olen = opts[1] * 8u;
        if (olen == 0 || olen > len) {  // RFC 4861 §4.6: zero length is invalid
            bad = true;
            return nullptr;
        }
        if (opts[0] == type && olen >= 8) found = opts + 2;
        opts += olen;
        len -= olen;
    }
    return found;
}

LocalResult answer_ns(uint8_t* frame, const uint8_t* target, const uint8_t* sllao,
                      const LocalAddrs& local) {
    uint8_t* ip = frame + kEthHdrLen;
    static constexpr uint8_t kAllNodes[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0,
                                              0,    0,    0, 0, 0, 0, 0, 1};
    const bool dad = std::all_of(ip + kIp6Src, ip + kIp6Src + 16, [](uint8_t b) { return b == 0; });
    LocalResult res{LocalAction::Reply, DropReason::InternalBug, kEthHdrLen + kIpv6HdrLen + 32, {}};
    uint8_t eth_dst[6];
    if (dad) {
        const uint8_t mc[6] = {0x33, 0x33, 0, 0, 0, 1};
        std::memcpy(eth_dst, mc, 6);
    } else {
        std::memcpy(eth_dst, sllao ? sllao : frame + 6, 6);
        if (sllao) {
            res.learn.valid = true;
            res.learn.v6 = true;
            std::memcpy(res.learn.ip, ip + kIp6Src, 16);
            std::memcpy(res.learn.mac.b.data(), sllao, 6);
        }
    }
    uint8_t tgt[16];
    std::memcpy(tgt, target, 16);
    write_eth(frame, eth_dst, local.mac, kEtherTypeIpv6);
    std::memcpy(ip + kIp6Dst, dad ? kAllNodes : ip + kIp6Src, 16);
    std::memcpy(ip + kIp6Src, tgt, 16);
    ip[0] = 0x60;
    ip[1] = ip[2] = ip[3] = 0;
    store_be16(ip + kIp6PayloadLen, 32);
    ip[kIp6NextHeader] = kProtoIcmp6;
    ip[kIp6HopLimit] = 255;
    uint8_t* na = ip + kIpv6HdrLen;
    std::memset(na, 0, 32);
    na[0] = kIcmp6NeighborAdvert;
    na[4] = dad ? 0xa0 : 0xe0;  // Router | Solicited (not for DAD) | Override
    std::memcpy(na + 8, tgt, 16);
    na[24] = 2;  // target link-layer address option
    na[25] = 1;
    std::memcpy(na + 26, local.mac.b.data(), 6);
    store_be16(na + 2, net::checksum(na, 32, net::pseudo_sum_v6(ip + kIp6Src, ip + kIp6Dst,
                                                                 kProtoIcmp6, 32)));
    return res;
}

}  // namespace

LocalResult arp_input(uint8_t* frame, uint32_t len, const LocalAddrs& local) {
    if (len < kEthHdrLen + kArpLen) return drop(DropReason::ArpMalformed);
    uint8_t* arp = frame + kEthHdrLen;
    if (load_be16(arp) != 1 || load_be16(arp + 2) != kEtherTypeIpv4 || arp[4] != 6 || arp[5] != 4) {
        return drop(DropReason::ArpMalformed);
    }
    const uint16_t op = load_be16(arp + 6);
    uint8_t* sha = arp + 8;
    uint8_t* spa = arp + 14;
    uint8_t* tha = arp + 18;
    uint8_t* tpa = arp + 24;
    if ((op != 1 && op != 2) || (sha[0] & 0x01)) return drop(DropReason::ArpMalformed);
    if (!local.owns_v4(tpa)) return drop(DropReason::ArpNotForUs);
    LocalResult res{LocalAction::Consumed, DropReason::InternalBug, 0, {}};
    if (local.on_link_v4(spa)) {
        res.learn.valid = true;
        std::memcpy(res.learn.ip, spa, 4);
        std::memcpy(res.learn.mac.b.data(), sha, 6);
    }
    if (op == 2) return res;
    res.action = LocalAction::Reply;
    res.frame_len = kEthHdrLen + kArpLen;
    store_be16(arp + 6, 2);
    std::memcpy(tha, sha, 6);
    swap_bytes(spa, tpa, 4);
    std::memcpy(sha, local.mac.b.data(), 6);
    write_eth(frame, tha, local.mac, kEtherTypeArp);
    return res;
}

LocalResult ndp_input(uint8_t* frame, uint32_t l3_len, uint32_t cap, const LocalAddrs& local) {
    uint8_t* ip = frame + kEthHdrLen;
    const uint8_t* icmp = ip + kIpv6HdrLen;
    const uint32_t icmp_len = l3_len - kIpv6HdrLen;
    // RFC 4861 §7.1.1/7.1.2 validation; the checksum was verified by classify().
    if (ip[kIp6HopLimit] != 255 || icmp[1] != 0 || icmp_len < 24 || icmp[8] == 0xff) {
        return drop(DropReason::NdpMalformed);
    }
    bool bad = false;
    const uint8_t want = icmp[0] == kIcmp6NeighborSolicit ? 1 : 2;
    const uint8_t* lla = find_lla_option(icmp + 24, icmp_len - 24, want, bad);
    if (bad) return drop(DropReason::NdpMalformed);
    if (icmp[0] == kIcmp6NeighborAdvert) {
        LocalResult res{LocalAction::Consumed, DropReason::InternalBug, 0, {}};
        if (lla) {
            res.learn = {true, true, {}, {}};
            std::memcpy(res.learn.ip, icmp + 8, 16);
            std::memcpy(res.learn.mac.b.data(), lla, 6);
        }
        return res;
    }
    if (!local.owns_v6(icmp + 8)) return drop(DropReason::NdpNotForUs);
    const bool dad = std::all_of(ip + kIp6Src, ip + kIp6Src + 16, [](uint8_t b) { return b == 0; });
    if (dad && lla) return drop(DropReason::NdpMalformed);
    if (cap < kLocalReplyMinCap) return drop(DropReason::InternalBug);
    return answer_ns(frame, icmp + 8, lla, local);
}

LocalResult echo6_reply(uint8_t* frame, uint32_t l3_len, const net::MacAddr& mac) {
    uint8_t* ip = frame + kEthHdrLen;
    uint8_t* icmp = ip + kIpv6HdrLen;
    write_eth(frame, frame + 6, mac, load_be16(frame + 12));  // a group dst MAC is not ours
    swap_bytes(ip + kIp6Src, ip + kIp6Dst, 16);
    ip[kIp6HopLimit] = 64;
    const uint16_t old_word = load_be16(icmp);
    icmp[0] = kIcmp6EchoReply;
    store_be16(icmp + 2, net::csum_replace(load_be16(icmp + 2), old_word, load_be16(icmp)));
    return {LocalAction::Reply, DropReason::InternalBug, kEthHdrLen + l3_len, {}};
}

LocalResult echo4_reply(uint8_t* frame, uint32_t l3_len, const net::MacAddr& mac) {
    uint8_t* ip = frame + kEthHdrLen;
    const uint32_t ihl = (ip[0] & 0x0f) * 4u;
    uint8_t* icmp = ip + ihl;
    write_eth(frame, frame + 6, mac, load_be16(frame + 12));  // a group dst MAC is not ours
    swap_bytes(ip + kIp4Src, ip + kIp4Dst, 4);
    ip[kIp4Ttl] = 64;
    store_be16(ip + kIp4Checksum, 0);
    store_be16(ip + kIp4Checksum, net::checksum(ip, ihl));
    const uint16_t old_word = load_be16(icmp);
    icmp[0] = kIcmp4EchoReply;
    store_be16(icmp + 2, net::csum_replace(load_be16(icmp + 2), old_word, load_be16(icmp)));
    return {LocalAction::Reply, DropReason::InternalBug, kEthHdrLen + l3_len, {}};
}

uint32_t build_arp_request(uint8_t* buf, const net::MacAddr& mac, net::Ipv4Addr sender,
                           net::Ipv4Addr target) {
    static constexpr uint8_t kBroadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    write_eth(buf, kBroadcast, mac, kEtherTypeArp);
    uint8_t* arp = buf + kEthHdrLen;
    store_be16(arp, 1);
    store_be16(arp + 2, kEtherTypeIpv4);
    arp[4] = 6;
    arp[5] = 4;
    store_be16(arp + 6, 1);
    std::memcpy(arp + 8, mac.b.data(), 6);
    std::memcpy(arp + 14, sender.b.data(), 4);
    std::memset(arp + 18, 0, 6);
    std::memcpy(arp + 24, target.b.data(), 4);
    return kEthHdrLen + kArpLen;
}

uint32_t build_neighbor_solicit(uint8_t* buf, const net::MacAddr& mac, const net::Ipv6Addr& src,
                                const net::Ipv6Addr& target) {
    uint8_t snm[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff};
    std::memcpy(snm + 13, target.b.data() + 13, 3);
    const uint8_t eth_dst[6] = {0x33, 0x33, 0xff, target.b[13], target.b[14], target.b[15]};
    write_eth(buf, eth_dst, mac, kEtherTypeIpv6);
    uint8_t* ip = buf + kEthHdrLen;
    std::memset(ip, 0, kIpv6HdrLen);
    ip[0] = 0x60;
    store_be16(ip + kIp6PayloadLen, 32);
    ip[kIp6NextHeader] = kProtoIcmp6;
    ip[kIp6HopLimit] = 255;
    std::memcpy(ip + kIp6Src, src.b.data(), 16);
    std::memcpy(ip + kIp6Dst, snm, 16);
    uint8_t* ns = ip + kIpv6HdrLen;
    std::memset(ns, 0, 32);
    ns[0] = kIcmp6NeighborSolicit;
    std::memcpy(ns + 8, target.b.data(), 16);
    ns[24] = 1;  // source link-layer address option
    ns[25] = 1;
    std::memcpy(ns + 26, mac.b.data(), 6);
    store_be16(ns + 2, net::checksum(ns, 32, net::pseudo_sum_v6(src.b.data(), snm, kProtoIcmp6, 32)));
    return kEthHdrLen + kIpv6HdrLen + 32;
}

}  // namespace strait::pkt
