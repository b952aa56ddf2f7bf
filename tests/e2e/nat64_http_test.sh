#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# NAT64: curl from the IPv6-only client through the NAT64 prefix fetches a page and a
# 10 MiB file (sha256 checked) from an IPv4-only web server, which sees every connection
# come from the pool4 address 192.0.2.1 (RFC 6146 §3.5.2: TCP sessions opened by the IPv6
# SYN, endpoint-independent mapping onto pool4).
source "$(dirname "$0")/nat64/lib.sh"
nat64_up '{"dns64": null}'
mkdir -p "$E2E_WORK/www"
echo "hello over nat64" >"$E2E_WORK/www/index.html"
head -c $((10 * 1024 * 1024)) /dev/urandom >"$E2E_WORK/www/big.bin"
http_server "$NS_S" "$SERVER4" 80 "$E2E_WORK/www"

got=$(in_client curl -sS -m 10 "http://[$SERVER4_AS6]/") || fail "curl page"
[[ $got == "hello over nat64" ]] || fail "page content: $got"
in_client curl -sS -m 40 -o "$E2E_WORK/got.bin" "http://[$SERVER4_AS6]/big.bin" || fail "curl big"
want=$(sha256sum <"$E2E_WORK/www/big.bin")
have=$(sha256sum <"$E2E_WORK/got.bin")
[[ $want == "$have" ]] || fail "10 MiB file differs: sha256 $have, want $want"
log "page and 10 MiB file intact (sha256 ${want:0:16}...)"

# The server's log names the client of each request: the pool4 address, never anything else.
clients=$(awk '/"GET /{print $1}' "$E2E_WORK/http-$NS_S-80.log" | sort | uniq -c)
log "server saw: $clients"
[[ $(awk '/"GET /' "$E2E_WORK/http-$NS_S-80.log" | wc -l) -eq 2 ]] || fail "server saw no 2 GETs"
[[ $(awk '/"GET /{print $1}' "$E2E_WORK/http-$NS_S-80.log" | sort -u) == "$POOL4" ]] ||
    fail "server saw clients other than $POOL4: $clients"

# Two connections: two TCP sessions and BIB entries on 192.0.2.1, both directions translated
# (10 MiB is ~7000 segments), and no NAT64 drop.
check nat64.sessions_created.tcp=2 nat64.bib_created.tcp=2 nat64.sessions=2 \
    nat64.bib_entries=2 pool4.$POOL4.tcp=2 'totals.translated_v4_to_v6>=7000' \
    'totals.translated_v6_to_v4>=100'
no_nat64_drops
pass
