// SPDX-License-Identifier: Apache-2.0
// Outstanding upstream transactions: bounded slots, strict matching on (local port, ID),
// timeouts in deadline order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_map>
#include <vector>

#include "dns64/policy/client.h"
#include "dns64/synth/answer.h"
#include "dns64/upstream/rng.h"
#include "dns64/wire/message.h"

namespace strait::dns64 {

/// Which upstream question a pending transaction is waiting for.
enum class Phase : uint8_t {
    Forward,  ///< transparent recursion (other qtypes, non-DNS64 clients, DO+CD)
    Aaaa,     ///< RFC 6147 §5.1: the AAAA query
    A,        ///< §5.1.6: the A query after NODATA/error on AAAA
    Ptr,      ///< §5.3.1: the in-addr.arpa PTR query behind the synthesized CNAME
};

/// One client query in flight upstream.
struct Pending {
    bool active = false;
    Phase phase = Phase::Forward;
    uint32_t seq = 0;  ///< bumped per upstream transaction; stale timeouts are ignored
    ClientId client;
    uint16_t client_id = 0;
    uint16_t client_flags = 0;
    wire::Edns client_edns;
    uint16_t qtype = 0;
    uint16_t qclass = 0;
    uint16_t qname_len = 0;
    uint8_t qname[wire::kMaxNameLen];  ///< the client's case
    uint8_t prefix = 0;
    uint8_t key_flags = 0;
    uint16_t uname_len = 0;  ///< upstream question (A phase: qname; PTR: in-addr name)
    uint16_t utype = 0;
    uint8_t uname[wire::kMaxNameLen];
    uint16_t txn_id = 0;
    uint16_t local_port = 0;
    uint8_t server = 0;  ///< index into the upstream list
    uint8_t tries = 0;   ///< attempts made so far for this phase
    /// This phase runs over TCP: a UDP answer had TC=1 (RFC 7766 §5). Failover stays on
    /// TCP, since the next server's UDP answer would be just as truncated.
    bool tcp = false;
    uint64_t deadline_ns = 0;
    AaaaVerdict aaaa;
    std::vector<uint8_t> saved;  ///< client-ready AAAA answer, sent if the A query fails
};

/// Fixed pool of Pending slots (max_pending) with a (local port, ID) index. Allocation
/// happens on the miss path only. Thread: DNS64 lcore only.
class PendingTable {
public:
    void configure(std::size_t max_pending, uint16_t port_min, uint16_t port_max);
    /// A free slot, or -1 when `max_pending` are in flight.
    int alloc();
    void release(int idx);
    [[nodiscard]] Pending& at(int idx) { return slots_[static_cast<std::size_t>(idx)]; }
    /// Draws a fresh random (local port, ID) pair not in use (RFC 5452 §9.2) and indexes
    /// it; the previous transaction of the slot is forgotten. False if none found.
    bool assign_txn(int idx, Rng& rng);
    /// Slot waiting on (local_port, id), or -1. The caller checks server and question.
    [[nodiscard]] int match(uint16_t local_port, uint16_t id) const;
    /// Schedules the current transaction's timeout.
    void arm(int idx, uint64_t deadline_ns);
    /// Pops one slot whose current transaction timed out by `now_ns`, or -1.
    int pop_expired(uint64_t now_ns);
    [[nodiscard]] std::size_t in_use() const { return used_; }
    [[nodiscard]] std::size_t capacity() const { return slots_.size(); }
    /// True while some transaction uses this local port. Thread: DNS64 lcore only.
    [[nodiscard]] bool port_in_use(uint16_t port) const { return ports_.count(port) != 0; }
    /// Every active slot index (for failing all on reconfiguration).
    [[nodiscard]] std::vector<int> active() const;

private:
    static uint32_t key(uint16_t port, uint16_t id) { return uint32_t{port} << 16 | id; }
    void drop_txn(int idx);

    struct Timeout {
        uint64_t deadline_ns;
        int idx;
        uint32_t seq;
    };
    std::vector<Pending> slots_;
    std::vector<int> free_;
    std::size_t used_ = 0;
    std::unordered_map<uint32_t, int> index_;
    std::unordered_map<uint16_t, uint32_t> ports_;  // refcount per local port
    std::deque<Timeout> timeouts_;                  // deadline order (fixed timeout)
    uint16_t port_min_ = 49152;
    uint16_t port_max_ = 65535;
};

}  // namespace strait::dns64
