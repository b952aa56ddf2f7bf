// SPDX-License-Identifier: Apache-2.0
// Answers for packets addressed to the gateway itself (ARP, NDP, ICMP/ICMPv6 echo), built
// in place in the received frame, and the neighbour-resolution requests it sends.
#pragma once

#include <cstdint>

#include "dataplane/pkt/classify.h"
#include "strait/net/addr.h"
#include "strait/util/drop_reasons.h"

namespace strait::pkt {

/// A neighbour binding seen in ARP/NDP traffic, for the neighbour table.
struct NeighborLearn {
    bool valid = false;
    bool v6 = false;
    uint8_t ip[16] = {};  // IPv4 uses the first 4 bytes
    net::MacAddr mac;
};

enum class LocalAction : uint8_t {
    Reply,     // the frame was rewritten into an answer: transmit it on the same port
    Consumed,  // nothing to send (e.g. an ARP reply we learned from): free the frame
    Drop,      // count `reason` and free
};

struct LocalResult {
    LocalAction action = LocalAction::Drop;
    DropReason reason = DropReason::InternalBug;
    uint32_t frame_len = 0;  // length of the answer frame when action == Reply
    NeighborLearn learn;
};

/// Minimum buffer capacity the in-place answers need (an NA with its option).
inline constexpr uint32_t kLocalReplyMinCap = 14 + 40 + 32;

/// RFC 826: answers requests for our addresses (in place), learns the on-link sender.
LocalResult arp_input(uint8_t* frame, uint32_t len, const LocalAddrs& local);

/// RFC 4861 §7.1/7.2: validates NS/NA, answers NS for our addresses (incl. DAD), learns
/// link-layer addresses. `l3_len` from classify(); `cap` is the buffer size.
LocalResult ndp_input(uint8_t* frame, uint32_t l3_len, uint32_t cap, const LocalAddrs& local);

/// RFC 4443 §4.2: turns a validated echo request into the reply, sent from `mac` (the
/// request may have come to a group MAC).
LocalResult echo6_reply(uint8_t* frame, uint32_t l3_len, const net::MacAddr& mac);

/// RFC 792: turns a validated echo request into the reply, sent from `mac`.
LocalResult echo4_reply(uint8_t* frame, uint32_t l3_len, const net::MacAddr& mac);

/// Writes a broadcast ARP request for `target`; returns the frame length (42).
uint32_t build_arp_request(uint8_t* buf, const net::MacAddr& mac, net::Ipv4Addr sender,
                           net::Ipv4Addr target);

/// Writes a Neighbor Solicitation for `target` to its solicited-node group with our
/// link-layer address option; returns the frame length (86).
uint32_t build_neighbor_solicit(uint8_t* buf, const net::MacAddr& mac, const net::Ipv6Addr& src,
                                const net::Ipv6Addr& target);

}  // namespace strait::pkt
