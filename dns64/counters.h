// SPDX-License-Identifier: Apache-2.0
// The DNS64 engine's counter table: one X-macro generating the struct, metric labels and
// help texts (strait_dns64_<name>_total).
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

// X(name, "help text")
#define STRAIT_DNS64_COUNTERS(X)                                                                 \
    X(queries, "client queries received")                                                        \
    X(answers, "answers sent to clients")                                                        \
    X(cache_hits, "queries answered from the cache")                                             \
    X(cache_misses, "queries that needed upstream")                                              \
    X(synthesized, "answers carrying synthesized AAAA records (RFC 6147 5.1.7)")                 \
    X(ptr_synthesized, "reverse answers with a synthesized CNAME (RFC 6147 5.3.1)")              \
    X(local_answers, "ipv4only.arpa queries answered locally (RFC 8880)")                        \
    X(passthrough, "answers forwarded without synthesis")                                        \
    X(truncated, "answers cut to TC=1 for the client's UDP size")                                \
    X(upstream_queries, "queries sent upstream, retries included")                               \
    X(upstream_answers, "upstream answers matched to a pending query")                           \
    X(upstream_timeouts, "upstream attempts that timed out")                                     \
    X(upstream_servfail, "SERVFAIL sent because every upstream attempt failed")                  \
    X(upstream_malformed, "matched upstream answers that could not be parsed")                   \
    X(upstream_truncated, "truncated (TC=1) upstream UDP answers, retried over TCP")             \
    X(upstream_tcp_queries, "upstream queries sent over TCP (RFC 7766), failover included")      \
    X(upstream_tcp_answers, "upstream answers matched over TCP")                                 \
    X(upstream_tcp_failed, "upstream TCP exchanges that failed before the timeout")              \
    X(unmatched, "upstream messages matching no pending query (RFC 5452 9.1) dropped")           \
    X(pending_full, "queries answered SERVFAIL because max_pending were in flight")              \
    X(formerr, "malformed queries answered FORMERR")                                             \
    X(notimp, "queries with an opcode other than QUERY answered NOTIMP")                         \
    X(badvers, "queries with an EDNS version other than 0 answered BADVERS")                     \
    X(qr_set, "messages with QR=1 on the query path dropped")                                    \
    X(runt, "messages shorter than a DNS header dropped")                                        \
    X(rate_limited, "queries dropped by the per-client rate limit")                              \
    X(tcp_connections, "client TCP connections accepted (adapter)")                              \
    X(tcp_table_full, "client SYNs refused: every connection slot busy (adapter)")               \
    X(tcp_retransmits, "segments retransmitted to TCP clients on timeout (adapter)")             \
    X(tcp_timeouts, "client TCP connections reset: no ACK or handshake in time (adapter)")       \
    X(tcp_idle_closes, "idle client TCP connections closed, RFC 7766 6.2.3 (adapter)")           \
    X(tcp_resets, "client TCP connections reset by the client (adapter)")                        \
    X(tcp_buffer_full, "client TCP connections reset: answers beyond the send buffer (adapter)") \
    X(upstream_tcp_connections, "TCP connections opened to upstreams (adapter)")                 \
    X(upstream_tcp_table_full, "upstream TCP exchanges refused: no slot or buffer (adapter)")    \
    X(upstream_tcp_retransmits, "segments retransmitted to upstreams on timeout (adapter)")      \
    X(upstream_tcp_resets, "upstream TCP connections reset by the resolver (adapter)")

namespace strait::dns64 {

/// A monotonic counter with one writer and relaxed readers: same code as a plain
/// increment on x86, but a well-defined read from the control plane.
struct Counter {
    std::atomic<uint64_t> v{0};
    void inc(uint64_t n = 1) {
        v.store(v.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
    [[nodiscard]] uint64_t get() const { return v.load(std::memory_order_relaxed); }
};

/// Per-engine counters on their own cache lines. Thread: written by the DNS64 lcore
/// (the "(adapter)" rows: by the adapter on that lcore), read with relaxed loads by any
/// thread. Drops before the engine (full handoff rings) are the workers' to count; the
/// dataplane reports them beside these as ring_drops.
struct alignas(64) Dns64Counters {
#define STRAIT_X(name, help) Counter name;
    STRAIT_DNS64_COUNTERS(STRAIT_X)
#undef STRAIT_X

    /// Calls fn(label, help, value) for every counter, in table order. Thread: any.
    template <class Fn>
    void for_each(Fn&& fn) const {
#define STRAIT_X(name, help) fn(std::string_view{#name}, std::string_view{help}, name.get());
        STRAIT_DNS64_COUNTERS(STRAIT_X)
#undef STRAIT_X
    }
};

}  // namespace strait::dns64
