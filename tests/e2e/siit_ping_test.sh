#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SIIT: ICMP echo both ways through straitd (IPv6 client -> IPv4 server and back), counted.
source "$(dirname "$0")/siit/lib.sh"
siit_up
ip netns exec "$NS_C" ping -c 3 -i 0.2 -W 2 "$SERVER4_AS6" || fail "ping6 through SIIT"
# The IPv4 side reaches the client at its EAMT address.
ip netns exec "$NS_S" ping -c 3 -i 0.2 -W 2 192.0.2.10 || fail "ping from IPv4 to EAMT address"
v64=$(stat totals.translated_v6_to_v4); v46=$(stat totals.translated_v4_to_v6)
((v64 >= 6 && v46 >= 6)) || fail "counters: v6_to_v4=$v64 v4_to_v6=$v46"
# An IPv6 destination outside pool6 and the EAMT is dropped and counted, not forwarded.
ip netns exec "$NS_C" ping -c 1 -W 1 2001:db8:99::1 && fail "unmapped destination answered"
(( $(stat totals.drops.xlat_no_mapping) >= 1 )) || fail "xlat_no_mapping not counted"
pass
