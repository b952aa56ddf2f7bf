#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The control plane reads and flushes the DNS64 cache while the DNS64 lcore serves:
# GET /api/v1/dns64/cache, DELETE /api/v1/dns64/cache (the next query goes upstream
# again), the cache figures in /api/v1/stats and /metrics, and GET /api/v1/config
# returning the running config file. Without DNS64 the cache routes answer 404.
source "$(dirname "$0")/dns64/lib.sh"
dns64_up '["198.51.100.2"]'
api() { in_gw curl -s -o "$E2E_WORK/body" -w '%{http_code}' --max-time 5 "$@"; }

expect "first answer" "$(aaaa a-only.strait.test)" "2001:db8:64::c633:6402"
misses=$(stat dns64.cache_misses)
hits=$(stat dns64.cache_hits)
expect "second answer" "$(aaaa a-only.strait.test)" "2001:db8:64::c633:6402"
expect "cache hit counted" "$(stat dns64.cache_hits)" "$((hits + 1))"
expect "no second miss" "$(stat dns64.cache_misses)" "$misses"

expect "GET cache" "$(api http://127.0.0.1:8080/api/v1/dns64/cache)" 200
read -r cap inserts flushes < <("$PYTHON" -c '
import json, sys
c = json.load(open(sys.argv[1]))
print(c["capacity"], c["inserts"], c["flushes"])' "$E2E_WORK/body")
[[ $cap -ge 1 && $inserts -ge 1 ]] || fail "cache figures: capacity $cap, inserts $inserts"
expect "no flush yet" "$flushes" 0
metrics=$(in_gw curl -sf --max-time 5 http://127.0.0.1:8080/metrics) || fail "GET /metrics"
grep -q '^strait_dns64_cache_capacity ' <<<"$metrics" ||
    fail "no strait_dns64_cache_capacity in /metrics"

expect "DELETE cache" "$(api -X DELETE http://127.0.0.1:8080/api/v1/dns64/cache)" 200
expect "DELETE body" "$(cat "$E2E_WORK/body")" '{"flushed":true}'
expect "answer after flush" "$(aaaa a-only.strait.test)" "2001:db8:64::c633:6402"
expect "miss after flush" "$(stat dns64.cache_misses)" "$((misses + 1))"
expect "flush applied" "$(stat dns64_cache.flushes)" 1
log "cache: hit, DELETE /api/v1/dns64/cache, then a miss upstream again"

expect "GET config" "$(api http://127.0.0.1:8080/api/v1/config)" 200
"$PYTHON" -c '
import json, sys
sys.exit(json.load(open(sys.argv[1])) != json.load(open(sys.argv[2])))' \
    "$E2E_WORK/body" "$E2E_WORK/straitd.json" || fail "GET /api/v1/config is not the running file"

# The same gateway without DNS64: the cache routes say so.
kill -TERM "$STRAITD_PID"; wait "$STRAITD_PID" 2>/dev/null || true
"$PYTHON" -c '
import json, sys
c = json.load(open(sys.argv[1])); del c["dns64"]
json.dump(c, open(sys.argv[2], "w"))' "$E2E_WORK/straitd.json" "$E2E_WORK/siit-only.json"
start_straitd "$E2E_WORK/siit-only.json"
expect "DELETE without DNS64" "$(api -X DELETE http://127.0.0.1:8080/api/v1/dns64/cache)" 404
grep -q "DNS64 is not configured" "$E2E_WORK/body" || fail "404 body: $(cat "$E2E_WORK/body")"
expect "GET without DNS64" "$(api http://127.0.0.1:8080/api/v1/dns64/cache)" 404
pass
