// SPDX-License-Identifier: Apache-2.0
// RFC 4884 multi-part ICMP errors: where the original datagram ends and the extension
// structure begins, and the in-place layout of a translated error (RFC 7915 §4.2/§5.2).
#pragma once

#include <cstdint>

namespace strait::xlat {

/// RFC 4884 §4.1/§4.2: ICMPv4 Destination Unreachable, Time Exceeded and Parameter Problem
/// carry a length attribute (byte 5, 32-bit words); thread: any.
constexpr bool icmp4_has_length(uint8_t type) { return type == 3 || type == 11 || type == 12; }
/// RFC 4884 §4.5/§4.6: ICMPv6 Destination Unreachable and Time Exceeded (byte 4, 64-bit words).
constexpr bool icmp6_has_length(uint8_t type) { return type == 1 || type == 3; }

inline constexpr uint32_t kIcmpExtMinOrig = 128;  // RFC 4884 §4.1: original datagram floor
inline constexpr uint32_t kIcmpExtHdrLen = 4;     // RFC 4884 §7: version, reserved, checksum

/// The payload of an ICMP error (the bytes after its 8-byte header), split per RFC 4884.
struct IcmpExt {
    uint32_t orig_len = 0;  ///< original datagram field, padding included
    uint32_t ext_len = 0;   ///< extension structure after it; 0: none
    bool invalid = false;   ///< a length attribute was set but inconsistent: read as none
};

/// Splits a payload of `payload` bytes by the length attribute `len_attr` (in `unit`-byte
/// words). 0 means no extension. RFC 4884 §5.4: a field shorter than 128 bytes, or one that
/// leaves no room for the extension header, is inconsistent and read as no extension (the
/// whole payload is the original datagram). thread: any.
constexpr IcmpExt split_icmp_ext(uint8_t len_attr, uint32_t unit, uint32_t payload) {
    if (len_attr == 0) return {payload, 0, false};
    const uint32_t orig = uint32_t{len_attr} * unit;
    if (orig < kIcmpExtMinOrig || orig + kIcmpExtHdrLen > payload) return {payload, 0, true};
    return {orig, payload - orig, false};
}

/// What layout_icmp_ext produced: the error's payload length and its length attribute.
struct IcmpExtLayout {
    uint32_t payload_len = 0;
    uint8_t len_attr = 0;  ///< 0: no extension in the output
};

/// RFC 4884 §5 and RFC 7915 §4.2/§5.2: lays out a translated error's payload in place. `q`
/// starts the translated original datagram, whose first `data_len` bytes are data; the
/// extension (opaque, `ext_len` bytes at `ext`, anywhere in the buffer; 0: none) moves right
/// behind the datagram, zero-padded to a multiple of `unit` and at least 128 bytes. Up to
/// `max` payload bytes fit the message (576- or 1280-byte limit) and `room` bytes may be
/// written from `q`. Too long: the datagram is cut first (never below 128 bytes), then the
/// extension is removed (length attribute 0) and the datagram alone cut to `max`.
/// thread: any.
IcmpExtLayout layout_icmp_ext(uint8_t* q, uint32_t data_len, const uint8_t* ext, uint32_t ext_len,
                              uint32_t unit, uint32_t max, uint32_t room);

}  // namespace strait::xlat
