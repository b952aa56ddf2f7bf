#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# NAT64: traceroute6 from the IPv6-only client through an IPv4 router to a far IPv4 host,
# with UDP, ICMP echo and TCP SYN probes. Hop 1 is the gateway (its own ICMPv6 Time
# Exceeded); hop 2 is the IPv4 router, whose ICMP Time Exceeded to 192.0.2.1 is matched to
# its session through the probe it quotes (RFC 6146 §3.5.3) and translated back to the
# client; hop 3 is the far host (its Port Unreachable, echo reply or RST, translated).
source "$(dirname "$0")/nat64/lib.sh"
NS_F=${TOPO_PREFIX}-f
E2E_EXTRA_CLEANUP='ip netns del "$NS_F" 2>/dev/null || true'
FAR4=203.0.113.2
FAR6=${PREF64}cb00:7102
ROUTER6=${PREF64}c633:6402
nat64_up "{\"dns64\": null, \"ports\": {\"outside\": {\"gateway4\": \"$SERVER4\"}}}"
# The server namespace becomes the router to the far host.
ip netns add "$NS_F"
ip link add r-far netns "$NS_S" type veth peer name far netns "$NS_F"
topo_quiet_veth "$NS_S" r-far; topo_quiet_veth "$NS_F" far
ip -n "$NS_S" addr add 203.0.113.1/24 dev r-far; ip -n "$NS_S" link set r-far up
ip -n "$NS_F" addr add "$FAR4/24" dev far; ip -n "$NS_F" link set far up
ip -n "$NS_F" link set lo up; ip -n "$NS_F" route add default via 203.0.113.1
ip netns exec "$NS_S" sysctl -qw net.ipv4.ip_forward=1
# Resolve the neighbours first: traceroute's probes would queue behind resolution.
in_client ping -c 1 -W 2 "$FAR6" >/dev/null || fail "warm-up ping to $FAR6"

# trace FLAG: one probe per hop, one at a time; the hops it printed, space-separated.
trace() {
    local out
    out=$(in_client traceroute6 -n "$@" -N 1 -q 1 -w 2 -m 5 "$FAR6") || true
    echo "$out" >&2
    echo "$out" | awk 'NR > 1 {print $2}' | tr '\n' ' '
}
want="$GW6 $ROUTER6 $FAR6 "
for mode in -U -I -T; do
    hops=$(trace "$mode")
    [[ $hops == "$want" ]] || fail "traceroute6 $mode: hops '$hops', want '$want'"
done
log "UDP, ICMP and TCP traces: $want"
# Every answer of hops 2 and 3 came back translated (6, plus the warm-up echo reply): each
# error found its session through the probe it quotes. Hop 1 answers for itself (3 probes
# with hop limit 1).
check totals.translated_v4_to_v6=7 'nat64.sessions_created.udp>=1' \
    'nat64.sessions_created.icmp>=2' 'nat64.sessions_created.tcp>=1' \
    drops.ipv6_hop_limit_expired=3
no_nat64_drops
pass
