#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The full exchange: the IPv6-only client resolves an IPv4-only name through Strait's
# DNS64, then fetches http://a-only.strait.test/ at the synthesized address through SIIT
# from the IPv4-only web server. Then DNS over TCP to the same service.
source "$(dirname "$0")/dns64/lib.sh"
dns64_up '["198.51.100.2"]'
mkdir -p "$E2E_WORK/www"
echo "hello from an IPv4-only server" >"$E2E_WORK/www/index.html"
in_server /usr/bin/python3 -m http.server --bind 198.51.100.2 80 --directory "$E2E_WORK/www" \
    >/dev/null 2>&1 &
for _ in $(seq 50); do in_server ss -ltn | grep -q ":80 " && break; sleep 0.1; done

addr=$(aaaa a-only.strait.test)
expect "synthesized address" "$addr" "2001:db8:64::c633:6402"
got=$(in_client curl -sS -m 10 --resolve "a-only.strait.test:80:[$addr]" \
    http://a-only.strait.test/) || fail "curl http://a-only.strait.test/"
expect "page" "$got" "hello from an IPv4-only server"
log "curl http://a-only.strait.test/ via [$addr]: $got"
[[ $(stat totals.translated_v6_to_v4) -ge 3 ]] || fail "HTTP did not go through SIIT"

# DNS over TCP (RFC 7766): a cache hit, a miss answered after the upstream round trip,
# and a UDP answer too big for the client (TC=1) that dig retries over TCP, where it
# spans two segments.
expect "TCP, cached" "$(dig_client +tcp +short AAAA a-only.strait.test)" "2001:db8:64::c633:6402"
expect "TCP, miss" "$(dig_client +tcp +short AAAA multi.strait.test | sort | tr '\n' ' ')" \
    "2001:db8:64::c633:6406 2001:db8:64::c633:6407 "
out=$(dig_client AAAA many.strait.test)
echo "$out" | grep -q "Truncated, retrying in TCP mode" || fail "no TC=1 over UDP"
n=$(echo "$out" | grep -c "IN.AAAA.2001:db8:64::cb00:71")
[[ $n -eq 70 ]] || fail "TCP retry after TC=1: $n AAAA records, want 70"
doc=$(stats_json)
[[ $(stat dns64.truncated "$doc") -ge 1 ]] || fail "dns64.truncated not counted"
[[ $(stat totals.drops.dns64_tcp_dropped "$doc") -eq 0 ]] || fail "TCP segments dropped"
log "dig +tcp: cached, miss; UDP TC=1 then TCP with 70 synthesized AAAA (two segments)"
pass
