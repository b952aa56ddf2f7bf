#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's demo command: builds Strait if needed, creates the demo topology in network
# namespaces (tests/e2e/topology.sh), runs straitd on its embedded default config and shows
# it working from both sides. --keep leaves everything running (tear down with --down).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export TOPO_PREFIX=strait-demo
# shellcheck source=../tests/e2e/topology.sh
source tests/e2e/topology.sh

if [[ ${1:-} == --down ]]; then topo_down; echo "demo: removed"; exit 0; fi
[[ $EUID -eq 0 ]] || { echo "demo.sh: run as root: sudo $0" >&2; exit 1; }

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "install and build"
./deploy/install-deps.sh
[[ -d build ]] || meson setup build >/dev/null
ninja -C build >/dev/null && echo "built build/straitd"

step "topology: $NS_C (IPv6-only client) -- $NS_G (straitd) -- $NS_S (IPv4 server)"
topo_up
[[ ${1:-} == --keep ]] || trap 'kill -TERM $STRAITD 2>/dev/null || true; wait $STRAITD 2>/dev/null || true; topo_down; rm -rf "${NSD_DIR:-}"' EXIT
ip netns exec "$NS_S" /usr/bin/python3 -m http.server --bind "$SERVER4" 80 \
    --directory "$ROOT/deploy/demo-www" >/dev/null 2>&1 &
# nsd: the IPv4 side's authoritative DNS (zone strait.test), DNS64's upstream.
NSD_DIR=$(mktemp -d /tmp/strait-demo-nsd.XXXXXX)
sed -e "s|@DIR@|$NSD_DIR|g" -e "s|@ZONES@|$ROOT/tests/e2e/dns64|g" \
    tests/e2e/dns64/nsd.conf.in >"$NSD_DIR/nsd.conf"
ip netns exec "$NS_S" nsd -d -c "$NSD_DIR/nsd.conf" >/dev/null 2>&1 &

step "start straitd with the embedded default config (straitd --print-default-config)"
ip netns exec "$NS_G" "$ROOT/build/straitd" >/tmp/strait-demo.log 2>&1 &
STRAITD=$!
for _ in $(seq 100); do grep -q "straitd: ready" /tmp/strait-demo.log && break; sleep 0.1; done
cat /tmp/strait-demo.log

step "the gateway answers NDP and ICMPv6 echo on its inside address"
run ip netns exec "$NS_C" ping -c 2 -i 0.3 "$GW6"
run ip -n "$NS_C" -6 neigh show "$GW6"
step "the gateway answers ARP and ICMP echo on its outside address"
run ip netns exec "$NS_S" ping -c 2 -i 0.3 "$GW4"
run ip -n "$NS_S" neigh show "$GW4"

step "NAT64: the IPv6-only client reaches the IPv4 server as $SERVER4_AS6 (sessions on pool4 192.0.2.1)"
run ip netns exec "$NS_C" ping -c 3 -i 0.3 "$SERVER4_AS6" || true
run ip netns exec "$NS_C" curl -sS -m 5 "http://[$SERVER4_AS6]/" || true

step "DNS64: the client asks Strait (2001:db8:6::53) for an IPv4-only name; nsd on $SERVER4 is the upstream"
run ip netns exec "$NS_C" dig @2001:db8:6::53 +noall +answer AAAA a-only.strait.test || true
run ip netns exec "$NS_C" dig @2001:db8:6::53 +noall +answer AAAA dual.strait.test || true
ADDR=$(ip netns exec "$NS_C" dig @2001:db8:6::53 +short AAAA a-only.strait.test || true)
run ip netns exec "$NS_C" curl -sS -m 5 --resolve "a-only.strait.test:80:[$ADDR]" \
    http://a-only.strait.test/ || true

step "counters (GET /api/v1/stats on the REST API)"
ip netns exec "$NS_G" curl -s http://127.0.0.1:8080/api/v1/stats | /usr/bin/python3 -c \
    'import json,sys; d=json.load(sys.stdin); print(json.dumps({k: d.get(k) for k in ("totals", "nat64", "pool4", "dns64")}, indent=2))'

if [[ ${1:-} == --keep ]]; then
    echo "demo: left running; try: ip netns exec $NS_C ping $SERVER4_AS6; stop with $0 --down"
    exit 0
fi
step "stop straitd (SIGTERM): clean exit with final counters"
kill -TERM $STRAITD; wait $STRAITD; tail -n +4 /tmp/strait-demo.log | tail -20
