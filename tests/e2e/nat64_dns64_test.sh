#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The carrier exchange by name (NAT64 + DNS64, the demo's default config): the IPv6-only
# client's resolver is Strait's DNS64 service (/etc/netns/<client>/resolv.conf); a plain
# `curl http://a-only.strait.test/` (a name with only an A record) gets the synthesized
# AAAA 2001:db8:64::c633:6402 and fetches the page through NAT64; the IPv4 web server sees
# 192.0.2.1, the IPv4 resolver sees the gateway's own address.
source "$(dirname "$0")/nat64/lib.sh"
E2E_EXTRA_CLEANUP='rm -rf "/etc/netns/$NS_C"'
mkdir -p "/etc/netns/$NS_C"
echo "nameserver $DNS64_SERVICE" >"/etc/netns/$NS_C/resolv.conf"
E2E_TOPO=1
topo_up
start_nsd
capture "$NS_S" v4s "udp port 53 and dst host $SERVER4"
start_straitd "$(nat64_config '{}')"
mkdir -p "$E2E_WORK/www"
echo "hello by name over nat64" >"$E2E_WORK/www/index.html"
http_server "$NS_S" "$SERVER4" 80 "$E2E_WORK/www"

got=$(in_client curl -sS -m 10 http://a-only.strait.test/) || fail "curl http://a-only.strait.test/"
expect "page" "$got" "hello by name over nat64"
# What the client's resolver got, through the same resolv.conf.
expect "synthesized AAAA" "$(in_client getent ahostsv6 a-only.strait.test | awk 'NR == 1 {print $1}')" \
    "2001:db8:64::c633:6402"
log "curl http://a-only.strait.test/ -> $got"
[[ $(awk '/"GET /{print $1}' "$E2E_WORK/http-$NS_S-80.log" | sort -u) == "$POOL4" ]] ||
    fail "the web server saw a client other than $POOL4"
sleep 0.3
grep -q "IP $GW4\.[0-9]* > $SERVER4\.53: " "$E2E_WORK/cap-$NS_S-v4s.log" ||
    fail "no upstream query from the gateway's address $GW4"
check 'dns64.synthesized>=1' 'dns64.upstream_queries>=2' nat64.sessions_created.tcp=1 \
    pool4.$POOL4.tcp=1 'totals.translated_v4_to_v6>=3' drops.dns64_tcp_dropped=0
no_nat64_drops
pass
