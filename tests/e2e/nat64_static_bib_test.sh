#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# NAT64 static BIB (RFC 6146 §3.5.1): servers on the IPv6-only client are reachable from the
# IPv4 side at 192.0.2.1:5080 (TCP, a web server) and 192.0.2.1:5053 (UDP, an echo); the
# client's own flows from a static transport address leave on its static pool4 port;
# a second IPv6 client reaches the first through 192.0.2.1 (hairpin); static entries outlive
# their sessions; a pool4 port with no entry is refused.
source "$(dirname "$0")/nat64/lib.sh"
nat64_up "{\"dns64\": null, \"nat64\": {\"timeouts\": {\"udp\": 2}, \"bib\": [
  {\"protocol\": \"tcp\", \"ipv6\": \"$CLIENT6\", \"port6\": 8080, \"ipv4\": \"$POOL4\", \"port4\": 5080},
  {\"protocol\": \"udp\", \"ipv6\": \"$CLIENT6\", \"port6\": 7000, \"ipv4\": \"$POOL4\", \"port4\": 5053},
  {\"protocol\": \"udp\", \"ipv6\": \"$CLIENT6\", \"port6\": 7001, \"ipv4\": \"$POOL4\", \"port4\": 5055}]}}"
# Before any traffic: three static entries, their ports in use, no session.
check nat64.bib_entries=3 nat64.sessions=0 pool4.$POOL4.tcp=1 pool4.$POOL4.udp=2

mkdir -p "$E2E_WORK/www"
echo "served from an IPv6-only host" >"$E2E_WORK/www/index.html"
http_server "$NS_C" "$CLIENT6" 8080 "$E2E_WORK/www"
in_bg "$NS_C" "$PYTHON" "$NAT64_DIR/udp_flows.py" echo "$CLIENT6" 7000 "$E2E_WORK/echo6.log"
wait_listen "$NS_C" 7000 udp
in_bg "$NS_S" "$PYTHON" "$NAT64_DIR/udp_flows.py" echo "$SERVER4" 7000 "$E2E_WORK/echo4.log"
wait_listen "$NS_S" 7000 udp

# udp4 PORT: one datagram from the IPv4 server to 192.0.2.1:PORT; prints the echo or "none".
udp4() {
    in_server "$PYTHON" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
s.sendto(b"from ipv4", (sys.argv[1], int(sys.argv[2])))
try:
    print(s.recv(100).decode())
except socket.timeout:
    print("none")' "$POOL4" "$1"
}

got=$(in_server curl -sS -m 10 "http://$POOL4:5080/") || fail "curl http://$POOL4:5080/"
expect "page from the IPv6 host" "$got" "served from an IPv6-only host"
expect "UDP echo through the static entry" "$(udp4 5053)" "from ipv4"
# The IPv6 servers see the IPv4 server inside pool6.
grep -q "^${PREF64}c633:6402 .*\"GET / " "$E2E_WORK/http-$NS_C-8080.log" ||
    { cat "$E2E_WORK/http-$NS_C-8080.log"; fail "the web server did not see ${PREF64}c633:6402"; }
grep -q "^${PREF64}c633:6402 [0-9]* from ipv4$" "$E2E_WORK/echo6.log" ||
    fail "the echo did not see ${PREF64}c633:6402"
# Outbound from the static transport address [client]:7001: leaves as 192.0.2.1:5055.
in_client "$PYTHON" "$NAT64_DIR/udp_flows.py" flows "$SERVER4_AS6" 7000 1 --src "$CLIENT6" \
    --sport 7001 >/dev/null || fail "UDP from [$CLIENT6]:7001"
grep -q "^$POOL4 5055 " "$E2E_WORK/echo4.log" ||
    { cat "$E2E_WORK/echo4.log"; fail "[$CLIENT6]:7001 did not leave as $POOL4:5055"; }
log "IPv4 -> $POOL4:5080 (TCP) and :5053 (UDP) reached the IPv6 host; [$CLIENT6]:7001 left as :5055"

# Hairpin (RFC 6146 §3.8): another IPv6 client reaches the echo through 192.0.2.1:5053 and
# the echo sees it as 192.0.2.1 inside pool6.
ip -n "$NS_C" addr add 2001:db8:6::20/64 dev v6c nodad
in_client "$PYTHON" "$NAT64_DIR/udp_flows.py" flows "${PREF64}c000:201" 5053 1 \
    --src 2001:db8:6::20 --sport 9000 >"$E2E_WORK/hairpin.json" ||
    { cat "$E2E_WORK/hairpin.json"; fail "hairpin through $POOL4:5053"; }
grep -q "^${PREF64}c000:201 [0-9]* 2001:db8:6::20 9000$" "$E2E_WORK/echo6.log" ||
    { cat "$E2E_WORK/echo6.log"; fail "the echo did not see the hairpinned client as ${PREF64}c000:201"; }
log "hairpin: [2001:db8:6::20]:9000 -> $POOL4:5053 -> [$CLIENT6]:7000 and back"

# A pool4 port with no BIB entry: refused.
expect "UDP to an unmapped pool4 port" "$(udp4 5054)" "none"
# Sessions: TCP 1; UDP: the two static exchanges, and the hairpin's two (the client's own
# mapping, which takes the one dynamic BIB entry, and one on the echo's static entry).
check nat64.sessions_created.tcp=1 nat64.sessions_created.udp=4 nat64.bib_entries=4 \
    nat64.bib_created.tcp=1 nat64.bib_created.udp=3 drops.nat64_no_bib=1 pool4.$POOL4.udp=3
# UDP sessions expire after 2 s with the dynamic entry; the static ones stay, and serve again.
wait_check 10 nat64.sessions_expired.udp=4 nat64.bib_entries=3 nat64.bib_expired.udp=1 \
    pool4.$POOL4.udp=2
expect "UDP echo after expiry" "$(udp4 5053)" "from ipv4"
check nat64.sessions_created.udp=5 nat64.bib_entries=3 pool4.$POOL4.udp=2 drops.nat64_no_bib=1 \
    drops.nat64_table_full=0 drops.nat64_no_session=0 drops.nat64_untracked=0
pass
