// SPDX-License-Identifier: Apache-2.0
// Lock-free neighbour table over rte_hash (RW_CONCURRENCY_LF + MULTI_WRITER_ADD).
#include "dataplane/nbr/neighbor_table.h"

#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include <cstring>

namespace strait::dp {
namespace {

constexpr uint64_t kValid = 1ull << 63;

uint64_t pack(const net::MacAddr& m) {
    uint64_t v = 0;
    for (auto b : m.b) v = v << 8 | b;
    return v | kValid;
}

net::MacAddr unpack(uint64_t v) {
    net::MacAddr m;
    for (int i = 5; i >= 0; --i) {
        m.b[i] = static_cast<uint8_t>(v);
        v >>= 8;
    }
    return m;
}

}  // namespace

Result<std::unique_ptr<NeighborTable>> NeighborTable::create(const std::string& name,
                                                             uint32_t capacity, int socket) {
    rte_hash_parameters p{};
    p.name = name.c_str();
    p.entries = capacity;
    p.key_len = sizeof(NeighborKey);
    p.hash_func = rte_hash_crc;
    p.socket_id = socket;
    p.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF | RTE_HASH_EXTRA_FLAGS_MULTI_WRITER_ADD;
    rte_hash* h = rte_hash_create(&p);
    if (h == nullptr) {
        return Error{ErrorCode::Unavailable, "neighbors", "rte_hash_create failed for " + name};
    }
    // rte_hash positions range over [0, entries + per-lcore cache slack).
    const uint32_t slots = rte_hash_max_key_id(h) + 1;
    auto* e = static_cast<Entry*>(rte_zmalloc_socket(name.c_str(), sizeof(Entry) * slots, 64, socket));
    if (e == nullptr) {
        rte_hash_free(h);
        return Error{ErrorCode::Unavailable, "neighbors", "no memory for " + name};
    }
    for (uint32_t i = 0; i < slots; ++i) new (&e[i]) Entry();
    return std::unique_ptr<NeighborTable>(new NeighborTable(h, e, slots));
}

NeighborTable::NeighborTable(rte_hash* h, Entry* entries, uint32_t capacity)
    : hash_(h), entries_(entries), capacity_(capacity) {}

NeighborTable::~NeighborTable() {
    for (uint32_t i = 0; i < capacity_; ++i) {
        for (auto& slot : entries_[i].held) {
            if (rte_mbuf* m = slot.exchange(nullptr)) rte_pktmbuf_free(m);
        }
    }
    rte_free(entries_);
    rte_hash_free(hash_);
}

bool NeighborTable::lookup(const NeighborKey& key, net::MacAddr& mac) const {
    const int32_t pos = rte_hash_lookup(hash_, &key);
    if (pos < 0) return false;
    const uint64_t v = entries_[pos].mac.load(std::memory_order_acquire);
    if (!(v & kValid)) return false;
    mac = unpack(v);
    return true;
}

int32_t NeighborTable::find_or_add(const NeighborKey& key) {
    int32_t pos = rte_hash_lookup(hash_, &key);
    if (pos < 0) pos = rte_hash_add_key(hash_, &key);
    return pos < 0 || static_cast<uint32_t>(pos) >= capacity_ ? -1 : pos;
}

uint32_t NeighborTable::drain(Entry& e, Released& out) {
    uint32_t n = 0;
    for (auto& slot : e.held) {
        if (rte_mbuf* m = slot.exchange(nullptr, std::memory_order_acq_rel)) out[n++] = m;
    }
    return n;
}

uint32_t NeighborTable::learn(const NeighborKey& key, const net::MacAddr& mac, Released& out) {
    const int32_t pos = find_or_add(key);
    if (pos < 0) return 0;
    entries_[pos].mac.store(pack(mac), std::memory_order_release);
    return drain(entries_[pos], out);
}

NeighborTable::HoldResult NeighborTable::hold(const NeighborKey& key, rte_mbuf* m,
                                              uint64_t now_tsc, uint64_t request_interval_tsc,
                                              net::MacAddr& mac, bool& replaced,
                                              Released& send_now, uint32_t& n_send) {
    replaced = false;
    n_send = 0;
    const int32_t pos = find_or_add(key);
    if (pos < 0) return HoldResult::Full;
    Entry& e = entries_[pos];
    bool placed = false;
    for (auto& slot : e.held) {
        rte_mbuf* expected = nullptr;
        if (slot.compare_exchange_strong(expected, m, std::memory_order_acq_rel)) {
            placed = true;
            break;
        }
    }
    if (!placed) {  // all slots busy: the newest packet wins the last slot
        if (rte_mbuf* old = e.held[kHoldSlots - 1].exchange(m, std::memory_order_acq_rel)) {
            rte_pktmbuf_free(old);
            replaced = true;
        }
    }
    // A learn() may have run between the caller's lookup and our store: take the
    // packets back so none is stranded.
    const uint64_t v = e.mac.load(std::memory_order_acquire);
    if (v & kValid) {
        n_send = drain(e, send_now);
        if (n_send == 0) return HoldResult::Held;  // the learner sent them already
        mac = unpack(v);
        return HoldResult::Resolved;
    }
    uint64_t last = e.last_request_tsc.load(std::memory_order_relaxed);
    if (now_tsc - last >= request_interval_tsc &&
        e.last_request_tsc.compare_exchange_strong(last, now_tsc, std::memory_order_relaxed)) {
        return HoldResult::HeldAndRequest;
    }
    return HoldResult::Held;
}

uint32_t NeighborTable::count() const { return static_cast<uint32_t>(rte_hash_count(hash_)); }

}  // namespace strait::dp
