// SPDX-License-Identifier: Apache-2.0
// Query frame templates (Ethernet + IPv6 + UDP + DNS) patched per query with incremental
// checksums (RFC 1624), answer parsing, and the NDP answers the rig owes for its sources.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "query_set.h"

namespace strait::rig {

/// Addresses every frame of a run shares. Sources are `src6` with its last 16 bits replaced
/// by `src_lo_base + k`, k < src_count.
struct FrameSpec {
    std::array<uint8_t, 6> src_mac{}, dst_mac{};
    std::array<uint8_t, 16> src6{}, dst6{};
    uint16_t src_lo_base = 0;
    uint16_t src_count = 1;
    uint16_t dport = 53;
};

/// A query frame with ID, source port, source address low 16 bits and counter digits zero;
/// `udp_csum` is the checksum of that zeroed frame, so a patch only adds the new words.
struct Template {
    std::vector<uint8_t> bytes;
    int counter_at = -1;  // frame offset of the 8 counter digits, or -1
};

constexpr size_t kEthLen = 14;
constexpr size_t kIp6Len = 40;
constexpr size_t kUdpOff = kEthLen + kIp6Len;
constexpr size_t kDnsOff = kUdpOff + 8;

/// Builds the template for one question (RD=1, no EDNS, like dnsperf's default).
Template build_template(const FrameSpec& spec, const Question& q);

/// Writes the varying fields into `frame` (a copy of `t.bytes`) and updates the UDP
/// checksum incrementally.
void patch_query(uint8_t* frame, const Template& t, uint16_t id, uint16_t sport, uint16_t src_lo,
                 uint32_t counter);

/// What the receive path needs from an answer frame.
struct Answer {
    uint16_t id = 0;
    uint16_t dport = 0;
    uint8_t rcode = 0;
};

/// Parses a DNS answer from `spec.dst6` port `spec.dport`. False for anything else.
bool parse_answer(const uint8_t* frame, uint32_t len, const FrameSpec& spec, Answer& out);

/// If `frame` is a Neighbor Solicitation (RFC 4861 §4.3) for one of the rig's sources,
/// writes the Neighbor Advertisement into `reply` and returns its length; else 0.
uint32_t answer_ndp(const uint8_t* frame, uint32_t len, const FrameSpec& spec,
                    std::array<uint8_t, 86>& reply);

}  // namespace strait::rig
