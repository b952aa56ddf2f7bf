#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# DNS64 (RFC 6147) through straitd: dig from the IPv6-only client to the service address,
# nsd as the IPv4 upstream. Synthesis, pass-through, exclusion, CNAME, NXDOMAIN, PTR,
# ipv4only.arpa, TTLs, and the counters in /api/v1/stats and /metrics.
source "$(dirname "$0")/dns64/lib.sh"
dns64_up '["198.51.100.2"]'

# §5.1.1/§5.1.7: an A-only name gets 2001:db8:64::/96 + the IPv4 address (198.51.100.2)
expect "A-only" "$(aaaa a-only.strait.test)" "2001:db8:64::c633:6402"
log "a-only.strait.test AAAA -> 2001:db8:64::c633:6402"
expect "dual stack: real AAAA only" "$(aaaa dual.strait.test)" "2001:db8:100::3"
expect "AAAA-only" "$(aaaa v6-only.strait.test)" "2001:db8:100::4"
# §5.1.4: ::ffff:0:0/96 AAAA records count as absent, so the A is synthesized
expect "mapped AAAA excluded" "$(aaaa mapped.strait.test)" "2001:db8:64::c633:6405"
expect "two A -> two AAAA" "$(aaaa multi.strait.test | tr '\n' ' ')" \
    "2001:db8:64::c633:6406 2001:db8:64::c633:6407 "
# §5.1.6: the CNAME is kept, its target synthesized
expect "CNAME chain" "$(aaaa alias.strait.test | tr '\n' ' ')" \
    "2001:db8:64::c633:6402 a-only.strait.test. "
# NXDOMAIN passes through (no A query, no synthesis)
status=$(dig_client AAAA nope.strait.test | sed -n 's/.*status: \([A-Z]*\).*/\1/p')
expect "NXDOMAIN" "$status" "NXDOMAIN"
# §5.1.7: synthesized TTL = min(A TTL 300, SOA negative TTL 60)
ttl=$(dig_client +noall +answer AAAA a-only.strait.test | awk '{print $2; exit}')
[[ $ttl -ge 1 && $ttl -le 60 ]] || fail "synthesized TTL $ttl not in 1..60"
ttl=$(dig_client +noall +answer AAAA dual.strait.test | awk '{print $2; exit}')
[[ $ttl -gt 60 && $ttl -le 300 ]] || fail "real AAAA TTL $ttl not in 61..300"
log "TTLs: synthesized <= 60 (SOA minimum), real AAAA kept"
# A queries pass through unchanged
expect "A passthrough" "$(dig_client +short A a-only.strait.test)" "198.51.100.2"
# §5.3.1: PTR under the prefix -> CNAME into in-addr.arpa, answered by nsd's reverse zone
ptr=$(dig_client +short -x 2001:db8:64::c633:6402 | tr '\n' ' ')
expect "PTR of a synthesized address" "$ptr" "2.100.51.198.in-addr.arpa. a-only.strait.test. "
# RFC 8880: ipv4only.arpa answered locally with the prefix
expect "ipv4only.arpa" "$(aaaa ipv4only.arpa | tr '\n' ' ')" \
    "2001:db8:64::c000:aa 2001:db8:64::c000:ab "
# a second ask is a cache hit
expect "cached" "$(aaaa a-only.strait.test)" "2001:db8:64::c633:6402"

doc=$(stats_json)
for c in queries answers synthesized cache_hits upstream_queries upstream_answers \
    ptr_synthesized local_answers passthrough; do
    [[ $(stat "dns64.$c" "$doc") -ge 1 ]] || fail "dns64.$c is $(stat "dns64.$c" "$doc")"
done
[[ $(stat dns64.upstream_servfail "$doc") -eq 0 ]] || fail "unexpected SERVFAIL"
[[ $(stat dns64.ring_drops "$doc") -eq 0 ]] || fail "ring drops"
log "counters: queries=$(stat dns64.queries "$doc") synthesized=$(stat dns64.synthesized "$doc")" \
    "cache_hits=$(stat dns64.cache_hits "$doc") upstream_queries=$(stat dns64.upstream_queries "$doc")"
# Captured first: `curl | grep -q` under pipefail fails when grep exits before curl writes.
metrics=$(in_gw curl -sf --max-time 5 http://127.0.0.1:8080/metrics) || fail "GET /metrics"
grep -q '^strait_dns64_synthesized_total [1-9]' <<<"$metrics" ||
    fail "/metrics lacks strait_dns64_synthesized_total"
pass
