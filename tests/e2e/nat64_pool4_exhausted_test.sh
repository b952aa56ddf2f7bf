#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# NAT64 pool4 exhausted: UDP gets only ports 2000-2007 of 192.0.2.1. Eight flows take the
# eight ports (and nothing outside them); further flows are refused as
# nat64_pool4_exhausted; the existing flows keep working, and an existing mapping still
# opens a session to a new destination (endpoint-independent mapping needs no new port).
source "$(dirname "$0")/nat64/lib.sh"
nat64_up "{\"dns64\": null, \"nat64\": {\"pool4\": [
  {\"prefix\": \"$POOL4/32\", \"protocols\": [\"tcp\", \"icmp\"]},
  {\"prefix\": \"$POOL4/32\", \"protocols\": [\"udp\"], \"ports\": {\"min\": 2000, \"max\": 2007}}]}}"
for port in 7000 7001; do
    in_bg "$NS_S" "$PYTHON" "$NAT64_DIR/udp_flows.py" echo "$SERVER4" $port \
        "$E2E_WORK/echo-$port.log"
    wait_listen "$NS_S" $port udp
done
# flows DPORT N SPORT: N UDP flows from ports SPORT.. to DPORT; prints how many were answered.
flows() {
    in_client "$PYTHON" "$NAT64_DIR/udp_flows.py" flows "$SERVER4_AS6" "$1" "$2" \
        --sport "$3" >"$E2E_WORK/flows.json" || true
    "$PYTHON" -c "import json; print(json.load(open('$E2E_WORK/flows.json'))['answered'])"
}
expect "8 flows on 8 ports" "$(flows 7000 8 20000)" 8
ports=$(awk '{print $2}' "$E2E_WORK/echo-7000.log" | sort -un | tr '\n' ' ')
expect "pool4 ports seen by the server" "$ports" "2000 2001 2002 2003 2004 2005 2006 2007 "
check pool4.$POOL4.udp=8 nat64.bib_entries=8 drops.nat64_pool4_exhausted=0
expect "4 flows beyond the pool" "$(flows 7000 4 21000)" 0
check 'drops.nat64_pool4_exhausted>=4' 'drops.nat64_pool4_exhausted<=8' pool4.$POOL4.udp=8 \
    nat64.sessions_created.udp=8 nat64.bib_entries=8
# Existing flows are untouched, and an existing mapping reaches a new destination.
expect "the 8 flows, again" "$(flows 7000 8 20000)" 8
expect "an existing mapping to a new destination" "$(flows 7001 1 20000)" 1
# port_at DPORT: the pool4 port the server saw for the client's port 20000.
port_at() { awk '$4 == 20000 {print $2; exit}' "$E2E_WORK/echo-$1.log"; }
expect "the mapping's port at both destinations" "$(port_at 7001)" "$(port_at 7000)"
check nat64.sessions_created.udp=9 nat64.bib_created.udp=8 pool4.$POOL4.udp=8 \
    'drops.nat64_pool4_exhausted<=8' drops.nat64_table_full=0 drops.nat64_no_bib=0
# TCP has its own range: still fine.
in_bg "$NS_S" "$PYTHON" -m http.server --bind "$SERVER4" 80 --directory "$E2E_WORK"
wait_listen "$NS_S" 80
in_client curl -sSf -m 5 -o /dev/null "http://[$SERVER4_AS6]/echo-7000.log" ||
    fail "TCP beside a full UDP pool"
check nat64.sessions_created.tcp=1 pool4.$POOL4.tcp=1
pass
