#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The topology every end-to-end test and the demo use (documentation addresses only):
#
#   ns $NS_C (IPv6-only client)        ns $NS_G (straitd)               ns $NS_S (IPv4 server)
#   v6c 2001:db8:6::10/64  <--veth-->  gw-in | straitd | gw-out <--veth-->  v4s 198.51.100.2/24
#   default via 2001:db8:6::1           AF_PACKET vdevs, no kernel IPs      192.0.2.0/24 via .1
#
# Source it, set TOPO_PREFIX (default: st$$), call topo_up; topo_down removes everything.

TOPO_PREFIX=${TOPO_PREFIX:-st$$}
NS_C=${TOPO_PREFIX}-c
NS_G=${TOPO_PREFIX}-g
NS_S=${TOPO_PREFIX}-s
CLIENT6=2001:db8:6::10
GW6=2001:db8:6::1
SERVER4=198.51.100.2
GW4=198.51.100.1
PREF64=2001:db8:64::
SERVER4_AS6=${PREF64}${SERVER4}

topo_quiet_veth() {  # $1 ns, $2 dev: complete checksums, no GSO super-frames, no IPv6 on gw ends
    ip netns exec "$1" ethtool -K "$2" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
}

topo_up() {
    topo_down 2>/dev/null || true
    ip netns add "$NS_C" && ip netns add "$NS_G" && ip netns add "$NS_S"
    ip link add v6c netns "$NS_C" type veth peer name gw-in netns "$NS_G"
    ip link add v4s netns "$NS_S" type veth peer name gw-out netns "$NS_G"
    for dev in gw-in gw-out; do
        ip netns exec "$NS_G" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
        topo_quiet_veth "$NS_G" "$dev"
        ip -n "$NS_G" link set "$dev" up
    done
    ip -n "$NS_G" link set lo up
    topo_quiet_veth "$NS_C" v6c
    ip -n "$NS_C" link set lo up
    ip -n "$NS_C" addr add "$CLIENT6/64" dev v6c nodad
    ip -n "$NS_C" link set v6c up
    ip -n "$NS_C" -6 route add default via "$GW6" dev v6c
    topo_quiet_veth "$NS_S" v4s
    ip -n "$NS_S" link set lo up
    ip -n "$NS_S" addr add "$SERVER4/24" dev v4s
    ip -n "$NS_S" link set v4s up
    ip -n "$NS_S" route add 192.0.2.0/24 via "$GW4" dev v4s
}

topo_down() {
    local ns
    for ns in "$NS_C" "$NS_G" "$NS_S"; do
        if ip netns pids "$ns" >/dev/null 2>&1; then
            ip netns pids "$ns" | xargs -r kill -9 2>/dev/null || true
        fi
        ip netns del "$ns" 2>/dev/null || true
    done
}
