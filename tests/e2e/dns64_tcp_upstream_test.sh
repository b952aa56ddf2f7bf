#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Upstream DNS over TCP (RFC 7766 §5): nsd truncates the answer for wide.strait.test (100 A
# records, beyond the 1232-byte EDNS size straitd advertises), straitd asks again over TCP
# from its own IPv4 address and synthesizes all 100 AAAA; the client gets them over TCP
# (after TC=1 over UDP, or with +tcp). Then a first upstream that truncates everything and
# refuses TCP: the TCP retry fails fast and fails over to nsd, still over TCP.
source "$(dirname "$0")/dns64/lib.sh"
# A TCP exchange takes two round trips through the DNS64 lcore: more than lib.sh's 300 ms
# timeout allows on a loaded machine (the counters below demand no timeout at all).
dns64_up '["198.51.100.2"]' '{"timeout_ms": 2000}'

in_server dig @198.51.100.2 +bufsize=1232 +ignore +time=2 A wide.strait.test |
    grep -q "flags:.* tc" || fail "nsd does not truncate wide.strait.test over UDP"
# synthesized from 203.0.113.101..200: 2001:db8:64::cb00:7165 .. 2001:db8:64::cb00:71c8
count_aaaa() { grep -c "IN.AAAA.2001:db8:64::cb00:71"; }
out=$(dig_client AAAA wide.strait.test)
echo "$out" | grep -q "Truncated, retrying in TCP mode" || fail "no TC=1 to the UDP client"
expect "AAAA over UDP then TCP" "$(echo "$out" | count_aaaa)" 100
expect "AAAA with +tcp" "$(dig_client +tcp AAAA wide.strait.test | count_aaaa)" 100
expect "A passthrough with +tcp" "$(dig_client +tcp +short A wide.strait.test | wc -l)" 100
log "wide.strait.test: 100 synthesized AAAA and 100 A, from upstream TCP"

doc=$(stats_json)
for c in upstream_truncated upstream_tcp_queries upstream_tcp_answers upstream_tcp_connections \
    synthesized passthrough; do
    [[ $(stat "dns64.$c" "$doc") -ge 1 ]] || fail "dns64.$c is $(stat "dns64.$c" "$doc")"
done
for c in upstream_tcp_failed upstream_tcp_resets upstream_servfail upstream_timeouts unmatched; do
    [[ $(stat "dns64.$c" "$doc") -eq 0 ]] || fail "dns64.$c is $(stat "dns64.$c" "$doc")"
done
[[ $(stat dns64.upstream_tcp_answers "$doc") -eq $(stat dns64.upstream_tcp_queries "$doc") ]] ||
    fail "TCP queries without answers"
log "counters: upstream_truncated=$(stat dns64.upstream_truncated "$doc")" \
    "upstream_tcp_queries=$(stat dns64.upstream_tcp_queries "$doc")" \
    "upstream_tcp_answers=$(stat dns64.upstream_tcp_answers "$doc")"

# 198.51.100.3 truncates every UDP answer and refuses TCP (RST): failover to nsd over TCP,
# without waiting for the timeout.
ip -n "$NS_S" addr add 198.51.100.3/24 dev v4s
in_server "$PYTHON" "$E2E_DIR/dns64/tc_server.py" 198.51.100.3 &
disown  # topo_down kills it with the namespace
kill -TERM "$STRAITD_PID"
wait "$STRAITD_PID" 2>/dev/null || true
start_straitd "$(dns64_config '["198.51.100.3", "198.51.100.2"]' '{"timeout_ms": 2000}')"
expect "failover after a refused TCP retry" "$(aaaa a-only.strait.test)" "2001:db8:64::c633:6402"
doc=$(stats_json)
[[ $(stat dns64.upstream_tcp_resets "$doc") -ge 1 ]] || fail "no refused TCP connection counted"
[[ $(stat dns64.upstream_tcp_failed "$doc") -ge 1 ]] || fail "no TCP failure reported"
[[ $(stat dns64.upstream_timeouts "$doc") -eq 0 ]] || fail "failover waited for a timeout"
[[ $(stat dns64.upstream_tcp_answers "$doc") -ge 1 ]] || fail "the answer did not come over TCP"
log "refused TCP retry: failed over to nsd over TCP, no timeout"
pass
