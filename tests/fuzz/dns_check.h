// SPDX-License-Identifier: Apache-2.0
// An independent DNS message validator for the fuzz targets' output invariants. Written
// apart from dns64/wire on purpose: checking the engine's output with the engine's own
// reader would hide the bugs the two share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace strait::fuzz {

/// What a well-formed message says about itself.
struct DnsView {
    uint16_t id = 0;
    uint16_t flags = 0;
    uint16_t qdcount = 0;
    uint16_t ancount = 0;
    uint16_t nscount = 0;
    uint16_t arcount = 0;
    uint8_t qname[255] = {};  ///< first question's name, decompressed, original case
    std::size_t qname_len = 0;
    uint16_t qtype = 0;
    uint16_t qclass = 0;
};

/// Null when `m` is a well-formed DNS message (RFC 1035 §4.1): a header, `qdcount`
/// questions and an+ns+ar records inside the message, names of labels <= 63 bytes and
/// <= 255 bytes in all, compression pointers strictly backwards, no trailing bytes.
/// Otherwise a short reason. Fills `v` as far as it got. Thread: any (pure).
const char* check_message(std::span<const uint8_t> m, DnsView& v);

/// Decompresses the uncompressed-or-compressed name at `off` (same rules as above) into
/// `out`; returns its wire length, 0 when malformed. `*end` gets the offset after it,
/// `*hops` (when given) the number of pointers followed.
std::size_t read_name_checked(std::span<const uint8_t> m, std::size_t off, uint8_t* out,
                              std::size_t* end, std::size_t* hops = nullptr);

}  // namespace strait::fuzz
