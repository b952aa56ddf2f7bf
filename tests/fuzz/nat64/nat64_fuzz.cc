// SPDX-License-Identifier: Apache-2.0
// Fuzz target for the NAT64 path: a script of IPv6 and IPv4 packets, clock steps and sweeps
// against a populated two-worker gateway (tests/common/nat64_gateway.h: real rte_hash
// tables, QSBR, the RFC 7915 translator and the worker's burst stage).
//
// Input: records, each starting with an op byte.
//   0x00-0x7f  a packet: bit 6 set = IPv4 -> IPv6, else IPv6 -> IPv4; bit 0 the worker;
//              bit 5 set = translated alone, else with the burst stage (consecutive packets
//              of one direction and worker form a burst of up to 32). A 16-bit big-endian
//              length follows, then that many bytes (cut at the end of the input).
//   0x80-0xbf  the clock moves (op & 0x3f) seconds forward.
//   0xc0-0xff  every worker sweeps a step of (op & 0x3f) + 1 entries; then all quiesce.
//
// Invariants (abort on failure, so the driver keeps the input): every Forward is one
// well-formed packet of the other family (the same for a hairpin) whose checksums verify
// with the tests' own RFC 1071 routine; an IPv4 packet NAT64 sends leaves from pool4 and an
// IPv6 one from pool6; an ICMP error the translator answers with is well formed; sessions
// and BIB entries stay within capacity and pool4 in-use counts within the slices; after
// the input, everything but the static BIB entries expires and the tables and counts come
// back to that (no entry or port leaked).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "dataplane/xlat/v6_to_v4.h"
#include "tests/common/nat64_gateway.h"
#include "tests/common/packet_check.h"

namespace {

using strait::config::L4Proto;
using strait::nat64::Nat64Mapper;
using strait::nat64::test::Bytes;
using strait::nat64::test::Gateway;
using strait::nat64::test::Translated;
using strait::xlat::Verdict;

constexpr unsigned kWorkers = 2;
constexpr uint32_t kCapacity = 64;  // small, so inputs can fill a table
constexpr uint8_t kPool4[4] = {192, 0, 2, 1};
constexpr uint8_t kPool6[12] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x64, 0, 0, 0, 0, 0, 0};

[[noreturn]] void fail(const char* what, const Translated& t) {
    std::fprintf(stderr, "nat64_fuzz: %s (verdict %d, %zu bytes)\n", what,
                 static_cast<int>(t.verdict), t.out.size());
    std::abort();
}

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "nat64_fuzz: %s\n", what);
    std::abort();
}

/// pool4 is 192.0.2.1 only: for TCP, UDP and ICMP the dynamic ports 2000-2003 (one even
/// and one odd port in each worker's slice, so seeds can predict every pick) and 8080 for
/// the static entries. Short timeouts so clock steps reach them.
strait::config::Nat64Config fuzz_config() {
    using strait::nat64::test::pool4_entry;
    strait::config::Nat64Config c = strait::nat64::test::base_config();
    for (L4Proto p : {L4Proto::Tcp, L4Proto::Udp, L4Proto::Icmp}) {
        c.pool4.push_back(pool4_entry("192.0.2.1/32", p, 2000, 2003));
        c.pool4.push_back(pool4_entry("192.0.2.1/32", p, 8080, 8080));
    }
    const auto web = *strait::net::parse_ipv6("2001:db8:6::80");
    const auto pool = *strait::net::parse_ipv4("192.0.2.1");
    c.bib = {{L4Proto::Tcp, web, 80, pool, 8080},
             {L4Proto::Udp, *strait::net::parse_ipv6("2001:db8:6::53"), 53, pool, 8080},
             {L4Proto::Icmp, web, 80, pool, 8080}};
    c.timeouts = {30, 120, 20, 10, 6};    // udp, tcp_established, tcp_transitory, icmp, syn
    c.max_sessions_per_subscriber = 100;  // counted per /128, beyond what a table holds
    c.subscriber_prefix_len = 128;
    return c;
}

/// Sessions every input starts with, made through the mappers: subscriber 2001:db8:6::a to
/// 198.51.100.2 over UDP 40000 -> 7000 (worker 0: pool4 port 2000), TCP 40001 -> 80
/// (worker 1: 2003) and ICMP echo 0x1234 (worker 0: 2000).
void populate(Gateway& gw) {
    using namespace strait;
    xlat::Flow6 f;
    f.src = *net::parse_ipv6("2001:db8:6::a");
    f.dst = *net::parse_ipv6("2001:db8:64::c633:6402");
    f.has_ports = true;
    const struct {
        unsigned w;
        uint8_t proto;
        uint16_t sport, dport;
        uint8_t flags;
    } flows[] = {{0, 17, 40000, 7000, 0}, {1, 6, 40001, 80, 0x02}, {0, 58, 0x1234, 0x1234, 0}};
    for (const auto& x : flows) {
        f.proto = x.proto;
        f.src_port = x.sport;
        f.dst_port = x.dport;
        f.tcp_flags = x.flags;
        xlat::Flow4 o;
        xlat::detail::prefill_v6_to_v4(f, o);
        if (gw.mapper(x.w).map_v6_to_v4(f, o, xlat::MapScope::Outer).status !=
            xlat::MapStatus::Ok) {
            fail("cannot populate the tables");
        }
    }
}

/// Whether the input is well formed, transport and checksums included: only then must the
/// output's transport be (a translator carries a bad one over; RFC 1624 patches checksums).
bool input_ok(const Bytes& in, bool from_v6) {
    using strait::testing::check_ipv4;
    using strait::testing::check_ipv6;
    return (from_v6 ? check_ipv6(in.data(), in.size()) : check_ipv4(in.data(), in.size())).empty();
}

void check(const Translated& t, bool from_v6, bool in_ok) {
    using strait::testing::check_ipv4;
    using strait::testing::check_ipv6;
    if (t.verdict == Verdict::Drop) return;
    // The worker drops a hairpin's second-pass ICMP error (lcore/xlat_stage.cc).
    if (t.hairpinned && t.verdict == Verdict::ReplyIcmpError) return;
    if (t.out.empty()) fail("empty output", t);
    const uint8_t* p = t.out.data();
    const std::size_t n = t.out.size();
    // What leaves on the other port: IPv4 from IPv6 (unless hairpinned), IPv6 from IPv4.
    // An ICMP error the translator answers with goes back in the arrival family.
    const bool out_v4 = t.verdict == Verdict::ReplyIcmpError ? !from_v6 : from_v6 && !t.hairpinned;
    if (out_v4) {
        if (const std::string e = check_ipv4(p, n, in_ok); !e.empty()) fail(e.c_str(), t);
        if (t.verdict == Verdict::Forward && std::memcmp(p + 12, kPool4, 4) != 0) {
            fail("IPv4 packet not from pool4", t);
        }
    } else {
        if (const std::string e = check_ipv6(p, n, in_ok); !e.empty()) fail(e.c_str(), t);
        if (t.verdict != Verdict::ReplyIcmpError && std::memcmp(p + 8, kPool6, 12) != 0) {
            fail("IPv6 packet not from pool6", t);
        }
    }
    if (t.verdict == Verdict::Hairpin) fail("hairpin verdict left over", t);
}

void check_tables(Gateway& gw) {
    for (unsigned w = 0; w < kWorkers; ++w) {
        const auto& t = gw.table(w);
        if (t.sessions() > kCapacity || t.bib_entries() > kCapacity) fail("table over capacity");
        const auto& pool4 = gw.shared().pool4;
        for (unsigned pi = 0; pi < strait::nat64::kProtos; ++pi) {
            for (uint32_t a = 0; a < pool4.addresses(pi); ++a) {
                if (t.used_ports(pi, a) > pool4.slice_size(pi, a, w)) fail("slice overused");
            }
        }
    }
}

/// Translates the pending burst of one direction and worker.
struct Pending {
    std::vector<Bytes> pkts;
    bool from_v6 = true;
    unsigned w = 0;
    void flush(Gateway& gw) {
        if (pkts.empty()) return;
        const auto out = from_v6 ? gw.burst_v6_to_v4(w, pkts) : gw.burst_v4_to_v6(w, pkts);
        for (std::size_t i = 0; i < out.size(); ++i)
            check(out[i], from_v6, input_ok(pkts[i], from_v6));
        pkts.clear();
        check_tables(gw);
    }
};

/// Everything expires: the tables hold the static entries again, nothing else.
void check_drained(Gateway& gw, std::size_t statics) {
    gw.set_now_ms(gw.now_ms() + 7u * 24 * 3600 * 1000);
    gw.sweep_all(16);
    std::size_t bibs = 0;
    for (unsigned w = 0; w < kWorkers; ++w) {
        if (gw.table(w).sessions() != 0) fail("sessions left after everything expired");
        if (gw.table(w).subscribers() != 0) fail("subscriber entries left after expiry");
        bibs += gw.table(w).bib_entries();
    }
    if (bibs != statics) fail("BIB entries left after everything expired");
    // Each static entry holds one port of a one-port range; nothing else is in use.
    const auto& pool4 = gw.shared().pool4;
    for (unsigned pi = 0; pi < strait::nat64::kProtos; ++pi) {
        for (uint32_t a = 0; a < pool4.addresses(pi); ++a) {
            uint32_t used = 0;
            for (unsigned w = 0; w < kWorkers; ++w) used += gw.table(w).used_ports(pi, a);
            if (used != (pool4.slice_size(pi, a, 0) == 1 ? 1u : 0u)) fail("pool4 port leaked");
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    strait::nat64::test::init_eal_once("nat64_fuzz");
    static const strait::config::Nat64Config cfg = fuzz_config();
    auto gw = std::make_unique<Gateway>(cfg, kWorkers, kCapacity, 1);
    gw->set_now_ms(1000);
    populate(*gw);
    Pending burst;
    std::size_t i = 0;
    while (i < size) {
        const uint8_t op = data[i++];
        if (op < 0x80) {
            if (i + 2 > size) break;
            std::size_t len = std::size_t{data[i]} << 8 | data[i + 1];
            i += 2;
            if (len > size - i) len = size - i;
            Bytes pkt(data + i, data + i + len);
            i += len;
            const bool from_v6 = (op & 0x40) == 0;
            const unsigned w = op & 1u;
            if (op & 0x20) {  // alone, between bursts
                burst.flush(*gw);
                check(from_v6 ? gw->v6_to_v4(w, pkt) : gw->v4_to_v6(w, pkt), from_v6,
                      input_ok(pkt, from_v6));
                check_tables(*gw);
                continue;
            }
            if (burst.from_v6 != from_v6 || burst.w != w ||
                burst.pkts.size() == Nat64Mapper::kBurst) {
                burst.flush(*gw);
            }
            burst.from_v6 = from_v6;
            burst.w = w;
            burst.pkts.push_back(std::move(pkt));
            continue;
        }
        burst.flush(*gw);
        if (op < 0xc0) {
            gw->set_now_ms(gw->now_ms() + (op & 0x3fu) * 1000);
        } else {
            for (unsigned w = 0; w < kWorkers; ++w) gw->sweep(w, (op & 0x3fu) + 1);
            gw->quiesce();
            check_tables(*gw);
        }
    }
    burst.flush(*gw);
    check_drained(*gw, cfg.bib.size());
    return 0;
}
