// SPDX-License-Identifier: Apache-2.0
// pkt::classify steering to the DNS64 lcore: port 53 on a service address (inside), UDP
// or TCP to our IPv4 on a DNS64 source port (outside), and everything near those that is not.
#include <gtest/gtest.h>

#include <cstring>

#include "dataplane/pkt/classify.h"
#include "dataplane/pkt/frame.h"
#include "strait/net/bytes.h"
#include "tests/unit/pkt/test_frames.h"

namespace strait::pkt {
namespace {

using testing::Frame;

/// Ethernet + IPv6 + 8-byte L4 header (ports only matter here) + 12 payload bytes.
Frame v6_frame(const char* dst, uint8_t proto, uint16_t dport, const LocalAddrs& l) {
    Frame f(kEthHdrLen + kIpv6HdrLen + 20, 0);
    std::memcpy(f.data(), l.mac.b.data(), 6);
    net::store_be16(f.data() + 12, kEtherTypeIpv6);
    uint8_t* ip = f.data() + kEthHdrLen;
    ip[0] = 0x60;
    net::store_be16(ip + kIp6PayloadLen, 20);
    ip[kIp6NextHeader] = proto;
    ip[kIp6HopLimit] = 64;
    const auto src = *net::parse_ipv6("2001:db8:6::10");
    std::memcpy(ip + kIp6Src, src.b.data(), 16);
    std::memcpy(ip + kIp6Dst, net::parse_ipv6(dst)->b.data(), 16);
    net::store_be16(ip + kIpv6HdrLen, 40000);
    net::store_be16(ip + kIpv6HdrLen + 2, dport);
    return f;
}

/// Ethernet + IPv4 (valid header checksum) + UDP header + 12 payload bytes.
Frame v4_frame(const char* dst, uint8_t proto, uint16_t dport, uint16_t frag,
               const LocalAddrs& l) {
    Frame f(kEthHdrLen + kIpv4MinHdr + 20, 0);
    std::memcpy(f.data(), l.mac.b.data(), 6);
    net::store_be16(f.data() + 12, kEtherTypeIpv4);
    uint8_t* ip = f.data() + kEthHdrLen;
    ip[0] = 0x45;
    net::store_be16(ip + kIp4TotalLen, kIpv4MinHdr + 20);
    net::store_be16(ip + kIp4FragOff, frag);
    ip[kIp4Ttl] = 64;
    ip[kIp4Proto] = proto;
    std::memcpy(ip + kIp4Src, net::parse_ipv4("198.51.100.2")->b.data(), 4);
    std::memcpy(ip + kIp4Dst, net::parse_ipv4(dst)->b.data(), 4);
    testing::fix_ipv4_header(f);
    net::store_be16(ip + kIpv4MinHdr, 53);
    net::store_be16(ip + kIpv4MinHdr + 2, dport);
    return f;
}

/// Inside: 2001:db8:6::1/64 plus the service 2001:db8:6::53/128 (index 1).
LocalAddrs inside_with_service() {
    LocalAddrs l = testing::inside_local();
    l.v6[1] = *net::parse_ipv6("2001:db8:6::53");
    l.v6_len[1] = 128;
    l.n6 = 2;
    l.dns_service_mask = 1u << 1;
    return l;
}

LocalAddrs outside_with_ports() {
    LocalAddrs l = testing::outside_local();
    l.dns_port_min = 49152;
    l.dns_port_max = 65535;
    return l;
}

Kind kind_of(const Frame& f, PortRole role, const LocalAddrs& l) {
    return classify(f.data(), static_cast<uint32_t>(f.size()), role, l).kind;
}

TEST(ClassifyDns64, UdpAndTcpPort53ToTheServiceAreQueries) {
    const LocalAddrs l = inside_with_service();
    EXPECT_EQ(kind_of(v6_frame("2001:db8:6::53", kProtoUdp, 53, l), PortRole::Inside, l),
              Kind::Dns64Query);
    EXPECT_EQ(kind_of(v6_frame("2001:db8:6::53", kProtoTcp, 53, l), PortRole::Inside, l),
              Kind::Dns64Query);
}

TEST(ClassifyDns64, OtherPortsAddressesAndProtocolsAreNotQueries) {
    const LocalAddrs l = inside_with_service();
    // port 53 on an address that is ours but not a service
    auto c = classify(v6_frame("2001:db8:6::1", kProtoUdp, 53, l).data(), 74, PortRole::Inside, l);
    EXPECT_EQ(c.kind, Kind::Drop);
    EXPECT_EQ(c.reason, DropReason::LocalUnhandled);
    EXPECT_EQ(kind_of(v6_frame("2001:db8:6::53", kProtoUdp, 5353, l), PortRole::Inside, l),
              Kind::Drop);
    // port 53 elsewhere is transit (SIIT), not DNS64
    EXPECT_EQ(kind_of(v6_frame("2001:db8:64::c633:6402", kProtoUdp, 53, l), PortRole::Inside, l),
              Kind::Transit6);
}

TEST(ClassifyDns64, ServiceAddressStillAnswersEcho) {
    const LocalAddrs l = inside_with_service();
    EXPECT_TRUE(l.owns_v6(net::parse_ipv6("2001:db8:6::53")->b.data()));
}

TEST(ClassifyDns64, NoServiceMaskNoQueries) {
    LocalAddrs l = inside_with_service();
    l.dns_service_mask = 0;
    EXPECT_EQ(kind_of(v6_frame("2001:db8:6::53", kProtoUdp, 53, l), PortRole::Inside, l),
              Kind::Drop);
}

// UDP answers, and upstream DNS over TCP (RFC 7766): the DNS64 lcore's connections from
// its source ports.
TEST(ClassifyDns64, UdpAndTcpToOurIpv4OnASourcePortAreUpstream) {
    const LocalAddrs l = outside_with_ports();
    for (const uint8_t proto : {kProtoUdp, kProtoTcp}) {
        for (const uint16_t port : {49152, 65535}) {
            EXPECT_EQ(kind_of(v4_frame("198.51.100.1", proto, port, 0, l), PortRole::Outside, l),
                      Kind::Dns64Upstream)
                << "proto " << int{proto} << " port " << port;
        }
    }
}

TEST(ClassifyDns64, OutsideTheRangeFragmentsOtherProtocolsAndTransitAreNotUpstream) {
    const LocalAddrs l = outside_with_ports();
    EXPECT_EQ(kind_of(v4_frame("198.51.100.1", kProtoUdp, 49151, 0, l), PortRole::Outside, l),
              Kind::Drop);
    EXPECT_EQ(kind_of(v4_frame("198.51.100.1", kProtoTcp, 49151, 0, l), PortRole::Outside, l),
              Kind::Drop);
    EXPECT_EQ(kind_of(v4_frame("198.51.100.1", kProtoUdp, 50000, 0x2000, l), PortRole::Outside, l),
              Kind::Drop);
    EXPECT_EQ(kind_of(v4_frame("198.51.100.1", kProtoTcp, 50000, 0x2000, l), PortRole::Outside, l),
              Kind::Drop);
    EXPECT_EQ(kind_of(v4_frame("198.51.100.1", 132 /* SCTP */, 50000, 0, l), PortRole::Outside, l),
              Kind::Drop);
    EXPECT_EQ(kind_of(v4_frame("192.0.2.10", kProtoTcp, 50000, 0, l), PortRole::Outside, l),
              Kind::Transit4);
    EXPECT_EQ(kind_of(v4_frame("192.0.2.10", kProtoUdp, 50000, 0, l), PortRole::Outside, l),
              Kind::Transit4);
    LocalAddrs off = l;
    off.dns_port_max = 0;
    EXPECT_EQ(kind_of(v4_frame("198.51.100.1", kProtoUdp, 50000, 0, off), PortRole::Outside, off),
              Kind::Drop);
    EXPECT_EQ(kind_of(v4_frame("198.51.100.1", kProtoTcp, 50000, 0, off), PortRole::Outside, off),
              Kind::Drop);
}

}  // namespace
}  // namespace strait::pkt
