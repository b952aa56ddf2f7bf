// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the worker's first look at a frame, classify() (dataplane/pkt), then the
// local answer it leads to (ARP, NDP, ICMP/ICMPv6 echo). Input: one byte of setup (bit 0:
// outside port, bit 1: DNS64 steering on), then the Ethernet frame, in an exact-size heap
// buffer so ASan sees any access past it. Every verdict is checked against the frame with
// the tests' own header parsing and RFC 1071 checksum (tests/common/ref_checksum.h).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "dataplane/pkt/classify.h"
#include "dataplane/pkt/frame.h"
#include "dataplane/pkt/local_reply.h"
#include "tests/common/ref_checksum.h"

namespace strait::pkt {
namespace {

using testing::inet_checksum;

[[noreturn]] void violated(const char* what) {
    std::fprintf(stderr, "pkt_classify_fuzz: invariant violated: %s\n", what);
    std::abort();
}

void check(bool ok, const char* what) {
    if (!ok) violated(what);
}

uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }

/// The demo ports (README): inside 2001:db8:6::1/64, outside 198.51.100.1/24; with DNS64
/// steering, the service 2001:db8:6::53 and upstream source ports 49152-65535.
LocalAddrs local_of(PortRole role, bool dns64) {
    LocalAddrs l;
    l.mac = *net::parse_mac(role == PortRole::Inside ? "02:00:00:00:00:01" : "02:00:00:00:00:02");
    l.v6_link_local = link_local_of(l.mac);
    if (role == PortRole::Inside) {
        l.v6[0] = *net::parse_ipv6("2001:db8:6::1");
        l.v6_len[0] = 64;
        l.v6[1] = *net::parse_ipv6("2001:db8:6::53");
        l.v6_len[1] = 128;
        l.n6 = dns64 ? 2 : 1;
        l.dns_service_mask = dns64 ? 0x2 : 0;
    } else {
        l.v4[0] = *net::parse_ipv4("198.51.100.1");
        l.v4_len[0] = 24;
        l.n4 = 1;
        if (dns64) l.dns_port_min = 49152, l.dns_port_max = 65535;
    }
    return l;
}

bool owns6(const LocalAddrs& l, const uint8_t* a) {
    for (unsigned i = 0; i < l.n6; ++i) {
        if (std::memcmp(a, l.v6[i].b.data(), 16) == 0) return true;
    }
    return std::memcmp(a, l.v6_link_local.b.data(), 16) == 0;
}

/// What classify() said about an IPv6 frame, checked field by field.
void check_v6(const uint8_t* ip, uint32_t avail, const Classified& c, const LocalAddrs& l) {
    check(avail >= 40 && ip[0] >> 4 == 6, "IPv6 verdict on a frame that is not IPv6");
    check(c.l3_len == 40u + be16(ip + 4) && c.l3_len <= avail, "IPv6 l3_len is not 40 + payload");
    const uint8_t* dst = ip + 24;
    if (c.kind == Kind::Transit6) {
        check(!owns6(l, dst) && dst[0] != 0xff, "transit to our own or a multicast address");
        return;
    }
    if (c.kind == Kind::Dns64Query) {
        check(ip[6] == 17 || ip[6] == 6, "DNS64 query neither UDP nor TCP");
        check(c.l3_len >= 48 && be16(ip + 42) == 53, "DNS64 query not to port 53");
        check(std::memcmp(dst, l.v6[1].b.data(), 16) == 0 && (l.dns_service_mask & 2),
              "DNS64 query not to the service address");
        return;
    }
    check(ip[6] == 58 && c.l3_len >= 48, "local IPv6 verdict for a non-ICMPv6 packet");
    const testing::ByteSpan icmp(ip + 40, c.l3_len - 40);
    check(testing::l4_checksum_v6(ip, 58, icmp) == 0, "accepted an ICMPv6 bad checksum");
    if (c.kind == Kind::Echo6) check(icmp[0] == 128 && owns6(l, dst), "echo6 verdict");
    if (c.kind == Kind::Ndp) check(icmp[0] == 135 || icmp[0] == 136, "NDP verdict");
}

/// What classify() said about an IPv4 frame.
void check_v4(const uint8_t* ip, uint32_t avail, const Classified& c, const LocalAddrs& l) {
    check(avail >= 20 && ip[0] >> 4 == 4, "IPv4 verdict on a frame that is not IPv4");
    const uint32_t ihl = (ip[0] & 15u) * 4;
    check(ihl >= 20 && c.l3_len == be16(ip + 2) && c.l3_len >= ihl && c.l3_len <= avail,
          "IPv4 l3_len is not the total length");
    check(inet_checksum({{ip, ihl}}) == 0, "accepted an IPv4 header with a bad checksum");
    const bool ours = std::memcmp(ip + 16, l.v4[0].b.data(), 4) == 0;
    if (c.kind == Kind::Transit4) {
        check(!ours && ip[16] < 224, "transit to our own or a group address");
    } else if (c.kind == Kind::Dns64Upstream) {
        check(ours && (ip[9] == 17 || ip[9] == 6) && c.l3_len >= ihl + 8, "upstream verdict");
        const uint16_t dport = be16(ip + ihl + 2);
        check(dport >= l.dns_port_min && dport <= l.dns_port_max && l.dns_port_max != 0,
              "upstream verdict outside the DNS64 source ports");
    } else if (c.kind == Kind::Echo4) {
        check(ours && ip[9] == 1 && c.l3_len >= ihl + 8 && ip[ihl] == 8, "echo4 verdict");
        check(inet_checksum({{ip + ihl, c.l3_len - ihl}}) == 0, "accepted an ICMP bad checksum");
    } else {
        violated("IPv6-only verdict on an IPv4 frame");
    }
}

/// Runs the local answer for a local verdict; a reply must be a well-formed frame from us.
void answer(uint8_t* f, uint32_t len, uint32_t cap, const Classified& c, const LocalAddrs& l) {
    LocalResult r;
    switch (c.kind) {
        case Kind::Arp:
            r = arp_input(f, len, l);
            break;
        case Kind::Ndp:
            r = ndp_input(f, c.l3_len, cap, l);
            break;
        case Kind::Echo6:
            r = echo6_reply(f, c.l3_len, l.mac);
            break;
        case Kind::Echo4:
            r = echo4_reply(f, c.l3_len, l.mac);
            break;
        default:
            return;
    }
    if (r.action == LocalAction::Drop) {
        check(r.reason != DropReason::InternalBug && r.reason < DropReason::Count_,
              "local answer dropped as internal_bug");
    }
    if (r.action != LocalAction::Reply) return;
    check(r.frame_len >= kEthHdrLen + 28 && r.frame_len <= (c.kind == Kind::Ndp ? cap : len),
          "reply longer than the buffer");
    check(std::memcmp(f + 6, l.mac.b.data(), 6) == 0, "reply not from our MAC");
    const uint8_t* ip = f + kEthHdrLen;
    if (c.kind == Kind::Echo4) {
        const uint32_t ihl = (ip[0] & 15u) * 4;
        check(inet_checksum({{ip, ihl}}) == 0, "echo reply: bad IPv4 header checksum");
        check(inet_checksum({{ip + ihl, be16(ip + 2) - ihl}}) == 0,
              "echo reply: bad ICMP checksum");
    } else if (c.kind != Kind::Arp) {
        const uint32_t n = be16(ip + 4);
        check(40 + n + kEthHdrLen <= r.frame_len, "ICMPv6 reply longer than its frame");
        check(testing::l4_checksum_v6(ip, 58, {ip + 40, n}) == 0, "ICMPv6 reply: bad checksum");
    }
}

void one_frame(const uint8_t* data, std::size_t size) {
    if (size < 1) return;
    const PortRole role = (data[0] & 1) ? PortRole::Outside : PortRole::Inside;
    const LocalAddrs l = local_of(role, (data[0] & 2) != 0);
    const auto len = static_cast<uint32_t>(size - 1);
    // ndp_input may grow an answer up to kLocalReplyMinCap (the worker passes an mbuf's
    // room); beyond that the buffer ends exactly at the frame.
    const uint32_t cap = std::max(len, kLocalReplyMinCap);
    std::unique_ptr<uint8_t[]> f(new uint8_t[cap]);
    std::memcpy(f.get(), data + 1, len);
    const Classified c = classify(f.get(), len, role, l);
    if (c.kind == Kind::Drop) {
        check(c.reason != DropReason::InternalBug && c.reason < DropReason::Count_,
              "dropped as internal_bug");
        return;
    }
    check(len >= kEthHdrLen, "verdict on a runt");
    check((f[0] & 1) || std::memcmp(f.get(), l.mac.b.data(), 6) == 0, "accepted another's MAC");
    check(c.l3_len + kEthHdrLen <= len, "l3_len beyond the frame");
    const uint16_t type = be16(f.get() + 12);
    const uint8_t* ip = f.get() + kEthHdrLen;
    if (c.kind == Kind::Arp) {
        check(type == kEtherTypeArp && len >= kEthHdrLen + kArpLen, "ARP verdict");
    } else if (type == kEtherTypeIpv6) {
        check(role == PortRole::Inside, "IPv6 accepted on the outside port");
        check_v6(ip, len - kEthHdrLen, c, l);
    } else {
        check(type == kEtherTypeIpv4 && role == PortRole::Outside, "IPv4 verdict");
        check_v4(ip, len - kEthHdrLen, c, l);
    }
    answer(f.get(), len, cap, c, l);
}

}  // namespace
}  // namespace strait::pkt

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    strait::pkt::one_frame(data, size);
    return 0;
}
