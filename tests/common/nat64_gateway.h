// SPDX-License-Identifier: Apache-2.0
// A NAT64 gateway without ports for tests and fuzzing: EAL once per process (no hugepages,
// a private file prefix), one QSBR variable, per-worker tables and mappers built from a
// Nat64Config the way straitd builds them, and the RFC 7915 translator over byte buffers.
#pragma once

#include <rte_rcu_qsbr.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dataplane/nat64/nat64_mapper.h"
#include "dataplane/nat64/nat64_table.h"
#include "dataplane/xlat/xlat_types.h"
#include "strait/config/nat64.h"

namespace strait::nat64::test {

using Bytes = std::vector<uint8_t>;

/// rte_eal_init once per process with --no-huge, --no-shconf, --no-pci, --no-telemetry and
/// a --file-prefix unique to this process (removed at exit); aborts when EAL cannot start.
/// The calling thread becomes the main lcore. thread: main, before any table.
void init_eal_once(const char* program);

/// The config most tests start from: pool6 2001:db8:64::/96 (RFC 6052 §3.1: not the WKP
/// for documentation addresses), no pool4 yet, RFC 6146 default timeouts.
config::Nat64Config base_config();
config::Pool4Entry pool4_entry(const char* prefix, config::L4Proto p, uint16_t lo, uint16_t hi);

/// What one packet became.
struct Translated {
    xlat::Verdict verdict = xlat::Verdict::Drop;
    DropReason reason = DropReason::InternalBug;
    bool hairpinned = false;  ///< went IPv6 -> IPv4 -> IPv6 (RFC 6146 §3.8)
    Bytes out;                ///< the buffer afterwards (meaningful unless Drop)
};

/// N workers' tables and mappers on one QSBR variable. Worker w's QSBR thread id is w; the
/// test thread reports for all of them (quiesce()). thread: one test thread.
class Gateway {
  public:
    /// Builds the tables (`capacity` sessions each) and mappers (RNG seed `seed + w`), and
    /// the static BIB entries of `c` as straitd does. Aborts on failure (a test bug).
    Gateway(const config::Nat64Config& c, unsigned workers, uint32_t capacity, uint64_t seed = 1);
    ~Gateway();
    Gateway(const Gateway&) = delete;
    Gateway& operator=(const Gateway&) = delete;

    /// The mappers' clock (wrapping milliseconds).
    void set_now_ms(uint32_t ms);
    [[nodiscard]] uint32_t now_ms() const { return now_ms_; }
    /// Every worker reports a quiescent state: table memory deleted so far may be reused.
    void quiesce();

    /// RFC 7915 §5 on worker `w`; a Hairpin verdict runs the IPv4 -> IPv6 pass as the
    /// worker does (xlat_stage.cc) and reports its outcome with `hairpinned`.
    Translated v6_to_v4(unsigned w, const Bytes& in);
    /// RFC 7915 §4 on worker `w`.
    Translated v4_to_v6(unsigned w, const Bytes& in);
    /// A burst through the worker loop's stages (lcore/worker.cc translate_stage): the
    /// mapper's bulk lookups over all of `in` (prefetch_v6 / prefetch_v4), then each packet
    /// translated after select(i). At most Nat64Mapper::kBurst packets.
    std::vector<Translated> burst_v6_to_v4(unsigned w, const std::vector<Bytes>& in);
    std::vector<Translated> burst_v4_to_v6(unsigned w, const std::vector<Bytes>& in);

    /// One bounded sweep step of worker `w`'s tables at the current clock.
    unsigned sweep(unsigned w, unsigned budget) { return mappers_[w]->sweep(budget); }
    /// Sweeps every table to the end (steps of `budget`, quiescing between steps as the
    /// worker loop does) and returns the entries removed.
    unsigned sweep_all(unsigned budget = 64);

    [[nodiscard]] unsigned workers() const { return static_cast<unsigned>(tables_.size()); }
    [[nodiscard]] Nat64Table& table(unsigned w) { return *tables_[w]; }
    [[nodiscard]] const Nat64Shared& shared() const { return *shared_; }
    [[nodiscard]] Nat64Mapper& mapper(unsigned w) { return *mappers_[w]; }
    [[nodiscard]] uint32_t sessions() const;
    [[nodiscard]] uint32_t bib_entries() const;
    /// The session of (IPv6 transport address, remote IPv4 transport address) in any table.
    SessionEntry* find_session(uint8_t proto, const net::Ipv6Addr& src6, uint16_t sport,
                               net::Ipv4Addr dst4, uint16_t dport);

    xlat::XlatConfig xcfg;  ///< mtu 1500 both ways, self 198.51.100.1 / 2001:db8:6::1
    xlat::XlatContext ctx[kMaxWorkers];

  private:
    Translated translate(unsigned w, bool from_v6, xlat::PacketBuf& b);
    std::vector<Translated> burst(unsigned w, bool from_v6, const std::vector<Bytes>& in);

    rte_rcu_qsbr* qsbr_ = nullptr;
    std::unique_ptr<Nat64Shared> shared_;
    std::vector<std::unique_ptr<Nat64Table>> tables_;
    std::vector<std::unique_ptr<Nat64Mapper>> mappers_;
    uint32_t capacity_;
    uint32_t now_ms_ = 0;
};

}  // namespace strait::nat64::test
