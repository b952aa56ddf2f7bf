// SPDX-License-Identifier: Apache-2.0
// Engine intake, cache hit path, local answers and config swap (RFC 6147 §5, §5.5).
#include "dns64/engine.h"

#include <algorithm>
#include <cstring>

#include "dns64/synth/answer.h"
#include "strait/net/bytes.h"

namespace strait::dns64 {

namespace {
constexpr std::size_t kArenaInitial = 1 << 20;
constexpr uint16_t kRcodeBadVers = 16;  // RFC 6891 §9
}  // namespace

Outbox::Outbox() : arena_(std::make_unique<uint8_t[]>(kArenaInitial)), cap_(kArenaInitial) {
    items_.reserve(1024);
}

uint8_t* Outbox::reserve(std::size_t n) {
    if (used_ + n > cap_) {
        const std::size_t cap = std::max(cap_ * 2, used_ + n);
        auto bigger = std::make_unique<uint8_t[]>(cap);
        std::memcpy(bigger.get(), arena_.get(), used_);
        arena_ = std::move(bigger);
        cap_ = cap;
    }
    return arena_.get() + used_;
}

void Outbox::commit_client(const ClientId& c, std::size_t len) {
    Item it;
    it.client = c;
    it.off = static_cast<uint32_t>(used_);
    it.len = static_cast<uint32_t>(len);
    items_.push_back(it);
    used_ += len;
}

void Outbox::commit_upstream(net::Ipv4Addr server, uint16_t server_port, uint16_t local_port,
                             std::size_t len, bool tcp) {
    Item it;
    it.upstream = true;
    it.tcp = tcp;
    it.server = server;
    it.server_port = server_port;
    it.local_port = local_port;
    it.off = static_cast<uint32_t>(used_);
    it.len = static_cast<uint32_t>(len);
    items_.push_back(it);
    used_ += len;
}

Engine::Engine(const Dns64Config& cfg, Rng& rng) : cfg_(cfg), rng_(rng), policy_(cfg) {
    limiter_.configure(cfg.rate_limit_qps, cfg.rate_limit_burst);
    cache_.configure(cfg.cache_entries, cfg.cache_max_ttl, cfg.cache_negative_max_ttl);
    pending_.configure(cfg.max_pending, cfg.source_port_min, cfg.source_port_max);
}

std::size_t Engine::udp_limit(const ClientId& c, const wire::Edns& e) const {
    if (c.transport == Transport::Tcp) return kMaxMessage;
    if (!e.present) return wire::kMaxUdpPlain;  // RFC 1035 §4.2.1
    // RFC 6891 §6.2.5: below 512 means 512; never above what we advertise ourselves.
    return std::clamp<std::size_t>(e.udp_size, wire::kMaxUdpPlain,
                                   std::max<std::size_t>(cfg_.edns_udp_size, wire::kMaxUdpPlain));
}

void Engine::reply_error(std::span<const uint8_t> m, const ClientId& c, uint16_t rcode) {
    uint8_t* buf = outbox_.reserve(wire::kMaxUdpPlain);
    const std::size_t len = wire::build_error(m, query_, rcode, cfg_.edns_udp_size, buf,
                                              wire::kMaxUdpPlain);
    if (len == 0) return;
    outbox_.commit_client(c, len);
    counters_.answers.inc();
}

void Engine::handle_query(std::span<const uint8_t> m, const ClientId& c, uint64_t now_ns) {
    now_ns_ = now_ns;
    counters_.queries.inc();
    if (!limiter_.allow(c.addr, now_ns)) {
        counters_.rate_limited.inc();  // dropped, not REFUSED: no reflection amplification
        return;
    }
    wire::Query& q = query_;
    switch (wire::parse_query(m, q)) {
        case wire::QueryVerdict::Ok: break;
        case wire::QueryVerdict::Drop:
            (m.size() < wire::kHeaderLen ? counters_.runt : counters_.qr_set).inc();
            return;
        case wire::QueryVerdict::FormErr:
            counters_.formerr.inc();
            return reply_error(m, c, wire::FormErr);
        case wire::QueryVerdict::NotImp:
            counters_.notimp.inc();
            return reply_error(m, c, wire::NotImp);
        case wire::QueryVerdict::BadVers:
            counters_.badvers.inc();
            return reply_error(m, c, kRcodeBadVers);
    }
    const bool do_cd = q.edns.do_bit && (q.h.flags & wire::kFlagCd);
    // RFC 6147 §5.5: a validating client (DO=1, CD=1) gets the real answer, never synthesis.
    const bool synth = q.qclass == wire::kClassIn && !do_cd && policy_.dns64_for(c.addr);
    const uint8_t prefix = synth ? policy_.prefix_for(c.addr) : 0;
    if (synth && (q.qtype == wire::kTypeAaaa || q.qtype == wire::kTypeA) &&
        is_ipv4only_arpa(q.lname, q.qname_len)) {
        return answer_local(m, c, prefix);
    }
    const uint8_t kf = static_cast<uint8_t>((q.edns.do_bit ? kKeyDo : 0) |
                                            ((q.h.flags & wire::kFlagCd) ? kKeyCd : 0) |
                                            (q.edns.present ? kKeyEdns : 0) | (synth ? kKeySynth : 0));
    make_cache_key(key_, q, kf, prefix);
    if (answer_from_cache(m, c, now_ns)) return;
    counters_.cache_misses.inc();
    const uint8_t* qname = m.data() + wire::kHeaderLen;
    if (synth && q.qtype == wire::kTypeAaaa) {
        return start_upstream(m, c, Phase::Aaaa, prefix, kf, qname, q.qname_len, now_ns);
    }
    if (synth && q.qtype == wire::kTypePtr) {
        uint8_t target[wire::kMaxNameLen];
        const std::size_t tlen = policy_.ptr_target(q.lname, q.qname_len, target);
        if (tlen) return start_upstream(m, c, Phase::Ptr, prefix, kf, target, tlen, now_ns);
    }
    start_upstream(m, c, Phase::Forward, prefix, kf, qname, q.qname_len, now_ns);
}

bool Engine::answer_from_cache(std::span<const uint8_t> m, const ClientId& c, uint64_t now_ns) {
    Cache::Hit hit;
    if (!cache_.find(key_, now_ns, hit)) return false;
    counters_.cache_hits.inc();
    counters_.answers.inc();
    if (hit.len > udp_limit(c, query_.edns)) {
        ClientQuestion cq{m.data() + wire::kHeaderLen, query_.qname_len, query_.qtype,
                          query_.qclass, query_.h.id, query_.h.flags, query_.edns,
                          cfg_.edns_udp_size};
        const uint16_t flags = net::load_be16(hit.answer + 2);
        uint8_t* buf = outbox_.reserve(wire::kMaxUdpPlain);
        const std::size_t len = build_empty(cq, flags | wire::kFlagTc, flags & wire::kRcodeMask,
                                            buf, wire::kMaxUdpPlain);
        counters_.truncated.inc();
        if (len) outbox_.commit_client(c, len);
        return true;
    }
    uint8_t* buf = outbox_.reserve(hit.len);
    Cache::render(hit, m, query_, now_ns, buf);
    outbox_.commit_client(c, hit.len);
    return true;
}

void Engine::answer_local(std::span<const uint8_t> m, const ClientId& c, uint8_t prefix) {
    const ClientQuestion cq{m.data() + wire::kHeaderLen, query_.qname_len, query_.qtype,
                            query_.qclass, query_.h.id, query_.h.flags, query_.edns,
                            cfg_.edns_udp_size};
    uint8_t* buf = outbox_.reserve(wire::kMaxUdpPlain);
    const std::size_t len = build_ipv4only(cq, policy_.prefix(prefix), buf, wire::kMaxUdpPlain);
    if (len == 0) return;
    counters_.local_answers.inc();
    counters_.answers.inc();
    outbox_.commit_client(c, len);
}

void Engine::reconfigure(const Dns64Config& cfg) {
    const bool shape_changed =
        cfg.prefixes != cfg_.prefixes || cfg.prefix_select != cfg_.prefix_select ||
        cfg.prefix_map != cfg_.prefix_map || cfg.exclude != cfg_.exclude ||
        cfg.clients != cfg_.clients || cfg.mapped != cfg_.mapped ||
        cfg.allow_non_global_in_wkp != cfg_.allow_non_global_in_wkp ||
        cfg.edns_udp_size != cfg_.edns_udp_size;
    const bool pending_changed = cfg.max_pending != cfg_.max_pending ||
                                 cfg.source_port_min != cfg_.source_port_min ||
                                 cfg.source_port_max != cfg_.source_port_max ||
                                 cfg.prefixes.size() < cfg_.prefixes.size();
    if (pending_changed) {
        for (int idx : pending_.active()) deliver_servfail(idx);
        pending_.configure(cfg.max_pending, cfg.source_port_min, cfg.source_port_max);
    }
    if (cfg.rate_limit_qps != cfg_.rate_limit_qps || cfg.rate_limit_burst != cfg_.rate_limit_burst) {
        limiter_.configure(cfg.rate_limit_qps, cfg.rate_limit_burst);
    }
    if (cfg.cache_entries != cfg_.cache_entries) {
        cache_.configure(cfg.cache_entries, cfg.cache_max_ttl, cfg.cache_negative_max_ttl);
    } else {
        cache_.set_ttl_caps(cfg.cache_max_ttl, cfg.cache_negative_max_ttl);
        if (shape_changed) cache_.request_flush();
    }
    cfg_ = cfg;
    policy_ = Policy(cfg_);
}

}  // namespace strait::dns64
