#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Clean shutdown: SIGTERM (and SIGINT) stop straitd with exit code 0 and the final
# counters on stdout; with --in-memory it leaves nothing in /dev/hugepages; the topology
# teardown leaves no namespace behind.
source "$(dirname "$0")/_init.sh"

huge_before=$(ls -A /dev/hugepages 2>/dev/null | sort)
e2e_up
in_client ping -6 -c 2 -i 0.2 -W 2 "$GW6" >/dev/null || fail "ping6"
in_server ping -4 -c 2 -i 0.2 -W 2 "$GW4" >/dev/null || fail "ping"
[[ $(ls -A /dev/hugepages 2>/dev/null | sort) == "$huge_before" ]] ||
    fail "straitd created files in /dev/hugepages despite --in-memory"

stop_and_check() {  # stop_and_check SIGNAL NAME: signal straitd, check its exit and report
    kill "-$1" "$STRAITD_PID"
    local rc=0
    wait "$STRAITD_PID" || rc=$?
    STRAITD_PID=
    [[ $rc -eq 0 ]] || fail "straitd exited with $rc after SIG$1"
    grep -q "^straitd: stopped on $2; final counters:" "$STRAITD_LOG" ||
        fail "no 'stopped on $2; final counters:' line"
    # The counters are the JSON document after that line.
    "$PYTHON" - "$STRAITD_LOG" <<'PY' || fail "final counters missing or wrong"
import json, sys
text = open(sys.argv[1]).read()
doc = json.loads(text.split("final counters:\n", 1)[1])
print("  final:", json.dumps({k: doc[k] for k in ("rx", "tx", "local_replies", "dropped")}))
assert doc["rx"]["inside"] >= 2 and doc["rx"]["outside"] >= 2, doc["rx"]
assert doc["tx"]["inside"] >= 2 and doc["tx"]["outside"] >= 2, doc["tx"]
assert doc["local_replies"] >= 4, doc["local_replies"]
PY
}

stop_and_check TERM SIGTERM
log "SIGTERM: exit 0, final counters printed"
[[ $(ls -A /dev/hugepages 2>/dev/null | sort) == "$huge_before" ]] ||
    fail "files left in /dev/hugepages after exit"
in_gw curl -s --max-time 2 http://127.0.0.1:8080/api/v1/stats >/dev/null &&
    fail "the API still answers after exit"

# A second instance in the same namespaces starts (nothing stale blocks it) and stops on SIGINT.
start_straitd
in_client ping -6 -c 2 -i 0.2 -W 2 "$GW6" >/dev/null || fail "ping6 (second instance)"
in_server ping -4 -c 2 -i 0.2 -W 2 "$GW4" >/dev/null || fail "ping (second instance)"
stop_and_check INT SIGINT
log "SIGINT: exit 0, final counters printed"

topo_down
E2E_TOPO=0
left=$(ip netns list | grep -E "^($NS_C|$NS_G|$NS_S)( |$)" || true)
[[ -z $left ]] || fail "namespaces left after topo_down: $left"
[[ $(ls -A /dev/hugepages 2>/dev/null | sort) == "$huge_before" ]] ||
    fail "files left in /dev/hugepages after teardown"
pass
