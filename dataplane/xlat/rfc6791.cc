// SPDX-License-Identifier: Apache-2.0
// RFC 6791 source selection: a multiply-shift pick inside the configured IPv4 prefix.
#include "rfc6791.h"

namespace strait::xlat {
namespace {

uint64_t load64(const uint8_t* p) {
    uint64_t v;
    __builtin_memcpy(&v, p, 8);
    return v;
}

// splitmix64 (Steele, Lea, Flood 2014): a full-period 64-bit generator, one add and a mix.
uint64_t next_random(uint64_t& state) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

// The same mix over the 128-bit address: every address bit moves the high half.
uint64_t hash_v6(const net::Ipv6Addr& a) {
    uint64_t s = load64(a.b.data());
    const uint64_t lo = load64(a.b.data() + 8);
    uint64_t h = next_random(s);
    s = h ^ lo;
    return next_random(s);
}

}  // namespace

net::Ipv4Addr rfc6791_source(const XlatConfig& cfg, XlatContext& ctx, const net::Ipv6Addr& src6) {
    if (!cfg.has_rfc6791_pool4) {
        ctx.counters.inc(XlatCounter::Rfc6791Self);
        return cfg.self_ipv4;
    }
    ctx.counters.inc(XlatCounter::Rfc6791Pool);
    const net::Ipv4Prefix& p = cfg.rfc6791_pool4;
    const uint64_t size = uint64_t{1} << (32 - p.len);
    const uint64_t r =
        cfg.rfc6791_select == Rfc6791Select::Hash ? hash_v6(src6) : next_random(ctx.rng_state);
    const uint64_t index = ((r >> 32) * size) >> 32;  // uniform in [0, size)
    const uint32_t mask = p.len == 0 ? 0 : ~uint32_t{0} << (32 - p.len);
    return net::Ipv4Addr::from_host((p.addr.host() & mask) + static_cast<uint32_t>(index));
}

}  // namespace strait::xlat
