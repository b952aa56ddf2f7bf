#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A burst of malformed frames on both ports: each crafted kind is counted under its own
# drop reason, exactly; then 500 random frames; straitd survives and still answers ping.
source "$(dirname "$0")/_init.sh"
e2e_up

GW_IN_MAC=$(mac_of "$NS_G" gw-in)
GW_OUT_MAC=$(mac_of "$NS_G" gw-out)
in_client ping -6 -c 1 -W 2 "$GW6" >/dev/null || fail "ping6 before the burst"
in_server ping -4 -c 1 -W 2 "$GW4" >/dev/null || fail "ping before the burst"

# Phase 1: crafted frames, one known drop reason each (probe.py prints what it sent).
before=$(stats_json)
sent_in=$(in_client "$PYTHON" "$E2E_DIR/probe.py" malformed v6c inside "$GW_IN_MAC")
sent_out=$(in_server "$PYTHON" "$E2E_DIR/probe.py" malformed v4s outside "$GW_OUT_MAC")
log "sent inside:  $sent_in"
log "sent outside: $sent_out"
expected=$("$PYTHON" -c '
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
for k, v in b.items(): a[k] = a.get(k, 0) + v
print(json.dumps(a))' "$sent_in" "$sent_out")
check_drops() {  # check_drops AFTER_JSON: 0 when every reason moved as expected
    "$PYTHON" - "$expected" "$before" "$1" "${2:-}" <<'PY'
import json, sys
want = json.loads(sys.argv[1])
b = json.loads(sys.argv[2])["totals"]["drops"]
a = json.loads(sys.argv[3])["totals"]["drops"]
bad = 0
for reason, n in sorted(want.items()):
    got = a.get(reason, 0) - b.get(reason, 0)
    ok = got >= n if reason == "wrong_family" else got == n
    if sys.argv[4]:
        print(f"  {reason:20} sent {n:4} counted {got:4} {'ok' if ok else 'WRONG'}")
    bad += not ok
sys.exit(1 if bad else 0)
PY
}
# Exact per reason, except wrong_family: the server's kernel also sends IPv6 (DAD, MLD,
# router solicitations) on the IPv4-only side, so that one may only grow more. Poll until
# the worker has counted everything (or 10 s), then print and judge the final numbers.
for _ in $(seq 100); do check_drops "$(stats_json)" && break; sleep 0.1; done
check_drops "$(stats_json)" verbose || fail "drop counters do not match what was sent"
straitd_alive || fail "straitd died after crafted frames"

# Phase 2: random frames of random lengths on both ports.
base=$(stat totals.dropped)
n_in=$(in_client "$PYTHON" "$E2E_DIR/probe.py" random v6c "$GW_IN_MAC" 250 1)
n_out=$(in_server "$PYTHON" "$E2E_DIR/probe.py" random v4s "$GW_OUT_MAC" 250 2)
got=$(wait_stat totals.dropped $((base + n_in + n_out)))
log "random: sent $((n_in + n_out)), dropped $((got - base))"
[[ $((got - base)) -ge $((n_in + n_out)) ]] || fail "dropped $((got - base)) of $((n_in + n_out)) random frames"
straitd_alive || fail "straitd died after random frames"

# Still serving.
in_client ping -6 -c 2 -i 0.2 -W 2 "$GW6" >/dev/null || fail "ping6 after the burst"
in_server ping -4 -c 2 -i 0.2 -W 2 "$GW4" >/dev/null || fail "ping after the burst"
pass
