// SPDX-License-Identifier: Apache-2.0
// Unaligned big-endian loads and stores on raw packet bytes. Packet buffers carry no
// alignment guarantee, so every header field goes through memcpy.
#pragma once

#include <endian.h>

#include <cstdint>
#include <cstring>

namespace strait::net {

inline uint16_t load_be16(const uint8_t* p) {
    uint16_t v;
    std::memcpy(&v, p, sizeof v);
    return be16toh(v);
}
inline uint32_t load_be32(const uint8_t* p) {
    uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return be32toh(v);
}
inline void store_be16(uint8_t* p, uint16_t v) {
    v = htobe16(v);
    std::memcpy(p, &v, sizeof v);
}
inline void store_be32(uint8_t* p, uint32_t v) {
    v = htobe32(v);
    std::memcpy(p, &v, sizeof v);
}

}  // namespace strait::net
