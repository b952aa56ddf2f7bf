// SPDX-License-Identifier: Apache-2.0
// Answer cache keyed on question wire bytes, storing final answers as wire bytes that are
// patched in place on a hit (dnsdist style): no parsing, no allocation on the hit path.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "dns64/cache/huge_alloc.h"
#include "dns64/wire/message.h"

namespace strait::dns64 {

/// Cache key: [flags][prefix index][qtype][qclass][lower-cased qname wire].
struct CacheKey {
    static constexpr std::size_t kFixed = 6;
    uint8_t bytes[kFixed + wire::kMaxNameLen];
    std::size_t len = 0;
    uint64_t hash = 0;
};

/// Key flag bits: everything that changes the answer besides the question.
inline constexpr uint8_t kKeyDo = 0x01;     ///< client DO bit (RFC 3225)
inline constexpr uint8_t kKeyCd = 0x02;     ///< client CD bit (RFC 6147 §5.5)
inline constexpr uint8_t kKeyEdns = 0x04;   ///< client sent an OPT RR
inline constexpr uint8_t kKeySynth = 0x08;  ///< DNS64 applies (vs plain recursion)

/// Fills `k` from a parsed query. Thread: any (pure).
void make_cache_key(CacheKey& k, const wire::Query& q, uint8_t flags, uint8_t prefix_index);
/// Fills `k` from a question name in any case (lower-cased here). Thread: any (pure).
void make_cache_key(CacheKey& k, const uint8_t* qname, std::size_t qname_len, uint16_t qtype,
                    uint16_t qclass, uint8_t flags, uint8_t prefix_index);

/// Monotonic cache statistics, single writer (DNS64 lcore), relaxed readers (any thread).
struct CacheStats {
    uint64_t capacity = 0;
    uint64_t inserts = 0;
    uint64_t evictions = 0;   ///< live entries replaced to make room
    uint64_t uncacheable = 0; ///< too big, too many records, TTL 0, or not NOERROR/NXDOMAIN
    uint64_t flushes = 0;
    uint64_t bytes = 0;       ///< heap bytes held by stored answers
};

/// N-way set-associative table of preallocated slots. The table never grows: `entries`
/// bounds memory (answers up to kMaxAnswer bytes each). A flush is a generation bump, so
/// the control plane can flush while the DNS64 lcore reads and writes.
/// Thread: DNS64 lcore only, except request_flush() and stats() (any thread).
class Cache {
public:
    static constexpr std::size_t kWays = 8;  ///< one 64-byte line of tags per set
    static constexpr std::size_t kMaxTtls = 24;  ///< records patched per answer
    static constexpr std::size_t kMaxAnswer = 4096;

    /// A cache hit: the stored answer (ID 0, question as stored) and where its TTLs live.
    struct Hit {
        const uint8_t* answer;
        std::size_t len;
        const uint8_t* ttl_offs;  ///< nttl native-endian uint16 offsets (memcpy to read)
        std::size_t nttl;
        uint64_t inserted_ns;
    };

    /// (Re)allocates for `entries` answers (0 disables) and drops all. DNS64 lcore only.
    void configure(std::size_t entries, uint32_t max_ttl, uint32_t negative_max_ttl);
    /// Changes the TTL caps without dropping entries. DNS64 lcore only.
    void set_ttl_caps(uint32_t max_ttl, uint32_t negative_max_ttl) {
        max_ttl_ = max_ttl;
        neg_max_ttl_ = negative_max_ttl;
    }
    [[nodiscard]] std::size_t capacity() const { return slots_.size(); }
    /// Looks `k` up; false on a miss or an expired/flushed entry. No allocation.
    bool find(const CacheKey& k, uint64_t now_ns, Hit& hit);
    /// Stores `answer` (a final client answer, any ID) under `k`. TTL per RFC 2308: the
    /// minimum record TTL, a negative answer's SOA counting min(TTL, MINIMUM) (§5),
    /// capped by max_ttl / negative_max_ttl. Uncacheable answers are counted, not stored.
    void insert(const CacheKey& k, wire::Bytes answer, uint64_t now_ns);
    /// Drops every entry. Thread: any (atomic generation bump, applied by the lcore).
    void request_flush() { flush_gen_.fetch_add(1, std::memory_order_relaxed); }
    /// Relaxed snapshot of the statistics. Thread: any.
    [[nodiscard]] CacheStats stats() const;

    /// Writes the hit as the answer to query `q` in `m`: copies it, sets the ID, the RD
    /// bit and the client's question-name case, and decrements every TTL by the time
    /// spent in the cache (RFC 1035 §7.4). `out` must hold hit.len bytes.
    static void render(const Hit& hit, wire::Bytes m, const wire::Query& q, uint64_t now_ns,
                       uint8_t* out) noexcept;

private:
    /// 64 bytes: one cache line per probe; TTL offsets live in the blob next to the answer.
    struct alignas(64) Slot {
        uint64_t hash = 0;
        uint64_t expire_ns = 0;
        uint64_t inserted_ns = 0;
        uint64_t last_used = 0;
        uint32_t gen = 0;
        uint16_t key_len = 0;
        uint16_t ans_len = 0;
        uint16_t nttl = 0;
        uint32_t blob_cap = 0;
        std::unique_ptr<uint8_t[]> blob;  // key, kMaxTtls TTL offsets (uint16), answer
    };
    struct Counter {
        std::atomic<uint64_t> v{0};
        void add(uint64_t n) { v.store(v.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
        [[nodiscard]] uint64_t get() const { return v.load(std::memory_order_relaxed); }
    };

    bool live(const Slot& s, uint64_t now_ns) const { return s.gen == gen_ && s.expire_ns > now_ns; }
    void sync_flush();
    Slot& victim(std::size_t set, uint64_t now_ns);
    /// Fills TTL offsets, clamps stored TTLs, returns the entry TTL; 0 = uncacheable.
    uint32_t scan_ttls(Slot& s, uint16_t* offs, uint8_t* ans, std::size_t len) const;
    static constexpr std::size_t kOffsBytes = kMaxTtls * sizeof(uint16_t);

    std::vector<Slot, HugeAllocator<Slot>> slots_;
    // Key hash per slot, probed first: one cache line per set.
    std::vector<uint64_t, HugeAllocator<uint64_t>> tags_;
    std::size_t set_mask_ = 0;
    uint32_t max_ttl_ = 0;
    uint32_t neg_max_ttl_ = 0;
    uint32_t gen_ = 1;  // slot generation that is live
    uint32_t seen_flush_ = 0;
    uint64_t tick_ = 0;
    std::atomic<uint32_t> flush_gen_{0};
    Counter capacity_, inserts_, evictions_, uncacheable_, flushes_, bytes_;
};

}  // namespace strait::dns64
