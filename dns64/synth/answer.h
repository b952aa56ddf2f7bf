// SPDX-License-Identifier: Apache-2.0
// Builds the DNS messages the engine sends: upstream queries, pass-through answers,
// RFC 6147 synthesized AAAA answers, reverse-mapping (PTR) answers, local answers.
#pragma once

#include <cstddef>
#include <cstdint>

#include "dns64/policy/policy.h"
#include "dns64/wire/message.h"

namespace strait::dns64 {

/// What an answer must echo of the client's query.
struct ClientQuestion {
    const uint8_t* qname = nullptr;  ///< the client's bytes (original case), uncompressed
    std::size_t qname_len = 0;
    uint16_t qtype = 0;
    uint16_t qclass = 0;
    uint16_t id = 0;
    uint16_t flags = 0;  ///< client header flags; RD and CD are echoed
    wire::Edns edns;     ///< client's EDNS; an OPT is added to the answer iff present
    uint16_t edns_udp_size = 1232;  ///< ours, advertised in answers
};

/// RFC 6147 §5.1 decision on the answer to the AAAA query.
struct AaaaVerdict {
    enum class Kind : uint8_t {
        Use,         ///< usable AAAA records: pass through (excluded ones filtered)
        Synthesize,  ///< NODATA, only excluded AAAA, or RCODE other than 0/3: query A
        Negative,    ///< NXDOMAIN: pass through (§5.1.2)
    } kind = Kind::Synthesize;
    bool filtered = false;   ///< some AAAA records were excluded (§5.1.4)
    bool have_soa = false;   ///< the negative answer carried an SOA
    uint32_t soa_ttl = 0;    ///< min(SOA TTL, SOA MINIMUM), RFC 2308 §5
};

/// RFC 6147 §5.1.7: upper bound of a synthesized AAAA TTL: the SOA negative TTL of the
/// AAAA answer when it had one, else 600 s.
uint32_t synth_ttl_cap(const AaaaVerdict& v);

/// Classifies an upstream answer to a AAAA query. Malformed counts as an error RCODE.
AaaaVerdict classify_aaaa(wire::Bytes up, const Policy& policy);

/// Upstream query: random `id`, RD=1, CD as the client, an OPT advertising `udp_size`
/// with the client's DO bit (RFC 6891 §6.1.1, RFC 3225 §3). Returns length, 0 if no room.
std::size_t build_upstream_query(uint16_t id, const uint8_t* qname, std::size_t qname_len,
                                 uint16_t qtype, uint16_t qclass, bool cd, bool do_bit,
                                 uint16_t udp_size, uint8_t* out, std::size_t cap);

/// Rewrites an upstream answer for the client: client ID, RD, question case and EDNS
/// (upstream OPT dropped, ours added iff the client sent one); names are decompressed
/// and recompressed. When `filter` is set, AAAA records it excludes are left out
/// (RFC 6147 §5.1.4). Returns the length, 0 when malformed or out of room.
std::size_t build_passthrough(wire::Bytes up, const ClientQuestion& cq, const Policy* filter,
                              uint8_t* out, std::size_t cap);

/// RFC 6147 §5.1.7 / §5.1.8: from the answer to the A query, an answer keeping the CNAME
/// and DNAME chain and owning one AAAA per mapped A at the chain's final name, with
/// TTL = min(A TTL, `neg_ttl`). `*nsynth` gets the number of AAAA records; 0 records
/// means the caller must fall back to the AAAA answer. Returns length, 0 on failure.
std::size_t build_synthesized(wire::Bytes a_resp, const ClientQuestion& cq, const Policy& policy,
                              uint8_t prefix_index, uint32_t neg_ttl, uint8_t* out,
                              std::size_t cap, unsigned* nsynth);

/// RFC 6147 §5.3.1: CNAME from the ip6.arpa question to `target` (in-addr.arpa), followed
/// by the records of the upstream answer `up` to the PTR query for `target` (may be
/// empty: then only the CNAME, with `rcode`).
std::size_t build_ptr_answer(wire::Bytes up, const ClientQuestion& cq, const uint8_t* target,
                             std::size_t target_len, uint16_t rcode, uint8_t* out,
                             std::size_t cap);

/// RFC 8880 §7.2: local answer for ipv4only.arpa, A (192.0.0.170/171) or AAAA (both
/// synthesized into `prefix`).
std::size_t build_ipv4only(const ClientQuestion& cq, const net::Ipv6Prefix& prefix,
                           uint8_t* out, std::size_t cap);

/// A header-and-question answer with TC=1 (RFC 1035 §4.1.1, RFC 7766 §5) or another
/// RCODE, keeping `extra_flags` (AA/RA/AD) from the full answer.
std::size_t build_empty(const ClientQuestion& cq, uint16_t extra_flags, uint16_t rcode,
                        uint8_t* out, std::size_t cap);

}  // namespace strait::dns64
