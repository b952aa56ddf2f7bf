#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SIIT: traceroute from the IPv6 client shows the gateway (its own ICMPv6 Time Exceeded)
# then the IPv4 server (its ICMP Port Unreachable, translated); and the reverse direction.
source "$(dirname "$0")/siit/lib.sh"
siit_up
# Resolve both neighbours first: the neighbour hold slot keeps one packet, and traceroute
# sends its probes at once.
ip netns exec "$NS_C" ping -c 1 -W 2 "$SERVER4_AS6" >/dev/null || fail "warm-up ping"
out=$(ip netns exec "$NS_C" traceroute -n -N 1 -w 2 -q 1 -m 5 "$SERVER4_AS6")
echo "$out"
echo "$out" | grep -Eq "^ 1  $GW6 " || fail "hop 1 is not the gateway"
echo "$out" | grep -Eq "^ 2  ${SERVER4_AS6//./\\.}|^ 2  2001:db8:64::c633:6402 " || fail "hop 2 is not the server"
out=$(ip netns exec "$NS_S" traceroute -n -N 1 -w 2 -q 1 -m 5 192.0.2.10)
echo "$out"
echo "$out" | grep -Eq "^ 1  $GW4 " || fail "IPv4 hop 1 is not the gateway"
echo "$out" | grep -Eq "^ 2  192\.0\.2\.10 " || fail "IPv4 hop 2 is not the client"
pass
