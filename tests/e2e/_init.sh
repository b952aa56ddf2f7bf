#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sourced by every tests/e2e/*_test.sh. Gives each test a private topology (unique
# TOPO_PREFIX), a scratch folder, helpers to start straitd in the gateway namespace and
# read its counters, and an EXIT trap that stops straitd and removes the namespaces even
# when the test fails.
#
#   source "$(dirname "$0")/_init.sh"
#   e2e_up                    # topology + straitd (embedded default, or e2e_up FILE)
#   stat totals.local_replies # one counter from GET /api/v1/stats (dotted path)
#   pass                      # or fail "why"
#
# STRAITD (set by meson) is the binary under test; PYTHON is scapy's interpreter.
set -euo pipefail

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_NAME=$(basename "$0" .sh)
STRAITD=${STRAITD:-$E2E_DIR/../../build/straitd}
PYTHON=${PYTHON:-/usr/bin/python3}
# Short and unique: namespace names end up in /run/netns, interface names stay fixed.
TOPO_PREFIX=${TOPO_PREFIX:-e2e$$}
source "$E2E_DIR/topology.sh"

E2E_WORK=$(mktemp -d "/tmp/strait-$E2E_NAME.XXXXXX")
STRAITD_LOG=$E2E_WORK/straitd.log
STRAITD_PID=
E2E_TOPO=0

log() { echo "[$E2E_NAME] $*"; }

fail() {
    echo "FAIL [$E2E_NAME]: $*" >&2
    exit 1
}

pass() {
    log "PASS"
    exit 0
}

[[ $EUID -eq 0 ]] || { echo "SKIP: e2e tests need root"; exit 77; }
[[ -x $STRAITD ]] || fail "no straitd binary at $STRAITD (set STRAITD)"

e2e_cleanup() {
    local rc=$?
    set +e
    if [[ -n $STRAITD_PID ]] && kill -0 "$STRAITD_PID" 2>/dev/null; then
        kill -TERM "$STRAITD_PID" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$STRAITD_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$STRAITD_PID" 2>/dev/null
        wait "$STRAITD_PID" 2>/dev/null
    fi
    if [[ $rc -ne 0 && -s $STRAITD_LOG ]]; then
        echo "---- straitd log ($STRAITD_LOG) ----" >&2
        tail -n 60 "$STRAITD_LOG" >&2
    fi
    [[ -n ${E2E_EXTRA_CLEANUP:-} ]] && eval "$E2E_EXTRA_CLEANUP"
    [[ $E2E_TOPO -eq 1 ]] && topo_down
    rm -rf "$E2E_WORK"
    exit "$rc"
}
trap e2e_cleanup EXIT
trap 'exit 130' INT TERM

# in_ns NS CMD...: run a command inside one of the topology's namespaces.
in_gw() { ip netns exec "$NS_G" "$@"; }
in_client() { ip netns exec "$NS_C" "$@"; }
in_server() { ip netns exec "$NS_S" "$@"; }

# start_straitd [CONFIG]: starts straitd in the gateway namespace, waits for "ready".
start_straitd() {
    local args=()
    [[ $# -gt 0 ]] && args=(--config "$1")
    ip netns exec "$NS_G" "$STRAITD" "${args[@]}" >"$STRAITD_LOG" 2>&1 &
    STRAITD_PID=$!  # ip netns exec execs straitd: this is straitd's pid
    for _ in $(seq 300); do
        grep -qs "straitd: ready" "$STRAITD_LOG" && return 0
        kill -0 "$STRAITD_PID" 2>/dev/null || fail "straitd exited before ready"
        sleep 0.1
    done
    fail "straitd not ready after 30 s"
}

# e2e_up [CONFIG]: topology, then straitd.
e2e_up() {
    E2E_TOPO=1
    topo_up
    start_straitd "$@"
}

# stats_json: the current GET /api/v1/stats document.
stats_json() {
    in_gw curl -sf --max-time 5 http://127.0.0.1:8080/api/v1/stats ||
        fail "GET /api/v1/stats failed"
}

# stat PATH [JSON]: one number from the stats document, e.g. totals.drops.wrong_family
# (0 when absent: drop reasons only appear once counted).
stat() {
    local doc=${2:-$(stats_json)}
    "$PYTHON" -c '
import json, sys
v = json.loads(sys.argv[2])
for k in sys.argv[1].split("."):
    v = v.get(k, 0) if isinstance(v, dict) else 0
print(v)' "$1" "$doc"
}

# wait_stat PATH MIN: polls until the counter reaches MIN (10 s), prints its value.
wait_stat() {
    local v
    for _ in $(seq 100); do
        v=$(stat "$1")
        [[ $v -ge $2 ]] && { echo "$v"; return 0; }
        sleep 0.1
    done
    echo "$v"
}

# mac_of NS DEV: the MAC address of an interface.
mac_of() { ip -n "$1" -br link show "$2" | awk '{print $3}'; }

straitd_alive() { kill -0 "$STRAITD_PID" 2>/dev/null; }
