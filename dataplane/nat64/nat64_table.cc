// SPDX-License-Identifier: Apache-2.0
// NAT64 tables: creation on rte_hash + QSBR defer queues, single-writer inserts, and the
// incremental expiry sweep.
#include "nat64_table.h"

#include <rte_cycles.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include <algorithm>
#include <cerrno>

namespace strait::nat64 {
namespace {

/// Entry slots beyond the hash capacity: deleted entries wait in the QSBR defer queue
/// (reclaimed once 32 are pending and their grace period passed) while the hash already
/// accepts new keys.
constexpr uint32_t kDeferSlack = 4096;

rte_hash* make_hash(const std::string& name, uint32_t entries, uint32_t key_len, int socket,
                    rte_rcu_qsbr* qsbr, void* owner, rte_hash_free_key_data free_fn) {
    rte_hash_parameters p{};
    p.name = name.c_str();
    p.entries = entries;
    p.key_len = key_len;
    p.hash_func = rte_hash_crc;
    p.socket_id = socket;
    // Lock-free readers on every worker, one writer. No extendable buckets: rte_hash
    // rounds buckets up to a power of two, so at capacity the table is at most half full
    // and a cuckoo insert does not fail; the extra table cost 16 bytes a session.
    p.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF;
    rte_hash* h = rte_hash_create(&p);
    if (h == nullptr) return nullptr;
    rte_hash_rcu_config rc{};
    rc.v = qsbr;
    rc.mode = RTE_HASH_QSBR_MODE_DQ;
    // Workers report quiescence every loop, so deletions wait microseconds: a 64k-entry
    // defer queue (the default is one per table entry, ~24 bytes a session) is plenty;
    // reclaimed from 32 pending on.
    rc.dq_size = std::min<uint32_t>(entries, 1u << 16);
    rc.trigger_reclaim_limit = 32;
    rc.key_data_ptr = owner;
    rc.free_key_data_func = free_fn;
    if (rte_hash_rcu_qsbr_add(h, &rc) != 0) {
        rte_hash_free(h);
        return nullptr;
    }
    return h;
}

bool expired(uint32_t now_ms, uint32_t expires_ms) {
    return static_cast<int32_t>(now_ms - expires_ms) >= 0;
}

}  // namespace

void Nat64Table::free_session(void* table, void* data) {
    auto* t = static_cast<Nat64Table*>(table);
    t->free_sessions_.push_back(static_cast<uint32_t>(reinterpret_cast<uintptr_t>(data)));
}

void Nat64Table::free_bib(void* table, void* data) {
    auto* t = static_cast<Nat64Table*>(table);
    t->free_bibs_.push_back(static_cast<uint32_t>(reinterpret_cast<uintptr_t>(data)));
}

void Nat64Table::free_subscriber(void* table, void* data) {
    auto* t = static_cast<Nat64Table*>(table);
    t->free_subs_.push_back(static_cast<uint32_t>(reinterpret_cast<uintptr_t>(data)));
}

SubscriberKey Nat64Table::subscriber_of(const uint8_t* src6) const {
    SubscriberKey k{};
    const unsigned full = sub_len_ / 8;
    std::memcpy(k.prefix, src6, full);
    if (full < 16 && (sub_len_ & 7)) {
        k.prefix[full] = static_cast<uint8_t>(src6[full] & (0xff00 >> (sub_len_ & 7)));
    }
    return k;
}

void Nat64Table::add_subscriber_session(const uint8_t* src6) {
    if (subs_ == nullptr) return;
    const SubscriberKey k = subscriber_of(src6);
    void* d;
    if (rte_hash_lookup_data(subs_, &k, &d) >= 0) {
        auto& e = sub_entries_[reinterpret_cast<uintptr_t>(d)];
        e.sessions.store(e.sessions.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        return;
    }
    if (free_subs_.empty()) return;
    const uint32_t i = free_subs_.back();  // off the list first, as in add_bib
    free_subs_.pop_back();
    sub_entries_[i].sessions.store(1, std::memory_order_relaxed);
    if (rte_hash_add_key_data(subs_, &k, reinterpret_cast<void*>(uintptr_t{i})) < 0) {
        free_subs_.push_back(i);
        return;
    }
    std::atomic_ref<uint32_t>(live_subs_).store(live_subs_ + 1, std::memory_order_relaxed);
}

void Nat64Table::drop_subscriber_session(const uint8_t* src6) {
    if (subs_ == nullptr) return;
    const SubscriberKey k = subscriber_of(src6);
    void* d;
    if (rte_hash_lookup_data(subs_, &k, &d) < 0) return;
    auto& e = sub_entries_[reinterpret_cast<uintptr_t>(d)];
    const uint32_t n = e.sessions.load(std::memory_order_relaxed);
    if (n > 1) {
        e.sessions.store(n - 1, std::memory_order_relaxed);
    } else {
        e.sessions.store(0, std::memory_order_relaxed);
        if (rte_hash_del_key(subs_, &k) >= 0) {
            std::atomic_ref<uint32_t>(live_subs_).store(live_subs_ - 1, std::memory_order_relaxed);
        }
    }
}

Result<std::unique_ptr<Nat64Table>> Nat64Table::create(unsigned index, uint32_t capacity,
                                                       int socket, rte_rcu_qsbr* qsbr,
                                                       const Pool4& pool4, uint8_t subscriber_len) {
    std::unique_ptr<Nat64Table> t(new Nat64Table(index));
    t->capacity_ = capacity;
    const std::string sfx = std::to_string(index);
    const uint32_t slots = capacity + kDeferSlack;
    // The entry arrays bound the table at `capacity`; the hashes get a quarter more key
    // slots so no cuckoo insert fails below it (buckets are a power of two of 8 slots).
    const uint32_t keys = slots + capacity / 4;
    t->sess_ = make_hash("nat64_sess_" + sfx, keys, sizeof(SessionKey), socket, qsbr, t.get(),
                         free_session);
    t->bib4_ =
        make_hash("nat64_bib4_" + sfx, keys, sizeof(Bib4Key), socket, qsbr, t.get(), free_bib);
    t->bib6_ =
        make_hash("nat64_bib6_" + sfx, keys, sizeof(Bib6Key), socket, qsbr, nullptr, nullptr);
    t->sessions_ = static_cast<SessionEntry*>(
        rte_zmalloc_socket("nat64_sessions", sizeof(SessionEntry) * slots, 64, socket));
    t->bibs_ = static_cast<BibEntry*>(
        rte_zmalloc_socket("nat64_bibs", sizeof(BibEntry) * slots, 64, socket));
    if (!t->sess_ || !t->bib4_ || !t->bib6_ || !t->sessions_ || !t->bibs_) {
        return Error{ErrorCode::Unavailable, "/nat64/capacity",
                     "cannot allocate NAT64 tables for " + std::to_string(capacity) +
                         " sessions (hugepage memory)"};
    }
    if (subscriber_len > 0) {
        t->sub_len_ = subscriber_len;
        t->subs_ = make_hash("nat64_subs_" + sfx, keys, sizeof(SubscriberKey), socket, qsbr,
                             t.get(), free_subscriber);
        t->sub_entries_ = static_cast<SubscriberEntry*>(
            rte_zmalloc_socket("nat64_subs", sizeof(SubscriberEntry) * slots, 64, socket));
        if (!t->subs_ || !t->sub_entries_) {
            return Error{ErrorCode::Unavailable, "/nat64/limits",
                         "cannot allocate the subscriber table (hugepage memory)"};
        }
        t->free_subs_.reserve(slots);
        for (uint32_t i = slots; i-- > 0;) t->free_subs_.push_back(i);
    }
    t->free_sessions_.reserve(slots);
    t->free_bibs_.reserve(slots);
    for (uint32_t i = slots; i-- > 0;) {
        t->free_sessions_.push_back(i);
        t->free_bibs_.push_back(i);
    }
    for (unsigned pi = 0; pi < kProtos; ++pi) {
        t->used_[pi].assign(pool4.addresses(pi), 0);
        t->slice_size_[pi].resize(pool4.addresses(pi));
        for (uint32_t a = 0; a < pool4.addresses(pi); ++a) {
            t->slice_size_[pi][a] = pool4.slice_size(pi, a, index);
        }
    }
    // Hash memory: key slots (key + 8-byte data pointer, 16-aligned) and buckets (8 slots
    // of 64 bytes, main and extendable tables, power-of-two count).
    auto hash_bytes = [keys](uint32_t key_len) {
        const uint64_t slot = (key_len + 8 + 15) / 16 * 16;
        const uint64_t buckets = rte_align32pow2(keys) / 8;
        return slot * (keys + 1) + buckets * 64 + (1u << 16) * 24;
    };
    t->memory_bytes_ = hash_bytes(sizeof(SessionKey)) + hash_bytes(sizeof(Bib4Key)) +
                       hash_bytes(sizeof(Bib6Key)) +
                       uint64_t{slots} * (sizeof(SessionEntry) + sizeof(BibEntry) + 8);
    return t;
}

Nat64Table::~Nat64Table() {
    rte_hash_free(sess_);
    rte_hash_free(bib4_);
    rte_hash_free(bib6_);
    rte_hash_free(subs_);
    rte_free(sub_entries_);
    rte_free(sessions_);
    rte_free(bibs_);
}

BibEntry* Nat64Table::add_bib(const Bib6Key& k6, const Bib4Key& k4, uint32_t addr_index,
                              bool is_static) {
    // Deleted entries wait for their grace period in the kDeferSlack slots: the live count,
    // not the free list, holds the table at its configured capacity.
    if (free_bibs_.empty() || bib_entries() >= capacity_) return nullptr;
    // Taken off the free list before rte_hash_add_key_data: an add that finds no free key
    // slot reclaims the defer queue, whose callback (free_bib) pushes onto this list.
    const uint32_t i = free_bibs_.back();
    free_bibs_.pop_back();
    BibEntry& b = bibs_[i];
    std::memcpy(b.addr6, k6.src6, 16);
    std::memcpy(b.addr4, k4.addr4, 4);
    b.port6 = k6.port6;
    b.port4 = k4.port4;
    b.proto = k4.proto;
    b.is_static = is_static ? 1 : 0;
    b.owner = static_cast<uint16_t>(index_);
    b.addr_index = addr_index;
    b.refs.store(is_static ? 0 : 1, std::memory_order_relaxed);
    b.tables.store(0, std::memory_order_relaxed);
    // rte_hash publishes the key with release semantics: readers see the fields above.
    void* data = reinterpret_cast<void*>(uintptr_t{i});
    if (rte_hash_add_key_data(bib4_, &k4, data) < 0) {
        free_bibs_.push_back(i);
        return nullptr;
    }
    if (rte_hash_add_key_data(bib6_, &k6, data) < 0) {
        rte_hash_del_key(bib4_, &k4);  // free_bib returns `i` after the grace period
        return nullptr;
    }
    const unsigned pi = proto_index(k4.proto);
    if (pi < kProtos && addr_index < used_[pi].size()) {
        std::atomic_ref<uint32_t>(used_[pi][addr_index]).fetch_add(1, std::memory_order_relaxed);
    }
    if (pi < kProtos) ++c_.bib_created[pi];
    return &b;
}

SessionEntry* Nat64Table::add_session(const SessionKey& k, uint32_t bib, const BibEntry& b,
                                      uint8_t tcp_state, uint32_t expires_ms) {
    if (free_sessions_.empty() || sessions() >= capacity_) return nullptr;
    const uint32_t i = free_sessions_.back();  // off the list first, as in add_bib
    free_sessions_.pop_back();
    SessionEntry& s = sessions_[i];
    s.bib = bib;
    std::memcpy(s.addr4, b.addr4, 4);
    s.port4 = b.port4;
    s.proto = b.proto;
    s.tcp_state.store(tcp_state, std::memory_order_relaxed);
    s.expires_ms.store(expires_ms, std::memory_order_relaxed);
    if (rte_hash_add_key_data(sess_, &k, reinterpret_cast<void*>(uintptr_t{i})) < 0) {
        free_sessions_.push_back(i);
        return nullptr;
    }
    const unsigned pi = proto_index(k.proto);
    if (pi < kProtos) ++c_.sessions_created[pi];
    return &s;
}

bool Nat64Table::sweep_sessions(uint32_t now_ms, unsigned budget, Nat64Table* const* tables,
                                unsigned& removed) {
    const void* key;
    void* data;
    for (unsigned n = 0; n < budget; ++n) {
        if (rte_hash_iterate(sess_, &key, &data, &sess_cursor_) < 0) {
            sess_cursor_ = 0;
            return true;
        }
        ++c_.sweep_visits;
        SessionEntry& s = sessions_[reinterpret_cast<uintptr_t>(data)];
        if (!expired(now_ms, s.expires_ms.load(std::memory_order_relaxed))) continue;
        SessionKey k;
        std::memcpy(&k, key, sizeof k);
        if (rte_hash_del_key(sess_, &k) < 0) continue;
        BibEntry& b = tables[bib_ref_owner(s.bib)]->bib_at(bib_ref_index(s.bib));
        b.refs.fetch_sub(1, std::memory_order_acq_rel);
        drop_subscriber_session(k.src6);
        const unsigned pi = proto_index(k.proto);
        if (pi < kProtos) ++c_.sessions_expired[pi];
        ++removed;
    }
    return false;
}

bool Nat64Table::sweep_bib(unsigned budget, unsigned& removed) {
    const void* key;
    void* data;
    for (unsigned n = 0; n < budget; ++n) {
        if (rte_hash_iterate(bib4_, &key, &data, &bib_cursor_) < 0) {
            bib_cursor_ = 0;
            return true;
        }
        BibEntry& b = bibs_[reinterpret_cast<uintptr_t>(data)];
        uint32_t zero = 0;
        if (b.is_static || !b.refs.compare_exchange_strong(zero, BibEntry::kDead)) continue;
        Bib4Key k4;
        std::memcpy(&k4, key, sizeof k4);
        Bib6Key k6{};
        std::memcpy(k6.src6, b.addr6, 16);
        k6.port6 = b.port6;
        k6.proto = b.proto;
        rte_hash_del_key(bib6_, &k6);
        rte_hash_del_key(bib4_, &k4);
        const unsigned pi = proto_index(b.proto);
        if (pi < kProtos) {
            ++c_.bib_expired[pi];
            if (b.addr_index < used_[pi].size()) {
                std::atomic_ref<uint32_t>(used_[pi][b.addr_index])
                    .fetch_sub(1, std::memory_order_relaxed);
            }
        }
        ++removed;
    }
    return false;
}

unsigned Nat64Table::sweep(uint32_t now_ms, unsigned budget, Nat64Table* const* tables) {
    const uint64_t t0 = rte_rdtsc();
    unsigned removed = 0;
    sweep_sessions(now_ms, budget, tables, removed);
    sweep_bib(budget, removed);
    const uint64_t ns = (rte_rdtsc() - t0) * 1000000000ull / rte_get_tsc_hz();
    if (ns > c_.sweep_max_ns) c_.sweep_max_ns = ns;
    return removed;
}

}  // namespace strait::nat64
