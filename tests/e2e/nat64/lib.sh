#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sourced by tests/e2e/nat64_*_test.sh: the shared _init.sh plus straitd in stateful NAT64
# mode (RFC 6146) on the embedded default: pool6 2001:db8:64::/96, pool4 192.0.2.1 (TCP,
# UDP, ICMP ports 1024-65535; the server namespace routes 192.0.2.0/24 to the gateway).
#
#   source "$(dirname "$0")/nat64/lib.sh"
#   nat64_up '{"nat64": {"timeouts": {"udp": 2}}, "dns64": null}'   # deep-merged patch
#   nat64_stat sessions_created.udp      # a figure of the "nat64" stats group
#   pool4_used 192.0.2.1 udp             # ports in use on a pool4 address
#   check nat64.sessions=0 drops.nat64_no_bib=1 'pool4.192.0.2.1.udp>=1'
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
    fail "nothing listens on $3 port $2 in $1"
}

# nat64_stat PATH [JSON]: a figure of the "nat64" group, e.g. sessions or sessions_created.tcp.
nat64_stat() { stat "nat64.$1" "${2:-}"; }

# pool4_used ADDR PROTO [JSON]: ports in use on a pool4 address for a protocol.
pool4_used() {
    local doc=${3:-$(stats_json)}
    "$PYTHON" -c '
import json, sys
d = json.loads(sys.argv[3])
print(sum(e["used"] for e in d.get("pool4", []) if e["address"] == sys.argv[1] and e["protocol"] == sys.argv[2]))' \
        "$1" "$2" "$doc"
}

# check CONDITION... : each "path op value" (op one of = >= <= >) against one stats snapshot;
# paths are dotted (nat64.sessions, totals.drops.nat64_no_bib, pool4.192.0.2.1.udp);
# fails naming every condition that does not hold.
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
