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
    /// Creates a table for `capacity` neighbours on `socket`. Thread: main lcore, at start.
    static Result<std::unique_ptr<NeighborTable>> create(const std::string& name,
                                                         uint32_t capacity, int socket);
    ~NeighborTable();
    NeighborTable(const NeighborTable&) = delete;
    NeighborTable& operator=(const NeighborTable&) = delete;

    /// True and `mac` set when the neighbour is resolved. Thread: any worker (lock-free).
    bool lookup(const NeighborKey& key, net::MacAddr& mac) const;

    /// Records a binding and returns the packet held for it (caller sends it), or null.
    /// Returns null too when the table is full. Thread: any worker (lock-free).
    rte_mbuf* learn(const NeighborKey& key, const net::MacAddr& mac);

    enum class HoldResult { Held, HeldAndRequest, Resolved, Full };
    /// Parks `m` until the neighbour resolves, freeing the packet it replaces (counted by
    /// the caller via `replaced`). HeldAndRequest: the caller should send an ARP/NS now
    /// (at most one per `request_interval_tsc` per neighbour). Resolved: the binding
    /// arrived meanwhile; `mac` is set and the caller must send `send_now` (a parked
    /// packet, possibly `m`). Thread: any worker.
    HoldResult hold(const NeighborKey& key, rte_mbuf* m, uint64_t now_tsc,
                    uint64_t request_interval_tsc, net::MacAddr& mac, bool& replaced,
                    rte_mbuf*& send_now);

    /// Number of entries (resolved or pending). Thread: any.
    [[nodiscard]] uint32_t count() const;

private:
    struct alignas(64) Entry {
        std::atomic<uint64_t> mac{0};  // bit 63: valid; low 48 bits: MAC
        std::atomic<rte_mbuf*> held{nullptr};
        std::atomic<uint64_t> last_request_tsc{0};
    };

    NeighborTable(rte_hash* h, Entry* entries, uint32_t capacity);
    int32_t find_or_add(const NeighborKey& key);

    rte_hash* hash_;
    Entry* entries_;
    uint32_t capacity_;
};

}  // namespace strait::dp
