// SPDX-License-Identifier: Apache-2.0
// RFC 4884 layout of a translated ICMP error: padding, truncation, moving the extension.
#include "icmp_ext.h"

#include <algorithm>
#include <cstring>

namespace strait::xlat {

IcmpExtLayout layout_icmp_ext(uint8_t* q, uint32_t data_len, const uint8_t* ext, uint32_t ext_len,
                              uint32_t unit, uint32_t max, uint32_t room) {
    if (ext_len != 0 && ext_len <= max) {
        uint32_t orig = std::max((data_len + unit - 1) / unit * unit, kIcmpExtMinOrig);
        if (orig + ext_len > max) orig = (max - ext_len) / unit * unit;  // cut the datagram
        if (orig >= kIcmpExtMinOrig && orig / unit <= 255 && orig + ext_len <= room) {
            std::memmove(q + orig, ext, ext_len);
            const uint32_t kept = std::min(data_len, orig);
            std::memset(q + kept, 0, orig - kept);
            return {orig + ext_len, static_cast<uint8_t>(orig / unit)};
        }
    }
    return {std::min(data_len, max), 0};
}

}  // namespace strait::xlat
