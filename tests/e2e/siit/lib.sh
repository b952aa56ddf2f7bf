#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Shared set-up for the SIIT end-to-end tests: topology, straitd in SIIT mode (the
# embedded default's mapping: EAMT 2001:db8:6::10 <-> 192.0.2.10, pool6 2001:db8:64::/96),
# and a cleanup trap that runs even when the test fails.
# Usage: STRAITD=path/to/straitd; source siit/lib.sh; siit_up [extra-json-fields]
set -euo pipefail
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STRAITD=${STRAITD:?set STRAITD to the straitd binary}
export TOPO_PREFIX=${TOPO_PREFIX:-siit$$}
# shellcheck source=../topology.sh
source "$E2E_DIR/topology.sh"
WORK=$(mktemp -d /tmp/strait-siit.XXXXXX)
STRAITD_PID=

EXTRA_CLEANUP=${EXTRA_CLEANUP:-}

siit_cleanup() {
    local rc=$?
    [[ -n $EXTRA_CLEANUP ]] && eval "$EXTRA_CLEANUP"
    if [[ -n $STRAITD_PID ]] && kill -0 "$STRAITD_PID" 2>/dev/null; then
        kill -TERM "$STRAITD_PID"; wait "$STRAITD_PID" 2>/dev/null || true
    fi
    if ((rc != 0)) && [[ -f $WORK/straitd.log ]]; then
        echo "--- straitd log"; tail -30 "$WORK/straitd.log"
    fi
    topo_down
    rm -rf "$WORK"
    exit $rc
}
trap siit_cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# siit_up [extra top-level JSON fields, e.g. '"lowest_ipv6_mtu": 1280'] [gateway4]
# SIIT_EAMT_EXTRA: more EAMT entries, JSON, starting with a comma.
siit_up() {
    local extra=${1:-} gw4=${2:-}
    topo_up
    cat >"$WORK/straitd.json" <<JSON
{
  "eal_args": ["--in-memory", "--no-pci", "--lcores=0@0,1@1", "--log-level=*:warning"],
  "workers": 1, "idle_sleep_us": 50, "mbuf_data_room": 12288, "api_listen": "127.0.0.1:8080",
  "ports": {
    "inside":  {"device": "net_af_packet0", "devargs": "iface=gw-in", "ipv6": ["$GW6/64"]},
    "outside": {"device": "net_af_packet1", "devargs": "iface=gw-out", "ipv4": ["$GW4/24"]
                ${gw4:+, \"gateway4\": \"$gw4\"}}
  },
  ${extra:+$extra,}
  "mode": "siit",
  "siit": {"pool6": "${PREF64}/96",
           "eamt": [{"ipv6": "$CLIENT6/128", "ipv4": "192.0.2.10/32"}${SIIT_EAMT_EXTRA:-}]}
}
JSON
    ip netns exec "$NS_G" "$STRAITD" --config "$WORK/straitd.json" >"$WORK/straitd.log" 2>&1 &
    STRAITD_PID=$!
    for _ in $(seq 100); do
        grep -q "straitd: ready" "$WORK/straitd.log" && return 0
        kill -0 "$STRAITD_PID" 2>/dev/null || break
        sleep 0.1
    done
    cat "$WORK/straitd.log"; fail "straitd did not start"
}

# stat TOTALS_KEY: one number from GET /api/v1/stats totals (e.g. translated_v6_to_v4).
stat() {
    ip netns exec "$NS_G" curl -s http://127.0.0.1:8080/api/v1/stats |
        /usr/bin/python3 -c "import json,sys; t=json.load(sys.stdin)['totals']; print(t.get('$1', t['drops'].get('$1', 0)))"
}

# in_ns NS CMD...: runs a background helper in a namespace; killed by topo_down.
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@" >/dev/null 2>&1 & }
