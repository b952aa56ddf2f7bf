#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A burst of malformed frames on both ports: each crafted kind is counted under its own
# drop reason, exactly; then 500 random frames, every one dropped; straitd survives and
# still answers ping. Only the test's own frames are counted: while it counts, the peers'
# kernels send nothing on the links (IPv6 off at both ends: no router solicitations, MLD
# or neighbour discovery), and a capture on the gateway's side checks that what reached
# straitd is exactly what the test sent.
source "$(dirname "$0")/_init.sh"
e2e_up

GW_IN_MAC=$(mac_of "$NS_G" gw-in)
GW_OUT_MAC=$(mac_of "$NS_G" gw-out)
in_client ping -6 -c 1 -W 2 "$GW6" >/dev/null || fail "ping6 before the burst"
in_server ping -4 -c 1 -W 2 "$GW4" >/dev/null || fail "ping before the burst"

# Quiet links: the probes send with raw sockets, which need no IPv6 stack.
in_server sysctl -qw net.ipv6.conf.v4s.disable_ipv6=1
in_client sysctl -qw net.ipv6.conf.v6c.disable_ipv6=1
sleep 1  # whatever the kernels queued on the way down reaches straitd before counting

# capture_start: records what arrives at gw-in and gw-out (what straitd's AF_PACKET ports
# read) until capture_check; capture_check N_IN N_OUT: exactly N frames arrived on each.
CAP_PIDS=()
capture_start() {
    local dev
    CAP_PIDS=()
    for dev in gw-in gw-out; do
        ip netns exec "$NS_G" tcpdump -i "$dev" -Q in -n -U --immediate-mode \
            -w "$E2E_WORK/$dev.pcap" 2>"$E2E_WORK/$dev.tcpdump.log" &
        CAP_PIDS+=($!)
    done
    for dev in gw-in gw-out; do
        for _ in $(seq 50); do
            grep -qs "listening on" "$E2E_WORK/$dev.tcpdump.log" && break
            sleep 0.1
        done
    done
}
capture_check() {
    sleep 0.5
    kill -INT "${CAP_PIDS[@]}" 2>/dev/null || true
    wait "${CAP_PIDS[@]}" 2>/dev/null || true
    local dev n want=("$1" "$2") i=0
    for dev in gw-in gw-out; do
        n=$("$PYTHON" -c 'import sys; from scapy.all import rdpcap; print(len(rdpcap(sys.argv[1])))' \
            "$E2E_WORK/$dev.pcap")
        if [[ $n -ne ${want[$i]} ]]; then
            tcpdump -r "$E2E_WORK/$dev.pcap" -n -e 2>/dev/null | tail -20 >&2 || true
            fail "$n frames reached $dev, the test sent ${want[$i]}: the counts would be off"
        fi
        i=$((i + 1))
    done
}
total() { "$PYTHON" -c 'import json, sys; print(sum(json.loads(sys.argv[1]).values()))' "$1"; }

# Phase 1: crafted frames, one known drop reason each (probe.py prints what it sent).
capture_start
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
    ok = got == n
    if sys.argv[4]:
        print(f"  {reason:20} sent {n:4} counted {got:4} {'ok' if ok else 'WRONG'}")
    bad += not ok
sys.exit(1 if bad else 0)
PY
}
# Exact per reason. Poll until the worker has counted everything (or 10 s), then print
# and judge the final numbers.
for _ in $(seq 100); do check_drops "$(stats_json)" && break; sleep 0.1; done
capture_check "$(total "$sent_in")" "$(total "$sent_out")"
check_drops "$(stats_json)" verbose || fail "drop counters do not match what was sent"
straitd_alive || fail "straitd died after crafted frames"

# Phase 2: random frames of random lengths on both ports, every one dropped.
capture_start
base=$(stat totals.dropped)
n_in=$(in_client "$PYTHON" "$E2E_DIR/probe.py" random v6c "$GW_IN_MAC" 250 1)
n_out=$(in_server "$PYTHON" "$E2E_DIR/probe.py" random v4s "$GW_OUT_MAC" 250 2)
got=$(wait_stat totals.dropped $((base + n_in + n_out)))
sleep 0.5  # one more poll: a drop beyond the frames sent would show now
got=$(stat totals.dropped)
capture_check "$n_in" "$n_out"
log "random: sent $((n_in + n_out)), dropped $((got - base))"
[[ $((got - base)) -eq $((n_in + n_out)) ]] || fail "dropped $((got - base)) of $((n_in + n_out)) random frames"
straitd_alive || fail "straitd died after random frames"

# Still serving (the client gets its IPv6 address and route back).
in_client sysctl -qw net.ipv6.conf.v6c.disable_ipv6=0
ip -n "$NS_C" addr add "$CLIENT6/64" dev v6c nodad
ip -n "$NS_C" -6 route add default via "$GW6" dev v6c
in_client ping -6 -c 2 -i 0.2 -W 2 "$GW6" >/dev/null || fail "ping6 after the burst"
in_server ping -4 -c 2 -i 0.2 -W 2 "$GW4" >/dev/null || fail "ping after the burst"
pass
