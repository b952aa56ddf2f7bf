// SPDX-License-Identifier: Apache-2.0
// Query templates, incremental checksum patches, answer parsing and NDP answers.
#include "frame.h"

#include <endian.h>

#include <cstring>

namespace strait::rig {
namespace {

constexpr uint8_t kProtoUdp = 17;
constexpr uint8_t kProtoIcmp6 = 58;
constexpr uint8_t kNdpSolicit = 135;
constexpr uint8_t kNdpAdvert = 136;

uint16_t get16(const uint8_t* p) {
    uint16_t v;
    std::memcpy(&v, p, 2);
    return be16toh(v);
}
void put16(uint8_t* p, uint16_t v) {
    v = htobe16(v);
    std::memcpy(p, &v, 2);
}

// Ones-complement sum of bytes at even (`odd` false) or odd offsets from the summed region's
// start, unfolded.
uint32_t sum_bytes(const uint8_t* p, size_t n, bool odd) {
    uint32_t s = 0;
    for (size_t i = 0; i < n; ++i) s += ((i % 2 == 0) != odd) ? p[i] << 8 : p[i];
    return s;
}

uint16_t fold(uint32_t s) {
    while (s >> 16) s = (s & 0xffff) + (s >> 16);
    return static_cast<uint16_t>(s);
}

// RFC 8200 §8.1 pseudo-header + payload checksum of the L4 part of an IPv6 frame.
uint16_t l6_checksum(const uint8_t* frame, size_t l4_len, uint8_t proto) {
    uint32_t s = sum_bytes(frame + kEthLen + 8, 32, false);  // source and destination
    s += static_cast<uint32_t>(l4_len) + proto;
    s += sum_bytes(frame + kUdpOff, l4_len, false);
    uint16_t c = static_cast<uint16_t>(~fold(s));
    return c == 0 ? 0xffff : c;
}

void put_ip6(uint8_t* f, const FrameSpec& spec, size_t payload, uint8_t proto, uint8_t hops) {
    std::memcpy(f, spec.dst_mac.data(), 6);
    std::memcpy(f + 6, spec.src_mac.data(), 6);
    put16(f + 12, 0x86dd);
    uint8_t* ip = f + kEthLen;
    ip[0] = 0x60;
    put16(ip + 4, static_cast<uint16_t>(payload));
    ip[6] = proto;
    ip[7] = hops;
}

bool owns_source(const FrameSpec& spec, const uint8_t* addr) {
    if (std::memcmp(addr, spec.src6.data(), 14) != 0) return false;
    uint16_t off = static_cast<uint16_t>(get16(addr + 14) - spec.src_lo_base);
    return off < spec.src_count;
}

}  // namespace

Template build_template(const FrameSpec& spec, const Question& q) {
    Template t;
    size_t udp_len = 8 + 12 + q.wire.size();
    t.bytes.assign(kUdpOff + udp_len, 0);
    uint8_t* f = t.bytes.data();
    put_ip6(f, spec, udp_len, kProtoUdp, 64);
    std::memcpy(f + kEthLen + 8, spec.src6.data(), 14);  // low 16 bits patched per query
    std::memcpy(f + kEthLen + 24, spec.dst6.data(), 16);
    put16(f + kUdpOff + 2, spec.dport);
    put16(f + kUdpOff + 4, static_cast<uint16_t>(udp_len));
    put16(f + kDnsOff + 2, 0x0100);  // RD
    put16(f + kDnsOff + 4, 1);       // QDCOUNT
    std::memcpy(f + kDnsOff + 12, q.wire.data(), q.wire.size());
    if (q.counter_at >= 0) {
        t.counter_at = static_cast<int>(kDnsOff + 12) + q.counter_at;
        std::memset(f + t.counter_at, 0, 8);  // summed as zero; digits added per query
    }
    put16(f + kUdpOff + 6, l6_checksum(f, udp_len, kProtoUdp));
    if (t.counter_at >= 0) std::memset(f + t.counter_at, '0', 8);
    return t;
}

void patch_query(uint8_t* frame, const Template& t, uint16_t id, uint16_t sport, uint16_t src_lo,
                 uint32_t counter) {
    put16(frame + kEthLen + 22, src_lo);
    put16(frame + kUdpOff, sport);
    put16(frame + kDnsOff, id);
    // RFC 1624 eqn. 3 with every old value zero: C' = ~(~C + m').
    uint32_t s = static_cast<uint16_t>(~get16(frame + kUdpOff + 6));
    s += src_lo + sport + id;
    if (t.counter_at >= 0) {
        static constexpr char kHex[] = "0123456789abcdef";
        uint8_t* d = frame + t.counter_at;
        for (int i = 7; i >= 0; --i, counter >>= 4) d[i] = kHex[counter & 0xf];
        s += sum_bytes(d, 8, (t.counter_at - kUdpOff) % 2 == 1);
    }
    uint16_t c = static_cast<uint16_t>(~fold(s));
    put16(frame + kUdpOff + 6, c == 0 ? 0xffff : c);
}

bool parse_answer(const uint8_t* f, uint32_t len, const FrameSpec& spec, Answer& out) {
    if (len < kDnsOff + 12 || get16(f + 12) != 0x86dd) return false;
    const uint8_t* ip = f + kEthLen;
    if (ip[6] != kProtoUdp || std::memcmp(ip + 8, spec.dst6.data(), 16) != 0) return false;
    if (get16(f + kUdpOff) != spec.dport) return false;
    const uint8_t* dns = f + kDnsOff;
    if ((dns[2] & 0x80) == 0) return false;  // QR
    out.id = get16(dns);
    out.dport = get16(f + kUdpOff + 2);
    out.rcode = dns[3] & 0x0f;
    return true;
}

uint32_t answer_ndp(const uint8_t* f, uint32_t len, const FrameSpec& spec,
                    std::array<uint8_t, 86>& reply) {
    // Ethernet + IPv6 + ICMPv6 NS (24 bytes: type, code, csum, reserved, target).
    if (len < kUdpOff + 24 || get16(f + 12) != 0x86dd) return 0;
    const uint8_t* ip = f + kEthLen;
    const uint8_t* icmp = f + kUdpOff;
    if (ip[6] != kProtoIcmp6 || ip[7] != 255 || icmp[0] != kNdpSolicit) return 0;
    if (!owns_source(spec, icmp + 8)) return 0;
    static constexpr uint8_t kUnspecified[16] = {};
    if (std::memcmp(ip + 8, kUnspecified, 16) == 0) return 0;  // DAD: not ours to answer
    FrameSpec to = spec;
    std::memcpy(to.dst_mac.data(), f + 6, 6);
    uint8_t* r = reply.data();
    reply.fill(0);
    put_ip6(r, to, 32, kProtoIcmp6, 255);
    std::memcpy(r + kEthLen + 8, icmp + 8, 16);  // from the target
    std::memcpy(r + kEthLen + 24, ip + 8, 16);   // to the solicitor
    uint8_t* na = r + kUdpOff;
    na[0] = kNdpAdvert;
    na[4] = 0x60;  // Solicited, Override
    std::memcpy(na + 8, icmp + 8, 16);
    na[24] = 2;  // Target Link-Layer Address option, 8 bytes
    na[25] = 1;
    std::memcpy(na + 26, spec.src_mac.data(), 6);
    put16(na + 2, l6_checksum(r, 32, kProtoIcmp6));
    return kUdpOff + 32;
}

}  // namespace strait::rig
