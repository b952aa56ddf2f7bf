#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SIIT: UDP datagrams larger than the MTU cross as fragments both ways (IPv6 Fragment
# Header <-> IPv4 fragments), and an IPv4 sender that clears DF gets its 1400-byte reply
# fragmented by the translator to the IPv6 minimum MTU (RFC 7915 §4 / lowest_ipv6_mtu).
source "$(dirname "$0")/siit/lib.sh"
siit_up '{"lowest_ipv6_mtu": 1280}'
ECHO="/usr/bin/python3 $E2E_DIR/siit/udp_echo.py"
in_bg "$NS_S" $ECHO server "$SERVER4" 7000
in_bg "$NS_S" $ECHO server "$SERVER4" 7001 --no-df
sleep 0.5
ip netns exec "$NS_C" $ECHO client "$SERVER4_AS6" 7000 4000 || fail "4000-byte UDP echo"
ip netns exec "$NS_C" $ECHO client "$SERVER4_AS6" 7000 1200 || fail "1200-byte UDP echo"
before=$(stat totals.translated_v4_to_v6)
ip netns exec "$NS_C" $ECHO client "$SERVER4_AS6" 7001 1400 || fail "1400-byte echo, DF=0"
after=$(stat totals.translated_v4_to_v6)
((after > before)) || fail "no v4_to_v6 translation counted"
pass
