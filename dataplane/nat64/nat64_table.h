// SPDX-License-Identifier: Apache-2.0
// One worker's NAT64 tables: sessions, BIB by IPv6 and by IPv4 transport address, on
// rte_hash with lock-free readers and a single writer (the owning worker), memory returned
// through the dataplane's rte_rcu_qsbr variable. Any worker reads any worker's table.
#pragma once

#include <rte_hash.h>
#include <rte_rcu_qsbr.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "entries.h"
#include "pool4.h"
#include "strait/util/result.h"

namespace strait::nat64 {

/// Per-table counters and gauges. thread: written by the owning worker, read relaxed.
struct alignas(64) TableCounters {
    uint64_t sessions_created[kProtos] = {};
    uint64_t sessions_expired[kProtos] = {};
    uint64_t bib_created[kProtos] = {};
    uint64_t bib_expired[kProtos] = {};
    uint64_t sweep_visits = 0;
    uint64_t sweep_max_ns = 0;  ///< longest housekeeping sweep slice seen
};

class Nat64Table {
  public:
    /// A table for worker `index` holding up to `capacity` sessions and as many BIB
    /// entries, on NUMA `socket`, reclaiming through `qsbr`. Thread: main, at start.
    /// `subscriber_len` > 0 keeps per-subscriber session counts (for limits), subscribers
    /// being the IPv6 source masked to that length.
    static Result<std::unique_ptr<Nat64Table>> create(unsigned index, uint32_t capacity, int socket,
                                                      rte_rcu_qsbr* qsbr, const Pool4& pool4,
                                                      uint8_t subscriber_len = 0);
    ~Nat64Table();
    Nat64Table(const Nat64Table&) = delete;
    Nat64Table& operator=(const Nat64Table&) = delete;

    // ---- reads: thread: any worker, lock-free; results valid until its next quiescent state
    [[nodiscard]] SessionEntry* find_session(const SessionKey& k) const {
        void* d;
        if (rte_hash_lookup_data(sess_, &k, &d) < 0) return nullptr;
        return &sessions_[reinterpret_cast<uintptr_t>(d)];
    }
    [[nodiscard]] BibEntry* find_bib4(const Bib4Key& k) const {
        void* d;
        if (rte_hash_lookup_data(bib4_, &k, &d) < 0) return nullptr;
        return &bibs_[reinterpret_cast<uintptr_t>(d)];
    }
    [[nodiscard]] BibEntry* find_bib6(const Bib6Key& k) const {
        void* d;
        if (rte_hash_lookup_data(bib6_, &k, &d) < 0) return nullptr;
        return &bibs_[reinterpret_cast<uintptr_t>(d)];
    }
    [[nodiscard]] BibEntry& bib_at(uint32_t index) const { return bibs_[index]; }
    /// Bulk forms (rte_hash_lookup_bulk_data: up to 32 keys, bucket and key prefetches
    /// overlapped): out[i] is the entry or null.
    void find_sessions(const SessionKey* const* keys, unsigned n, SessionEntry** out) const {
        void* d[32];
        uint64_t hits = 0;
        rte_hash_lookup_bulk_data(
            sess_, const_cast<const void**>(reinterpret_cast<const void* const*>(keys)), n, &hits,
            d);
        for (unsigned i = 0; i < n; ++i) {
            out[i] = (hits >> i) & 1 ? &sessions_[reinterpret_cast<uintptr_t>(d[i])] : nullptr;
        }
    }
    void find_bibs4(const Bib4Key* const* keys, unsigned n, BibEntry** out) const {
        void* d[32];
        uint64_t hits = 0;
        rte_hash_lookup_bulk_data(
            bib4_, const_cast<const void**>(reinterpret_cast<const void* const*>(keys)), n, &hits,
            d);
        for (unsigned i = 0; i < n; ++i) {
            out[i] = (hits >> i) & 1 ? &bibs_[reinterpret_cast<uintptr_t>(d[i])] : nullptr;
        }
    }
    [[nodiscard]] bool bib4_in_use(const Bib4Key& k) const {
        return rte_hash_lookup(bib4_, &k) >= 0;
    }

    /// Sessions this table holds for a subscriber (0 when counting is off). Thread: any.
    [[nodiscard]] uint32_t subscriber_sessions(const SubscriberKey& k) const {
        void* d;
        if (subs_ == nullptr || rte_hash_lookup_data(subs_, &k, &d) < 0) return 0;
        return sub_entries_[reinterpret_cast<uintptr_t>(d)].sessions.load(
            std::memory_order_relaxed);
    }
    /// The subscriber of an IPv6 source address under this table's prefix length.
    [[nodiscard]] SubscriberKey subscriber_of(const uint8_t* src6) const;
    [[nodiscard]] bool counts_subscribers() const { return subs_ != nullptr; }
    /// Subscribers with sessions here. Not rte_hash_count: that also counts deleted keys
    /// waiting in the QSBR defer queue.
    [[nodiscard]] uint32_t subscribers() const {
        return std::atomic_ref<uint32_t>(const_cast<uint32_t&>(live_subs_))
            .load(std::memory_order_relaxed);
    }

    // ---- writes: thread: the owning worker only (or main before the workers run)
    /// Counts one more session of the subscriber of `src6` in this table.
    void add_subscriber_session(const uint8_t* src6);
    /// Adds a BIB entry holding one reference (the caller's session) or, `is_static`,
    /// none and never expiring. Null when the table is full.
    BibEntry* add_bib(const Bib6Key& k6, const Bib4Key& k4, uint32_t addr_index, bool is_static);
    /// Adds a session on `bib` (the caller holds a reference for it). Null when full.
    SessionEntry* add_session(const SessionKey& k, uint32_t bib, const BibEntry& b,
                              uint8_t tcp_state, uint32_t expires_ms);
    /// Whether this worker's slice of pool4 address `index` of `pi` has no free port.
    [[nodiscard]] bool slice_full(unsigned pi, uint32_t index) const {
        return used_[pi][index] >= slice_size_[pi][index];
    }
    /// Removes expired sessions and unreferenced BIB entries, visiting at most `budget`
    /// entries of each hash from where the last call stopped (never a whole-table scan).
    /// `tables` resolves a session's BIB owner. Returns entries removed.
    unsigned sweep(uint32_t now_ms, unsigned budget, Nat64Table* const* tables);

    // ---- figures: thread: any (relaxed)
    // Live entries are created minus removed: rte_hash_count() also counts deleted keys whose
    // slots wait in the QSBR defer queue (reclaimed only once 32 are pending or the hash
    // runs out of slots), so it would report expired sessions for ever on a quiet table.
    [[nodiscard]] uint32_t sessions() const {
        return live(c_.sessions_created, c_.sessions_expired);
    }
    [[nodiscard]] uint32_t bib_entries() const { return live(c_.bib_created, c_.bib_expired); }
    [[nodiscard]] uint32_t used_ports(unsigned pi, uint32_t index) const {
        return std::atomic_ref<uint32_t>(const_cast<uint32_t&>(used_[pi][index]))
            .load(std::memory_order_relaxed);
    }
    [[nodiscard]] const TableCounters& counters() const { return c_; }
    /// Bytes of memory the table holds (hashes, entries, free lists), for bytes/session.
    [[nodiscard]] uint64_t memory_bytes() const { return memory_bytes_; }
    [[nodiscard]] unsigned index() const { return index_; }

  private:
    explicit Nat64Table(unsigned index) : index_(index) {}
    /// created - removed; removed is read first so a concurrent sweep cannot make it negative.
    static uint32_t live(const uint64_t (&created)[kProtos], const uint64_t (&removed)[kProtos]) {
        auto rd = [](const uint64_t& v, std::memory_order o) {
            return std::atomic_ref<uint64_t>(const_cast<uint64_t&>(v)).load(o);
        };
        uint64_t gone = 0, made = 0;
        for (unsigned p = 0; p < kProtos; ++p) gone += rd(removed[p], std::memory_order_acquire);
        for (unsigned p = 0; p < kProtos; ++p) made += rd(created[p], std::memory_order_relaxed);
        return made > gone ? static_cast<uint32_t>(made - gone) : 0;
    }
    static void free_session(void* table, void* data);
    static void free_bib(void* table, void* data);
    static void free_subscriber(void* table, void* data);
    void drop_subscriber_session(const uint8_t* src6);
    bool sweep_sessions(uint32_t now_ms, unsigned budget, Nat64Table* const* tables,
                        unsigned& removed);
    bool sweep_bib(unsigned budget, unsigned& removed);

    unsigned index_;
    rte_hash* sess_ = nullptr;
    rte_hash* bib6_ = nullptr;
    rte_hash* bib4_ = nullptr;
    SessionEntry* sessions_ = nullptr;
    BibEntry* bibs_ = nullptr;
    rte_hash* subs_ = nullptr;  // null unless limits are on
    SubscriberEntry* sub_entries_ = nullptr;
    std::vector<uint32_t> free_subs_;
    uint32_t live_subs_ = 0;  // written by the owner only
    uint8_t sub_len_ = 128;
    std::vector<uint32_t> free_sessions_;  // stack of free slots; sized at start
    std::vector<uint32_t> free_bibs_;
    std::vector<uint32_t> used_[kProtos];        // ports in use per pool4 address (this slice)
    std::vector<uint32_t> slice_size_[kProtos];  // ports this worker owns per address
    uint32_t sess_cursor_ = 0;
    uint32_t bib_cursor_ = 0;
    uint64_t memory_bytes_ = 0;
    uint32_t capacity_ = 0;  // live sessions (and BIB entries) at most; the slack is for frees
    TableCounters c_;
};

}  // namespace strait::nat64
