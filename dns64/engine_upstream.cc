// SPDX-License-Identifier: Apache-2.0
// Engine upstream side: queries with random ID and port (RFC 5452), strict answer
// matching, AAAA-then-A synthesis (RFC 6147 §5.1), PTR (§5.3.1), timeouts and failover,
// TCP retry of truncated answers (RFC 7766 §5).
#include <algorithm>
#include <cstring>

#include "dns64/engine.h"
#include "dns64/synth/answer.h"
#include "strait/net/bytes.h"

namespace strait::dns64 {

ClientQuestion Engine::client_question(const Pending& p) const {
    return ClientQuestion{p.qname,       p.qname_len,   p.qtype,          p.qclass, p.client_id,
                          p.client_flags, p.client_edns, cfg_.edns_udp_size};
}

void Engine::start_upstream(std::span<const uint8_t> m, const ClientId& c, Phase phase,
                            uint8_t prefix, uint8_t key_flags, const uint8_t* uname,
                            std::size_t uname_len, uint64_t now_ns) {
    const int idx = pending_.alloc();
    if (idx < 0) {
        counters_.pending_full.inc();
        return reply_error(m, c, wire::ServFail);
    }
    Pending& p = pending_.at(idx);
    p.phase = phase;
    p.client = c;
    p.client_id = query_.h.id;
    p.client_flags = query_.h.flags;
    p.client_edns = query_.edns;
    p.qtype = query_.qtype;
    p.qclass = query_.qclass;
    p.qname_len = static_cast<uint16_t>(query_.qname_len);
    std::memcpy(p.qname, m.data() + wire::kHeaderLen, query_.qname_len);
    p.prefix = prefix;
    p.key_flags = key_flags;
    p.uname_len = static_cast<uint16_t>(uname_len);
    std::memcpy(p.uname, uname, uname_len);
    p.utype = phase == Phase::Ptr ? wire::kTypePtr : query_.qtype;
    p.server = 0;  // the list order is the operator's preference; failover walks it
    send_upstream(idx, now_ns);
}

void Engine::send_upstream(int idx, uint64_t now_ns, bool count_try) {
    Pending& p = pending_.at(idx);
    p.server = static_cast<uint8_t>(p.server % cfg_.upstreams.size());
    if (!pending_.assign_txn(idx, rng_)) return deliver_servfail(idx);
    uint8_t* buf = outbox_.reserve(wire::kMaxUdpPlain);
    const std::size_t len = build_upstream_query(
        p.txn_id, p.uname, p.uname_len, p.utype, p.qclass, (p.client_flags & wire::kFlagCd) != 0,
        p.client_edns.do_bit, cfg_.edns_udp_size, buf, wire::kMaxUdpPlain);
    if (len == 0) return deliver_servfail(idx);
    outbox_.commit_upstream(cfg_.upstreams[p.server], cfg_.upstream_port, p.local_port, len, p.tcp);
    // One timeout for both transports: a TCP attempt fails over like a UDP one.
    pending_.arm(idx, now_ns + uint64_t{cfg_.timeout_ms} * 1'000'000ull);
    if (count_try) ++p.tries;
    counters_.upstream_queries.inc();
    if (p.tcp) counters_.upstream_tcp_queries.inc();
}

bool Engine::question_matches(std::span<const uint8_t> m, const Pending& p) const {
    uint8_t name[wire::kMaxNameLen];
    std::size_t next = 0;
    const std::size_t n = wire::read_name(m, wire::kHeaderLen, name, &next);
    if (n == 0 || next + 4 > m.size()) return false;
    return wire::name_equal(name, n, p.uname, p.uname_len) &&
           net::load_be16(m.data() + next) == p.utype &&
           net::load_be16(m.data() + next + 2) == p.qclass;
}

void Engine::handle_answer(std::span<const uint8_t> m, net::Ipv4Addr from, uint16_t from_port,
                           uint16_t local_port, Transport transport, uint64_t now_ns) {
    now_ns_ = now_ns;
    wire::Header h;
    const int idx = wire::read_header(m, h) && (h.flags & wire::kFlagQr) && h.qdcount == 1
                        ? pending_.match(local_port, h.id)
                        : -1;
    // RFC 5452 §9.1: accept only from the server asked, to the port and ID used, over
    // the transport used, for the question asked; anything else may be spoofed.
    const bool tcp = transport == Transport::Tcp;
    if (idx < 0 || from != cfg_.upstreams[pending_.at(idx).server] ||
        from_port != cfg_.upstream_port || tcp != pending_.at(idx).tcp ||
        !question_matches(m, pending_.at(idx))) {
        counters_.unmatched.inc();
        return;
    }
    counters_.upstream_answers.inc();
    if (tcp) counters_.upstream_tcp_answers.inc();
    on_phase_answer(idx, m, now_ns);
}

void Engine::handle_tcp_failed(net::Ipv4Addr server, uint16_t server_port, uint16_t local_port,
                               uint16_t id, uint64_t now_ns) {
    now_ns_ = now_ns;
    const int idx = pending_.match(local_port, id);
    if (idx < 0) return;  // already answered, timed out or failed over
    const Pending& p = pending_.at(idx);
    if (!p.tcp || server != cfg_.upstreams[p.server] || server_port != cfg_.upstream_port) return;
    counters_.upstream_tcp_failed.inc();
    attempt_failed(idx, now_ns);
}

void Engine::on_phase_answer(int idx, std::span<const uint8_t> m, uint64_t now_ns) {
    Pending& p = pending_.at(idx);
    const bool truncated = m.size() >= 4 && (net::load_be16(m.data() + 2) & wire::kFlagTc);
    if (truncated && !p.tcp) {
        // RFC 7766 §5: retry a truncated UDP answer over TCP with the same server. Never use
        // the cut answer itself: a truncated AAAA answer may hide real AAAA records (RFC 6147
        // §5.1.1), a truncated A answer would synthesize a partial RRset. Not a new try:
        // the attempt goes on over another transport.
        counters_.upstream_truncated.inc();
        p.tcp = true;
        return send_upstream(idx, now_ns, false);
    }
    if (truncated) {
        // TC=1 over TCP (RFC 7766 §8: nothing more can come from this server): next one.
        counters_.upstream_malformed.inc();
        return attempt_failed(idx, now_ns);
    }
    const ClientQuestion cq = client_question(p);
    uint8_t* buf = outbox_.reserve(kMaxMessage);
    std::size_t len = 0;
    switch (p.phase) {
        case Phase::Forward:
            len = build_passthrough(m, cq, nullptr, buf, kMaxMessage);
            if (len) counters_.passthrough.inc();
            break;
        case Phase::Aaaa: return on_aaaa_answer(idx, m, now_ns);
        case Phase::A: {
            unsigned n = 0;
            if (p.prefix < policy_.prefix_count()) {
                len = build_synthesized(m, cq, policy_, p.prefix, synth_ttl_cap(p.aaaa), buf,
                                        kMaxMessage, &n);
            }
            if (n > 0 && len > 0) {
                counters_.synthesized.inc();
            } else {
                // §5.1.6: no usable A either: the client gets the answer to its AAAA query.
                len = p.saved.size();
                std::memcpy(buf, p.saved.data(), len);
            }
            break;
        }
        case Phase::Ptr: {
            len = build_ptr_answer(m, cq, p.uname, p.uname_len, wire::ServFail, buf, kMaxMessage);
            if (len) counters_.ptr_synthesized.inc();
            break;
        }
    }
    if (len == 0) {
        counters_.upstream_malformed.inc();
        return deliver_servfail(idx);
    }
    deliver(idx, len, true);
}

void Engine::on_aaaa_answer(int idx, std::span<const uint8_t> m, uint64_t now_ns) {
    Pending& p = pending_.at(idx);
    const ClientQuestion cq = client_question(p);
    const AaaaVerdict v = classify_aaaa(m, policy_);
    uint8_t* buf = outbox_.reserve(kMaxMessage);
    const std::size_t len =
        build_passthrough(m, cq, v.filtered ? &policy_ : nullptr, buf, kMaxMessage);
    if (v.kind != AaaaVerdict::Kind::Synthesize) {
        if (len == 0) {
            counters_.upstream_malformed.inc();
            return deliver_servfail(idx);
        }
        counters_.passthrough.inc();
        return deliver(idx, len, true);
    }
    // §5.1.2 / §5.1.6: NODATA, excluded-only or an error RCODE: ask for A. Keep the
    // client-ready AAAA answer (or a SERVFAIL if it was unusable) for when A fails too.
    if (len) {
        p.saved.assign(buf, buf + len);
    } else {
        p.saved.resize(wire::kMaxUdpPlain);
        p.saved.resize(build_empty(cq, wire::kFlagRa, wire::ServFail, p.saved.data(), p.saved.size()));
    }
    p.aaaa = v;
    p.phase = Phase::A;
    p.utype = wire::kTypeA;
    p.tries = 0;
    p.tcp = false;  // a new question: UDP first again
    send_upstream(idx, now_ns);
}

void Engine::deliver(int idx, std::size_t len, bool cacheable) {
    Pending& p = pending_.at(idx);
    // The answer sits at the arena's reserved tail; cache the full answer, then cut it
    // down for UDP clients whose size it exceeds (RFC 1035 §4.2.1, RFC 6891 §7).
    uint8_t* buf = outbox_.reserve(len);
    if (cacheable) {
        make_cache_key(key_, p.qname, p.qname_len, p.qtype, p.qclass, p.key_flags, p.prefix);
        cache_.insert(key_, std::span<const uint8_t>(buf, len), now_ns_);
    }
    if (len > udp_limit(p.client, p.client_edns)) {
        const uint16_t flags = net::load_be16(buf + 2);
        len = build_empty(client_question(p), flags | wire::kFlagTc, flags & wire::kRcodeMask,
                          buf, wire::kMaxUdpPlain);
        counters_.truncated.inc();
    }
    if (len) {
        outbox_.commit_client(p.client, len);
        counters_.answers.inc();
    }
    pending_.release(idx);
}

void Engine::deliver_servfail(int idx) {
    Pending& p = pending_.at(idx);
    uint8_t* buf = outbox_.reserve(wire::kMaxUdpPlain);
    const std::size_t len =
        build_empty(client_question(p), wire::kFlagRa, wire::ServFail, buf, wire::kMaxUdpPlain);
    deliver(idx, len, false);
}

void Engine::phase_failed(int idx) {
    Pending& p = pending_.at(idx);
    if (p.phase == Phase::A && !p.saved.empty()) {
        // §5.1.6: the A query failed; answer with what the AAAA query said.
        uint8_t* buf = outbox_.reserve(p.saved.size());
        std::memcpy(buf, p.saved.data(), p.saved.size());
        return deliver(idx, p.saved.size(), false);
    }
    counters_.upstream_servfail.inc();
    deliver_servfail(idx);
}

void Engine::handle_tick(uint64_t now_ns) {
    now_ns_ = now_ns;
    for (int idx = pending_.pop_expired(now_ns); idx >= 0; idx = pending_.pop_expired(now_ns)) {
        counters_.upstream_timeouts.inc();
        attempt_failed(idx, now_ns);
    }
    pending_published_.store(pending_.in_use(), std::memory_order_relaxed);
}

void Engine::attempt_failed(int idx, uint64_t now_ns) {
    Pending& p = pending_.at(idx);
    if (p.tries <= cfg_.retries) {
        ++p.server;  // failover: the next upstream in the list
        send_upstream(idx, now_ns);
    } else {
        phase_failed(idx);
    }
}

}  // namespace strait::dns64
