// SPDX-License-Identifier: Apache-2.0
// RFC 4884 extensions through the translator (RFC 7915 §4.2/§5.2): the split by length
// attribute, and what happens when the message cannot carry the extension. Byte-exact
// cases built by scapy are in tests/golden/xlat/vectors.txt (rfc4884_*).
#include "icmp_ext.h"

#include <gtest/gtest.h>

#include "packet_builder.h"
#include "v4_to_v6.h"
#include "v6_to_v4.h"

namespace strait::xlat::test {
namespace {

using net::load_be32;

TEST(IcmpExt, SplitByLengthAttribute) {
    // {len_attr, unit, payload} -> {orig, ext, invalid}
    EXPECT_EQ(split_icmp_ext(0, 4, 300).orig_len, 300u);  // none: all of it is the quote
    const IcmpExt v4 = split_icmp_ext(32, 4, 140);        // 128 + 12
    EXPECT_EQ(v4.orig_len, 128u);
    EXPECT_EQ(v4.ext_len, 12u);
    EXPECT_FALSE(v4.invalid);
    const IcmpExt v6 = split_icmp_ext(17, 8, 200);  // 136 + 64
    EXPECT_EQ(v6.orig_len, 136u);
    EXPECT_EQ(v6.ext_len, 64u);
    const IcmpExt short_field = split_icmp_ext(31, 4, 300);  // 124 < 128
    EXPECT_TRUE(short_field.invalid);
    EXPECT_EQ(short_field.orig_len, 300u);
    EXPECT_EQ(short_field.ext_len, 0u);
    EXPECT_TRUE(split_icmp_ext(32, 4, 128).invalid);  // no room for the extension header
    EXPECT_TRUE(split_icmp_ext(32, 4, 131).invalid);
    EXPECT_FALSE(split_icmp_ext(32, 4, 132).invalid);
    EXPECT_TRUE(split_icmp_ext(255, 8, 1232).invalid);  // past the end
}

const net::Ipv4Addr kR = v4("203.0.113.9");
const net::Ipv4Addr kC = v4("192.0.2.33");
const net::Ipv4Addr kH = v4("198.51.100.7");
const net::Ipv6Addr kR6 = v6("2001:db8:64::203.0.113.9");
const net::Ipv6Addr kC6 = v6("2001:db8:64::192.0.2.33");
const net::Ipv6Addr kH6 = v6("2001:db8:64::198.51.100.7");

// An RFC 4884 extension structure of `n` bytes (opaque to the translator).
Bytes ext_bytes(std::size_t n) {
    Bytes e = payload(n, 0x40);
    e[0] = 0x20;  // version 2
    return e;
}

Bytes padded(Bytes b, std::size_t n) {
    if (b.size() < n) b.resize(n, 0);
    return b;
}

struct IcmpExtXlat : ::testing::Test {
    XlatConfig cfg;
    XlatContext ctx;
    TestMapper mapper;
    Bytes icmp4_error(uint8_t type, uint8_t code, uint32_t rest, const Bytes& body) {
        V4Opts o;
        o.proto = 1;
        return ipv4(kR, kC, icmp4(type, code, rest, body), o);
    }
};

TEST_F(IcmpExtXlat, KeptAndCountedV4ToV6) {
    const Bytes quoted = ipv4(kC, kH, udp4(kC, kH, 4000, 53, payload(20)));
    const Bytes ext = ext_bytes(20);
    Buf b(icmp4_error(3, 3, 32u << 16, cat(padded(quoted, 128), ext)));  // length 32 words
    ASSERT_EQ(translate_v4_to_v6(b.pkt, cfg, ctx, mapper).verdict, Verdict::Forward);
    const Bytes p = b.bytes();
    EXPECT_EQ(verify_ipv6(p), "");
    EXPECT_EQ(p[40], 1);   // destination unreachable
    EXPECT_EQ(p[44], 16);  // 128 bytes in 64-bit words
    ASSERT_EQ(p.size(), 48u + 128u + 20u);
    EXPECT_EQ(Bytes(p.end() - 20, p.end()), ext);
    EXPECT_EQ(Bytes(p.begin() + 48 + 68, p.end() - 20), Bytes(60, 0));  // padding
    EXPECT_EQ(ctx.counters.get(XlatCounter::IcmpExtKept), 1u);
}

// ICMPv6 Packet Too Big and Parameter Problem have no length attribute (RFC 4884 §4.5):
// the extension of a Fragmentation Needed or Parameter Problem is removed, the quote kept
// without its padding.
TEST_F(IcmpExtXlat, RemovedWhereTheIpv6MessageHasNoLengthField) {
    const Bytes quoted = ipv4(kC, kH, udp4(kC, kH, 4000, 53, payload(20)));
    Buf b(icmp4_error(3, 4, 32u << 16 | 1400, cat(padded(quoted, 128), ext_bytes(20))));
    ASSERT_EQ(translate_v4_to_v6(b.pkt, cfg, ctx, mapper).verdict, Verdict::Forward);
    Bytes p = b.bytes();
    EXPECT_EQ(p[40], 2);  // packet too big
    EXPECT_EQ(load_be32(&p[44]), 1420u);
    EXPECT_EQ(p.size(), 48u + 40u + 28u);
    EXPECT_EQ(verify_ipv6(Bytes(p.begin() + 48, p.end())), "");  // the quote, whole
    EXPECT_EQ(verify_ipv6(p), "");

    Buf pp(icmp4_error(12, 0, 8u << 24 | 32u << 16, cat(padded(quoted, 128), ext_bytes(20))));
    ASSERT_EQ(translate_v4_to_v6(pp.pkt, cfg, ctx, mapper).verdict, Verdict::Forward);
    p = pp.bytes();
    EXPECT_EQ(p[40], 4);  // parameter problem, pointer 7 (TTL -> hop limit)
    EXPECT_EQ(load_be32(&p[44]), 7u);
    EXPECT_EQ(p.size(), 48u + 40u + 28u);
    EXPECT_EQ(ctx.counters.get(XlatCounter::IcmpExtRemoved), 2u);
}

TEST_F(IcmpExtXlat, InconsistentLengthReadAsNone) {
    const Bytes quoted = ipv4(kC, kH, udp4(kC, kH, 4000, 53, payload(20)));
    const Bytes body = cat(padded(quoted, 124), ext_bytes(20));
    Buf b(icmp4_error(11, 0, 31u << 16, body));  // 124 bytes: under the 128 floor
    ASSERT_EQ(translate_v4_to_v6(b.pkt, cfg, ctx, mapper).verdict, Verdict::Forward);
    const Bytes p = b.bytes();
    EXPECT_EQ(p[44], 0);
    EXPECT_EQ(p.size(), 48u + body.size() + 20u);  // everything quoted, header grown by 20
    EXPECT_EQ(verify_ipv6(p), "");
    EXPECT_EQ(ctx.counters.get(XlatCounter::IcmpExtInvalid), 1u);
    EXPECT_EQ(ctx.counters.get(XlatCounter::IcmpExtKept), 0u);
}

// RFC 4884 §5 / RFC 7915 §4.2: over 1280 bytes the quote is cut first (keeping 64-bit
// alignment), the extension stays.
TEST_F(IcmpExtXlat, QuoteCutBeforeTheExtensionV4ToV6) {
    const Bytes quoted = ipv4(kC, kH, udp4(kC, kH, 4000, 53, payload(972)));  // 1000 bytes
    const Bytes ext = ext_bytes(300);
    Buf b(icmp4_error(11, 0, 250u << 16, cat(quoted, ext)));
    ASSERT_EQ(translate_v4_to_v6(b.pkt, cfg, ctx, mapper).verdict, Verdict::Forward);
    const Bytes p = b.bytes();
    EXPECT_EQ(p[44], (1280 - 48 - 300) / 8);  // 116 words: 928 bytes of quote
    ASSERT_EQ(p.size(), 48u + 928u + 300u);
    EXPECT_EQ(Bytes(p.end() - 300, p.end()), ext);
    EXPECT_EQ(verify_ipv6(p), "");
}

// Not enough buffer behind the packet to move the extension: it is removed, never written
// past the buffer.
TEST_F(IcmpExtXlat, RemovedWhenTheBufferHasNoRoom) {
    const Bytes quoted = ipv4(kC, kH, udp4(kC, kH, 4000, 53, payload(100)));  // 128 bytes
    const Bytes in = icmp4_error(11, 0, 32u << 16, cat(quoted, ext_bytes(20)));
    Buf b(in);
    b.pkt.tailroom = 0;  // the quote grows by 20 bytes (rounded to 24): no room
    ASSERT_EQ(translate_v4_to_v6(b.pkt, cfg, ctx, mapper).verdict, Verdict::Forward);
    const Bytes p = b.bytes();
    EXPECT_EQ(p[44], 0);
    EXPECT_EQ(p.size(), 48u + 148u);
    EXPECT_EQ(verify_ipv6(p), "");
    EXPECT_EQ(ctx.counters.get(XlatCounter::IcmpExtRemoved), 1u);
}

TEST_F(IcmpExtXlat, KeptV6ToV4WithQuoteOfExtensionHeaders) {
    // The quoted IPv6 packet has a Hop-by-Hop header: the IPv4 quote is 28 bytes shorter.
    const Bytes udp = udp6(kC6, kH6, 4000, 53, payload(40));
    const Bytes quoted = ipv6(kC6, kH6, 0, cat(Bytes{17, 0, 1, 4, 0, 0, 0, 0}, udp), 1);
    const Bytes ext = ext_bytes(16);
    Buf b(ipv6(kR6, kC6, 58, icmp6(kR6, kC6, 3, 0, 17u << 24, cat(padded(quoted, 136), ext))));
    ASSERT_EQ(translate_v6_to_v4(b.pkt, cfg, ctx, mapper).verdict, Verdict::Forward);
    const Bytes p = b.bytes();
    EXPECT_EQ(verify_ipv4(p), "");
    EXPECT_EQ(p[20], 11);
    EXPECT_EQ(p[25], 32);  // 20 + 48 bytes of quote, padded to 128: 32 words
    ASSERT_EQ(p.size(), 28u + 128u + 16u);
    EXPECT_EQ(Bytes(p.end() - 16, p.end()), ext);
    EXPECT_EQ(verify_ipv4(Bytes(p.begin() + 28, p.begin() + 28 + 68)), "");
    EXPECT_EQ(ctx.counters.get(XlatCounter::IcmpExtKept), 1u);
}

}  // namespace
}  // namespace strait::xlat::test
