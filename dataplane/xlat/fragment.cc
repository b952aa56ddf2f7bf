// SPDX-License-Identifier: Apache-2.0
// IPv6 fragmentation of translated packets: layout and per-fragment writing.
#include "fragment.h"

#include <algorithm>
#include <cstring>

#include "wire.h"

namespace strait::xlat::detail {

namespace {
constexpr uint32_t kFixed = wire::kIpv6HdrLen + wire::kFragHdrLen;
}

bool plan_fragments(const uint8_t* pkt, uint32_t len, uint16_t mtu, FragLayout& out) {
    if (len < kFixed || (pkt[0] >> 4) != 6 || pkt[6] != wire::kProtoFragment) return false;
    if (wire::kIpv6HdrLen + net::load_be16(pkt + 4) != len) return false;
    if (mtu < wire::kIpv6MinMtu) return false;
    out.payload_len = len - kFixed;
    out.chunk = (mtu - kFixed) & ~7u;
    out.count = std::max<uint32_t>(1, (out.payload_len + out.chunk - 1) / out.chunk);
    return true;
}

uint32_t fragment_len(const FragLayout& lay, uint32_t index) {
    const uint32_t start = index * lay.chunk;
    return kFixed + std::min(lay.chunk, lay.payload_len - start);
}

uint32_t write_fragment(const uint8_t* pkt, const FragLayout& lay, uint32_t index, uint8_t* out) {
    const uint32_t start = index * lay.chunk;
    const uint32_t n = std::min(lay.chunk, lay.payload_len - start);
    std::memcpy(out, pkt, kFixed);
    net::store_be16(out + 4, static_cast<uint16_t>(wire::kFragHdrLen + n));
    const uint16_t orig = net::load_be16(pkt + wire::kIpv6HdrLen + 2);
    const bool last = index + 1 == lay.count;
    const uint16_t off = static_cast<uint16_t>((orig >> 3) + start / 8);
    const bool mf = last ? (orig & 1) != 0 : true;
    net::store_be16(out + wire::kIpv6HdrLen + 2, static_cast<uint16_t>(off << 3 | (mf ? 1 : 0)));
    std::memcpy(out + kFixed, pkt + kFixed + start, n);
    return kFixed + n;
}

}  // namespace strait::xlat::detail
