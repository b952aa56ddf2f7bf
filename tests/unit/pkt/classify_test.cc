// SPDX-License-Identifier: Apache-2.0
// classify(): every frame lands in the right Kind, and every malformed frame in the right
// DropReason, never reading past its length.
#include "dataplane/pkt/classify.h"

#include <gtest/gtest.h>

#include "tests/unit/pkt/test_frames.h"
#include "tests/unit/pkt/vectors.h"

namespace strait::pkt {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): test helpers
namespace v = vectors;

/// Classifies an exact-size heap copy, so ASan flags any read past `f.size()`.
Classified run(const Frame& f, PortRole role) {
    const LocalAddrs local = role == PortRole::Inside ? inside_local() : outside_local();
    auto* copy = new uint8_t[f.size() ? f.size() : 1];
    std::copy(f.begin(), f.end(), copy);
    const Classified c = classify(copy, static_cast<uint32_t>(f.size()), role, local);
    delete[] copy;
    return c;
}

Classified inside(const Frame& f) { return run(f, PortRole::Inside); }
Classified outside(const Frame& f) { return run(f, PortRole::Outside); }

void expect_drop(const Classified& c, DropReason r) {
    EXPECT_EQ(c.kind, Kind::Drop);
    EXPECT_EQ(drop_label(c.reason), drop_label(r));
}

// --- accepted frames ---------------------------------------------------------------

TEST(Classify, ArpRequestIsArp) {
    EXPECT_EQ(outside(frame_of(v::kArpRequest)).kind, Kind::Arp);
    EXPECT_EQ(outside(frame_of(v::kArpRequestPadded)).kind, Kind::Arp);
    EXPECT_EQ(outside(frame_of(v::kArpReplyFromServer)).kind, Kind::Arp);
    EXPECT_EQ(outside(frame_of(v::kArpRequest)).l3_len, 28u);
}

TEST(Classify, NeighborDiscoveryIsNdp) {
    for (const Frame& f : {frame_of(v::kNeighborSolicit), frame_of(v::kDadNeighborSolicit),
                           frame_of(v::kNeighborSolicitLinkLocal),
                           frame_of(v::kNeighborSolicitUnicastNoOption),
                           frame_of(v::kNeighborAdvertFromClient)}) {
        const Classified c = inside(f);
        EXPECT_EQ(c.kind, Kind::Ndp) << hex(f);
        EXPECT_EQ(c.l3_len, f.size() - 14);
    }
}

TEST(Classify, EchoRequestsToUsAreEcho) {
    const Frame e6 = frame_of(v::kEcho6Request);
    const Classified c6 = inside(e6);
    EXPECT_EQ(c6.kind, Kind::Echo6);
    EXPECT_EQ(c6.l3_len, e6.size() - 14);
    const Frame e4 = frame_of(v::kEcho4Request);
    const Classified c4 = outside(e4);
    EXPECT_EQ(c4.kind, Kind::Echo4);
    EXPECT_EQ(c4.l3_len, e4.size() - 14);
    EXPECT_EQ(outside(frame_of(v::kEcho4RequestOptions)).kind, Kind::Echo4);
}

TEST(Classify, EchoToTheLinkLocalAddressIsEcho) {
    Frame f = frame_of(v::kEcho6Request);
    const auto ll = inside_local().v6_link_local;
    std::copy(ll.b.begin(), ll.b.end(), f.begin() + 38);
    fix_icmp6(f);
    EXPECT_EQ(inside(f).kind, Kind::Echo6);
}

TEST(Classify, EthernetPaddingIsNotPartOfL3) {
    Frame f = frame_of(v::kEcho4RequestOptions);  // 14 + 24 + 9 = 47 bytes
    f.resize(60, 0);
    const Classified c = outside(f);
    EXPECT_EQ(c.kind, Kind::Echo4);
    EXPECT_EQ(c.l3_len, 33u);
    Frame g = frame_of(v::kEcho6Request);
    g.resize(g.size() + 7, 0xee);
    EXPECT_EQ(inside(g).l3_len, frame_of(v::kEcho6Request).size() - 14);
}

TEST(Classify, TransitTrafficIsForTranslation) {
    const Frame t6 = frame_of(v::kTransit6Udp);
    const Classified c6 = inside(t6);
    EXPECT_EQ(c6.kind, Kind::Transit6);
    EXPECT_EQ(c6.l3_len, t6.size() - 14);
    const Frame t4 = frame_of(v::kTransit4Tcp);
    const Classified c4 = outside(t4);
    EXPECT_EQ(c4.kind, Kind::Transit4);
    EXPECT_EQ(c4.l3_len, t4.size() - 14);
}

TEST(Classify, BroadcastDestinationMacIsAccepted) {
    Frame f = frame_of(v::kEcho4Request);
    std::fill(f.begin(), f.begin() + 6, 0xff);
    EXPECT_EQ(outside(f).kind, Kind::Echo4);
}

// --- layer 2 -------------------------------------------------------------------------

TEST(Classify, ShorterThanEthernetIsFrameTooShort) {
    const Frame f = frame_of(v::kEcho6Request);
    for (std::size_t n = 0; n < 14; ++n) {
        expect_drop(inside(slice(f, 0, n)), DropReason::FrameTooShort);
    }
}

TEST(Classify, OtherUnicastMacIsNotForUs) {
    Frame f = frame_of(v::kEcho6Request);
    f[5] = 0x77;
    expect_drop(inside(f), DropReason::NotForUs);
    // The outside MAC is not the inside port's MAC either.
    Frame g = frame_of(v::kEcho4Request);
    expect_drop(inside(g), DropReason::NotForUs);
}

TEST(Classify, UnknownEthertype) {
    Frame f = frame_of(v::kEcho4Request);
    put16(f, 12, 0x88cc);  // LLDP
    expect_drop(outside(f), DropReason::UnknownEthertype);
    put16(f, 12, 0x8100);  // VLAN tags are not parsed
    expect_drop(outside(f), DropReason::UnknownEthertype);
}

TEST(Classify, WrongFamilyPerPort) {
    Frame v4_inside = frame_of(v::kEcho4Request);
    std::copy_n(frame_of(v::kEcho6Request).begin(), 6, v4_inside.begin());  // inside MAC
    expect_drop(inside(v4_inside), DropReason::WrongFamily);
    Frame v6_outside = frame_of(v::kEcho6Request);
    std::copy_n(frame_of(v::kEcho4Request).begin(), 6, v6_outside.begin());  // outside MAC
    expect_drop(outside(v6_outside), DropReason::WrongFamily);
}

TEST(Classify, ShortArpIsMalformed) {
    const Frame f = frame_of(v::kArpRequest);
    for (std::size_t n = 14; n < f.size(); ++n) {
        expect_drop(outside(slice(f, 0, n)), DropReason::ArpMalformed);
    }
}

// --- IPv6 ----------------------------------------------------------------------------

TEST(Classify, TruncatedIpv6Header) {
    const Frame f = frame_of(v::kEcho6Request);
    for (std::size_t n = 14; n < 54; ++n) {
        expect_drop(inside(slice(f, 0, n)), DropReason::Ipv6Truncated);
    }
}

TEST(Classify, Ipv6PayloadLengthBeyondFrame) {
    const Frame f = frame_of(v::kEcho6Request);
    for (std::size_t n = 54; n < f.size(); ++n) {
        expect_drop(inside(slice(f, 0, n)), DropReason::Ipv6Truncated);
    }
    Frame g = f;
    put16(g, 18, static_cast<uint16_t>(be16(g, 18) + 1));
    expect_drop(inside(g), DropReason::Ipv6Truncated);
}

TEST(Classify, Ipv6BadVersion) {
    for (uint8_t version : {0, 4, 5, 7, 15}) {
        Frame f = frame_of(v::kEcho6Request);
        f[14] = static_cast<uint8_t>(version << 4 | (f[14] & 0x0f));
        expect_drop(inside(f), DropReason::Ipv6BadVersion);
    }
}

TEST(Classify, Icmp6BadChecksum) {
    Frame f = frame_of(v::kEcho6Request);
    f.back() ^= 0x01;
    expect_drop(inside(f), DropReason::IcmpBadChecksum);
    Frame ns = frame_of(v::kNeighborSolicit);
    ns[56] ^= 0x80;
    expect_drop(inside(ns), DropReason::IcmpBadChecksum);
    // The pseudo-header counts: a different source address breaks the checksum.
    Frame src = frame_of(v::kEcho6Request);
    src[37] ^= 0x01;
    expect_drop(inside(src), DropReason::IcmpBadChecksum);
}

TEST(Classify, Icmp6ShorterThanItsHeader) {
    Frame f = frame_of(v::kEcho6Request);
    f.resize(14 + 40 + 7);
    put16(f, 18, 7);
    expect_drop(inside(f), DropReason::IcmpTruncated);
}

TEST(Classify, NonIcmpToOurIpv6AddressIsUnhandled) {
    Frame f = frame_of(v::kTransit6Udp);
    const auto gw = inside_local().v6[0];
    std::copy(gw.b.begin(), gw.b.end(), f.begin() + 38);
    expect_drop(inside(f), DropReason::LocalUnhandled);
}

TEST(Classify, IcmpTypeWeDoNotAnswerIsUnhandled) {
    Frame f = frame_of(v::kEcho6Request);
    f[54] = 129;  // an echo reply to us
    fix_icmp6(f);
    expect_drop(inside(f), DropReason::IcmpUnhandled);
    f[54] = 133;  // router solicitation, unicast
    fix_icmp6(f);
    expect_drop(inside(f), DropReason::IcmpUnhandled);
}

TEST(Classify, MulticastIcmp6OtherThanNdpIsLocalUnhandled) {
    Frame f = frame_of(v::kEcho6Request);
    const uint8_t all_nodes[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    std::copy(all_nodes, all_nodes + 16, f.begin() + 38);
    f[0] = 0x33, f[1] = 0x33, f[2] = 0, f[3] = 0, f[4] = 0, f[5] = 1;
    fix_icmp6(f);
    expect_drop(inside(f), DropReason::LocalUnhandled);
}

TEST(Classify, NdpToAnotherScopesGroupIsNotForUs) {
    Frame f = frame_of(v::kNeighborSolicit);
    f[39] = 0x05;  // ff05::1:ff00:1, site scope: not a solicited-node group
    fix_icmp6(f);
    expect_drop(inside(f), DropReason::NdpNotForUs);
}

// --- IPv4 ----------------------------------------------------------------------------

TEST(Classify, TruncatedIpv4Header) {
    const Frame f = frame_of(v::kEcho4Request);
    for (std::size_t n = 14; n < 34; ++n) {
        expect_drop(outside(slice(f, 0, n)), DropReason::Ipv4Truncated);
    }
}

TEST(Classify, Ipv4TotalLengthBeyondFrameOrBelowHeader) {
    const Frame f = frame_of(v::kEcho4Request);
    for (std::size_t n = 34; n < f.size(); ++n) {
        expect_drop(outside(slice(f, 0, n)), DropReason::Ipv4Truncated);
    }
    Frame longer = f;
    put16(longer, 16, static_cast<uint16_t>(be16(longer, 16) + 1));
    fix_ipv4_header(longer);
    expect_drop(outside(longer), DropReason::Ipv4Truncated);
    Frame shorter = f;
    put16(shorter, 16, 19);
    fix_ipv4_header(shorter);
    expect_drop(outside(shorter), DropReason::Ipv4Truncated);
}

TEST(Classify, Ipv4OptionsBeyondFrame) {
    Frame f = frame_of(v::kEcho4Request);
    f.resize(14 + 20);  // header only, IHL says 60 bytes
    f[14] = 0x4f;
    put16(f, 16, 20);
    expect_drop(outside(f), DropReason::Ipv4Truncated);
}

TEST(Classify, Ipv4BadVersionOrIhl) {
    for (uint8_t first : {0x05, 0x65, 0x55, 0xf5, 0x44, 0x40, 0x41}) {
        Frame f = frame_of(v::kEcho4Request);
        f[14] = first;
        SCOPED_TRACE(int{first});
        expect_drop(outside(f), DropReason::Ipv4BadVersion);
    }
}

TEST(Classify, Ipv4BadHeaderChecksum) {
    Frame f = frame_of(v::kEcho4Request);
    f[24] ^= 0x10;
    expect_drop(outside(f), DropReason::Ipv4BadChecksum);
    Frame ttl = frame_of(v::kEcho4Request);
    ttl[22] = 1;  // TTL changed without fixing the checksum
    expect_drop(outside(ttl), DropReason::Ipv4BadChecksum);
}

TEST(Classify, Icmp4BadChecksum) {
    Frame f = frame_of(v::kEcho4Request);
    f.back() ^= 0x01;
    expect_drop(outside(f), DropReason::IcmpBadChecksum);
}

TEST(Classify, Icmp4ShorterThanItsHeader) {
    Frame f = frame_of(v::kEcho4Request);
    f.resize(14 + 20 + 4);
    put16(f, 16, 24);
    fix_ipv4_header(f);
    expect_drop(outside(f), DropReason::IcmpTruncated);
}

TEST(Classify, Icmp4TypeWeDoNotAnswer) {
    Frame f = frame_of(v::kEcho4Request);
    f[34] = 13;  // timestamp request
    fix_icmp4(f);
    expect_drop(outside(f), DropReason::IcmpUnhandled);
}

TEST(Classify, NonIcmpOrFragmentToOurIpv4AddressIsUnhandled) {
    Frame udp = frame_of(v::kEcho4Request);
    udp[23] = 17;
    fix_ipv4_header(udp);
    expect_drop(outside(udp), DropReason::LocalUnhandled);
    Frame more_fragments = frame_of(v::kEcho4Request);
    put16(more_fragments, 20, 0x2000);
    fix_ipv4_header(more_fragments);
    expect_drop(outside(more_fragments), DropReason::LocalUnhandled);
    Frame offset = frame_of(v::kEcho4Request);
    put16(offset, 20, 0x0001);
    fix_ipv4_header(offset);
    expect_drop(outside(offset), DropReason::LocalUnhandled);
}

TEST(Classify, Ipv4MulticastAndBroadcastAreLocalUnhandled) {
    for (uint8_t first_octet : {224, 239, 255}) {
        Frame f = frame_of(v::kTransit4Tcp);
        f[30] = first_octet;
        if (first_octet == 255) f[31] = f[32] = f[33] = 255;
        fix_ipv4_header(f);
        expect_drop(outside(f), DropReason::LocalUnhandled);
    }
}

}  // namespace
}  // namespace strait::pkt
