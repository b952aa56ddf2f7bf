#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SIIT Path MTU: a router on the IPv4 side with a 1000-byte link answers Fragmentation
# Needed (MTU 1000); straitd translates it, with its quoted packet, into ICMPv6 Packet Too
# Big. RFC 7915 §4.2 gives 1020, raised to the IPv6 minimum 1280 (RFC 8200 §5, no atomic
# fragments per RFC 8021): the client then sends 1280-byte packets, which translate to
# 1260-byte IPv4 packets without DF that the router may fragment, and the upload completes.
source "$(dirname "$0")/siit/lib.sh"
NS_F=${TOPO_PREFIX}-f
E2E_EXTRA_CLEANUP='ip netns del "$NS_F" 2>/dev/null || true'
siit_up "" "$SERVER4"
# The server namespace becomes a router to a far server behind a 1000-byte link.
ip netns add "$NS_F"
# The far end keeps 1500 so it advertises MSS 1460 and the client really needs PMTUD.
ip link add r-far netns "$NS_S" mtu 1000 type veth peer name far netns "$NS_F" mtu 1500
topo_quiet_veth "$NS_S" r-far; topo_quiet_veth "$NS_F" far
ip -n "$NS_S" addr add 203.0.113.1/24 dev r-far; ip -n "$NS_S" link set r-far up
ip -n "$NS_F" addr add 203.0.113.2/24 dev far; ip -n "$NS_F" link set far up
ip -n "$NS_F" link set lo up; ip -n "$NS_F" route add default via 203.0.113.1
ip netns exec "$NS_S" sysctl -qw net.ipv4.ip_forward=1
(ip netns exec "$NS_C" timeout 10 tcpdump -l -c 1 -nvi v6c "icmp6 and ip6[40] == 2" >"$E2E_WORK/td.log" 2>&1 &)
sleep 1
in_bg "$NS_F" /usr/bin/python3 "$E2E_DIR/siit/tcp_sink.py" server 203.0.113.2 9000
sleep 0.5
# A 1400-byte datagram becomes a 1380-byte IPv4 packet with DF set (RFC 7915 §5.1: above
# 1260 bytes), which the 1000-byte link refuses with Fragmentation Needed.
ip netns exec "$NS_C" /usr/bin/python3 -c "
import socket, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
for _ in range(3):
    s.sendto(b'x' * 1400, ('${PREF64}203.0.113.2', 9001)); time.sleep(0.3)
" || true
ip netns exec "$NS_C" /usr/bin/python3 "$E2E_DIR/siit/tcp_sink.py" client \
    "${PREF64}203.0.113.2" 9000 1000000 || fail "upload across the 1000-byte link"
grep -q "packet too big, mtu 1280" "$E2E_WORK/td.log" ||
    { cat "$E2E_WORK/td.log"; fail "no translated Packet Too Big with MTU 1280 reached the client"; }
pass
