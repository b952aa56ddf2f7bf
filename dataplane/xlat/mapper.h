// SPDX-License-Identifier: Apache-2.0
// The Mapper concept: the compile-time hook through which the translator maps addresses
// (SIIT: pool6 + EAMT) and, for stateful NAT64, transport ports and ICMP identifiers.
#pragma once

#include <concepts>

#include "xlat_types.h"

namespace strait::xlat {

/// A Mapper turns the addresses (and optionally ports / ICMP identifier) of one direction
/// into the other. The translator pre-fills `out` with the ports, translated protocol and
/// has_ports of `in`; the mapper writes out.src/out.dst and may rewrite the ports. Calls:
///  - plain packets: one call with MapScope::Outer;
///  - ICMP errors: first MapScope::Inner for the quoted packet (which travelled the other
///    way, so its source is the far side), then MapScope::ErrorOuter for the outer header —
///    a stateful mapper may remember the session found by the Inner call;
///  - map_v4_to_v6 with MapScope::Hairpin for the second pass of a hairpinned packet
///    (RFC 7757 §4.2: map the source with pool6, not the EAMT); when that packet is an ICMP
///    error, MapScope::HairpinInner for its quoted packet (whose destination is mapped as
///    the outer source is) then MapScope::HairpinErrorOuter for the outer header.
/// map_v6_to_v4 may answer MapStatus::Hairpin (Outer or ErrorOuter), and for ErrorOuter
/// may set MapResult::src_unmapped (RFC 6791: the translator picks the source). A mapper
/// that never answers Hairpin never sees the Hairpin* scopes. Mappers must not allocate,
/// lock or block; a failure is MapStatus::Drop with a DropReason. thread: per the mapper.
template <class M>
concept Mapper = requires(M& m, const Flow6& in6, Flow4& out4, const Flow4& in4, Flow6& out6,
                          MapScope scope) {
    { m.map_v6_to_v4(in6, out4, scope) } -> std::same_as<MapResult>;
    { m.map_v4_to_v6(in4, out6, scope) } -> std::same_as<MapResult>;
};

}  // namespace strait::xlat
