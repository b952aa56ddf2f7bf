// SPDX-License-Identifier: Apache-2.0
// No-allocation DNS wire format (RFC 1035 §4) reader and writer: header, names with
// compression, resource records, EDNS0 OPT (RFC 6891). Works on byte spans only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace strait::dns64::wire {

using Bytes = std::span<const uint8_t>;

inline constexpr std::size_t kHeaderLen = 12;
inline constexpr std::size_t kMaxNameLen = 255;  ///< RFC 1035 §2.3.4, wire form
inline constexpr std::size_t kMaxUdpPlain = 512; ///< RFC 1035 §4.2.1
inline constexpr std::size_t kOptLen = 11;       ///< OPT RR with no options

/// Compression pointers followed per name, as BIND's DNS_POINTER_MAXHOPS: backward-only
/// pointers cannot loop, but a chain of them can make one name cost thousands of hops
/// (a 64 KiB message of such names: tens of milliseconds of the DNS64 lcore).
inline constexpr std::size_t kMaxPointerHops = 16;

inline constexpr uint16_t kTypeA = 1;
inline constexpr uint16_t kTypeNs = 2;
inline constexpr uint16_t kTypeCname = 5;
inline constexpr uint16_t kTypeSoa = 6;
inline constexpr uint16_t kTypePtr = 12;
inline constexpr uint16_t kTypeMx = 15;
inline constexpr uint16_t kTypeAaaa = 28;
inline constexpr uint16_t kTypeDname = 39;
inline constexpr uint16_t kTypeOpt = 41;
inline constexpr uint16_t kTypeRrsig = 46;
inline constexpr uint16_t kClassIn = 1;

/// Header flag bits (RFC 1035 §4.1.1, RFC 4035 §3.2 for AD/CD).
inline constexpr uint16_t kFlagQr = 0x8000;
inline constexpr uint16_t kFlagAa = 0x0400;
inline constexpr uint16_t kFlagTc = 0x0200;
inline constexpr uint16_t kFlagRd = 0x0100;
inline constexpr uint16_t kFlagRa = 0x0080;
inline constexpr uint16_t kFlagAd = 0x0020;
inline constexpr uint16_t kFlagCd = 0x0010;
inline constexpr uint16_t kOpcodeMask = 0x7800;
inline constexpr uint16_t kRcodeMask = 0x000f;

enum Rcode : uint8_t { NoError = 0, FormErr = 1, ServFail = 2, NxDomain = 3, NotImp = 4, Refused = 5 };

struct Header {
    uint16_t id = 0;
    uint16_t flags = 0;
    uint16_t qdcount = 0;
    uint16_t ancount = 0;
    uint16_t nscount = 0;
    uint16_t arcount = 0;

    [[nodiscard]] uint8_t rcode() const { return flags & kRcodeMask; }
    [[nodiscard]] uint8_t opcode() const { return (flags & kOpcodeMask) >> 11; }
};

/// Reads the 12-byte header; false when `m` is shorter. Thread: any (pure).
bool read_header(Bytes m, Header& h) noexcept;
/// Writes the 12-byte header at `p`. Thread: any (pure).
void write_header(uint8_t* p, const Header& h) noexcept;

/// Decompresses the name at `off` into `out` (room for kMaxNameLen bytes), ASCII
/// lower-cased when `lower`. Returns its wire length (>= 1) and sets `*next` to the offset
/// after the name in the record stream; 0 when malformed: truncated, reserved label type,
/// a pointer that does not point strictly backwards (which rules out loops, RFC 1035
/// §4.1.4 only ever needs backward pointers), more than kMaxPointerHops pointers, or
/// longer than 255 bytes.
std::size_t read_name(Bytes m, std::size_t off, uint8_t* out, std::size_t* next,
                      bool lower = true) noexcept;

/// Offset just after the (possibly compressed) name at `off`, or 0 when malformed.
std::size_t skip_name(Bytes m, std::size_t off) noexcept;

/// Case-insensitive equality of two uncompressed wire names.
bool name_equal(const uint8_t* a, std::size_t alen, const uint8_t* b, std::size_t blen) noexcept;

/// One resource record located inside a message (RFC 1035 §4.1.3).
struct Record {
    std::size_t owner_off = 0;
    uint16_t type = 0;
    uint16_t rclass = 0;
    uint32_t ttl = 0;
    std::size_t ttl_off = 0;
    uint16_t rdlen = 0;
    std::size_t rdata_off = 0;
    std::size_t end = 0;  ///< offset of the next record
};

/// Reads the RR at `off`; false when it is truncated or its owner name is malformed.
bool read_record(Bytes m, std::size_t off, Record& r) noexcept;

/// Skips the question section of a message whose header says `qdcount`; 0 when malformed.
std::size_t skip_questions(Bytes m, uint16_t qdcount) noexcept;

/// EDNS0 state of a message (RFC 6891 §6.1.3).
struct Edns {
    bool present = false;
    bool do_bit = false;  ///< RFC 3225
    uint8_t version = 0;
    uint8_t ext_rcode = 0;
    uint16_t udp_size = 0;
};

/// A parsed client query: the question sits uncompressed at offset 12.
struct Query {
    Header h;
    std::size_t qname_len = 0;  ///< wire length of the question name at offset 12
    uint16_t qtype = 0;
    uint16_t qclass = 0;
    std::size_t question_end = 0;
    Edns edns;
    uint8_t lname[kMaxNameLen];  ///< lower-cased copy of the question name
};

/// What intake decides about a message arriving on the query path.
enum class QueryVerdict : uint8_t {
    Ok,
    Drop,     ///< shorter than a header, or QR=1: no answer (RFC 1035 §4.1.1)
    FormErr,  ///< malformed, QDCOUNT != 1, two OPT RRs, OPT not at the root
    NotImp,   ///< opcode other than QUERY
    BadVers,  ///< EDNS version other than 0 (RFC 6891 §6.1.3)
};

/// Parses and validates a client query without allocating. On anything but Ok/Drop,
/// `q.h` holds the header so an error answer can be built; `q.qname_len` is 0 when the
/// question itself was unusable. Thread: any (pure).
QueryVerdict parse_query(Bytes m, Query& q) noexcept;

/// Bounded writer of wire bytes with simple name compression: a name written in full is
/// remembered and later identical names become pointers (RFC 1035 §4.1.4). Overflow
/// sets a sticky failure flag instead of writing out of bounds.
class Builder {
public:
    Builder(uint8_t* buf, std::size_t cap) noexcept : buf_(buf), cap_(cap) {}

    [[nodiscard]] bool ok() const { return ok_; }
    [[nodiscard]] std::size_t size() const { return len_; }
    [[nodiscard]] uint8_t* data() const { return buf_; }

    void bytes(const uint8_t* p, std::size_t n) noexcept;
    void u16(uint16_t v) noexcept;
    void u32(uint32_t v) noexcept;
    void patch_u16(std::size_t off, uint16_t v) noexcept;
    /// Marks an uncompressed name already in the buffer (e.g. the question) as a target.
    void remember_name(std::size_t off, std::size_t len) noexcept;
    /// Writes an uncompressed wire name, as a pointer when an equal name was remembered.
    void name(const uint8_t* n, std::size_t len) noexcept;
    /// Appends an OPT RR with no options (RFC 6891 §6.1.2).
    void opt(uint16_t udp_size, bool do_bit, uint8_t ext_rcode = 0) noexcept;

private:
    static constexpr std::size_t kMaxRemembered = 8;
    uint8_t* buf_;
    std::size_t cap_;
    std::size_t len_ = 0;
    bool ok_ = true;
    std::size_t nnames_ = 0;
    std::size_t name_off_[kMaxRemembered]{};
    std::size_t name_len_[kMaxRemembered]{};
};

/// Writes an answer carrying only the question (when known) and `rcode` for query `q`
/// taken from message `m`, plus an OPT when the query had one. BadVers is expressed with
/// the extended RCODE (RFC 6891 §6.1.3). Returns the length, 0 if `cap` is too small.
std::size_t build_error(Bytes m, const Query& q, uint16_t rcode, uint16_t edns_udp_size,
                        uint8_t* out, std::size_t cap) noexcept;

}  // namespace strait::dns64::wire
