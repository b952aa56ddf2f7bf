#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# NAT64 with pool4 on the gateway's own outside address 198.51.100.1 (ports 1024-49151, clear
# of the DNS64 upstream source ports 49152-65535): the client resolves a name through DNS64
# (upstream queries from the same address) and fetches the page and pings the server through
# NAT64; the server sees 198.51.100.1; the gateway still answers pings to that address
# itself, and a pool4/DNS64 port overlap is refused at config check.
source "$(dirname "$0")/nat64/lib.sh"
E2E_TOPO=1
topo_up
start_nsd
self='{"nat64": {"pool4": [{"prefix": "198.51.100.1/32", "ports": {"min": 1024, "max": 49151}}]}}'
start_straitd "$(nat64_config "$self")"
mkdir -p "$E2E_WORK/www"
echo "hello via the gateway's own address" >"$E2E_WORK/www/index.html"
http_server "$NS_S" "$SERVER4" 80 "$E2E_WORK/www"

addr=$(dig_client +short AAAA a-only.strait.test)
expect "synthesized AAAA" "$addr" "2001:db8:64::c633:6402"
got=$(in_client curl -sS -m 10 "http://[$addr]/") || fail "curl http://[$addr]/"
expect "page" "$got" "hello via the gateway's own address"
in_client ping -c 2 -i 0.2 -W 2 "$addr" >/dev/null || fail "ping $addr"
in_server ping -c 2 -i 0.2 -W 2 "$GW4" >/dev/null || fail "ping $GW4 (the gateway itself)"
[[ $(awk '/"GET /{print $1}' "$E2E_WORK/http-$NS_S-80.log" | sort -u) == "$GW4" ]] ||
    fail "the web server saw a client other than $GW4"
check 'dns64.synthesized>=1' nat64.sessions_created.tcp=1 nat64.sessions_created.icmp=1 \
    pool4.$GW4.tcp=1 pool4.$GW4.icmp=1 'totals.local_replies>=2'
no_nat64_drops

# The same pool4 with ports reaching into dns64.source_ports is refused.
bad=$(nat64_config '{"nat64": {"pool4": [{"prefix": "198.51.100.1/32"}]}}')
err=$("$STRAITD" --check-config "$bad" 2>&1) && fail "an overlap with dns64.source_ports validated"
[[ $err == *"config error: /nat64/pool4: ports on the gateway's own address overlap"* ]] ||
    fail "overlap refused with: $err"
pass
