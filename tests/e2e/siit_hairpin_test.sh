#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SIIT hairpinning (RFC 7757 §4.2): two IPv6 clients, each EAMT-mapped, reach each other
# through their pool6 addresses. The translated IPv4 destination is itself EAMT-mapped, so
# straitd loops the packet back to IPv6 with the source in pool6 (not the EAMT).
SIIT_EAMT_EXTRA='[{"ipv6": "2001:db8:6::11/128", "ipv4": "192.0.2.11/32"}]'
source "$(dirname "$0")/siit/lib.sh"
siit_up
ip -n "$NS_C" addr add 2001:db8:6::11/64 dev v6c nodad
PEER=${PREF64}c000:20b  # 192.0.2.11 under pool6
ip netns exec "$NS_C" ping -c 3 -i 0.2 -W 2 -I "$CLIENT6" "$PEER" || fail "hairpinned ping"
# Requests and replies were both hairpinned (counted once each), and nothing went out
# on the IPv4 side.
(( $(stat totals.translated_v6_to_v4) >= 6 )) || fail "hairpin passes: $(stat totals.translated_v6_to_v4)"
out=$(stat totals.tx.outside)
((out == 0)) || fail "$out packets left on the IPv4 port"
pass
