// SPDX-License-Identifier: Apache-2.0
// Splits a translated IPv6 packet into IPv6 fragments (RFC 7915 §4, RFC 8200 §4.5) written
// into caller-supplied buffers; never produces atomic fragments (RFC 8021).
#pragma once

#include <concepts>
#include <cstdint>

#include "xlat_types.h"

namespace strait::xlat {

/// Where fragments go: alloc(len) returns a writable buffer for one fragment of exactly
/// `len` bytes (L3, starting at the IPv6 header), or nullptr when none is left. The sink
/// remembers what it handed out (e.g. an mbuf array whose data_len it sets to `len`).
template <class S>
concept FragmentSink = requires(S& s, uint32_t len) {
    { s.alloc(len) } -> std::same_as<uint8_t*>;
};

/// Outcome of fragment_v6: `count` fragments were written (in order). On failure
/// (`reason` set, ok false) the caller frees the `count` buffers already taken.
struct FragmentResult {
    bool ok = false;
    uint32_t count = 0;
    DropReason reason = DropReason::InternalBug;
};

namespace detail {
/// Layout shared by the planning and writing steps (non-template, fragment.cc).
struct FragLayout {
    uint32_t payload_len = 0;  ///< fragmentable bytes after the Fragment Header
    uint32_t chunk = 0;        ///< payload bytes per fragment, multiple of 8
    uint32_t count = 0;
};
bool plan_fragments(const uint8_t* pkt, uint32_t len, uint16_t mtu, FragLayout& out);
uint32_t write_fragment(const uint8_t* pkt, const FragLayout& lay, uint32_t index, uint8_t* out);
uint32_t fragment_len(const FragLayout& lay, uint32_t index);
}  // namespace detail

/// Splits `pkt` — the Verdict::Fragment output of translate_v4_to_v6: a 40-byte IPv6 header
/// followed by a Fragment Header — into fragments of at most `mtu` bytes (Outcome::mtu).
/// Each keeps the Identification, offsets continue from the original offset, M is set on
/// all but the last (which keeps the original M). Transport bytes are copied untouched.
/// Fails with InternalBug for another layout, MbufAllocFailed when the sink runs dry.
/// thread: any (no shared state).
template <FragmentSink S>
FragmentResult fragment_v6(const uint8_t* pkt, uint32_t len, uint16_t mtu, S& sink) {
    detail::FragLayout lay;
    if (!detail::plan_fragments(pkt, len, mtu, lay)) return {false, 0, DropReason::InternalBug};
    for (uint32_t i = 0; i < lay.count; ++i) {
        uint8_t* out = sink.alloc(detail::fragment_len(lay, i));
        if (out == nullptr) return {false, i, DropReason::MbufAllocFailed};
        detail::write_fragment(pkt, lay, i, out);
    }
    return {true, lay.count, DropReason::InternalBug};
}

}  // namespace strait::xlat
