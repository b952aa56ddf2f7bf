// SPDX-License-Identifier: Apache-2.0
// IP -> MAC bindings for one port, with a one-packet hold slot per unresolved neighbour.
// Built on rte_hash with lock-free readers and concurrent adders; entries are never
// deleted (bounded by capacity), so no reclamation is needed.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include <rte_hash.h>
#include <rte_mbuf.h>

#include "strait/net/addr.h"
#include "strait/util/result.h"

namespace strait::dp {

/// Key: IPv6 address, or IPv4 in the first 4 bytes with the rest zero.
struct NeighborKey {
    uint8_t ip[16] = {};
};
static_assert(sizeof(NeighborKey) == 16);

class NeighborTable {
public:
    /// Packets parked per unresolved neighbour (a traceroute or a fragment train arrives
    /// as a burst before the first ARP/NS answer).
    static constexpr unsigned kHoldSlots = 4;
    using Released = rte_mbuf* [kHoldSlots];

    /// Creates a table for `capacity` neighbours on `socket`. Thread: main lcore, at start.
    static Result<std::unique_ptr<NeighborTable>> create(const std::string& name,
                                                         uint32_t capacity, int socket);
    ~NeighborTable();
    NeighborTable(const NeighborTable&) = delete;
    NeighborTable& operator=(const NeighborTable&) = delete;

    /// True and `mac` set when the neighbour is resolved. Thread: any worker (lock-free).
    bool lookup(const NeighborKey& key, net::MacAddr& mac) const;

    /// Records a binding and moves the packets held for it to `out` (the caller sends
    /// them, in order); returns how many. 0 too when the table is full. Thread: any lcore.
    uint32_t learn(const NeighborKey& key, const net::MacAddr& mac, Released& out);

    enum class HoldResult { Held, HeldAndRequest, Resolved, Full };
    /// Parks `m` until the neighbour resolves; when all kHoldSlots are taken it replaces
    /// one parked packet and frees it (the caller counts it via `replaced`).
    /// HeldAndRequest: send an ARP/NS now (at most one per `request_interval_tsc` per
    /// neighbour). Resolved: the binding arrived meanwhile; `mac` is set and the caller
    /// sends the `n_send` packets in `send_now` (possibly including `m`). Thread: any lcore.
    HoldResult hold(const NeighborKey& key, rte_mbuf* m, uint64_t now_tsc,
                    uint64_t request_interval_tsc, net::MacAddr& mac, bool& replaced,
                    Released& send_now, uint32_t& n_send);

    /// Number of entries (resolved or pending). Thread: any.
    [[nodiscard]] uint32_t count() const;

private:
    struct alignas(64) Entry {
        std::atomic<uint64_t> mac{0};  // bit 63: valid; low 48 bits: MAC
        std::atomic<rte_mbuf*> held[kHoldSlots] = {};
        std::atomic<uint64_t> last_request_tsc{0};
    };

    NeighborTable(rte_hash* h, Entry* entries, uint32_t capacity);
    int32_t find_or_add(const NeighborKey& key);
    static uint32_t drain(Entry& e, Released& out);

    rte_hash* hash_;
    Entry* entries_;
    uint32_t capacity_;
};

}  // namespace strait::dp
