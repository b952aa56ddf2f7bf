// SPDX-License-Identifier: Apache-2.0
// In-place answers: ARP, NDP (incl. DAD) and echo replies byte for byte against scapy,
// checksums against an independent implementation, and every rejection's DropReason.
#include "dataplane/pkt/local_reply.h"

#include <gtest/gtest.h>

#include <cstring>

#include "tests/unit/pkt/test_frames.h"
#include "tests/unit/pkt/vectors.h"

namespace strait::pkt {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): test helpers
namespace v = vectors;

constexpr uint32_t kCap = 2048;  // an mbuf's data room

/// A frame in an mbuf-sized buffer, as the worker hands it over.
struct Buf {
    explicit Buf(const Frame& f) : len(static_cast<uint32_t>(f.size())) {
        std::memset(data, 0xa5, sizeof data);
        std::memcpy(data, f.data(), f.size());
    }
    [[nodiscard]] Frame out(uint32_t n) const { return Frame(data, data + n); }
    uint8_t data[kCap];
    uint32_t len;
};

void expect_drop(const LocalResult& r, DropReason reason) {
    EXPECT_EQ(r.action, LocalAction::Drop);
    EXPECT_EQ(drop_label(r.reason), drop_label(reason));
    EXPECT_FALSE(r.learn.valid);
}

LocalResult ndp(Buf& b, const LocalAddrs& local = inside_local(), uint32_t cap = kCap) {
    const Classified c = classify(b.data, b.len, PortRole::Inside, local);
    EXPECT_EQ(c.kind, Kind::Ndp);
    return ndp_input(b.data, c.l3_len, cap, local);
}

LocalResult ndp_of(Frame f, uint32_t cap = kCap) {
    Buf b(f);
    return ndp(b, inside_local(), cap);
}

// --- ARP (RFC 826) -------------------------------------------------------------------

TEST(ArpInput, RequestForUsBecomesTheExactReply) {
    for (const Frame& req : {frame_of(v::kArpRequest), frame_of(v::kArpRequestPadded)}) {
        Buf b(req);
        const LocalResult r = arp_input(b.data, b.len, outside_local());
        ASSERT_EQ(r.action, LocalAction::Reply);
        ASSERT_EQ(r.frame_len, 42u);
        EXPECT_EQ(hex(b.out(r.frame_len)), hex(frame_of(v::kArpReplyExpected)));
    }
}

TEST(ArpInput, RequestTeachesTheOnLinkSender) {
    Buf b(frame_of(v::kArpRequest));
    const LocalResult r = arp_input(b.data, b.len, outside_local());
    ASSERT_TRUE(r.learn.valid);
    EXPECT_FALSE(r.learn.v6);
    EXPECT_EQ(net::to_string(net::Ipv4Addr::from_bytes(r.learn.ip)), "198.51.100.2");
    EXPECT_EQ(net::to_string(r.learn.mac), "02:00:00:00:00:20");
}

TEST(ArpInput, OffLinkSenderIsAnsweredButNotLearned) {
    Frame f = frame_of(v::kArpRequest);
    f[28] = 203, f[29] = 0, f[30] = 113, f[31] = 9;  // sender 203.0.113.9
    Buf b(f);
    const LocalResult r = arp_input(b.data, b.len, outside_local());
    EXPECT_EQ(r.action, LocalAction::Reply);
    EXPECT_FALSE(r.learn.valid);
    EXPECT_EQ(b.data[38], 203);  // the reply's target protocol address is the sender's
}

TEST(ArpInput, ReplyToUsIsConsumedAndLearned) {
    Buf b(frame_of(v::kArpReplyFromServer));
    const LocalResult r = arp_input(b.data, b.len, outside_local());
    EXPECT_EQ(r.action, LocalAction::Consumed);
    ASSERT_TRUE(r.learn.valid);
    EXPECT_EQ(net::to_string(net::Ipv4Addr::from_bytes(r.learn.ip)), "198.51.100.2");
    EXPECT_EQ(net::to_string(r.learn.mac), "02:00:00:00:00:20");
}

TEST(ArpInput, RequestForAnotherAddressIsNotForUs) {
    Frame f = frame_of(v::kArpRequest);
    f[41] = 99;  // who-has 198.51.100.99
    Buf b(f);
    expect_drop(arp_input(b.data, b.len, outside_local()), DropReason::ArpNotForUs);
    EXPECT_EQ(b.out(b.len), f);  // untouched
}

TEST(ArpInput, MalformedHeaders) {
    struct Case {
        std::size_t off;
        uint8_t value;
    };
    for (const Case c : {Case{15, 6},       // hardware type 6 (IEEE 802)
                         Case{16, 0x86},    // protocol type 0x86dd
                         Case{18, 8},       // hardware length 8
                         Case{19, 16},      // protocol length 16
                         Case{21, 3},       // op 3 (RARP request)
                         Case{21, 0},       // op 0
                         Case{22, 0x01}}) {  // group (multicast) sender MAC
        Frame f = frame_of(v::kArpRequest);
        f[c.off] = c.value;
        Buf b(f);
        SCOPED_TRACE(c.off);
        expect_drop(arp_input(b.data, b.len, outside_local()), DropReason::ArpMalformed);
    }
    Buf short_frame(slice(frame_of(v::kArpRequest), 0, 41));
    expect_drop(arp_input(short_frame.data, 41, outside_local()), DropReason::ArpMalformed);
}

TEST(BuildArpRequest, MatchesScapy) {
    uint8_t buf[64] = {};
    const auto l = outside_local();
    const uint32_t n = build_arp_request(buf, l.mac, l.v4[0], *net::parse_ipv4("198.51.100.2"));
    ASSERT_EQ(n, 42u);
    EXPECT_EQ(hex(buf, n), hex(frame_of(v::kArpRequestByGateway)));
}

// --- NDP (RFC 4861) ------------------------------------------------------------------

TEST(NdpInput, SolicitationBecomesTheExactAdvertisement) {
    Buf b(frame_of(v::kNeighborSolicit));
    const LocalResult r = ndp(b);
    ASSERT_EQ(r.action, LocalAction::Reply);
    ASSERT_EQ(r.frame_len, 86u);
    const Frame na = b.out(r.frame_len);
    EXPECT_EQ(hex(na), hex(frame_of(v::kNeighborAdvertExpected)));
    EXPECT_EQ(verify_icmp6(na), 0);
    EXPECT_EQ(na[54], 136);           // NA
    EXPECT_EQ(na[58], 0xe0);          // Router, Solicited, Override
    EXPECT_EQ(na[21], 255);           // hop limit
}

TEST(NdpInput, SolicitationTeachesTheSender) {
    Buf b(frame_of(v::kNeighborSolicit));
    const LocalResult r = ndp(b);
    ASSERT_TRUE(r.learn.valid);
    EXPECT_TRUE(r.learn.v6);
    EXPECT_EQ(net::to_string(net::Ipv6Addr::from_bytes(r.learn.ip)), "2001:db8:6::10");
    EXPECT_EQ(net::to_string(r.learn.mac), "02:00:00:00:00:10");
}

TEST(NdpInput, SolicitationForTheLinkLocalAddress) {
    Buf b(frame_of(v::kNeighborSolicitLinkLocal));
    const LocalResult r = ndp(b);
    ASSERT_EQ(r.action, LocalAction::Reply);
    EXPECT_EQ(hex(b.out(r.frame_len)), hex(frame_of(v::kNeighborAdvertLinkLocalExpected)));
}

TEST(NdpInput, UnicastSolicitationWithoutOptionGoesToTheEthernetSource) {
    Buf b(frame_of(v::kNeighborSolicitUnicastNoOption));
    const LocalResult r = ndp(b);
    ASSERT_EQ(r.action, LocalAction::Reply);
    EXPECT_FALSE(r.learn.valid);  // nothing to learn without the option
    // Same answer as to the multicast NS: the Ethernet source is the client's MAC.
    EXPECT_EQ(hex(b.out(r.frame_len)), hex(frame_of(v::kNeighborAdvertExpected)));
}

TEST(NdpInput, DadSolicitationIsAnsweredToAllNodes) {
    Buf b(frame_of(v::kDadNeighborSolicit));
    const LocalResult r = ndp(b);
    ASSERT_EQ(r.action, LocalAction::Reply);
    const Frame na = b.out(r.frame_len);
    EXPECT_EQ(hex(na), hex(frame_of(v::kDadNeighborAdvertExpected)));
    EXPECT_EQ(verify_icmp6(na), 0);
    EXPECT_EQ(na[58] & 0x40, 0);  // RFC 4861 §7.2.4: Solicited clear for DAD
    EXPECT_FALSE(r.learn.valid);  // :: is nobody
}

TEST(NdpInput, DadWithSourceLinkLayerOptionIsMalformed) {
    Frame f = frame_of(v::kNeighborSolicit);
    std::fill(f.begin() + 22, f.begin() + 38, 0);  // source ::
    fix_icmp6(f);
    expect_drop(ndp_of(f), DropReason::NdpMalformed);
}

TEST(NdpInput, SolicitationForAnotherAddressIsNotForUs) {
    expect_drop(ndp_of(frame_of(v::kNeighborSolicitOther)), DropReason::NdpNotForUs);
}

TEST(NdpInput, AdvertisementIsConsumedAndLearned) {
    Buf b(frame_of(v::kNeighborAdvertFromClient));
    const LocalResult r = ndp(b);
    EXPECT_EQ(r.action, LocalAction::Consumed);
    ASSERT_TRUE(r.learn.valid);
    EXPECT_EQ(net::to_string(net::Ipv6Addr::from_bytes(r.learn.ip)), "2001:db8:6::10");
    EXPECT_EQ(net::to_string(r.learn.mac), "02:00:00:00:00:10");
}

TEST(NdpInput, Rfc4861ValidationFailuresAreMalformed) {
    Frame hop_limit = frame_of(v::kNeighborSolicit);
    hop_limit[21] = 64;  // §7.1.1: hop limit must be 255 (not in the checksum)
    expect_drop(ndp_of(hop_limit), DropReason::NdpMalformed);

    Frame code = frame_of(v::kNeighborSolicit);
    code[55] = 1;  // ICMP code must be 0
    fix_icmp6(code);
    expect_drop(ndp_of(code), DropReason::NdpMalformed);

    Frame multicast_target = frame_of(v::kNeighborSolicit);
    multicast_target[62] = 0xff;  // target ff..
    fix_icmp6(multicast_target);
    expect_drop(ndp_of(multicast_target), DropReason::NdpMalformed);

    Frame zero_len_option = frame_of(v::kNeighborSolicit);
    zero_len_option[79] = 0;  // §4.6: option length 0
    fix_icmp6(zero_len_option);
    expect_drop(ndp_of(zero_len_option), DropReason::NdpMalformed);

    Frame long_option = frame_of(v::kNeighborSolicit);
    long_option[79] = 2;  // 16 bytes, only 8 present
    fix_icmp6(long_option);
    expect_drop(ndp_of(long_option), DropReason::NdpMalformed);

    Frame short_body = frame_of(v::kNeighborSolicit);  // ICMPv6 length 16 < 24
    short_body.resize(14 + 40 + 16);
    put16(short_body, 18, 16);
    fix_icmp6(short_body);
    expect_drop(ndp_of(short_body), DropReason::NdpMalformed);
}

TEST(NdpInput, BufferTooSmallForTheAnswerIsAnInternalBug) {
    expect_drop(ndp_of(frame_of(v::kNeighborSolicitUnicastNoOption), kLocalReplyMinCap - 1),
                DropReason::InternalBug);
    EXPECT_EQ(ndp_of(frame_of(v::kNeighborSolicitUnicastNoOption), kLocalReplyMinCap).action,
              LocalAction::Reply);
}

TEST(BuildNeighborSolicit, MatchesScapy) {
    uint8_t buf[128] = {};
    const auto l = inside_local();
    const uint32_t n = build_neighbor_solicit(buf, l.mac, l.v6[0],
                                              *net::parse_ipv6("2001:db8:6::10"));
    ASSERT_EQ(n, 86u);
    const Frame f(buf, buf + n);
    EXPECT_EQ(hex(f), hex(frame_of(v::kNeighborSolicitByGateway)));
    EXPECT_EQ(verify_icmp6(f), 0);
    // And our own classifier accepts what we send.
    EXPECT_EQ(classify(buf, n, PortRole::Inside, inside_local()).kind, Kind::Ndp);
}

// --- echo (RFC 4443 §4.2, RFC 792) ---------------------------------------------------

TEST(Echo6Reply, IsTheExactReplyWithAValidChecksum) {
    Buf b(frame_of(v::kEcho6Request));
    const Classified c = classify(b.data, b.len, PortRole::Inside, inside_local());
    ASSERT_EQ(c.kind, Kind::Echo6);
    const LocalResult r = echo6_reply(b.data, c.l3_len, inside_local().mac);
    ASSERT_EQ(r.action, LocalAction::Reply);
    ASSERT_EQ(r.frame_len, b.len);
    const Frame reply = b.out(r.frame_len);
    EXPECT_EQ(hex(reply), hex(frame_of(v::kEcho6ReplyExpected)));
    EXPECT_EQ(verify_icmp6(reply), 0);
}

TEST(Echo6Reply, ChecksumStaysValidForAnyIdAndPayload) {
    // The reply checksum is patched incrementally (RFC 1624); check it from scratch over
    // identifiers and payload bytes that hit the 0x0000/0xffff corner cases.
    for (unsigned id = 0; id < 0x10000; id += 0x0fff) {
        Frame f = frame_of(v::kEcho6Request);
        put16(f, 58, static_cast<uint16_t>(id));
        put16(f, 60, static_cast<uint16_t>(~id));
        fix_icmp6(f);
        Buf b(f);
        const Classified c = classify(b.data, b.len, PortRole::Inside, inside_local());
        ASSERT_EQ(c.kind, Kind::Echo6);
        const LocalResult r = echo6_reply(b.data, c.l3_len, inside_local().mac);
        EXPECT_EQ(verify_icmp6(b.out(r.frame_len)), 0) << id;
    }
}

TEST(Echo4Reply, IsTheExactReplyWithValidChecksums) {
    for (const auto& [req, want] : {std::pair{frame_of(v::kEcho4Request),
                                              frame_of(v::kEcho4ReplyExpected)},
                                    std::pair{frame_of(v::kEcho4RequestOptions),
                                              frame_of(v::kEcho4ReplyOptionsExpected)}}) {
        Buf b(req);
        const Classified c = classify(b.data, b.len, PortRole::Outside, outside_local());
        ASSERT_EQ(c.kind, Kind::Echo4);
        const LocalResult r = echo4_reply(b.data, c.l3_len, outside_local().mac);
        ASSERT_EQ(r.action, LocalAction::Reply);
        const Frame reply = b.out(r.frame_len);
        EXPECT_EQ(hex(reply), hex(want));
        EXPECT_EQ(verify_ipv4_header(reply), 0);
        EXPECT_EQ(verify_icmp4(reply), 0);
    }
}

TEST(Echo4Reply, PaddedRequestGetsAnUnpaddedReply) {
    Frame f = frame_of(v::kEcho4RequestOptions);
    const std::size_t real = f.size();
    f.resize(60, 0);
    Buf b(f);
    const Classified c = classify(b.data, b.len, PortRole::Outside, outside_local());
    ASSERT_EQ(c.kind, Kind::Echo4);
    const LocalResult r = echo4_reply(b.data, c.l3_len, outside_local().mac);
    EXPECT_EQ(r.frame_len, real);
    EXPECT_EQ(hex(b.out(r.frame_len)), hex(frame_of(v::kEcho4ReplyOptionsExpected)));
}

TEST(Echo4Reply, ChecksumStaysValidForAnyIdAndTtl) {
    for (unsigned id = 0; id < 0x10000; id += 0x0fff) {
        Frame f = frame_of(v::kEcho4Request);
        put16(f, 38, static_cast<uint16_t>(id));
        f[22] = static_cast<uint8_t>(id);  // TTL
        fix_ipv4_header(f);
        fix_icmp4(f);
        Buf b(f);
        const Classified c = classify(b.data, b.len, PortRole::Outside, outside_local());
        ASSERT_EQ(c.kind, Kind::Echo4);
        const LocalResult r = echo4_reply(b.data, c.l3_len, outside_local().mac);
        const Frame reply = b.out(r.frame_len);
        EXPECT_EQ(verify_ipv4_header(reply), 0) << id;
        EXPECT_EQ(verify_icmp4(reply), 0) << id;
    }
}

}  // namespace
}  // namespace strait::pkt
