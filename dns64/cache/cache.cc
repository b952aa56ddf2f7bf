// SPDX-License-Identifier: Apache-2.0
// Implementation of the wire-bytes answer cache.
#include "dns64/cache/cache.h"

#include <algorithm>
#include <cstring>

#include "dns64/policy/policy.h"
#include "strait/net/bytes.h"

namespace strait::dns64 {

namespace {
/// MurmurHash3 finaliser: spreads FNV's weak low bits over the set index.
inline uint64_t mix(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h ? h : 1;  // never 0: tag 0 marks an empty slot
}

/// Keys are ~20-60 bytes: eight at a time (one multiply each) instead of FNV-1a's one
/// multiply per byte, which was a tenth of the hit path.
inline uint64_t hash_key(const uint8_t* p, std::size_t n) {
    constexpr uint64_t kMul = 0x9e3779b97f4a7c15ull;
    uint64_t h = kMul ^ n;
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;
        std::memcpy(&w, p, 8);
        h = (h ^ w) * kMul;
        h ^= h >> 29;
    }
    if (n) {
        uint64_t w = 0;
        std::memcpy(&w, p, n);
        h = (h ^ w) * kMul;
        h ^= h >> 29;
    }
    return h;
}
}  // namespace

using net::load_be32;
using net::store_be16;
using net::store_be32;

void make_cache_key(CacheKey& k, const wire::Query& q, uint8_t flags, uint8_t prefix_index) {
    k.bytes[0] = flags;
    k.bytes[1] = prefix_index;
    store_be16(k.bytes + 2, q.qtype);
    store_be16(k.bytes + 4, q.qclass);
    std::memcpy(k.bytes + CacheKey::kFixed, q.lname, q.qname_len);
    k.len = CacheKey::kFixed + q.qname_len;
    k.hash = mix(hash_key(k.bytes, k.len));
}

void make_cache_key(CacheKey& k, const uint8_t* qname, std::size_t qname_len, uint16_t qtype,
                    uint16_t qclass, uint8_t flags, uint8_t prefix_index) {
    k.bytes[0] = flags;
    k.bytes[1] = prefix_index;
    store_be16(k.bytes + 2, qtype);
    store_be16(k.bytes + 4, qclass);
    for (std::size_t i = 0; i < qname_len; ++i) {
        const uint8_t c = qname[i];
        k.bytes[CacheKey::kFixed + i] = (c >= 'A' && c <= 'Z') ? c + 32 : c;
    }
    k.len = CacheKey::kFixed + qname_len;
    k.hash = mix(hash_key(k.bytes, k.len));
}

void Cache::configure(std::size_t entries, uint32_t max_ttl, uint32_t negative_max_ttl) {
    max_ttl_ = max_ttl;
    neg_max_ttl_ = negative_max_ttl;
    std::size_t sets = 0;
    if (entries) {
        sets = 1;
        while (sets * kWays < entries) sets <<= 1;
    }
    slots_ = std::vector<Slot, HugeAllocator<Slot>>(sets * kWays);
    tags_.assign(sets * kWays, 0);
    set_mask_ = sets ? sets - 1 : 0;
    ++gen_;
    capacity_.v.store(slots_.size(), std::memory_order_relaxed);
    bytes_.v.store(0, std::memory_order_relaxed);
}

CacheStats Cache::stats() const {
    return CacheStats{capacity_.get(), inserts_.get(),  evictions_.get(),
                      uncacheable_.get(), flushes_.get(), bytes_.get()};
}

void Cache::sync_flush() {
    const uint32_t f = flush_gen_.load(std::memory_order_relaxed);
    if (f != seen_flush_) {
        seen_flush_ = f;
        ++gen_;
        flushes_.add(1);
    }
}

bool Cache::find(const CacheKey& k, uint64_t now_ns, Hit& hit) {
    if (slots_.empty()) return false;
    sync_flush();
    const std::size_t base = (k.hash & set_mask_) * kWays;
    const uint64_t* tags = &tags_[base];
    for (std::size_t w = 0; w < kWays; ++w) {
        if (tags[w] != k.hash) continue;
        Slot& s = slots_[base + w];
        if (s.key_len != k.len || !live(s, now_ns)) continue;
        if (std::memcmp(s.blob.get() + kOffsBytes, k.bytes, k.len) != 0) continue;
        s.last_used = ++tick_;
        // The blob starts with the TTL offsets (new[] alignment), then key, then answer.
        hit = Hit{s.blob.get() + kOffsBytes + s.key_len, s.ans_len, s.blob.get(), s.nttl,
                  s.inserted_ns};
        return true;
    }
    return false;
}

Cache::Slot& Cache::victim(std::size_t set, uint64_t now_ns) {
    Slot* base = &slots_[set * kWays];
    Slot* best = base;
    for (std::size_t w = 0; w < kWays; ++w) {
        if (!live(base[w], now_ns)) return base[w];
        if (base[w].last_used < best->last_used) best = &base[w];
    }
    evictions_.add(1);
    return *best;
}

uint32_t Cache::scan_ttls(Slot& s, uint16_t* offs, uint8_t* ans, std::size_t len) const {
    const wire::Bytes m(ans, len);
    wire::Header h;
    if (!wire::read_header(m, h) || (h.flags & wire::kFlagTc)) return 0;
    if (h.rcode() != wire::NoError && h.rcode() != wire::NxDomain) return 0;
    const bool negative = h.rcode() == wire::NxDomain || h.ancount == 0;
    const uint32_t cap = negative ? neg_max_ttl_ : max_ttl_;
    std::size_t off = wire::skip_questions(m, h.qdcount);
    if (off == 0) return 0;
    const unsigned total = unsigned{h.ancount} + h.nscount + h.arcount;
    uint32_t ttl = UINT32_MAX;
    s.nttl = 0;
    for (unsigned i = 0; i < total; ++i) {
        wire::Record r;
        if (!wire::read_record(m, off, r)) return 0;
        off = r.end;
        if (r.type == wire::kTypeOpt) continue;
        if (s.nttl == kMaxTtls) return 0;
        uint32_t t = std::min(r.ttl & 0x7fffffffu, cap);  // RFC 2181 §8: top bit means 0
        if (negative && r.type == wire::kTypeSoa && r.rdlen >= 20) {
            t = std::min(t, load_be32(ans + r.rdata_off + r.rdlen - 4));  // RFC 2308 §5
        }
        store_be32(ans + r.ttl_off, t);
        offs[s.nttl++] = static_cast<uint16_t>(r.ttl_off);
        ttl = std::min(ttl, t);
    }
    return ttl == UINT32_MAX ? 0 : ttl;
}

void Cache::insert(const CacheKey& k, wire::Bytes answer, uint64_t now_ns) {
    if (slots_.empty()) return;
    sync_flush();
    if (answer.size() > kMaxAnswer || answer.size() < wire::kHeaderLen) {
        uncacheable_.add(1);
        return;
    }
    const std::size_t set = k.hash & set_mask_;
    Slot* slot = nullptr;
    for (std::size_t w = 0; w < kWays && !slot; ++w) {
        Slot& s = slots_[set * kWays + w];
        if (s.hash == k.hash && s.key_len == k.len && s.blob &&
            std::memcmp(s.blob.get() + kOffsBytes, k.bytes, k.len) == 0) {
            slot = &s;  // refresh in place
        }
    }
    if (!slot) slot = &victim(set, now_ns);
    const std::size_t need = k.len + kOffsBytes + answer.size();
    if (slot->blob_cap < need) {
        bytes_.add(need - slot->blob_cap);
        slot->blob = std::make_unique<uint8_t[]>(need);  // miss path: allocation allowed
        slot->blob_cap = static_cast<uint32_t>(need);
    }
    uint8_t* offs = slot->blob.get();
    uint8_t* ans = offs + kOffsBytes + k.len;
    std::memcpy(ans, answer.data(), answer.size());
    uint16_t tmp[kMaxTtls];
    const uint32_t ttl = scan_ttls(*slot, tmp, ans, answer.size());
    std::memcpy(offs, tmp, sizeof tmp);
    if (ttl == 0) {
        slot->gen = 0;  // leave it dead
        tags_[static_cast<std::size_t>(slot - slots_.data())] = 0;
        uncacheable_.add(1);
        return;
    }
    std::memcpy(slot->blob.get() + kOffsBytes, k.bytes, k.len);
    slot->hash = k.hash;
    tags_[static_cast<std::size_t>(slot - slots_.data())] = k.hash;
    slot->key_len = static_cast<uint16_t>(k.len);
    slot->ans_len = static_cast<uint16_t>(answer.size());
    slot->inserted_ns = now_ns;
    slot->expire_ns = now_ns + uint64_t{ttl} * 1'000'000'000ull;
    slot->gen = gen_;
    slot->last_used = ++tick_;
    inserts_.add(1);
}

void Cache::render(const Hit& hit, wire::Bytes m, const wire::Query& q, uint64_t now_ns,
                   uint8_t* out) noexcept {
    std::memcpy(out, hit.answer, hit.len);
    store_be16(out, q.h.id);
    const uint16_t flags = net::load_be16(out + 2);
    store_be16(out + 2, static_cast<uint16_t>((flags & ~wire::kFlagRd) | (q.h.flags & wire::kFlagRd)));
    std::memcpy(out + wire::kHeaderLen, m.data() + wire::kHeaderLen, q.qname_len);
    const uint32_t elapsed = static_cast<uint32_t>((now_ns - hit.inserted_ns) / 1'000'000'000ull);
    for (std::size_t i = 0; i < hit.nttl; ++i) {
        uint16_t off;
        std::memcpy(&off, hit.ttl_offs + i * sizeof off, sizeof off);
        uint8_t* p = out + off;
        const uint32_t t = load_be32(p);
        store_be32(p, t > elapsed ? t - elapsed : 0);
    }
}

}  // namespace strait::dns64
