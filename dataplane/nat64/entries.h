// SPDX-License-Identifier: Apache-2.0
// BIB and session keys and entries (RFC 6146 §3.1-3.2) as stored in the tables.
// Keys are fixed-size, zero-padded and hashed as raw bytes; entries carry the mutable
// per-session state as relaxed atomics so lookups write nothing unless state changes.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace strait::nat64 {

/// A session seen from the IPv6 side: (subscriber address, port, remote IPv4, remote port,
/// protocol). ICMP query sessions use the identifier as `sport` and 0 as `dport`. Ports in
/// host order; `proto` is the IPv4 protocol number.
struct SessionKey {
    uint8_t src6[16];
    uint8_t dst4[4];
    uint16_t sport;
    uint16_t dport;
    uint8_t proto;
    uint8_t pad[7];
};
static_assert(sizeof(SessionKey) == 32);
static_assert(std::has_unique_object_representations_v<SessionKey>);

/// BIB entry seen from the IPv6 side: the subscriber's transport address.
struct Bib6Key {
    uint8_t src6[16];
    uint16_t port6;
    uint8_t proto;
    uint8_t pad;
};
static_assert(sizeof(Bib6Key) == 20);
static_assert(std::has_unique_object_representations_v<Bib6Key>);

/// BIB entry seen from the IPv4 side: the pool4 transport address.
struct Bib4Key {
    uint8_t addr4[4];
    uint16_t port4;
    uint8_t proto;
    uint8_t pad;
};
static_assert(sizeof(Bib4Key) == 8);
static_assert(std::has_unique_object_representations_v<Bib4Key>);

/// A subscriber: the IPv6 source address masked to nat64.limits.subscriber_prefix_len.
struct SubscriberKey {
    uint8_t prefix[16];
};
static_assert(sizeof(SubscriberKey) == 16);

/// Sessions one worker's table holds for a subscriber (RFC 6888 REQ-4 limits).
/// thread: written by that worker, read by any (relaxed).
struct SubscriberEntry {
    std::atomic<uint32_t> sessions;
};

/// One mapping. Written by its owner worker before it is published; afterwards only
/// `refs` and `tables` change. thread: read by any worker (lock-free), `refs` and `tables`
/// updated atomically by any worker.
struct BibEntry {
    static constexpr uint32_t kDead = 1u << 31;  ///< the owner retired it (refs was 0)
    uint8_t addr6[16];
    uint8_t addr4[4];
    uint16_t port6;
    uint16_t port4;
    uint8_t proto;
    uint8_t is_static;
    uint16_t owner;                ///< worker whose table holds it
    uint32_t addr_index;           ///< pool4 address number (utilisation counters)
    std::atomic<uint32_t> refs;    ///< sessions using it, | kDead once retired
    std::atomic<uint64_t> tables;  ///< bit per worker table holding one of its sessions

    /// Takes a reference unless the owner retired the entry. thread: any worker.
    bool try_ref() {
        uint32_t r = refs.load(std::memory_order_relaxed);
        while ((r & kDead) == 0) {
            if (refs.compare_exchange_weak(r, r + 1, std::memory_order_acq_rel)) return true;
        }
        return false;
    }
};

/// Reference to a BIB entry in any worker's table.
constexpr uint32_t bib_ref(unsigned owner, uint32_t index) { return owner << 24 | index; }
constexpr unsigned bib_ref_owner(uint32_t ref) { return ref >> 24; }
constexpr uint32_t bib_ref_index(uint32_t ref) { return ref & 0xffffffu; }

/// One session: 16 bytes beside its key. The IPv4 side of the mapping is copied from the
/// BIB so the IPv6->IPv4 direction needs one lookup. thread: created and deleted by the
/// worker whose table holds it; `tcp_state` and `expires_ms` updated by any worker.
struct SessionEntry {
    uint32_t bib;  ///< bib_ref of its BIB entry
    uint8_t addr4[4];
    uint16_t port4;
    uint8_t proto;
    std::atomic<uint8_t> tcp_state;
    std::atomic<uint32_t> expires_ms;  ///< wrapping milliseconds clock
};
static_assert(sizeof(SessionEntry) == 16);

}  // namespace strait::nat64
