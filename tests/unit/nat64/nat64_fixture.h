// SPDX-License-Identifier: Apache-2.0
// Fixture of the NAT64 table and mapper tests: a Gateway (tests/common/nat64_gateway.h)
// built from the test's config, the hosts of the documentation ranges, and assertions on
// translated packets.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <ostream>

#include "tests/common/nat64_gateway.h"
#include "tests/unit/nat64/packets.h"

namespace strait {
/// gtest prints drop reasons by their metric label.
inline void PrintTo(DropReason r, std::ostream* os) { *os << drop_label(r); }
}  // namespace strait

namespace strait::nat64::test {

// IPv6-only subscribers, IPv4 servers and their pool6 names, the pool4 address.
inline const net::Ipv6Addr kA = v6("2001:db8:6::10");
inline const net::Ipv6Addr kB = v6("2001:db8:6::11");
inline const net::Ipv4Addr kServer = v4("198.51.100.2");
inline const net::Ipv4Addr kServer2 = v4("203.0.113.9");
inline const net::Ipv6Addr kServer6 = in_pool6("198.51.100.2");
inline const net::Ipv6Addr kServer2_6 = in_pool6("203.0.113.9");
inline const net::Ipv4Addr kPool = v4("192.0.2.1");
inline constexpr const char* kPoolStr = "192.0.2.1";

inline std::string str(const net::Ipv6Addr& a) { return net::to_string(a); }
inline std::string str(net::Ipv4Addr a) { return net::to_string(a); }

/// `want` with the IPv4 Identification of `got` (RFC 7915 §5.1: the translator's counter,
/// not NAT64's business) and its header checksum redone.
inline Bytes with_id_of(const Bytes& got, Bytes want) {
    if (got.size() < 20 || want.size() < 20) return want;
    want[4] = got[4];
    want[5] = got[5];
    want[10] = want[11] = 0;
    const uint16_t c = testing::inet_checksum({testing::ByteSpan(want.data(), 20)});
    want[10] = static_cast<uint8_t>(c >> 8);
    want[11] = static_cast<uint8_t>(c);
    return want;
}

/// An IPv4 packet as the translator writes one from IPv6 at most 1260 bytes long: DF clear
/// (RFC 7915 §5.1), TTL = hop limit - 1.
inline Bytes expect_v4(net::Ipv4Addr s, net::Ipv4Addr d, uint8_t proto, const Bytes& l4,
                       uint8_t ttl = 63) {
    xlat::test::V4Opts o;
    o.ttl = ttl;
    o.proto = proto;
    o.df = false;
    o.id = 0;
    return xlat::test::ipv4(s, d, l4, o);
}

class Nat64Test : public ::testing::Test {
  protected:
    /// pool4 192.0.2.1 for TCP, UDP and ICMP, ports 1024-65535; RFC 6146 timeouts.
    Nat64Test() {
        cfg.pool4 = {pool4_entry("192.0.2.1/32", config::L4Proto::Tcp, 1024, 65535),
                     pool4_entry("192.0.2.1/32", config::L4Proto::Udp, 1024, 65535),
                     pool4_entry("192.0.2.1/32", config::L4Proto::Icmp, 1024, 65535)};
    }
    void start(unsigned workers = 1, uint32_t capacity = 4096, uint64_t seed = 1) {
        gw.reset();  // table names are unique: the old gateway goes first
        gw = std::make_unique<Gateway>(cfg, workers, capacity, seed);
        gw->set_now_ms(kStartMs);
    }
    /// Translates and expects Forward of a well-formed packet.
    Bytes fwd6(unsigned w, const Bytes& in) { return expect_forward(gw->v6_to_v4(w, in)); }
    Bytes fwd4(unsigned w, const Bytes& in) { return expect_forward(gw->v4_to_v6(w, in)); }
    Bytes expect_forward(const Translated& t) {
        EXPECT_EQ(t.verdict, xlat::Verdict::Forward) << "reason " << drop_label(t.reason);
        EXPECT_EQ(check(t.out), "");
        return t.out;
    }
    DropReason drop6(unsigned w, const Bytes& in) { return expect_drop(gw->v6_to_v4(w, in)); }
    DropReason drop4(unsigned w, const Bytes& in) { return expect_drop(gw->v4_to_v6(w, in)); }
    static DropReason expect_drop(const Translated& t) {
        EXPECT_EQ(t.verdict, xlat::Verdict::Drop);
        return t.reason;
    }
    /// The pool4 port of `src`'s UDP port `sport`, learnt from a packet to `dst`.
    uint16_t map_udp(unsigned w, const net::Ipv6Addr& src, uint16_t sport,
                     const net::Ipv6Addr& dst = kServer6, uint16_t dport = 7000) {
        return fields(fwd6(w, udp_v6(src, sport, dst, dport))).sport;
    }
    /// Moves the clock `ms` forward (wrapping).
    void advance(uint32_t ms) { gw->set_now_ms(gw->now_ms() + ms); }

    /// Starts 10 s below the 32-bit millisecond wrap so every expiry test crosses it.
    static constexpr uint32_t kStartMs = 0xffffffffu - 10000;
    config::Nat64Config cfg = base_config();
    std::unique_ptr<Gateway> gw;
};

}  // namespace strait::nat64::test
