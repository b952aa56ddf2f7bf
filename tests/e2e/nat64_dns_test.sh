#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# NAT64: dig from the IPv6-only client to an IPv4-only authoritative server (nsd) at
# 2001:db8:64::198.51.100.2, over UDP, over TCP, and over UDP truncated then TCP; the
# server sees every query come from the pool4 address 192.0.2.1.
source "$(dirname "$0")/nat64/lib.sh"
E2E_TOPO=1
topo_up
start_nsd
capture "$NS_S" v4s "port 53 and not src host $SERVER4"
start_straitd "$(nat64_config '{"dns64": null}')"
ns=$SERVER4_AS6
dig6() { in_client dig "@$ns" +time=3 +tries=1 "$@"; }

expect "A over UDP" "$(dig6 +short A a-only.strait.test)" "198.51.100.2"
expect "AAAA over TCP" "$(dig6 +tcp +short AAAA dual.strait.test)" "2001:db8:100::3"
# 100 A records do not fit 512 bytes: without EDNS nsd sets TC=1, dig asks again over TCP.
out=$(dig6 +noedns +ignore A wide.strait.test) || fail "dig wide over UDP"
echo "$out" | grep -q "flags: qr aa tc" || fail "no truncated UDP answer for wide"
[[ $(dig6 +noedns A wide.strait.test | grep -c "IN.A.203\.0\.113\.") -eq 100 ]] ||
    fail "TCP retry after TC=1 did not bring the 100 A records"
log "UDP, TCP and UDP->TCP answers through NAT64"

# nsd's side of the wire: every query (UDP datagrams, TCP SYNs) from 192.0.2.1.
sleep 0.5
cap=$E2E_WORK/cap-$NS_S-v4s.log
srcs=$(awk '$2 == "IP" {sub(/\.[0-9]+$/, "", $3); print $3}' "$cap" | sort | uniq -c)
log "query sources at the server: $srcs"
[[ $(awk '$2 == "IP" {sub(/\.[0-9]+$/, "", $3); print $3}' "$cap" | sort -u) == "$POOL4" ]] ||
    { cat "$cap"; fail "queries reached nsd from other than $POOL4"; }
grep -q "IP $POOL4\.[0-9]* > $SERVER4\.53: [0-9]" "$cap" || fail "no UDP query at the server"
grep -q "IP $POOL4\.[0-9]* > $SERVER4\.53: Flags \[S\]" "$cap" || fail "no TCP SYN at the server"

# Sessions: 3 UDP queries (each from a fresh source port) and 2 TCP connections.
check nat64.sessions_created.udp=3 nat64.sessions_created.tcp=2 pool4.$POOL4.udp=3 \
    pool4.$POOL4.tcp=2 'totals.translated_v4_to_v6>=10'
no_nat64_drops
pass
