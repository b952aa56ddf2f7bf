// SPDX-License-Identifier: Apache-2.0
// Stateful NAT64 mapping: session lookup and creation for both directions (RFC 6146 §3.5),
// ICMP errors through the session of the packet they quote (§3.5.3).
#include "nat64_mapper.h"

#include <cstring>

#include "strait/net/bytes.h"
#include "strait/net/rfc6052.h"

namespace strait::nat64 {
namespace {

using xlat::Flow4;
using xlat::Flow6;
using xlat::MapResult;
using xlat::MapScope;
using xlat::MapStatus;

constexpr uint8_t kIcmp = 1;
constexpr uint8_t kTcp = 6;

uint32_t host32(const uint8_t* b) {
    return uint32_t{b[0]} << 24 | uint32_t{b[1]} << 16 | uint32_t{b[2]} << 8 | b[3];
}

/// ICMP query sessions have no remote port: the identifier names the flow (§3.5.1.1).
uint16_t remote_port(uint8_t proto, uint16_t port) { return proto == kIcmp ? 0 : port; }

}  // namespace

Result<Nat64Shared> Nat64Shared::from_config(const config::Nat64Config& c, unsigned workers,
                                             bool allow_non_global_in_wkp) {
    auto pool4 = Pool4::build(c.pool4, workers);
    if (!pool4) return pool4.error();
    Nat64Shared s;
    s.pool6 = c.pool6;
    s.check_global = net::is_well_known_prefix(c.pool6) && !allow_non_global_in_wkp;
    s.pool4 = std::move(*pool4);
    s.subscriber_prefix_len = c.subscriber_prefix_len;
    s.max_sessions_per_subscriber = c.max_sessions_per_subscriber;
    s.drop_external_tcp = c.drop_externally_initiated_tcp;
    s.udp_ms = c.timeouts.udp * 1000;
    s.icmp_ms = c.timeouts.icmp * 1000;
    s.tcp_est_ms = c.timeouts.tcp_established * 1000;
    s.tcp_trans_ms = c.timeouts.tcp_transitory * 1000;
    s.tcp_syn_ms = c.timeouts.tcp_incoming_syn * 1000;
    return s;
}

bool Nat64Mapper::v4_of(const net::Ipv6Addr& a, net::Ipv4Addr& out) const {
    if (!sh_.pool6.contains(a)) return false;
    net::extract_ipv4(sh_.pool6, a.b.data(), out.b.data());
    return !sh_.check_global || net::is_global_ipv4(out);
}

uint64_t Nat64Mapper::subscriber_hash(const uint8_t* src6) const {
    // The subscriber's prefix picks its pool4 address (RFC 4787 REQ-2 "paired"), so all
    // of one subscriber's mappings share an address while it has free ports.
    uint8_t sub[16] = {};
    const unsigned full = sh_.subscriber_prefix_len / 8;
    std::memcpy(sub, src6, full);
    if (full < 16 && (sh_.subscriber_prefix_len & 7)) {
        sub[full] = static_cast<uint8_t>(src6[full] & (0xff00 >> (sh_.subscriber_prefix_len & 7)));
    }
    uint64_t a, b;
    std::memcpy(&a, sub, 8);
    std::memcpy(&b, sub + 8, 8);
    // Pool4::allocate takes the hash modulo the address count, which a multiply alone
    // leaves depending on the low input bytes only: every subscriber in one /32 got the
    // same address. SplitMix64's finalizer mixes all bits into the low ones.
    uint64_t h = a ^ (b * 0x9e3779b97f4a7c15ull);
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
    return h ^ (h >> 31);
}

bool Nat64Mapper::subscriber_may_add(const uint8_t* src6) const {
    if (sh_.max_sessions_per_subscriber == 0) return true;
    const SubscriberKey k = own_->subscriber_of(src6);
    uint32_t n = 0;
    for (unsigned t = 0; t < sh_.n_tables; ++t) n += sh_.tables[t]->subscriber_sessions(k);
    return n < sh_.max_sessions_per_subscriber;
}

uint32_t Nat64Mapper::timeout_for(uint8_t proto, TcpTimer t) const {
    if (proto != kTcp) return proto == kIcmp ? sh_.icmp_ms : sh_.udp_ms;
    switch (t) {
        case TcpTimer::Est:
            return sh_.tcp_est_ms;
        case TcpTimer::IncomingSyn:
            return sh_.tcp_syn_ms;
        default:
            return sh_.tcp_trans_ms;
    }
}

void Nat64Mapper::touch(SessionEntry& s, bool from_v6, uint8_t tcp_flags) {
    TcpTimer timer = TcpTimer::Est;  // any refresh for UDP/ICMP
    if (s.proto == kTcp) {
        const auto st = static_cast<TcpState>(s.tcp_state.load(std::memory_order_relaxed));
        const TcpStep step = tcp_step(st, from_v6, tcp_flags);
        if (step.next != st) {
            s.tcp_state.store(static_cast<uint8_t>(step.next), std::memory_order_relaxed);
        }
        timer = step.timer;
        if (timer == TcpTimer::Keep) return;
    }
    const uint32_t want = now_ms_ + timeout_for(s.proto, timer);
    // Write the shared line only when the deadline moves by more than 1 s (or backwards,
    // on a shorter TCP timer): most packets of a busy flow write nothing.
    const uint32_t have = s.expires_ms.load(std::memory_order_relaxed);
    const auto ahead = static_cast<int32_t>(want - have);
    if (ahead > 1000 || ahead < 0) s.expires_ms.store(want, std::memory_order_relaxed);
}

SessionEntry* Nat64Mapper::find_session_any(const SessionKey& k, uint64_t tables,
                                            bool skip_own) const {
    if (!skip_own) {
        if (SessionEntry* s = own_->find_session(k)) return s;
    }
    tables &= ~(uint64_t{1} << me_);
    while (tables) {
        const unsigned t = static_cast<unsigned>(__builtin_ctzll(tables));
        tables &= tables - 1;
        if (t >= sh_.n_tables) break;
        if (SessionEntry* s = sh_.tables[t]->find_session(k)) return s;
    }
    return nullptr;
}

MapResult Nat64Mapper::create_v6(const SessionKey& k, uint8_t flags, SessionEntry*& s) {
    TcpStep step{TcpState::Closed, TcpTimer::Est};
    if (k.proto == kTcp) {
        step = tcp_step(TcpState::Closed, true, flags);
        if (step.next == TcpState::Closed) return MapResult::drop(DropReason::Nat64TcpNoSession);
    }
    if (!subscriber_may_add(k.src6)) return MapResult::drop(DropReason::Nat64SubscriberLimit);
    const unsigned pi = proto_index(k.proto);
    // Endpoint-independent mapping (RFC 4787 REQ-1): reuse the subscriber transport
    // address's BIB entry from whichever worker made it.
    Bib6Key k6{};
    std::memcpy(k6.src6, k.src6, 16);
    k6.port6 = k.sport;
    k6.proto = k.proto;
    BibEntry* b = nullptr;
    uint32_t ref = 0;
    for (unsigned i = 0; i < sh_.n_tables && b == nullptr; ++i) {
        const unsigned t = i == 0 ? me_ : (i <= me_ ? i - 1 : i);
        BibEntry* cand = sh_.tables[t]->find_bib6(k6);
        if (cand && cand->try_ref()) {
            b = cand;
            ref = bib_ref(t, static_cast<uint32_t>(cand - &sh_.tables[t]->bib_at(0)));
        }
    }
    if (b == nullptr) {
        Bib4Key k4{};
        k4.proto = k.proto;
        Pool4Pick pick;
        const bool got = sh_.pool4.allocate(
            me_, pi, subscriber_hash(k.src6), k.sport, next_random(),
            [&](uint32_t addr, uint16_t port) {
                net::store_be32(k4.addr4, addr);
                k4.port4 = port;
                return !own_->bib4_in_use(k4);
            },
            [&](uint32_t idx) { return own_->slice_full(pi, idx); }, pick);
        if (!got) return MapResult::drop(DropReason::Nat64Pool4Exhausted);
        net::store_be32(k4.addr4, pick.addr);
        k4.port4 = pick.port;
        b = own_->add_bib(k6, k4, pick.addr_index, false);
        if (b == nullptr) return MapResult::drop(DropReason::Nat64TableFull);
        ref = bib_ref(me_, static_cast<uint32_t>(b - &own_->bib_at(0)));
    }
    const uint32_t expires = now_ms_ + timeout_for(k.proto, step.timer);
    s = own_->add_session(k, ref, *b, static_cast<uint8_t>(step.next), expires);
    if (s == nullptr) {
        b->refs.fetch_sub(1, std::memory_order_acq_rel);
        return MapResult::drop(DropReason::Nat64TableFull);
    }
    b->tables.fetch_or(uint64_t{1} << me_, std::memory_order_relaxed);
    own_->add_subscriber_session(k.src6);
    pf_created_ = true;
    return MapResult::ok();
}

MapResult Nat64Mapper::create_v4(const SessionKey& k, BibEntry& b, uint8_t flags,
                                 SessionEntry*& s) {
    TcpStep step{TcpState::Closed, TcpTimer::Est};
    if (k.proto == kTcp) {
        step = tcp_step(TcpState::Closed, false, flags);
        if (step.next == TcpState::Closed) return MapResult::drop(DropReason::Nat64TcpNoSession);
        if (sh_.drop_external_tcp) return MapResult::drop(DropReason::Nat64Filtered);
    }
    if (!subscriber_may_add(b.addr6)) return MapResult::drop(DropReason::Nat64SubscriberLimit);
    if (!b.try_ref()) return MapResult::drop(DropReason::Nat64NoBib);
    const uint32_t ref =
        bib_ref(b.owner, static_cast<uint32_t>(&b - &sh_.tables[b.owner]->bib_at(0)));
    s = own_->add_session(k, ref, b, static_cast<uint8_t>(step.next),
                          now_ms_ + timeout_for(k.proto, step.timer));
    if (s == nullptr) {
        b.refs.fetch_sub(1, std::memory_order_acq_rel);
        return MapResult::drop(DropReason::Nat64TableFull);
    }
    b.tables.fetch_or(uint64_t{1} << me_, std::memory_order_relaxed);
    own_->add_subscriber_session(b.addr6);
    pf_created_ = true;
    return MapResult::ok();
}

MapResult Nat64Mapper::outer_v6_to_v4(const Flow6& in, Flow4& out) {
    if (!v4_of(in.dst, out.dst)) return MapResult::drop(DropReason::XlatNoMapping);
    const unsigned pi = proto_index(out.proto);
    if (pi >= kProtos || !in.has_ports) return MapResult::drop(DropReason::Nat64Untracked);
    SessionKey k{};
    std::memcpy(k.src6, in.src.b.data(), 16);
    std::memcpy(k.dst4, out.dst.b.data(), 4);
    k.sport = in.src_port;
    k.dport = remote_port(out.proto, in.dst_port);
    k.proto = out.proto;
    bool own_missed = false;
    SessionEntry* s = take_prefetched_session(k, own_missed);
    if (s == nullptr) s = find_session_any(k, ~uint64_t{0}, own_missed);
    if (s != nullptr) {
        touch(*s, true, in.tcp_flags);
    } else if (const MapResult r = create_v6(k, in.tcp_flags, s); r.status != MapStatus::Ok) {
        return r;
    }
    std::memcpy(out.src.b.data(), s->addr4, 4);
    out.src_port = s->port4;
    if (out.proto == kIcmp) out.dst_port = s->port4;
    // RFC 6146 §3.8: a destination inside pool4 is another subscriber: hairpin.
    if (sh_.pool4.owner(pi, host32(out.dst.b.data()), out.dst_port) >= 0) {
        return {MapStatus::Hairpin, DropReason::InternalBug};
    }
    return MapResult::ok();
}

MapResult Nat64Mapper::map_v6_to_v4(const Flow6& in, Flow4& out, MapScope scope) {
    if (scope == MapScope::Outer) return outer_v6_to_v4(in, out);
    if (scope == MapScope::ErrorOuter) {
        // §3.5.3: the error leaves from the session's pool4 address towards the remote.
        if (err_session_ == nullptr) return MapResult::drop(DropReason::Nat64NoSession);
        std::memcpy(out.src.b.data(), err_session_->addr4, 4);
        err_session_ = nullptr;
        if (!v4_of(in.dst, out.dst)) return MapResult::drop(DropReason::XlatNoMapping);
        return MapResult::ok();
    }
    // Inner: the quoted packet went IPv4 -> IPv6 (remote -> subscriber).
    err_session_ = nullptr;
    if (!v4_of(in.src, out.src)) return MapResult::drop(DropReason::XlatNoMapping);
    if (proto_index(out.proto) >= kProtos || !in.has_ports) {
        return MapResult::drop(DropReason::Nat64NoSession);
    }
    SessionKey k{};
    std::memcpy(k.src6, in.dst.b.data(), 16);
    std::memcpy(k.dst4, out.src.b.data(), 4);
    k.sport = in.dst_port;
    k.dport = remote_port(out.proto, in.src_port);
    k.proto = out.proto;
    SessionEntry* s = find_session_any(k, ~uint64_t{0}, false);
    if (s == nullptr) return MapResult::drop(DropReason::Nat64NoSession);
    std::memcpy(out.dst.b.data(), s->addr4, 4);
    out.dst_port = s->port4;
    if (out.proto == kIcmp) out.src_port = s->port4;
    err_session_ = s;
    return MapResult::ok();
}

MapResult Nat64Mapper::outer_v4_to_v6(const Flow4& in, Flow6& out) {
    const unsigned pi = proto_index(in.proto);
    if (pi >= kProtos || !in.has_ports) return MapResult::drop(DropReason::Nat64Untracked);
    const int owner = sh_.pool4.owner(pi, host32(in.dst.b.data()), in.dst_port);
    if (owner < 0 || static_cast<unsigned>(owner) >= sh_.n_tables) {
        return MapResult::drop(DropReason::XlatNoMapping);
    }
    Bib4Key k4{};
    std::memcpy(k4.addr4, in.dst.b.data(), 4);
    k4.port4 = in.dst_port;
    k4.proto = in.proto;
    BibEntry* b = nullptr;
    if (!take_prefetched_bib(k4, b)) b = sh_.tables[owner]->find_bib4(k4);
    if (b == nullptr) return MapResult::drop(DropReason::Nat64NoBib);
    net::embed_ipv4(sh_.pool6, in.src.b.data(), out.src.b.data());
    if (sh_.check_global && !net::is_global_ipv4(in.src)) {
        return MapResult::drop(DropReason::XlatNonGlobalInWkp);
    }
    SessionKey k{};
    std::memcpy(k.src6, b->addr6, 16);
    std::memcpy(k.dst4, in.src.b.data(), 4);
    k.sport = b->port6;
    k.dport = remote_port(in.proto, in.src_port);
    k.proto = in.proto;
    bool own_missed = false;
    SessionEntry* s = take_prefetched_session(k, own_missed);
    if (s == nullptr)
        s = find_session_any(k, b->tables.load(std::memory_order_relaxed), own_missed);
    if (s != nullptr) {
        touch(*s, false, in.tcp_flags);
    } else if (const MapResult r = create_v4(k, *b, in.tcp_flags, s); r.status != MapStatus::Ok) {
        return r;
    }
    std::memcpy(out.dst.b.data(), b->addr6, 16);
    out.dst_port = b->port6;
    if (in.proto == kIcmp) out.src_port = b->port6;
    return MapResult::ok();
}

MapResult Nat64Mapper::map_v4_to_v6(const Flow4& in, Flow6& out, MapScope scope) {
    if (scope == MapScope::Outer || scope == MapScope::Hairpin) return outer_v4_to_v6(in, out);
    if (scope == MapScope::ErrorOuter) {
        // The error's sender (a router on the IPv4 side) appears inside pool6.
        if (err_bib_ == nullptr) return MapResult::drop(DropReason::Nat64NoSession);
        std::memcpy(out.dst.b.data(), err_bib_->addr6, 16);
        err_bib_ = nullptr;
        net::embed_ipv4(sh_.pool6, in.src.b.data(), out.src.b.data());
        if (sh_.check_global && !net::is_global_ipv4(in.src)) {
            return MapResult::drop(DropReason::XlatNonGlobalInWkp);
        }
        return MapResult::ok();
    }
    // Inner: the quoted packet went IPv6 -> IPv4 (pool4 transport address -> remote).
    err_bib_ = nullptr;
    const unsigned pi = proto_index(in.proto);
    if (pi >= kProtos || !in.has_ports) return MapResult::drop(DropReason::Nat64NoSession);
    const int owner = sh_.pool4.owner(pi, host32(in.src.b.data()), in.src_port);
    if (owner < 0 || static_cast<unsigned>(owner) >= sh_.n_tables) {
        return MapResult::drop(DropReason::Nat64NoSession);
    }
    Bib4Key k4{};
    std::memcpy(k4.addr4, in.src.b.data(), 4);
    k4.port4 = in.src_port;
    k4.proto = in.proto;
    BibEntry* b = sh_.tables[owner]->find_bib4(k4);
    if (b == nullptr) return MapResult::drop(DropReason::Nat64NoSession);
    std::memcpy(out.src.b.data(), b->addr6, 16);
    out.src_port = b->port6;
    if (in.proto == kIcmp) out.dst_port = b->port6;
    net::embed_ipv4(sh_.pool6, in.dst.b.data(), out.dst.b.data());
    err_bib_ = b;
    return MapResult::ok();
}

SessionEntry* Nat64Mapper::take_prefetched_session(const SessionKey& k, bool& own_missed) {
    own_missed = false;
    if (pf_cur_ < 0 || !pf_sess_valid_[pf_cur_]) return nullptr;
    pf_sess_valid_[pf_cur_] = false;
    if (std::memcmp(&pf_keys_[pf_cur_], &k, sizeof k) != 0) return nullptr;
    SessionEntry* s = pf_sess_[pf_cur_];
    own_missed = s == nullptr && !pf_created_;
    return s;
}

bool Nat64Mapper::take_prefetched_bib(const Bib4Key& k, BibEntry*& b) {
    if (pf_cur_ < 0 || !pf_bib_valid_[pf_cur_]) return false;
    pf_bib_valid_[pf_cur_] = false;
    if (std::memcmp(&pf_bib_keys_[pf_cur_], &k, sizeof k) != 0) return false;
    b = pf_bib_[pf_cur_];
    return true;
}

void Nat64Mapper::prefetch_v6(const uint8_t* const* l3, const uint32_t* len, unsigned n) {
    pf_n_ = n < kBurst ? n : kBurst;
    pf_cur_ = -1;
    pf_created_ = false;
    const SessionKey* keys[kBurst];
    unsigned at[kBurst];
    unsigned m = 0;
    for (unsigned i = 0; i < pf_n_; ++i) {
        pf_sess_valid_[i] = false;
        pf_bib_valid_[i] = false;
        const uint8_t* p = l3[i];
        if (len[i] < 48 || (p[0] >> 4) != 6) continue;
        const uint8_t nh = p[6];
        SessionKey& k = pf_keys_[i];
        k = SessionKey{};
        if (nh == 6 || nh == 17) {
            k.proto = nh;
            k.sport = net::load_be16(p + 40);
            k.dport = net::load_be16(p + 42);
        } else if (nh == 58 && (p[40] == 128 || p[40] == 129)) {
            k.proto = kIcmp;
            k.sport = net::load_be16(p + 44);
        } else {
            continue;
        }
        const net::Ipv6Addr dst = net::Ipv6Addr::from_bytes(p + 24);
        if (!sh_.pool6.contains(dst)) continue;
        net::extract_ipv4(sh_.pool6, p + 24, k.dst4);
        std::memcpy(k.src6, p + 8, 16);
        keys[m] = &k;
        at[m++] = i;
    }
    if (m == 0) return;
    SessionEntry* found[kBurst];
    own_->find_sessions(keys, m, found);
    for (unsigned j = 0; j < m; ++j) {
        pf_sess_[at[j]] = found[j];
        pf_sess_valid_[at[j]] = true;
        if (found[j]) __builtin_prefetch(found[j], 1);
    }
}

void Nat64Mapper::prefetch_v4(const uint8_t* const* l3, const uint32_t* len, unsigned n) {
    pf_n_ = n < kBurst ? n : kBurst;
    pf_cur_ = -1;
    pf_created_ = false;
    int owner[kBurst];
    uint16_t sport[kBurst];
    for (unsigned i = 0; i < pf_n_; ++i) {
        pf_sess_valid_[i] = false;
        pf_bib_valid_[i] = false;
        owner[i] = -1;
        const uint8_t* p = l3[i];
        // Plain 20-byte headers of unfragmented packets; anything else takes the slow path.
        if (len[i] < 28 || p[0] != 0x45 || (net::load_be16(p + 6) & 0x3fff) != 0) continue;
        Bib4Key& k = pf_bib_keys_[i];
        k = Bib4Key{};
        k.proto = p[9];
        const uint8_t* l4 = p + 20;
        if (k.proto == 6 || k.proto == 17) {
            sport[i] = net::load_be16(l4);
            k.port4 = net::load_be16(l4 + 2);
        } else if (k.proto == kIcmp && (l4[0] == 0 || l4[0] == 8)) {
            sport[i] = k.port4 = net::load_be16(l4 + 4);
        } else {
            continue;
        }
        std::memcpy(k.addr4, p + 16, 4);
        owner[i] = sh_.pool4.owner(proto_index(k.proto), host32(k.addr4), k.port4);
        if (owner[i] >= static_cast<int>(sh_.n_tables)) owner[i] = -1;
    }
    // BIB entries, one bulk lookup per owning table.
    for (unsigned t = 0; t < sh_.n_tables; ++t) {
        const Bib4Key* keys[kBurst];
        unsigned at[kBurst];
        unsigned m = 0;
        for (unsigned i = 0; i < pf_n_; ++i) {
            if (owner[i] == static_cast<int>(t)) {
                keys[m] = &pf_bib_keys_[i];
                at[m++] = i;
            }
        }
        if (m == 0) continue;
        BibEntry* found[kBurst];
        sh_.tables[t]->find_bibs4(keys, m, found);
        for (unsigned j = 0; j < m; ++j) {
            pf_bib_[at[j]] = found[j];
            pf_bib_valid_[at[j]] = true;
        }
    }
    // Their sessions, in this worker's table first (one bulk lookup).
    const SessionKey* keys[kBurst];
    unsigned at[kBurst];
    unsigned m = 0;
    for (unsigned i = 0; i < pf_n_; ++i) {
        if (!pf_bib_valid_[i] || pf_bib_[i] == nullptr) continue;
        const BibEntry& b = *pf_bib_[i];
        SessionKey& k = pf_keys_[i];
        k = SessionKey{};
        std::memcpy(k.src6, b.addr6, 16);
        std::memcpy(k.dst4, l3[i] + 12, 4);
        k.sport = b.port6;
        k.dport = remote_port(pf_bib_keys_[i].proto, sport[i]);
        k.proto = pf_bib_keys_[i].proto;
        keys[m] = &k;
        at[m++] = i;
    }
    if (m == 0) return;
    SessionEntry* found[kBurst];
    own_->find_sessions(keys, m, found);
    for (unsigned j = 0; j < m; ++j) {
        pf_sess_[at[j]] = found[j];
        pf_sess_valid_[at[j]] = true;
        if (found[j]) __builtin_prefetch(found[j], 1);
    }
}

}  // namespace strait::nat64
