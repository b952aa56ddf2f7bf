#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# NAT64: 200 IPv6 clients (addresses 2001:db8:6::1000 and up) share the one pool4 address:
# each flow reaches the IPv4 server from 192.0.2.1 on its own port (200 distinct ports),
# keeps its source port's parity and range (RFC 4787 REQ-3, RFC 6146 §3.5.1.1), gets its
# echo back, and pool4 shows 200 UDP ports in use.
source "$(dirname "$0")/nat64/lib.sh"
N=200
FIRST=2001:db8:6::1000
nat64_up '{"dns64": null}'
"$PYTHON" -c "
import ipaddress, sys
a = ipaddress.IPv6Address(sys.argv[1])
for i in range($N):
    print(f'addr add {a + i}/64 dev v6c nodad')" "$FIRST" | ip -n "$NS_C" -batch - ||
    fail "adding $N client addresses"
in_bg "$NS_S" "$PYTHON" "$NAT64_DIR/udp_flows.py" echo "$SERVER4" 7000 "$E2E_WORK/echo.log"
wait_listen "$NS_S" 7000 udp
in_client "$PYTHON" "$NAT64_DIR/udp_flows.py" flows "$SERVER4_AS6" 7000 $N \
    --src "$FIRST" --sources >"$E2E_WORK/flows.json" || { cat "$E2E_WORK/flows.json"; fail "flows"; }

# The server's view: "peer_addr peer_port client_addr client_port" per datagram.
"$PYTHON" - "$E2E_WORK/echo.log" "$E2E_WORK/flows.json" $N "$POOL4" <<'PY' || fail "server view"
import json, sys
lines = [l.split() for l in open(sys.argv[1])]
res = json.load(open(sys.argv[2]))
n, pool4 = int(sys.argv[3]), sys.argv[4]
seen = {}  # client transport address -> (peer address, peer port) at the server
for peer, pport, caddr, cport in lines:
    seen.setdefault((caddr, int(cport)), set()).add((peer, int(pport)))
peers = {p for v in seen.values() for p in v}
print(f"  answered {res['answered']}/{n}; server saw {len(seen)} clients from "
      f"{sorted({p[0] for p in peers})} on {len({p[1] for p in peers})} ports")
assert res["answered"] == n, "not every client got its echo"
assert len(seen) == n, f"the server saw {len(seen)} clients"
assert {p[0] for p in peers} == {pool4}, "a client reached the server from outside pool4"
assert all(len(v) == 1 for v in seen.values()), "a client changed mapping (REQ-1)"
assert len({p[1] for p in peers}) == n, "two clients share a pool4 port"
for (caddr, cport), v in seen.items():
    (_, pport), = v
    assert pport % 2 == cport % 2, f"{caddr} port {cport} -> {pport}: parity lost (REQ-3)"
    assert pport >= 1024, f"{caddr} port {cport} -> {pport}: outside pool4's range"
PY
check nat64.sessions_created.udp=$N nat64.bib_created.udp=$N nat64.sessions=$N \
    nat64.bib_entries=$N pool4.$POOL4.udp=$N "totals.translated_v6_to_v4>=$N" \
    "totals.translated_v4_to_v6>=$N"
no_nat64_drops
pass
