#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SIIT: real fragments on the wire both ways. The IPv6 side's links have a 1280-byte MTU
# (client, gateway port and straitd's inside "mtu"), so the client's 4000-byte UDP datagram
# leaves as IPv6 fragments that straitd translates one by one into IPv4 fragments
# (Fragment Header -> MF/offset, RFC 7915 §5.1.1), and the IPv4 answers, whole or
# reassembled by the AF_PACKET port, come back as IPv6 fragments of at most 1280 bytes
# that straitd cut (RFC 7915 §4, lowest_ipv6_mtu): the 1280-byte veth would drop anything
# bigger. Captures at both ends check every fragment (tests/e2e/siit/fragments.py); the
# IPv4 fragments straitd sends reach the server's capture as sent. (straitd's handling
# of IPv4 fragments as they arrive from the wire is the net_pcap golden case
# tests/golden/siit_fragment: AF_PACKET reassembles them before straitd sees them.)
source "$(dirname "$0")/siit/lib.sh"
siit_up '{"lowest_ipv6_mtu": 1280, "ports": {"inside": {"mtu": 1280}}}'
ip -n "$NS_C" link set v6c mtu 1280
ip -n "$NS_G" link set gw-in mtu 1280
ECHO="/usr/bin/python3 $E2E_DIR/siit/udp_echo.py"
in_bg "$NS_S" $ECHO server "$SERVER4" 7000
in_bg "$NS_S" $ECHO server "$SERVER4" 7001 --no-df

# What arrives at each end host, from straitd (immediate mode: every packet is written as
# it comes, none waits in a ring block when the capture stops).
ip netns exec "$NS_C" tcpdump -i v6c -Q in -n -U --immediate-mode -w "$E2E_WORK/client.pcap" \
    2>"$E2E_WORK/client.tcpdump.log" &
CAP_C=$!
ip netns exec "$NS_S" tcpdump -i v4s -Q in -n -U --immediate-mode -w "$E2E_WORK/server.pcap" \
    2>"$E2E_WORK/server.tcpdump.log" &
CAP_S=$!
for f in client server; do
    for _ in $(seq 50); do grep -qs "listening on" "$E2E_WORK/$f.tcpdump.log" && break; sleep 0.1; done
done
sleep 0.5

ip netns exec "$NS_C" $ECHO client "$SERVER4_AS6" 7000 4000 || fail "4000-byte UDP echo"
ip netns exec "$NS_C" $ECHO client "$SERVER4_AS6" 7000 1200 || fail "1200-byte UDP echo"
before=$(stat totals.translated_v4_to_v6)
ip netns exec "$NS_C" $ECHO client "$SERVER4_AS6" 7001 1400 || fail "1400-byte echo, DF=0"
after=$(stat totals.translated_v4_to_v6)
((after > before)) || fail "no v4_to_v6 translation counted"

sleep 0.5
kill -INT "$CAP_C" "$CAP_S"
wait "$CAP_C" "$CAP_S" 2>/dev/null || true
FRAGS="$PYTHON $E2E_DIR/siit/fragments.py"
# Client side: the 4000-byte answer (reassembled IPv4 from the server's kernel) and the
# 1400-byte DF=0 answer came as IPv6 fragments of at most 1280 bytes; 1200 fits whole.
$FRAGS v6 "$E2E_WORK/client.pcap" 1280 frag:4000 frag:1400 whole:1200 ||
    fail "IPv6 fragments from straitd (above)"
# Server side: the client's IPv6 fragments (its 4000- and 1400-byte datagrams; 1280 bytes
# at most) became IPv4 fragments of at most 1280 - 40 - 8 + 20 = 1252 bytes, one
# Identification each, the datagram complete; 1200 crossed whole.
$FRAGS v4 "$E2E_WORK/server.pcap" 1252 frag:4000 frag:1400 whole:1200 ||
    fail "IPv4 fragments from straitd (above)"
pass
