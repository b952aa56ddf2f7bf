#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# DNS64 upstream failover: the first upstream (198.51.100.99) never answers (no ARP reply),
# so each query times out there and succeeds on nsd; with nsd stopped too, every attempt
# times out and the client gets SERVFAIL within the timeout (not silence).
source "$(dirname "$0")/dns64/lib.sh"
dns64_up '["198.51.100.99", "198.51.100.2"]' '{"timeout_ms": 300, "retries": 1}'

start=$(date +%s%N)
expect "failover to the second upstream" "$(aaaa a-only.strait.test)" "2001:db8:64::c633:6402"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
log "a-only.strait.test answered after failover in ${ms} ms"
doc=$(stats_json)
[[ $(stat dns64.upstream_timeouts "$doc") -ge 1 ]] || fail "no upstream timeout counted"
[[ $(stat dns64.synthesized "$doc") -ge 1 ]] || fail "nothing synthesized"

# all upstreams down: nsd stopped, a name not in the cache
in_server pkill -TERM -F "$E2E_WORK/nsd/nsd.pid" 2>/dev/null || kill "$(cat "$E2E_WORK/nsd/nsd.pid")"
for _ in $(seq 50); do
    in_server dig @198.51.100.2 +time=1 +tries=1 SOA strait.test >/dev/null 2>&1 || break
    sleep 0.1
done
start=$(date +%s%N)
status=$(dig_client AAAA dual.strait.test | sed -n 's/.*status: \([A-Z]*\).*/\1/p')
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect "all upstreams down" "$status" "SERVFAIL"
log "all upstreams down: SERVFAIL after ${ms} ms (2 attempts x 300 ms)"
[[ $(stat dns64.upstream_servfail) -ge 1 ]] || fail "upstream_servfail not counted"
# the cached answer still works with every upstream down
expect "cache survives" "$(aaaa a-only.strait.test)" "2001:db8:64::c633:6402"
pass
