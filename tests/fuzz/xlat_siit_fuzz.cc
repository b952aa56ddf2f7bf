// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the RFC 7915 translator both ways through the stateless SIIT mapper, via the
// public templates (translate_v6_to_v4 / translate_v4_to_v6, fragment_v6), so it follows
// the translator as it changes. Input: two setup bytes, then one IP packet.
//   byte 0: bit 0 IPv4 in (else IPv6), bit 1 reset_tos, bit 2 drop zero-checksum UDP,
//           bits 3-4 pool6 (2001:db8:64::/96, 64:ff9b::/96, 2001:db8:100::/40, none),
//           bit 5 allow non-global IPv4 in 64:ff9b::/96, bits 6-7 headroom (20/28/48/256)
//   byte 1: bits 0-1 mtu4, bits 2-3 mtu6, bits 4-5 lowest_ipv6_mtu (1280/1400/1500/9000),
//           bits 6-7 tailroom (0/8/64/2048)
// The packet sits in an exact-size heap buffer (headroom + packet + tailroom) so ASan
// catches any access outside what the PacketBuf grants. Invariants, per verdict:
//  - the PacketBuf stays inside the buffer and its headroom/tailroom add up;
//  - Drop never says internal_bug; Fragment only from IPv4 and fragment_v6 accepts it;
//  - Forward, Hairpin and every fragment are well-formed packets of the other family, no
//    longer than the egress MTU, whose IPv4 header checksum verifies, and whose transport
//    checksum verifies when the input's did (checked with tests/common/ref_checksum.h);
//  - ReplyIcmpError is an ICMP error of the arrival family with valid checksums, within
//    576 (IPv4) or 1280 (IPv6) bytes.
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "fragment.h"
#include "siit_mapper.h"
#include "tests/common/ref_checksum.h"
#include "v4_to_v6.h"
#include "v6_to_v4.h"

namespace strait::xlat {
namespace {

using testing::ByteSpan;
using testing::inet_checksum;

[[noreturn]] void violated(const char* what) {
    std::fprintf(stderr, "xlat_siit_fuzz: invariant violated: %s\n", what);
    std::abort();
}

void check(bool ok, const char* what) {
    if (!ok) violated(what);
}

uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }

/// Whether an input's transport checksum can be checked, and if so whether it holds.
enum class L4 : uint8_t { Unknown, Valid, Invalid };

L4 judge(bool ok) { return ok ? L4::Valid : L4::Invalid; }

/// UDP whose length field disagrees with the IP length has two candidate pseudo-headers.
bool udp_length_consistent(uint8_t proto, ByteSpan l4) {
    return proto != 17 || (l4.size() >= 8 && be16(l4.data() + 4) == l4.size());
}

/// The tests' own reading of an IPv4 packet's transport checksum (unfragmented only).
L4 l4_state_v4(const uint8_t* p, uint32_t len) {
    if (len < 20 || p[0] >> 4 != 4) return L4::Unknown;
    const uint32_t ihl = (p[0] & 15u) * 4, total = be16(p + 2);
    if (ihl < 20 || total < ihl || total > len || (be16(p + 6) & 0x3fff) != 0) return L4::Unknown;
    const ByteSpan l4(p + ihl, total - ihl);
    const uint8_t proto = p[9];
    if ((proto != 1 && proto != 6 && proto != 17) || !udp_length_consistent(proto, l4)) {
        return L4::Unknown;
    }
    if (proto == 17 && be16(l4.data() + 6) == 0) return L4::Valid;  // none: computed (§4.5)
    return judge(testing::l4_checksum_v4(p, proto, l4) == 0);
}

/// Walks IPv6 extension headers (RFC 8200 §4) to the transport: its offset and protocol,
/// or false for a fragment, a chain past `end`, or an unknown layout.
bool find_l4_v6(const uint8_t* p, uint32_t end, uint32_t& off, uint8_t& next) {
    next = p[6];
    off = 40;
    for (int n = 0; n < 16; ++n) {
        if (next == 0 || next == 43 || next == 60) {
            if (off + 8 > end) return false;
            const uint32_t hl = (p[off + 1] + 1u) * 8;
            next = p[off];
            off += hl;
        } else if (next == 44) {
            if (off + 8 > end || (be16(p + off + 2) & 0xfff9) != 0) return false;
            next = p[off];
            off += 8;
        } else {
            return off <= end;
        }
    }
    return false;
}

L4 l4_state_v6(const uint8_t* p, uint32_t len) {
    if (len < 40 || p[0] >> 4 != 6) return L4::Unknown;
    const uint32_t end = 40u + be16(p + 4);
    uint32_t off = 0;
    uint8_t next = 0;
    if (end > len || !find_l4_v6(p, end, off, next)) return L4::Unknown;
    const ByteSpan l4(p + off, end - off);
    if ((next != 6 && next != 17 && next != 58) || !udp_length_consistent(next, l4)) {
        return L4::Unknown;
    }
    return judge(testing::l4_checksum_v6(p, next, l4) == 0);
}

/// A translated or generated IPv4 packet: header, length, checksums.
void check_ipv4(const uint8_t* p, uint32_t len, uint32_t max_len, L4 in_state, bool error) {
    check(len >= 20 && p[0] >> 4 == 4 && (p[0] & 15) >= 5, "IPv4 output: bad version/IHL");
    const uint32_t ihl = (p[0] & 15u) * 4;
    check(be16(p + 2) == len && ihl <= len, "IPv4 output: total length != buffer length");
    check(len <= max_len, "IPv4 output longer than allowed");
    check(inet_checksum({{p, ihl}}) == 0, "IPv4 output: bad header checksum");
    if (error) {
        check(p[9] == 1 && len >= ihl + 8 && (p[ihl] == 3 || p[ihl] == 11 || p[ihl] == 12),
              "generated ICMPv4 error is not one");
        check(inet_checksum({{p + ihl, len - ihl}}) == 0, "generated ICMPv4 error: bad checksum");
        return;
    }
    if (in_state == L4::Valid) {
        check(l4_state_v4(p, len) != L4::Invalid, "IPv4 output: transport checksum broken");
    }
}

/// A translated or generated IPv6 packet: header, length, checksum.
void check_ipv6(const uint8_t* p, uint32_t len, uint32_t max_len, L4 in_state, bool error) {
    check(len >= 40 && p[0] >> 4 == 6, "IPv6 output: bad version");
    check(40u + be16(p + 4) == len, "IPv6 output: payload length != buffer length");
    check(len <= max_len, "IPv6 output longer than allowed");
    if (p[6] == 44) check(len >= 48, "IPv6 output: Fragment Header cut");
    if (error) {
        check(p[6] == 58 && len >= 48 && p[40] < 128, "generated ICMPv6 error is not one");
        check(testing::l4_checksum_v6(p, 58, {p + 40, len - 40}) == 0,
              "generated ICMPv6 error: bad checksum");
        return;
    }
    if (in_state == L4::Valid) {
        check(l4_state_v6(p, len) != L4::Invalid, "IPv6 output: transport checksum broken");
    }
}

/// One heap buffer per fragment, of exactly the length asked for.
struct HeapSink {
    std::vector<std::unique_ptr<uint8_t[]>> bufs;
    std::vector<uint32_t> lens;
    uint8_t* alloc(uint32_t len) {
        bufs.emplace_back(new uint8_t[len ? len : 1]);
        lens.push_back(len);
        return bufs.back().get();
    }
};

/// RFC 8200 §4.5: fragments of at most `mtu` bytes, one Identification, contiguous
/// offsets, M on all but the last; reassembled, the transport checksum still holds.
void check_fragments(const PacketBuf& pkt, uint16_t mtu, L4 in_state) {
    check(pkt.len >= 48 && pkt.data[6] == 44, "Fragment verdict without a Fragment Header");
    HeapSink sink;
    const FragmentResult r = fragment_v6(pkt.data, pkt.len, mtu, sink);
    check(r.ok && r.count == sink.bufs.size() && r.count >= 2, "fragment_v6 refused or made 1");
    std::vector<uint8_t> whole;
    uint32_t next_off = be16(pkt.data + 42) >> 3;
    for (uint32_t i = 0; i < r.count; ++i) {
        const uint8_t* f = sink.bufs[i].get();
        const uint32_t len = sink.lens[i];
        check_ipv6(f, len, mtu, L4::Unknown, false);
        check(f[6] == 44 && std::memcmp(f + 44, pkt.data + 44, 4) == 0, "fragment identity");
        const uint16_t fo = be16(f + 42);
        check(fo >> 3 == next_off, "fragment offsets not contiguous");
        const bool last = i + 1 == r.count;
        check((fo & 1) == (last ? (be16(pkt.data + 42) & 1) : 1), "fragment M flag");
        check(last || (len - 48) % 8 == 0, "inner fragment not a multiple of 8 bytes");
        next_off += (len - 48) / 8;
        whole.insert(whole.end(), f + 48, f + len);
    }
    check(whole.size() == pkt.len - 48u, "fragments do not add up to the packet");
    check(std::memcmp(whole.data(), pkt.data + 48, whole.size()) == 0, "fragment bytes differ");
    if (in_state == L4::Valid && (be16(pkt.data + 42) & 0xfff9) == 0) {
        const uint8_t next = pkt.data[40];
        if (next == 6 || next == 17 || next == 58) {
            check(testing::l4_checksum_v6(pkt.data, next, whole) == 0,
                  "reassembled fragments: transport checksum broken");
        }
    }
}

/// The mapping of the demo topology (README): EAMT single addresses and one /24, pool6 by
/// setup bits. Built once: the Eamt allocates.
const Eamt& eamt() {
    static const Eamt table = [] {
        const EamtEntry entries[] = {
            {*net::parse_ipv6_prefix("2001:db8:6::10/128"),
             *net::parse_ipv4_prefix("192.0.2.10/32")},
            {*net::parse_ipv6_prefix("2001:db8:6:100::/120"),
             *net::parse_ipv4_prefix("192.0.2.0/24")},
        };
        auto t = Eamt::build(entries);
        if (!t.ok()) violated("EAMT setup");
        return std::move(*t);
    }();
    return table;
}

net::Ipv6Prefix pool6(unsigned which) {
    static const char* const kPools[] = {"2001:db8:64::/96", "64:ff9b::/96", "2001:db8:100::/40"};
    if (which >= 3) return net::Ipv6Prefix{};
    return *net::parse_ipv6_prefix(kPools[which]);
}

XlatConfig config_of(uint8_t b0, uint8_t b1) {
    static constexpr uint16_t kMtus[] = {1280, 1400, 1500, 9000};
    XlatConfig c;
    c.reset_tos = (b0 & 2) != 0;
    c.traffic_class = 0x28;
    c.udp_zero_checksum = (b0 & 4) ? UdpZeroChecksum::Drop : UdpZeroChecksum::Compute;
    c.mtu4 = kMtus[b1 & 3];
    c.mtu6 = kMtus[b1 >> 2 & 3];
    c.lowest_ipv6_mtu = kMtus[b1 >> 4 & 3];
    c.self_ipv4 = *net::parse_ipv4("198.51.100.1");
    c.self_ipv6 = *net::parse_ipv6("2001:db8:6::1");
    return c;
}

void check_drop(const Outcome& o) {
    check(o.reason != DropReason::InternalBug && o.reason < DropReason::Count_,
          "dropped as internal_bug");
}

void one_packet(const uint8_t* data, std::size_t size) {
    if (size < 2 || size > 65535 + 2) return;
    const uint8_t b0 = data[0], b1 = data[1];
    static constexpr uint32_t kHeadroom[] = {20, 28, 48, 256};
    static constexpr uint32_t kTailroom[] = {0, 8, 64, 2048};
    const uint32_t head = kHeadroom[b0 >> 6], tail = kTailroom[b1 >> 6];
    const auto len = static_cast<uint32_t>(size - 2);
    const uint32_t cap = head + len + tail;
    std::unique_ptr<uint8_t[]> mem(new uint8_t[cap ? cap : 1]);
    std::memset(mem.get(), 0xa5, cap);
    std::memcpy(mem.get() + head, data + 2, len);
    PacketBuf pkt{mem.get() + head, len, head, tail};

    const XlatConfig cfg = config_of(b0, b1);
    XlatContext ctx;
    ctx.now_ns = 1'000'000'000;
    const SiitMapper mapper(eamt(), pool6(b0 >> 3 & 3), (b0 & 0x20) != 0);
    const bool from_v4 = (b0 & 1) != 0;
    const L4 in_state = from_v4 ? l4_state_v4(pkt.data, len) : l4_state_v6(pkt.data, len);

    const Outcome o = from_v4 ? translate_v4_to_v6(pkt, cfg, ctx, mapper)
                              : translate_v6_to_v4(pkt, cfg, ctx, mapper);
    check(pkt.data >= mem.get() && pkt.headroom == static_cast<uint32_t>(pkt.data - mem.get()) &&
              pkt.headroom + pkt.len + pkt.tailroom == cap,
          "PacketBuf outside its buffer or inconsistent");
    switch (o.verdict) {
        case Verdict::Drop:
            return check_drop(o);
        case Verdict::Forward:
            if (from_v4) return check_ipv6(pkt.data, pkt.len, cfg.mtu6, in_state, false);
            return check_ipv4(pkt.data, pkt.len, cfg.mtu4, in_state, false);
        case Verdict::ReplyIcmpError:
            if (from_v4) return check_ipv4(pkt.data, pkt.len, 576, L4::Unknown, true);
            return check_ipv6(pkt.data, pkt.len, 1280, L4::Unknown, true);
        case Verdict::Fragment:
            check(from_v4 && o.mtu >= 1280 && o.mtu <= cfg.mtu6, "Fragment verdict or MTU");
            return check_fragments(pkt, o.mtu, in_state);
        case Verdict::Hairpin: {
            check(!from_v4, "Hairpin verdict from IPv4");
            check_ipv4(pkt.data, pkt.len, cfg.mtu4, in_state, false);
            // RFC 7757 §4.2: the second pass, as the worker runs it.
            const L4 mid = l4_state_v4(pkt.data, pkt.len);
            const Outcome o2 = translate_v4_to_v6(pkt, cfg, ctx, mapper, MapScope::Hairpin);
            if (o2.verdict == Verdict::Drop) return check_drop(o2);
            if (o2.verdict == Verdict::Forward) {
                return check_ipv6(pkt.data, pkt.len, cfg.mtu6, mid, false);
            }
            if (o2.verdict == Verdict::Fragment) return check_fragments(pkt, o2.mtu, mid);
            return;  // an ICMPv4 error about the hairpinned packet: the worker drops it
        }
    }
    violated("unknown verdict");
}

}  // namespace
}  // namespace strait::xlat

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    strait::xlat::one_packet(data, size);
    return 0;
}
