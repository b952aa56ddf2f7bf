#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# NAT64 session expiry with short timeouts (3 s for every RFC 6146 §4 timer): UDP flows, ICMP
# echo, a closed TCP connection (TCP_TRANS after both FINs) and an idle open one (TCP_EST)
# all expire; the sessions and BIB entries gauges and pool4 go back to 0 and the expired
# counters name them. Afterwards a late UDP reply to an expired mapping is refused
# (nat64_no_bib) and a segment on the expired idle connection too (nat64_tcp_no_session).
source "$(dirname "$0")/nat64/lib.sh"
nat64_up '{"dns64": null, "nat64": {"timeouts": {"udp": 3, "icmp": 3, "tcp_established": 3,
          "tcp_transitory": 3}}}'
mkdir -p "$E2E_WORK/www"
echo "soon gone" >"$E2E_WORK/www/index.html"
http_server "$NS_S" "$SERVER4" 80 "$E2E_WORK/www"
in_bg "$NS_S" "$PYTHON" "$NAT64_DIR/udp_flows.py" echo "$SERVER4" 7000 "$E2E_WORK/echo.log"
wait_listen "$NS_S" 7000 udp

# An idle TCP connection: opens, waits for $E2E_WORK/go, then sends a request.
in_bg "$NS_C" "$PYTHON" -c '
import os, socket, sys, time
s = socket.create_connection((sys.argv[1], 80))
open(sys.argv[2] + "/connected", "w").close()
while not os.path.exists(sys.argv[2] + "/go"):
    time.sleep(0.1)
s.sendall(b"GET / HTTP/1.0\r\n\r\n")
time.sleep(3)' "$SERVER4_AS6" "$E2E_WORK"
for _ in $(seq 50); do [[ -e $E2E_WORK/connected ]] && break; sleep 0.1; done
[[ -e $E2E_WORK/connected ]] || fail "the idle TCP connection did not open"
in_client "$PYTHON" "$NAT64_DIR/udp_flows.py" flows "$SERVER4_AS6" 7000 10 >/dev/null ||
    fail "10 UDP flows"
in_client ping -c 2 -i 0.2 -W 2 "$SERVER4_AS6" >/dev/null || fail "ping 1"
in_client ping -c 2 -i 0.2 -W 2 "$SERVER4_AS6" >/dev/null || fail "ping 2"
expect "page" "$(in_client curl -sS -m 5 "http://[$SERVER4_AS6]/")" "soon gone"
check nat64.sessions_created.udp=10 nat64.sessions_created.icmp=2 nat64.sessions_created.tcp=2 \
    'nat64.sessions>=1' 'nat64.bib_entries>=1'

# All of it expires: 14 sessions, 14 BIB entries.
wait_check 15 nat64.sessions=0 nat64.bib_entries=0 nat64.sessions_expired.udp=10 \
    nat64.sessions_expired.icmp=2 nat64.sessions_expired.tcp=2 nat64.bib_expired.udp=10 \
    nat64.bib_expired.icmp=2 nat64.bib_expired.tcp=2 pool4.$POOL4.udp=0 pool4.$POOL4.icmp=0 \
    pool4.$POOL4.tcp=0

# A late reply to an expired mapping, from the server's port 7000.
port=$(awk 'NR == 1 {print $2}' "$E2E_WORK/echo.log")
in_server "$PYTHON" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 7001))
s.sendto(b"late", (sys.argv[2], int(sys.argv[3])))' "$SERVER4" "$POOL4" "$port"
wait_check 5 drops.nat64_no_bib=1
# The idle connection's request: its session is gone and it is no SYN.
touch "$E2E_WORK/go"
wait_check 5 'drops.nat64_tcp_no_session>=1' nat64.sessions=0 nat64.sessions_created.tcp=2
check drops.nat64_table_full=0 drops.nat64_pool4_exhausted=0 drops.nat64_no_session=0 \
    drops.nat64_untracked=0
pass
