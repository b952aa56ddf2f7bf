#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sourced by tests/e2e/nat64_*_test.sh: the shared _init.sh plus straitd in stateful NAT64
# mode (RFC 6146) on the embedded default: pool6 2001:db8:64::/96, pool4 192.0.2.1 (TCP,
# UDP, ICMP ports 1024-65535; the server namespace routes 192.0.2.0/24 to the gateway).
#
#   source "$(dirname "$0")/nat64/lib.sh"
#   nat64_up '{"nat64": {"timeouts": {"udp": 2}}, "dns64": null}'   # deep-merged patch
#   check nat64.sessions=0 drops.nat64_no_bib=1 'pool4.192.0.2.1.udp>=1'   # stats asserts
#   wait_check 10 nat64.bib_entries=0                                       # ... polled
# The DNS64 helpers (start_nsd, dig_client, expect) come along from dns64/lib.sh.
source "$(dirname "${BASH_SOURCE[0]}")/../dns64/lib.sh"

NAT64_DIR=$E2E_DIR/nat64
POOL4=192.0.2.1

# nat64_config PATCH_JSON: the embedded default with PATCH deep-merged (objects merge key by
# key, other values replace, null deletes), written to the scratch folder; prints its path.
nat64_config() {
    local out=$E2E_WORK/straitd.json
    "$STRAITD" --print-default-config | "$PYTHON" -c '
import json, sys
def merge(base, patch):
    for k, v in patch.items():
        if v is None:
            base.pop(k, None)
        elif isinstance(v, dict) and isinstance(base.get(k), dict):
            merge(base[k], v)
        else:
            base[k] = v
c = json.load(sys.stdin)
merge(c, json.loads(sys.argv[1]))
json.dump(c, open(sys.argv[2], "w"), indent=1)' "${1:-{\}}" "$out"
    echo "$out"
}

# nat64_up [PATCH_JSON]: topology, then straitd in NAT64 mode with that config. A patch
# '{"ports": {"outside": {"gateway4": "198.51.100.2"}}}' makes the server namespace the IPv4
# next hop for every other destination (a router).
nat64_up() { e2e_up "$(nat64_config "${1:-{\}}")"; }

# in_bg NS CMD...: a helper program in a namespace for the test's life (topo_down ends it).
in_bg() {
    local ns=$1; shift
    ip netns exec "$ns" "$@" >/dev/null 2>&1 &
    disown $!  # topo_down kills it: no "Killed" notice from bash
}

# wait_listen NS PORT [tcp|udp]: waits (5 s) until something listens on PORT in NS.
wait_listen() {
    local flag=-ltn
    [[ ${3:-tcp} == udp ]] && flag=-lun
    for _ in $(seq 50); do
        ip netns exec "$1" ss -H "$flag" "sport = :$2" | grep -q . && return 0
        sleep 0.1
    done
    fail "nothing listens on ${3:-tcp} port $2 in $1"
}

# check CONDITION...: each "PATH OP NUMBER" (OP one of = >= <= > <) against one snapshot of
# GET /api/v1/stats; PATH is dotted (nat64.sessions_created.udp, totals.translated_v6_to_v4),
# drops.REASON (0 until counted) or pool4.ADDR.PROTO (ports in use). Prints every figure and
# fails when any condition does not hold.
check() { stats_hold "$@" || fail "stats check failed (see above)"; }

# stats_hold CONDITION...: like check, but returns non-zero instead of failing the test.
stats_hold() {
    local doc
    doc=$(stats_json)
    "$PYTHON" - "$doc" "$@" <<'PY'
import json, re, sys
doc = json.loads(sys.argv[1])
def get(path):
    if path.startswith("pool4."):
        addr, proto = path[6:].rsplit(".", 1)
        return sum(e["used"] for e in doc.get("pool4", [])
                   if e["address"] == addr and e["protocol"] == proto)
    if path.startswith("drops."):  # drop reasons appear once counted
        return doc["totals"]["drops"].get(path[6:], 0)
    v = doc
    for k in path.split("."):
        if not isinstance(v, dict) or k not in v:
            raise SystemExit(f"no figure {path} in /api/v1/stats")
        v = v[k]
    return v
bad = []
for cond in sys.argv[2:]:
    m = re.fullmatch(r"\s*([\w.]+)\s*(>=|<=|=|>|<)\s*(\d+)\s*", cond)
    if not m:
        raise SystemExit(f"bad condition {cond!r}")
    path, op, want = m.group(1), m.group(2), int(m.group(3))
    got = get(path)
    ok = {"=": got == want, ">=": got >= want, "<=": got <= want,
          ">": got > want, "<": got < want}[op]
    print(f"  {path} = {got} ({op} {want}){'' if ok else '  <-- FAIL'}")
    if not ok:
        bad.append(cond)
sys.exit(1 if bad else 0)
PY
}

# no_nat64_drops: none of the nat64_* drop reasons was counted.
no_nat64_drops() {
    check drops.nat64_no_bib=0 drops.nat64_tcp_no_session=0 drops.nat64_filtered=0 \
        drops.nat64_table_full=0 drops.nat64_pool4_exhausted=0 drops.nat64_untracked=0 \
        drops.nat64_no_session=0
}

# wait_check SECONDS CONDITION...: polls until every condition holds, else fails with them.
wait_check() {
    local t=$1; shift
    for _ in $(seq $((t * 5))); do
        stats_hold "$@" >/dev/null 2>&1 && { check "$@"; return 0; }
        sleep 0.2
    done
    check "$@"
}

# http_server NS ADDR PORT DIR: python's http.server; its log (one line per request, client
# address first) goes to $E2E_WORK/http-NS-PORT.log.
http_server() {
    ip netns exec "$1" "$PYTHON" -u -m http.server --bind "$2" "$3" --directory "$4" \
        >"$E2E_WORK/http-$1-$3.log" 2>&1 &
    disown $!
    wait_listen "$1" "$3"
}

# capture NS IFACE FILTER...: tcpdump (numeric, line-buffered text) in NS for the test's life,
# into $E2E_WORK/cap-NS-IFACE.log; returns once it listens.
capture() {
    local ns=$1 dev=$2; shift 2
    local out=$E2E_WORK/cap-$ns-$dev.log
    ip netns exec "$ns" tcpdump -nn -l -i "$dev" "$@" >"$out" 2>"$out.err" &
    disown $!
    for _ in $(seq 50); do
        grep -qs "listening on" "$out.err" && return 0
        sleep 0.1
    done
    fail "tcpdump did not start in $ns: $(cat "$out.err")"
}
