// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the whole DNS64 engine (dns64::Engine, no DPDK) driven by a script of client
// queries, upstream answers to its own pending queries, stray datagrams, clock ticks and
// config swaps, all taken from the input. After every step it checks what must hold for
// any input: every client message is well formed, answers its query's ID and question,
// fits the client's size; upstream messages are well formed queries to a configured
// server; pending <= max_pending; the counters match what was seen; and after a final
// drain every query not dropped by intake got exactly one answer.
//
// Input (big-endian; the input may end anywhere, missing bytes read as 0):
//   [config 1]                                       preset bits, see make_config()
//   then steps, each [op 1] + fields, by op % 7:
//   0 query     [who 1][len 2][bytes]                who: bits 0-1 client, bit 2 TCP
//   1 answer    [k 1][flags 2][an 1][ns 1][ar 1][len 2][records]
//               to the k-th upstream query sent (mod their number), over the transport
//               it went by: its ID, QR, its question, the given counts, then `records`
//   2 raw       [k 1][len 2][bytes]                  to the k-th query, its ID patched in
//   3 stray     [server 1][sport 2][lport 2][len 2][bytes]
//   4 time      [ms 2]                               advance the clock, then on_tick
//   5 config    [config 1]                           apply_config with another preset
//   6 tcp fail  [k 1]                                the k-th query's TCP exchange failed
// tests/fuzz/make_corpus.py writes seeds in this format.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "dns64/engine.h"
#include "dns_check.h"

namespace strait::dns64 {
namespace {

[[noreturn]] void violated(const char* what, const char* detail = "") {
    std::fprintf(stderr, "dns64_engine_fuzz: invariant violated: %s %s\n", what, detail);
    std::abort();
}

void check(bool ok, const char* what) {
    if (!ok) violated(what);
}

/// Reads the input front to back; past the end every read is 0 / empty.
struct Input {
    const uint8_t* p;
    std::size_t n;
    [[nodiscard]] bool done() const { return n == 0; }
    uint8_t u8() {
        if (n == 0) return 0;
        --n;
        return *p++;
    }
    uint16_t u16() { return static_cast<uint16_t>(u8() << 8 | u8()); }
    std::vector<uint8_t> bytes(std::size_t len) {
        len = std::min(len, n);
        std::vector<uint8_t> v(p, p + len);
        p += len;
        n -= len;
        return v;
    }
};

constexpr uint16_t kPortMin = 50000;
constexpr uint16_t kPortMax = 50063;
constexpr uint16_t kFirstClientPort = 1024;  // query i comes from port 1024 + i
constexpr std::size_t kMaxQueries = 65535 - kFirstClientPort;

net::Ipv6Prefix p6(const char* s) { return *net::parse_ipv6_prefix(s); }

/// Config presets: the bits pick prefix length, prefix map, rate limit, ACLs, cache and
/// pending sizes, EDNS size. Swapping presets that differ in bit 6 fails pending queries.
Dns64Config make_config(uint8_t bits) {
    static const char* const kPrefixes[] = {
        "2001:db8:64::/96",  "2001:db8:100::/64", "2001:db8:100::/56", "2001:db8:100::/48",
        "2001:db8:100::/40", "2001:db8::/32",     "64:ff9b::/96",      "2001:db8:64::/96"};
    Dns64Config c;
    c.prefixes = {p6(kPrefixes[bits & 7])};
    if (bits & 0x08) {
        c.prefixes.push_back(p6("2001:db8:65::/96"));
        c.prefix_select = PrefixSelect::Map;
        c.prefix_map = {PrefixMapEntry{p6("2001:db8:6::/64"), 1}};
    }
    c.upstreams = {*net::parse_ipv4("198.51.100.53"), *net::parse_ipv4("203.0.113.53")};
    c.source_port_min = kPortMin;
    c.source_port_max = kPortMax;
    c.timeout_ms = 100;
    c.retries = 1;
    c.max_pending = (bits & 0x40) ? 2 : 3;  // small, so pending_full is reachable
    if (bits & 0x10) {
        c.rate_limit_qps = 1;
        c.rate_limit_burst = 2;
    }
    if (bits & 0x20) {
        c.clients = {p6("2001:db8:6::/64")};
        c.mapped = {*net::parse_ipv4_prefix("198.51.100.0/24")};
    }
    c.cache_entries = (bits & 0x40) ? 0 : 16;
    c.cache_max_ttl = 300;
    c.cache_negative_max_ttl = 60;
    if (bits & 0x80) {
        c.edns_udp_size = 512;
        c.exclude.push_back(p6("2001:db8:bad::/48"));
    }
    return c;
}

ClientId client_for(uint8_t who, uint16_t port) {
    static const char* const kAddrs[] = {"2001:db8:6::10", "2001:db8:6::11", "2001:db8:7::1"};
    const Transport t = (who & 4) ? Transport::Tcp : Transport::Udp;
    if ((who & 3) == 3) return ClientId::v4(*net::parse_ipv4("192.0.2.1"), port, t);
    return ClientId::v6(*net::parse_ipv6(kAddrs[who & 3]), port, t);
}

/// One client query and what came back for it.
struct QueryRec {
    std::vector<uint8_t> msg;
    ClientId client;
    bool dropped = false;  // intake dropped it (runt, QR=1, rate limit): no answer due
    unsigned answers = 0;
    wire::Edns edns;
};

/// The engine's Out: checks every message as it is emitted.
struct CheckingOut {
    const Dns64Config* cfg = nullptr;
    std::vector<QueryRec> queries;
    struct Sent {
        net::Ipv4Addr server;
        uint16_t server_port;
        uint16_t local_port;
        std::vector<uint8_t> msg;
        Transport transport;
    };
    std::vector<Sent> upstream;
    uint64_t client_msgs = 0;

    [[nodiscard]] std::size_t limit(const QueryRec& q) const {
        if (q.client.transport == Transport::Tcp) return 65535;
        if (!q.edns.present) return wire::kMaxUdpPlain;
        const std::size_t ours = std::max<std::size_t>(cfg->edns_udp_size, wire::kMaxUdpPlain);
        return std::clamp<std::size_t>(q.edns.udp_size, wire::kMaxUdpPlain, ours);
    }

    void to_client(const ClientId& c, std::span<const uint8_t> m) {
        ++client_msgs;
        const std::size_t i = c.port - std::size_t{kFirstClientPort};
        check(c.port >= kFirstClientPort && i < queries.size(),
              "answer to a client that never asked");
        QueryRec& q = queries[i];
        check(++q.answers == 1, "second answer to one query");
        check(!q.dropped, "answer to a query intake dropped");
        fuzz::DnsView v;
        if (const char* why = fuzz::check_message(m, v)) violated("client message:", why);
        check((v.flags & wire::kFlagQr) != 0, "client message without QR");
        check(q.msg.size() >= 2 && v.id == (q.msg[0] << 8 | q.msg[1]), "answer has another ID");
        check(m.size() <= limit(q), "answer larger than the client's limit");
        check(v.qdcount <= 1, "answer with several questions");
        if (v.qdcount == 1) {
            // RFC 1035 §7.3: the question comes back as asked, case included.
            const std::size_t qlen = v.qname_len;
            check(q.msg.size() >= 12 + qlen + 4 &&
                      std::memcmp(q.msg.data() + 12, v.qname, qlen) == 0 &&
                      (q.msg[12 + qlen] << 8 | q.msg[13 + qlen]) == v.qtype &&
                      (q.msg[14 + qlen] << 8 | q.msg[15 + qlen]) == v.qclass,
                  "answer's question differs from the query's");
        }
    }

    void to_upstream(net::Ipv4Addr s, uint16_t sp, uint16_t lp, std::span<const uint8_t> m) {
        sent_upstream(s, sp, lp, m, Transport::Udp);
    }
    void to_upstream_tcp(net::Ipv4Addr s, uint16_t sp, uint16_t lp, std::span<const uint8_t> m) {
        sent_upstream(s, sp, lp, m, Transport::Tcp);
    }
    void sent_upstream(net::Ipv4Addr s, uint16_t sp, uint16_t lp, std::span<const uint8_t> m,
                       Transport t) {
        fuzz::DnsView v;
        if (const char* why = fuzz::check_message(m, v)) violated("upstream message:", why);
        check((v.flags & wire::kFlagQr) == 0 && v.qdcount == 1, "upstream query header");
        check(m.size() <= wire::kMaxUdpPlain, "upstream query larger than 512 bytes");
        check(std::find(cfg->upstreams.begin(), cfg->upstreams.end(), s) != cfg->upstreams.end(),
              "upstream query to an unconfigured server");
        check(sp == cfg->upstream_port && lp >= kPortMin && lp <= kPortMax, "upstream query ports");
        upstream.push_back(Sent{s, sp, lp, std::vector<uint8_t>(m.begin(), m.end()), t});
    }
};

struct Run {
    Dns64Config cfg;
    SplitMixRng rng{7};
    Engine eng;
    CheckingOut out;
    uint64_t now = 1'000'000'000ull;

    explicit Run(uint8_t bits) : cfg(make_config(bits)), eng(cfg, rng) { out.cfg = &cfg; }

    uint64_t intake_drops() const {
        const Dns64Counters& c = eng.counters();
        return c.runt.get() + c.qr_set.get() + c.rate_limited.get();
    }

    void query(Input& in) {
        const uint8_t who = in.u8();
        QueryRec q;
        q.msg = in.bytes(in.u16());
        if (out.queries.size() >= kMaxQueries) return;  // client ports would repeat
        q.client = client_for(who, static_cast<uint16_t>(kFirstClientPort + out.queries.size()));
        wire::Query parsed;
        const wire::QueryVerdict v = wire::parse_query(q.msg, parsed);
        if (v == wire::QueryVerdict::Ok || v == wire::QueryVerdict::BadVers) q.edns = parsed.edns;
        out.queries.push_back(q);
        const uint64_t before = intake_drops();
        // An exact-size copy, so ASan sees any read past the datagram.
        const std::vector<uint8_t> msg = out.queries.back().msg;
        eng.on_client_query(msg, out.queries.back().client, now, out);
        if (intake_drops() != before) {
            check(out.queries.back().answers == 0, "intake dropped a query it answered");
            out.queries.back().dropped = true;
        }
    }

    /// Answers the k-th upstream query with a header and question of our making around
    /// fuzzer records (shaped) or with fuzzer bytes carrying its ID (raw).
    void answer(Input& in, bool shaped) {
        const uint8_t k = in.u8();
        std::vector<uint8_t> msg;
        if (shaped) {
            const uint16_t flags = in.u16() | wire::kFlagQr;
            const uint8_t an = in.u8(), ns = in.u8(), ar = in.u8();
            msg = {0,
                   0,
                   static_cast<uint8_t>(flags >> 8),
                   static_cast<uint8_t>(flags),
                   0,
                   1,
                   0,
                   an,
                   0,
                   ns,
                   0,
                   ar};
        }
        const std::vector<uint8_t> body = in.bytes(in.u16());
        if (out.upstream.empty()) return;
        const CheckingOut::Sent s = out.upstream[k % out.upstream.size()];
        if (shaped) {
            uint8_t name[255];
            std::size_t end = 0;
            check(fuzz::read_name_checked(s.msg, 12, name, &end) > 0 && end + 4 <= s.msg.size(),
                  "own query unreadable");
            msg.insert(msg.end(), s.msg.begin() + 12, s.msg.begin() + end + 4);
        }
        msg.insert(msg.end(), body.begin(), body.end());
        if (msg.size() >= 2) std::memcpy(msg.data(), s.msg.data(), 2);
        eng.on_upstream_answer(msg, s.server, s.server_port, s.local_port, now, out, s.transport);
    }

    /// The adapter reports the k-th upstream query's TCP exchange failed (for a UDP one
    /// too: the engine must ignore reports for transactions that are not current).
    void tcp_failed(Input& in) {
        const uint8_t k = in.u8();
        if (out.upstream.empty()) return;
        const CheckingOut::Sent s = out.upstream[k % out.upstream.size()];
        const auto id = static_cast<uint16_t>(s.msg[0] << 8 | s.msg[1]);
        eng.on_upstream_tcp_failed(s.server, s.server_port, s.local_port, id, now, out);
    }

    void stray(Input& in) {
        const uint8_t server = in.u8();
        const uint16_t sport = in.u16(), lport = in.u16();
        const std::vector<uint8_t> msg = in.bytes(in.u16());
        const net::Ipv4Addr from =
            server < cfg.upstreams.size() ? cfg.upstreams[server] : *net::parse_ipv4("192.0.2.99");
        eng.on_upstream_answer(msg, from, sport, lport, now, out);
    }

    void advance(uint64_t ms) {
        now += ms * 1'000'000ull;
        eng.on_tick(now, out);
    }

    void reconfigure(uint8_t bits) {
        cfg = make_config(bits);
        eng.apply_config(cfg, out);
    }

    void check_state() const {
        check(eng.pending() <= cfg.max_pending, "more pending than max_pending");
        const Dns64Counters& c = eng.counters();
        check(c.queries.get() == out.queries.size(), "queries counter");
        check(c.answers.get() == out.client_msgs, "answers counter vs messages sent");
        // The overload test reads pending from counters only (it is not exported): every
        // query that passed intake is either answered or pending.
        check(c.queries.get() == c.answers.get() + intake_drops() + eng.pending(),
              "queries != answers + intake drops + pending");
    }

    /// Every timeout fired: nothing pending, and each query answered exactly once unless
    /// intake dropped it. The accounting the overload test relies on: queries = answers +
    /// runt + qr_set + rate_limited.
    void drain() {
        for (int i = 0; i < 20; ++i) advance(cfg.timeout_ms);
        check(eng.pending() == 0, "queries still pending after every timeout");
        for (const QueryRec& q : out.queries) {
            check(q.dropped || q.answers == 1, "query left unanswered");
        }
        const Dns64Counters& c = eng.counters();
        check(c.queries.get() == c.answers.get() + intake_drops(), "queries != answers + drops");
    }
};

}  // namespace
}  // namespace strait::dns64

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using strait::dns64::Run;
    strait::dns64::Input in{data, size};
    Run run(in.u8());
    while (!in.done()) {
        switch (in.u8() % 7) {
            case 0:
                run.query(in);
                break;
            case 1:
                run.answer(in, true);
                break;
            case 2:
                run.answer(in, false);
                break;
            case 3:
                run.stray(in);
                break;
            case 4:
                run.advance(in.u16());
                break;
            case 5:
                run.reconfigure(in.u8());
                break;
            default:
                run.tcp_failed(in);
                break;
        }
        run.check_state();
    }
    run.drain();
    return 0;
}
