// SPDX-License-Identifier: Apache-2.0
// The DNS64 engine façade (RFC 6147): DNS message bytes in, DNS message bytes out with
// their destinations. Knows nothing of DPDK, mbufs or sockets; the lcore adapter frames.
#pragma once

#include <atomic>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "dns64/cache/cache.h"
#include "dns64/config.h"
#include "dns64/counters.h"
#include "dns64/policy/client.h"
#include "dns64/policy/policy.h"
#include "dns64/policy/rate_limiter.h"
#include "dns64/upstream/pending.h"
#include "dns64/upstream/rng.h"

namespace strait::dns64 {

/// Where the engine's messages go. The spans are valid only during the call; copy them
/// into an mbuf there. `to_upstream` sends UDP from (gateway IPv4, local_port) to
/// (server, server_port). Called synchronously from inside the Engine::on_* methods.
template <class O>
concept Dns64Out = requires(O& o, const ClientId& c, std::span<const uint8_t> m,
                            net::Ipv4Addr a, uint16_t p) {
    o.to_client(c, m);
    o.to_upstream(a, p, p, m);
};

/// An Out that also runs DNS over TCP to upstreams (RFC 7766): `to_upstream_tcp` opens a
/// connection from (gateway IPv4, local_port) to (server, server_port), sends `m` behind
/// its two-byte length, and later hands the answer to Engine::on_upstream_answer with
/// Transport::Tcp, or reports Engine::on_upstream_tcp_failed. It must not call back into
/// the engine from inside to_upstream_tcp (the engine is draining its outbox then).
/// With an Out that lacks it (benchmarks), a TCP retry is never sent and times out.
template <class O>
concept Dns64TcpOut = Dns64Out<O> &&
    requires(O& o, std::span<const uint8_t> m, net::Ipv4Addr a, uint16_t p) {
    o.to_upstream_tcp(a, p, p, m);
};

/// Messages produced by one engine call, drained into the caller's Out afterwards.
/// Reuses its buffers: no allocation once warmed up. Thread: DNS64 lcore only.
class Outbox {
public:
    struct Item {
        bool upstream = false;
        bool tcp = false;  ///< upstream over TCP
        ClientId client;
        net::Ipv4Addr server;
        uint16_t server_port = 0;
        uint16_t local_port = 0;
        uint32_t off = 0;
        uint32_t len = 0;
    };
    Outbox();
    /// Room for `n` more bytes at the end of the arena (grows, rarely, on the miss path).
    uint8_t* reserve(std::size_t n);
    void commit_client(const ClientId& c, std::size_t len);
    void commit_upstream(net::Ipv4Addr server, uint16_t server_port, uint16_t local_port,
                         std::size_t len, bool tcp = false);
    template <Dns64Out O>
    void drain(O& out) {
        for (const Item& it : items_) {
            const std::span<const uint8_t> m(arena_.get() + it.off, it.len);
            if (it.upstream && it.tcp) {
                if constexpr (Dns64TcpOut<O>) {
                    out.to_upstream_tcp(it.server, it.server_port, it.local_port, m);
                }
            } else if (it.upstream) {
                out.to_upstream(it.server, it.server_port, it.local_port, m);
            } else {
                out.to_client(it.client, m);
            }
        }
        items_.clear();
        used_ = 0;
    }

private:
    std::vector<Item> items_;
    std::unique_ptr<uint8_t[]> arena_;
    std::size_t cap_ = 0;
    std::size_t used_ = 0;
};

/// RFC 6147 DNS64 over UDP/TCP message bytes: intake validation, per-client rate limit,
/// cache (hit path: no ldns, no allocation), upstream client with strict matching
/// (RFC 5452), AAAA-then-A synthesis, PTR reverse mapping, ipv4only.arpa.
///
/// Thread: every member function runs on the DNS64 lcore only, except counters(),
/// cache_stats() and request_flush(), which any thread may call at any time.
/// `now_ns` is any monotonic clock in ns (tests pass a fake); it must not go backwards.
class Engine {
public:
    /// `rng` must outlive the engine (SystemRng in production, SplitMixRng in tests).
    /// `cfg` must be valid (control/model/dns64_config.cc validates).
    Engine(const Dns64Config& cfg, Rng& rng);

    /// A query from a client (UDP payload, or one TCP message without the length prefix).
    /// Answers go to `out.to_client(client, ...)`, now or in a later call.
    template <Dns64Out O>
    void on_client_query(std::span<const uint8_t> msg, const ClientId& client, uint64_t now_ns,
                         O& out) {
        handle_query(msg, client, now_ns);
        outbox_.drain(out);
    }

    /// A UDP datagram (or, with Transport::Tcp, one message of a TCP exchange the engine
    /// asked for, without its length) from `from:from_port` to the gateway's IPv4 at
    /// `local_port` (any port for which is_source_port() holds). Unmatched messages (wrong
    /// server, port, ID, question or transport) are dropped and counted. A UDP answer with
    /// TC=1 is retried over TCP with the same server (RFC 7766 §5, RFC 6147 §5.1.1).
    template <Dns64Out O>
    void on_upstream_answer(std::span<const uint8_t> msg, net::Ipv4Addr from, uint16_t from_port,
                            uint16_t local_port, uint64_t now_ns, O& out,
                            Transport transport = Transport::Udp) {
        handle_answer(msg, from, from_port, local_port, transport, now_ns);
        outbox_.drain(out);
    }

    /// The adapter could not complete the TCP exchange it was asked for (refused, reset,
    /// no connection slot, retransmissions exhausted) for the query with ID `id`. Treated
    /// like a timeout of that attempt: failover to the next upstream, or SERVFAIL. Reports
    /// for transactions no longer current are ignored.
    template <Dns64Out O>
    void on_upstream_tcp_failed(net::Ipv4Addr server, uint16_t server_port, uint16_t local_port,
                                uint16_t id, uint64_t now_ns, O& out) {
        handle_tcp_failed(server, server_port, local_port, id, now_ns);
        outbox_.drain(out);
    }

    /// Timeouts, retries and failover. Call every few milliseconds (cost: O(expired)).
    template <Dns64Out O>
    void on_tick(uint64_t now_ns, O& out) {
        handle_tick(now_ns);
        outbox_.drain(out);
    }

    /// Swaps in a new config (the adapter calls this when the published snapshot's
    /// generation changes). Flushes the cache when anything that shapes answers changed
    /// (prefixes, selection, exclude, clients, mapped, WKP rule); resizing the cache or the
    /// pending table, or changing the source ports, answers in-flight queries SERVFAIL.
    template <Dns64Out O>
    void apply_config(const Dns64Config& cfg, O& out) {
        reconfigure(cfg);
        outbox_.drain(out);
    }

    /// True when `port` is in the configured source-port range: the adapter hands every
    /// UDP datagram to the gateway's IPv4 address on such a port to on_upstream_answer.
    [[nodiscard]] bool is_source_port(uint16_t port) const {
        return port >= cfg_.source_port_min && port <= cfg_.source_port_max;
    }
    /// True while a pending transaction uses `port` (finer filter than is_source_port).
    [[nodiscard]] bool port_in_use(uint16_t port) const { return pending_.port_in_use(port); }
    [[nodiscard]] std::size_t pending() const { return pending_.in_use(); }
    /// pending() as of the last on_tick (at most a few ms old). Thread: any.
    [[nodiscard]] uint64_t pending_published() const {
        return pending_published_.load(std::memory_order_relaxed);
    }
    [[nodiscard]] const Dns64Config& config() const { return cfg_; }

    /// Counters; thread: any (relaxed reads).
    [[nodiscard]] Dns64Counters& counters() { return counters_; }
    [[nodiscard]] const Dns64Counters& counters() const { return counters_; }
    /// Cache statistics; thread: any.
    [[nodiscard]] CacheStats cache_stats() const { return cache_.stats(); }
    /// Empties the cache; thread: any (takes effect at the lcore's next lookup).
    void request_flush() { cache_.request_flush(); }

private:
    void handle_query(std::span<const uint8_t> m, const ClientId& c, uint64_t now_ns);
    void handle_answer(std::span<const uint8_t> m, net::Ipv4Addr from, uint16_t from_port,
                       uint16_t local_port, Transport transport, uint64_t now_ns);
    void handle_tcp_failed(net::Ipv4Addr server, uint16_t server_port, uint16_t local_port,
                           uint16_t id, uint64_t now_ns);
    void handle_tick(uint64_t now_ns);
    void reconfigure(const Dns64Config& cfg);

    bool answer_from_cache(std::span<const uint8_t> m, const ClientId& c, uint64_t now_ns);
    void answer_local(std::span<const uint8_t> m, const ClientId& c, uint8_t prefix);
    void reply_error(std::span<const uint8_t> m, const ClientId& c, uint16_t rcode);
    void start_upstream(std::span<const uint8_t> m, const ClientId& c, Phase phase,
                        uint8_t prefix, uint8_t key_flags, const uint8_t* uname,
                        std::size_t uname_len, uint64_t now_ns);
    void send_upstream(int idx, uint64_t now_ns, bool count_try = true);
    void attempt_failed(int idx, uint64_t now_ns);
    void on_phase_answer(int idx, std::span<const uint8_t> m, uint64_t now_ns);
    void on_aaaa_answer(int idx, std::span<const uint8_t> m, uint64_t now_ns);
    void phase_failed(int idx);
    void deliver(int idx, std::size_t len, bool cacheable);
    void deliver_servfail(int idx);
    [[nodiscard]] ClientQuestion client_question(const Pending& p) const;
    [[nodiscard]] std::size_t udp_limit(const ClientId& c, const wire::Edns& e) const;
    [[nodiscard]] bool question_matches(std::span<const uint8_t> m, const Pending& p) const;

    static constexpr std::size_t kMaxMessage = 65535;

    Dns64Counters counters_;
    Dns64Config cfg_;
    Rng& rng_;
    Policy policy_;
    RateLimiter limiter_;
    Cache cache_;
    PendingTable pending_;
    Outbox outbox_;
    wire::Query query_;  // scratch for the query being handled
    CacheKey key_;       // scratch
    uint64_t now_ns_ = 0;  // time of the call being handled
    std::atomic<uint64_t> pending_published_{0};  // for the control plane (pending_published)
};

}  // namespace strait::dns64
