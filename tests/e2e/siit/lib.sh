#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sourced by tests/e2e/siit_*_test.sh: the shared _init.sh plus straitd in SIIT mode on the
# demo topology's SIIT mapping (EAMT 2001:db8:6::10 <-> 192.0.2.10, pool6 2001:db8:64::/96).
#
#   SIIT_EAMT_EXTRA='[{"ipv6": ..., "ipv4": ...}]'   # optional extra EAMT entries
#   source "$(dirname "$0")/siit/lib.sh"
#   siit_up ['{"lowest_ipv6_mtu": 1280}'] [GATEWAY4]
source "$(dirname "${BASH_SOURCE[0]}")/../_init.sh"

# siit_up [EXTRA_JSON] [GATEWAY4]: topology, then straitd with that config (EXTRA_JSON merged
# into the default, objects key by key: '{"ports": {"inside": {"mtu": 1280}}}').
siit_up() {
    local cfg=$E2E_WORK/straitd.json
    "$STRAITD" --print-default-config | "$PYTHON" -c '
import json, sys
c = json.load(sys.stdin)
c["mode"] = "siit"
c.pop("nat64", None)
c["siit"] = {"pool6": "2001:db8:64::/96",
             "eamt": [{"ipv6": "2001:db8:6::10/128", "ipv4": "192.0.2.10/32"}]}
# Without the nat64 object the DNS64 prefixes no longer default to its pool6.
c["dns64"]["prefixes"] = ["2001:db8:64::/96"]
def merge(a, b):  # objects merge key by key (a port field), anything else replaces
    for k, v in b.items():
        a[k] = merge(a[k], v) if isinstance(v, dict) and isinstance(a.get(k), dict) else v
    return a
merge(c, json.loads(sys.argv[1]))
if sys.argv[2]:
    c["ports"]["outside"]["gateway4"] = sys.argv[2]
c["siit"]["eamt"] += json.loads(sys.argv[3])
json.dump(c, open(sys.argv[4], "w"), indent=1)' "${1:-{\}}" "${2:-}" "${SIIT_EAMT_EXTRA:-[]}" "$cfg"
    e2e_up "$cfg"
}

# in_bg NS CMD...: a helper program in a namespace for the test's life (topo_down ends it).
in_bg() { local ns=$1; shift; ip netns exec "$ns" "$@" >/dev/null 2>&1 & }
