#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# NAT64: iperf3 from the IPv6-only client to an IPv4-only iperf3 server, 2 s each: TCP
# upload, TCP download (-R) and UDP. Asserts that data flowed both ways and that the
# sessions and counters match; never a rate (speed lives in the benchmarks).
source "$(dirname "$0")/nat64/lib.sh"
command -v iperf3 >/dev/null || fail "iperf3 is not installed (deploy/install-deps.sh)"
nat64_up '{"dns64": null}'
in_bg "$NS_S" iperf3 -s -B "$SERVER4" -p 5201
wait_listen "$NS_S" 5201

# run NAME ARGS...: one iperf3 client run; its JSON report goes to $E2E_WORK/NAME.json.
run() {
    local name=$1; shift
    in_client iperf3 -c "$SERVER4_AS6" -p 5201 -t 2 --json "$@" >"$E2E_WORK/$name.json" ||
        { cat "$E2E_WORK/$name.json"; fail "iperf3 $name"; }
}
# field NAME EXPR: a value of the report (python expression over `r`).
field() { "$PYTHON" -c "import json; r = json.load(open('$E2E_WORK/$1.json')); print($2)"; }

run tcp
run tcp_reverse -R
run udp -u -b 20M -l 1200
up=$(field tcp "r['end']['sum_received']['bytes']")
down=$(field tcp_reverse "r['end']['sum_received']['bytes']")
udp_sent=$(field udp "r['end']['sum']['packets']")
udp_lost=$(field udp "r['end']['sum']['lost_packets']")
log "TCP up $up bytes, TCP down $down bytes, UDP $udp_sent datagrams ($udp_lost lost)"
((up > 1000000)) || fail "TCP upload moved only $up bytes"
((down > 1000000)) || fail "TCP download moved only $down bytes"
((udp_sent - udp_lost > 500)) || fail "UDP: $udp_sent datagrams sent, $udp_lost lost"
# Each run is a TCP control connection and a data stream: 5 TCP sessions (3 controls, 2
# streams) and 1 UDP session, all on 192.0.2.1; the bytes crossed translated both ways.
check nat64.sessions_created.tcp=5 nat64.sessions_created.udp=1 pool4.$POOL4.tcp=5 \
    pool4.$POOL4.udp=1 "totals.translated_v6_to_v4>=$((up / 1500 + udp_sent - udp_lost))" \
    "totals.translated_v4_to_v6>=$((down / 1500))"
no_nat64_drops
pass
