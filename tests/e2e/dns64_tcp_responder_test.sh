#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The DNS-over-TCP responder (RFC 7766) under a scapy client that plays TCP itself
# (dns64/tcp_probe.py): a lost answer segment is retransmitted on timeout, the client's
# receive window is honoured (closed: only window probes), and an idle connection is closed
# after the idle timeout (RFC 7766 §6.2.3). straitd's counters must show each.
source "$(dirname "$0")/dns64/lib.sh"
dns64_up '["198.51.100.2"]'

# wide.strait.test: 100 synthesized AAAA, ~2.8 KB: three segments at MSS 1220.
out=$(in_client "$PYTHON" "$E2E_DIR/dns64/tcp_probe.py" v6c wide.strait.test) ||
    fail "tcp_probe.py failed"
log "tcp_probe: $out"
check() {  # check WHAT PYTHON_EXPR: asserts on the probe's JSON
    "$PYTHON" -c 'import json, sys; r = json.loads(sys.argv[1]); sys.exit(0 if eval(sys.argv[2]) else 1)' \
        "$out" "$2" || fail "$1 ($2)"
}
check "lost segment retransmitted" 'r["lost"]["retransmitted"]'
# The RTO floor is 200 ms; after the handshake's RTT sample it is about three RTTs of a
# slow scapy peer, far below the 4 s ceiling.
check "retransmitted within the RTO bounds" '0.15 <= r["lost"]["retransmit_after_s"] < 3'
check "full answer after the retransmission" 'r["lost"]["answers"] == 100'
check "closed after the lost-segment exchange" 'r["lost"]["closed"]'
check "never beyond the offered window" 'r["window"]["beyond_window"] == 0'
check "several segments under a 256-byte window" 'r["window"]["segments"] >= 10'
check "closed window: probes, no data" 'r["window"]["probes"] >= 1 and r["window"]["sent_while_shut"] == 0'
check "full answer through a small window" 'r["window"]["answers"] == 100'
check "idle connection closed with FIN" 'r["idle"]["fin"] and r["idle"]["final_ack"]'
check "idle timeout of about 5 s" '4.5 <= r["idle"]["after_s"] < 8'

doc=$(stats_json)
for c in tcp_connections tcp_retransmits tcp_idle_closes; do
    [[ $(stat "dns64.$c" "$doc") -ge 1 ]] || fail "dns64.$c is $(stat "dns64.$c" "$doc")"
done
for c in tcp_timeouts tcp_resets tcp_table_full tcp_buffer_full; do
    [[ $(stat "dns64.$c" "$doc") -eq 0 ]] || fail "dns64.$c is $(stat "dns64.$c" "$doc")"
done
log "counters: connections=$(stat dns64.tcp_connections "$doc")" \
    "retransmits=$(stat dns64.tcp_retransmits "$doc") idle_closes=$(stat dns64.tcp_idle_closes "$doc")"
pass
