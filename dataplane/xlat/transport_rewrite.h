// SPDX-License-Identifier: Apache-2.0
// TCP/UDP rewriting shared by both translation directions: new ports and the RFC 1624
// checksum update for the pseudo-header change (full path; fast_path.h has its own).
#pragma once

#include <cstdint>

#include "wire.h"
#include "xlat_types.h"

namespace strait::xlat::wire {

/// Folded sum of the addresses (and ports) a transport checksum covers. thread: any.
inline uint16_t flow_sum(const Flow4& f, bool ports) {
    uint32_t s = sum_words32(f.src.b.data(), 1) + sum_words32(f.dst.b.data(), 1);
    if (ports) s += uint32_t{f.src_port} + f.dst_port;
    return net::csum_fold(s);
}
inline uint16_t flow_sum(const Flow6& f, bool ports) {
    uint32_t s = fold_words32(f.src.b.data(), 4) + fold_words32(f.dst.b.data(), 4);
    if (ports) s += uint32_t{f.src_port} + f.dst_port;
    return net::csum_fold(s);
}

/// RFC 7915 §4.5/§5.5: writes the mapped ports of a first TCP/UDP fragment with `avail`
/// bytes and updates its checksum for the new pseudo-header (RFC 1624). Leaves a zero UDP
/// checksum alone (the callers decide what it means) and protocols without a checksum.
template <class In, class Out>
inline void rewrite_transport(uint8_t* l4, uint32_t avail, const In& in, const Out& out) {
    const int at = l4_checksum_offset(in.proto);
    if (at < 0 || avail < static_cast<uint32_t>(at) + 2) return;
    const bool udp = in.proto == kProtoUdp;
    if (udp && net::load_be16(l4 + at) == 0) return;
    if (in.has_ports) {
        net::store_be16(l4, out.src_port);
        net::store_be16(l4 + 2, out.dst_port);
    }
    patch_checksum(l4 + at, flow_sum(in, in.has_ports), flow_sum(out, in.has_ports), udp);
}

}  // namespace strait::xlat::wire
