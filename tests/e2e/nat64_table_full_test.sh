#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# NAT64 table full: with nat64.capacity 1024 (one worker, so 1024 sessions and BIB entries in
# all), a flow opened first keeps working while 1100 more are attempted: exactly 1023 of
# them get through, the rest are refused and counted as nat64_table_full, and a new flow
# after that is refused too.
source "$(dirname "$0")/nat64/lib.sh"
nat64_up '{"dns64": null, "nat64": {"capacity": 1024}}'
in_bg "$NS_S" "$PYTHON" "$NAT64_DIR/udp_flows.py" echo "$SERVER4" 7000 "$E2E_WORK/echo.log"
wait_listen "$NS_S" 7000 udp
# flows N SPORT: N UDP flows from the client's ports SPORT.. ; prints how many were answered.
flows() {
    in_client "$PYTHON" "$NAT64_DIR/udp_flows.py" flows "$SERVER4_AS6" 7000 "$1" \
        --sport "$2" >"$E2E_WORK/flows-$2.json" || true
    "$PYTHON" -c "import json; print(json.load(open('$E2E_WORK/flows-$2.json'))['answered'])"
}
expect "the first flow" "$(flows 1 30000)" 1
got=$(flows 1100 20000)
log "1100 flows attempted at capacity 1024, one already open: $got answered"
expect "flows admitted beside the first" "$got" 1023
refused_sent=$("$PYTHON" -c "import json; print(json.load(open('$E2E_WORK/flows-20000.json'))['unanswered_sent'])")
check nat64.sessions=1024 nat64.bib_entries=1024 pool4.$POOL4.udp=1024 \
    nat64.sessions_created.udp=1024 'drops.nat64_table_full>=77' \
    "drops.nat64_table_full<=$refused_sent" drops.nat64_pool4_exhausted=0
before=$(stat totals.drops.nat64_table_full)
# The existing flow still works; a new one is refused.
expect "the first flow, again" "$(flows 1 30000)" 1
expect "a new flow" "$(flows 1 40000)" 0
check nat64.sessions=1024 nat64.sessions_created.udp=1024 \
    "drops.nat64_table_full>=$((before + 1))" drops.nat64_no_bib=0 drops.nat64_untracked=0
pass
