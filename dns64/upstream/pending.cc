// SPDX-License-Identifier: Apache-2.0
// Implementation of the outstanding upstream transaction table.
#include "dns64/upstream/pending.h"

namespace strait::dns64 {

void PendingTable::configure(std::size_t max_pending, uint16_t port_min, uint16_t port_max) {
    slots_ = std::vector<Pending>(max_pending);
    free_.clear();
    free_.reserve(max_pending);
    for (std::size_t i = max_pending; i > 0; --i) free_.push_back(static_cast<int>(i - 1));
    used_ = 0;
    index_.clear();
    index_.reserve(max_pending * 2);
    ports_.clear();
    timeouts_.clear();
    port_min_ = port_min;
    port_max_ = port_max;
}

int PendingTable::alloc() {
    if (free_.empty()) return -1;
    const int idx = free_.back();
    free_.pop_back();
    Pending& p = at(idx);
    p.active = true;
    p.tries = 0;
    p.tcp = false;
    p.txn_id = 0;
    p.local_port = 0;
    p.saved.clear();
    p.aaaa = AaaaVerdict{};
    ++used_;
    return idx;
}

void PendingTable::drop_txn(int idx) {
    Pending& p = at(idx);
    if (p.local_port == 0) return;
    index_.erase(key(p.local_port, p.txn_id));
    auto it = ports_.find(p.local_port);
    if (it != ports_.end() && --it->second == 0) ports_.erase(it);
    p.local_port = 0;
}

void PendingTable::release(int idx) {
    Pending& p = at(idx);
    if (!p.active) return;
    drop_txn(idx);
    ++p.seq;
    p.active = false;
    free_.push_back(idx);
    --used_;
}

bool PendingTable::assign_txn(int idx, Rng& rng) {
    drop_txn(idx);
    Pending& p = at(idx);
    ++p.seq;
    const uint32_t span = uint32_t{port_max_} - port_min_ + 1;
    for (int attempt = 0; attempt < 16; ++attempt) {
        const uint64_t r = rng.next();
        const auto port = static_cast<uint16_t>(port_min_ + (r >> 16) % span);
        const auto id = static_cast<uint16_t>(r);
        if (index_.emplace(key(port, id), idx).second) {
            p.local_port = port;
            p.txn_id = id;
            ++ports_[port];
            return true;
        }
    }
    return false;
}

int PendingTable::match(uint16_t local_port, uint16_t id) const {
    auto it = index_.find(key(local_port, id));
    return it == index_.end() ? -1 : it->second;
}

void PendingTable::arm(int idx, uint64_t deadline_ns) {
    Pending& p = at(idx);
    p.deadline_ns = deadline_ns;
    timeouts_.push_back(Timeout{deadline_ns, idx, p.seq});
}

int PendingTable::pop_expired(uint64_t now_ns) {
    while (!timeouts_.empty()) {
        const Timeout t = timeouts_.front();
        const Pending& p = at(t.idx);
        const bool current = p.active && p.seq == t.seq;
        if (current && t.deadline_ns > now_ns) return -1;
        timeouts_.pop_front();
        if (current) return t.idx;
    }
    return -1;
}

std::vector<int> PendingTable::active() const {
    std::vector<int> out;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        if (slots_[i].active) out.push_back(static_cast<int>(i));
    }
    return out;
}

}  // namespace strait::dns64
