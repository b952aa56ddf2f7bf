#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# NAT64: ping from the IPv6-only client to an IPv4-only server through the NAT64 prefix
# (RFC 6146 §3.5.3: ICMP query sessions keyed by the echo identifier, which becomes a pool4
# "port"); the server sees echo requests from 192.0.2.1. An echo request from the IPv4
# side to 192.0.2.1 with no BIB entry behind it is dropped and counted.
source "$(dirname "$0")/nat64/lib.sh"
nat64_up '{"dns64": null}'
capture "$NS_S" v4s icmp
in_client ping -c 3 -i 0.2 -W 2 "$SERVER4_AS6" || fail "ping $SERVER4_AS6"
in_client ping -c 2 -i 0.2 -W 2 -s 1200 "$SERVER4_AS6" || fail "ping -s 1200 $SERVER4_AS6"
# Two pings, two identifiers: two ICMP sessions and two pool4 identifiers in use.
check nat64.sessions_created.icmp=2 nat64.bib_created.icmp=2 pool4.$POOL4.icmp=2 \
    totals.translated_v6_to_v4=5 totals.translated_v4_to_v6=5
sleep 0.3
cap=$E2E_WORK/cap-$NS_S-v4s.log
[[ $(grep -c "IP $POOL4 > $SERVER4: ICMP echo request" "$cap") -eq 5 ]] ||
    { cat "$cap"; fail "the server did not see 5 echo requests from $POOL4"; }
# The two identifiers on the wire are the two pool4 identifiers, in 1024-65535.
ids=$(grep -o "ICMP echo request, id [0-9]*" "$cap" | awk '{print $NF}' | sort -u)
[[ $(echo "$ids" | wc -l) -eq 2 ]] || fail "want 2 identifiers, got: $ids"
for id in $ids; do ((id >= 1024)) || fail "identifier $id outside pool4's 1024-65535"; done
log "echo identifiers on the IPv4 side: $(echo $ids)"

# Unsolicited echo from the IPv4 side: nothing maps it, the gateway drops it.
in_server ping -c 2 -i 0.2 -W 1 -e 4242 "$POOL4" >/dev/null && fail "an IPv4 ping to $POOL4 got an answer"
check drops.nat64_no_bib=2 drops.nat64_table_full=0 drops.nat64_no_session=0 \
    drops.nat64_untracked=0 nat64.sessions_created.icmp=2
pass
