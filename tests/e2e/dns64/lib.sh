#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sourced by tests/e2e/dns64_*_test.sh: the shared _init.sh plus an authoritative nsd in
# the server namespace (zones in this folder) and straitd with SIIT + DNS64.
#
#   source "$(dirname "$0")/dns64/lib.sh"
#   dns64_up '["198.51.100.2"]'   # upstreams (JSON list); starts nsd, then straitd
#   aaaa NAME                     # dig AAAA NAME @service +short from the client
source "$(dirname "${BASH_SOURCE[0]}")/../_init.sh"

DNS64_ZONES=$E2E_DIR/dns64
DNS64_SERVICE=2001:db8:6::53
DNS64_PREFIX=2001:db8:64::

# dns64_config UPSTREAMS_JSON [EXTRA_DNS64_JSON]: writes the straitd config, prints its path.
dns64_config() {
    local out=$E2E_WORK/straitd.json
    "$STRAITD" --print-default-config | "$PYTHON" -c '
import json, sys
c = json.load(sys.stdin)
c["mode"] = "siit"
c.pop("nat64", None)
c["siit"] = {"pool6": "2001:db8:64::/96",
             "eamt": [{"ipv6": "2001:db8:6::10/128", "ipv4": "192.0.2.10/32"}]}
d = {"service": [sys.argv[1]], "prefixes": ["2001:db8:64::/96"],
     "upstreams": json.loads(sys.argv[2]), "timeout_ms": 300, "retries": 1}
d.update(json.loads(sys.argv[3]))
c["dns64"] = d
json.dump(c, open(sys.argv[4], "w"), indent=1)' "$DNS64_SERVICE" "$1" "${2:-{\}}" "$out"
    echo "$out"
}

# start_nsd: nsd in the foreground in the server namespace (topo_down kills it).
start_nsd() {
    mkdir -p "$E2E_WORK/nsd"
    sed -e "s|@DIR@|$E2E_WORK/nsd|g" -e "s|@ZONES@|$DNS64_ZONES|g" \
        "$DNS64_ZONES/nsd.conf.in" >"$E2E_WORK/nsd/nsd.conf"
    in_server nsd -d -c "$E2E_WORK/nsd/nsd.conf" >"$E2E_WORK/nsd/stdout" 2>&1 &
    for _ in $(seq 50); do
        in_server dig @198.51.100.2 +short +time=1 +tries=1 SOA strait.test >/dev/null 2>&1 &&
            return 0
        sleep 0.1
    done
    cat "$E2E_WORK/nsd/stdout" "$E2E_WORK/nsd/nsd.log" >&2 2>/dev/null || true
    fail "nsd did not start"
}

# dns64_up UPSTREAMS_JSON [EXTRA_DNS64_JSON]
dns64_up() {
    local cfg
    cfg=$(dns64_config "$@")
    E2E_TOPO=1
    topo_up
    start_nsd
    start_straitd "$cfg"
}

# dig_client ARGS...: dig from the IPv6-only client to the DNS64 service.
dig_client() { in_client dig "@$DNS64_SERVICE" +time=3 +tries=1 "$@"; }
# aaaa NAME: the AAAA answers, sorted, one a line.
aaaa() { dig_client +short AAAA "$1" | sort; }

# expect WHAT GOT WANT
expect() { [[ $2 == "$3" ]] || fail "$1: got '$2', want '$3'"; }
