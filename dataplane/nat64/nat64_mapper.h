// SPDX-License-Identifier: Apache-2.0
// Stateful NAT64 (RFC 6146) as a Mapper for the RFC 7915 translator: finds or creates the
// session of each packet in the lock-free tables and maps addresses, ports and ICMP
// identifiers through it. One per worker.
#pragma once

#include <cstdint>

#include "dataplane/xlat/mapper.h"
#include "nat64_table.h"
#include "strait/config/nat64.h"
#include "strait/net/addr.h"
#include "tcp_state.h"

namespace strait::nat64 {

inline constexpr unsigned kMaxWorkers = 64;

/// What every worker's mapper shares: settings and all tables. Immutable after start except
/// the tables' own synchronisation. thread: any worker (read-only).
struct Nat64Shared {
    net::Ipv6Prefix pool6;
    bool check_global = false;  ///< pool6 is 64:ff9b::/96 without the lab override
    Pool4 pool4;
    Nat64Table* tables[kMaxWorkers] = {};
    unsigned n_tables = 0;
    uint8_t subscriber_prefix_len = 128;
    uint32_t max_sessions_per_subscriber = 0;  ///< 0: no limit
    bool drop_external_tcp = false;
    uint32_t udp_ms = 0, icmp_ms = 0, tcp_est_ms = 0, tcp_trans_ms = 0, tcp_syn_ms = 0;

    /// Settings from the config (tables are attached by the caller). Thread: main.
    static Result<Nat64Shared> from_config(const config::Nat64Config& c, unsigned workers,
                                           bool allow_non_global_in_wkp);
};

/// Satisfies xlat::Mapper. thread: its worker only.
class Nat64Mapper {
  public:
    Nat64Mapper(const Nat64Shared& shared, unsigned worker, uint64_t seed)
        : sh_(shared), me_(worker), own_(shared.tables[worker]), rng_(seed) {}

    /// The clock for this burst (wrapping milliseconds). Call once per burst.
    void set_now_ms(uint32_t now_ms) { now_ms_ = now_ms; }

    /// RFC 6146 §3.5 for IPv6 -> IPv4: Outer packets find or create their session (TCP
    /// only on a SYN, §3.5.2.2); an ICMPv6 error's quoted packet (Inner) finds the session
    /// it belongs to and its outer header (ErrorOuter) takes that session's pool4 address.
    /// Destinations that are themselves pool4 addresses answer Hairpin (§3.8).
    xlat::MapResult map_v6_to_v4(const xlat::Flow6& in, xlat::Flow4& out, xlat::MapScope scope);
    /// RFC 6146 §3.5 for IPv4 -> IPv6: the destination names a BIB entry (in the table of
    /// the worker owning that pool4 port); its session is found or, with endpoint-
    /// independent filtering, created. Hairpin scope behaves as Outer.
    xlat::MapResult map_v4_to_v6(const xlat::Flow4& in, xlat::Flow6& out, xlat::MapScope scope);

    /// Burst stage before translation: looks up the sessions (IPv6 side, own table) or BIB
    /// entries and sessions (IPv4 side) of up to kBurst packets (`l3[i]`: IP header, `len[i]`
    /// bytes available) with rte_hash bulk lookups, so their cache misses overlap. Then call
    /// select(i) before translating packet i: its lookups start from these results.
    /// Packets that do not parse simply take the normal path.
    void prefetch_v6(const uint8_t* const* l3, const uint32_t* len, unsigned n);
    void prefetch_v4(const uint8_t* const* l3, const uint32_t* len, unsigned n);
    void select(unsigned i) { pf_cur_ = i < pf_n_ ? static_cast<int>(i) : -1; }

    static constexpr unsigned kBurst = 32;

    /// Housekeeping slot: sweeps this worker's tables a bounded step.
    unsigned sweep(unsigned budget) { return own_->sweep(now_ms_, budget, sh_.tables); }

  private:
    xlat::MapResult outer_v6_to_v4(const xlat::Flow6& in, xlat::Flow4& out);
    xlat::MapResult outer_v4_to_v6(const xlat::Flow4& in, xlat::Flow6& out);
    SessionEntry* find_session_any(const SessionKey& k, uint64_t tables, bool skip_own) const;
    xlat::MapResult create_v6(const SessionKey& k, uint8_t flags, SessionEntry*& s);
    xlat::MapResult create_v4(const SessionKey& k, BibEntry& b, uint8_t flags, SessionEntry*& s);
    void touch(SessionEntry& s, bool from_v6, uint8_t tcp_flags);
    /// RFC 6888 REQ-4: false when the subscriber of `src6` holds its limit of sessions
    /// (summed over all workers' tables).
    bool subscriber_may_add(const uint8_t* src6) const;
    uint32_t timeout_for(uint8_t proto, TcpTimer t) const;
    bool v4_of(const net::Ipv6Addr& a, net::Ipv4Addr& out) const;
    uint64_t next_random() {  // splitmix64: RFC 6056 needs unpredictable, not crypto
        uint64_t z = (rng_ += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    uint64_t subscriber_hash(const uint8_t* src6) const;

    const Nat64Shared& sh_;
    unsigned me_;
    Nat64Table* own_;
    uint64_t rng_;
    uint32_t now_ms_ = 0;
    // Bulk-lookup results of the current burst (prefetch_*), used once by select()ed packet.
    SessionEntry* take_prefetched_session(const SessionKey& k, bool& own_missed);
    /// True when the burst stage looked `k` up: `b` is its result (null: no entry).
    bool take_prefetched_bib(const Bib4Key& k, BibEntry*& b);
    SessionKey pf_keys_[kBurst];
    SessionEntry* pf_sess_[kBurst];
    bool pf_sess_valid_[kBurst];
    Bib4Key pf_bib_keys_[kBurst];
    BibEntry* pf_bib_[kBurst];
    bool pf_bib_valid_[kBurst];
    unsigned pf_n_ = 0;
    int pf_cur_ = -1;
    bool pf_created_ = false;  // a session was made this burst: prefetched misses are stale
    // The session (v6->v4) or BIB entry (v4->v6) an ICMP error's Inner call found, for
    // its ErrorOuter call.
    SessionEntry* err_session_ = nullptr;
    BibEntry* err_bib_ = nullptr;
};

static_assert(xlat::Mapper<Nat64Mapper>);

}  // namespace strait::nat64
