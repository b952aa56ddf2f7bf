#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Neighbour resolution of the gateway's addresses: the kernels on both sides learn the
# MACs of gw-in / gw-out, and hand-made ARP and NS probes (scapy) get exact answers.
source "$(dirname "$0")/_init.sh"
e2e_up

GW_IN_MAC=$(mac_of "$NS_G" gw-in)
GW_OUT_MAC=$(mac_of "$NS_G" gw-out)
CLIENT_MAC=$(mac_of "$NS_C" v6c)
SERVER_MAC=$(mac_of "$NS_S" v4s)
log "gw-in $GW_IN_MAC gw-out $GW_OUT_MAC"

# Kernel resolution, driven by one ping each way.
in_client ping -6 -c 1 -W 2 "$GW6" >/dev/null || fail "ping6 $GW6"
in_server ping -4 -c 1 -W 2 "$GW4" >/dev/null || fail "ping $GW4"
n6=$(ip -n "$NS_C" -6 neigh show "$GW6" dev v6c)
n4=$(ip -n "$NS_S" neigh show "$GW4" dev v4s)
log "client: $n6"
log "server: $n4"
[[ $n6 == *"lladdr $GW_IN_MAC "* ]] || fail "client neighbour entry for $GW6 is '$n6', want $GW_IN_MAC"
[[ $n4 == *"lladdr $GW_OUT_MAC "* ]] || fail "server neighbour entry for $GW4 is '$n4', want $GW_OUT_MAC"
[[ $n6 != *FAILED* && $n4 != *FAILED* ]] || fail "a neighbour entry FAILED"

# Hand-made probes, checked field by field.
check() {  # check JSON KEY WANT
    local got
    got=$("$PYTHON" -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2")
    [[ $got == "$3" ]] || fail "$2 is '$got', want '$3' in $1"
}
arp=$(in_server "$PYTHON" "$E2E_DIR/probe.py" arp v4s "$GW4") || fail "no ARP reply for $GW4"
log "ARP reply: $arp"
check "$arp" op 2
check "$arp" hwsrc "$GW_OUT_MAC"
check "$arp" eth_src "$GW_OUT_MAC"
check "$arp" psrc "$GW4"
check "$arp" hwdst "$SERVER_MAC"
check "$arp" eth_dst "$SERVER_MAC"
check "$arp" pdst 198.51.100.2

na=$(in_client "$PYTHON" "$E2E_DIR/probe.py" ns v6c "$CLIENT6" "$GW6") || fail "no NA for $GW6"
log "NA: $na"
check "$na" lladdr "$GW_IN_MAC"
check "$na" eth_src "$GW_IN_MAC"
check "$na" eth_dst "$CLIENT_MAC"
check "$na" ip_src "$GW6"
check "$na" ip_dst "$CLIENT6"
check "$na" hlim 255
check "$na" S 1
check "$na" O 1
check "$na" R 1

# The link-local address answers too (RFC 4861 needs it for router-style neighbours).
ll=$("$PYTHON" -c '
import sys
m = [int(x, 16) for x in sys.argv[1].split(":")]
m[0] ^= 2
print("fe80::%x:%x:%x:%x" % (m[0] << 8 | m[1], m[2] << 8 | 0xff, 0xfe << 8 | m[3], m[4] << 8 | m[5]))
' "$GW_IN_MAC")
na=$(in_client "$PYTHON" "$E2E_DIR/probe.py" ns v6c "$CLIENT6" "$ll") || fail "no NA for $ll"
check "$na" lladdr "$GW_IN_MAC"
check "$na" ip_src "$ll"

# Nobody answers for an address the gateway does not own.
in_server "$PYTHON" "$E2E_DIR/probe.py" arp v4s 198.51.100.99 2>/dev/null &&
    fail "198.51.100.99 answered ARP"
[[ $(stat totals.drops.arp_not_for_us) -ge 1 ]] || fail "arp_not_for_us not counted"
straitd_alive || fail "straitd died"
pass
