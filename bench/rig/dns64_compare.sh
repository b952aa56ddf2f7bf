#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# DNS64 side by side: straitd (measured with strait-rig and with dnsperf), BIND9 and Unbound
# (dnsperf), each answering at 2001:db8:6::53 on the e2e topology with the same nsd upstream
# (198.51.100.2) and the same query mixes:
#   hit:  100 names hit-N.wild.strait.test AAAA, repeated (cache hits after a warm-up)
#   miss: unique names <8 hex>.wild.strait.test AAAA (each a synthesis: AAAA NODATA, then A)
# Root; namespaces and documentation addresses only; everything removed on exit.
#
#   sudo bench/rig/dns64_compare.sh [--build DIR] [--duration S] [--runs N] [--only LIST]
#   LIST: any of rig-max rig-search strait-dnsperf memif-max memif-search bind unbound
#   (default: all). memif-*: a second straitd whose inside port is net_memif (shared
#   memory, no kernel on the client side, as a NIC would be) with strait-rig as the
#   memif client; its outside port stays AF_PACKET to nsd.
#
# Pinning on a 2-CPU machine: the server under test gets CPU 1 (straitd's main, worker and
# DNS64 lcores, yielding to each other when idle; named -n 1; unbound num-threads 1); the
# environment gets CPU 0: the load generator (strait-rig yields when idle, dnsperf blocks)
# and the upstream nsd.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$ROOT/build-rel
DURATION=10
RUNS=3
ONLY="rig-max rig-search strait-dnsperf memif-max memif-search bind unbound"
RIG_MAX=200000     # upper bound of the RFC 8219 search, queries/s
SEARCH_STEP=5      # seconds per search step
SEARCH_LOSS=0.1    # % a search step may lose (RFC 8219 §9 says 0; this VM is shared)
MEMIF_MAX=4000000  # the same for memif
# straitd idle_yield_polls (its three lcores share CPU 1): on the AF_PACKET straitd 1 left
# 0.1-0.5 % of answers more than 1 s late (kernel path), so 0 there; 1 for memif.
YIELD=${YIELD:-0}
YIELD_MEMIF=${YIELD_MEMIF:-1}
FRAMECNT=${FRAMECNT:-}  # AF_PACKET ring frames (straitd's inside port and the rig); empty: PMD default
while [[ $# -gt 0 ]]; do
    case $1 in
        --build) BUILD=$(cd "$2" && pwd); shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --only) ONLY=$2; shift 2 ;;
        *) echo "usage: $0 [--build DIR] [--duration S] [--runs N] [--only LIST]" >&2; exit 2 ;;
    esac
done
export STRAITD=$BUILD/straitd
RIG=$BUILD/bench/rig/strait-rig
[[ -x $RIG ]] || { echo "no $RIG: meson setup $BUILD --buildtype=release && ninja -C $BUILD" >&2; exit 1; }
for tool in named unbound dnsperf nsd; do
    command -v $tool >/dev/null || { echo "no $tool: run deploy/install-deps.sh" >&2; exit 1; }
done
TOPO_PREFIX=cmp$$
PEER_NSD_CPU=0
source "$ROOT/tests/e2e/dns64/lib.sh"
source "$ROOT/tests/e2e/dns64/peers.sh"

RESULTS=$E2E_WORK/results
COMMANDS=$E2E_WORK/commands
HIT=$E2E_WORK/hit.txt
for i in $(seq 0 99); do echo "hit-$i.wild.strait.test AAAA"; done >"$HIT"
echo "{n}.wild.strait.test AAAA" >"$E2E_WORK/miss-rig.txt"

start_nsd() { peer_start_nsd "wild.strait.test=$ROOT/bench/rig/wild.strait.test.zone"; }

# record SERVER TOOL MIX QPS NOERROR_QPS LOSS_PCT
record() { echo "$*" >>"$RESULTS"; log "$1 ($2) $3: $4 answers/s ($5 NOERROR), loss $6 %"; }
note_cmd() { grep -qxF "$*" "$COMMANDS" 2>/dev/null || echo "$*" >>"$COMMANDS"; }

# rig MODE MIX: one strait-rig run; MODE "max" sends as fast as the port takes frames for
# DURATION s, "search" runs the RFC 8219 §9 binary search up to RIG_MAX queries/s with
# steps of SEARCH_STEP s. RIG_PORT picks the port: af_packet (on the client's veth, from
# the client namespace) or memif (the memif straitd's inside port).
RIG_PORT=af_packet
rig() {
    local q=$HIT warm=(--warmup 1) out mode=(--rate 0 --duration "$DURATION") port ns=()
    [[ $2 == miss ]] && { q=$E2E_WORK/miss-rig.txt; warm=(); }
    local top=$RIG_MAX
    [[ $RIG_PORT == memif ]] && top=$MEMIF_MAX
    [[ $1 == search ]] && mode=(--search --rate "$top" --search-precision 1000
        --search-loss "$SEARCH_LOSS" --duration "$SEARCH_STEP")
    if [[ $RIG_PORT == memif ]]; then
        port=(--vdev="net_memif0,role=client,id=0,socket=$MEMIF_SOCK,socket-abstract=no"
            -- --queues 2 --dst-mac "$MEMIF_GW_MAC")
    else
        port=(--vdev=net_af_packet0,iface=v6c${FRAMECNT:+,framecnt=$FRAMECNT}
            -- --dst-mac "$(mac_of "$NS_G" gw-in)")
        ns=(ip netns exec "$NS_C")
    fi
    local cmd=(taskset -c 0 "$RIG" --in-memory --no-pci -l 0 --log-level='*:warning'
        "${port[@]}" --queries "$q" "${mode[@]}" --timeout 1000 "${warm[@]}" --label "$2")
    note_cmd "${ns[*]} ${cmd[*]}"
    out=$("${ns[@]}" "${cmd[@]}" 2>&1) || { echo "$out" >&2; fail "strait-rig failed"; }
    echo "$out" | grep -E '^(strait-rig|RESULT|SEARCH)' >>"$E2E_WORK/rig.log"
    local r qps noerr loss
    r=$(echo "$out" | grep '^RESULT' | tail -1)
    if [[ $1 == search ]]; then  # the rate found; by definition (almost) nothing lost
        qps=$(echo "$out" | sed -n 's/^SEARCH .* result_qps=\([0-9]*\).*/\1/p')
        r=$(echo "$out" | grep -B1 '^SEARCH label' | head -1)
        noerr=$qps
        loss="<=$SEARCH_LOSS"
    else
        qps=$(sed 's/.* answered_qps=\([0-9]*\).*/\1/' <<<"$r")
        noerr=$(sed 's/.* noerror_qps=\([0-9]*\).*/\1/' <<<"$r")
        loss=$(sed 's/.* loss_pct=\([0-9.]*\).*/\1/' <<<"$r")
    fi
    local tool="rig-$1"
    [[ $RIG_PORT == memif ]] && tool="memif-$1"
    record straitd "$tool" "$2" "$qps" "$noerr" "$loss"
}

# perf SERVER MIX RUN: one dnsperf run (16 sockets, 200 outstanding, 1 s timeout).
perf() {
    local data=$HIT out
    if [[ $2 == miss ]]; then
        data=$E2E_WORK/miss-$1-$3.txt
        awk -v p="$1$3" 'BEGIN { for (i = 0; i < 3000000; i++)
            printf "%s-%07x.wild.strait.test AAAA\n", p, i }' >"$data"
    else
        in_client taskset -c 0 dnsperf -s "$PEER_SERVICE6" -d "$HIT" -l 2 -c 16 -q 200 \
            -t 1 >/dev/null 2>&1 || true  # warm-up: fill the cache
    fi
    local cmd=(taskset -c 0 dnsperf -s "$PEER_SERVICE6" -d "$data" -l "$DURATION" -c 16
        -q 200 -t 1)
    note_cmd "ip netns exec $NS_C ${cmd[*]}  # data: $2 mix"
    out=$(in_client "${cmd[@]}" 2>&1) || { echo "$out" >&2; fail "dnsperf failed"; }
    local qps loss share
    grep -q "Queries sent" <<<"$out" || { echo "$out" >&2; fail "no dnsperf summary"; }
    qps=$(sed -n 's/.*Queries per second: *\([0-9.]*\).*/\1/p' <<<"$out")
    loss=$(sed -n 's/.*Queries lost: *[0-9]* (\([0-9.]*\)%).*/\1/p' <<<"$out")
    share=$(sed -n 's/.*Response codes:.*NOERROR [0-9]* (\([0-9.]*\)%).*/\1/p' <<<"$out")
    echo "$1 $2 $3: $(grep -E 'Response codes|Queries (sent|completed|lost)' <<<"$out" | tr -s ' \n' ' ')" \
        >>"$E2E_WORK/dnsperf.log"
    record "$1" dnsperf "$2" "${qps%.*}" "$(awk -v q="$qps" -v s="${share:-0}" \
        'BEGIN { printf "%.0f", q * s / 100 }')" "$loss"
}

measure() {  # measure SERVER TOOL: every mix, RUNS times
    local mix run
    for mix in hit miss; do
        for run in $(seq "$RUNS"); do
            case $2 in
                rig-*) RIG_PORT=af_packet rig "${2#rig-}" "$mix" ;;
                memif-*) RIG_PORT=memif rig "${2#memif-}" "$mix" ;;
                *) perf "$1" "$mix" "$run" ;;
            esac
        done
    done
}

want() { [[ " $ONLY " == *" $1 "* ]]; }

# straitd: SIIT + DNS64 as in the e2e tests, every lcore on CPU 1.
cfg=$(dns64_config '["198.51.100.2"]' '{"timeout_ms": 1000}')
"$PYTHON" - "$cfg" "$YIELD" "$FRAMECNT" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
c["eal_args"] = [a for a in c["eal_args"] if not a.startswith("--lcores")] + ["--lcores=0@1,1@1,2@1"]
c["idle_yield_polls"] = int(sys.argv[2])
if sys.argv[3]:
    c["ports"]["inside"]["devargs"] += ",framecnt=" + sys.argv[3]
json.dump(c, open(sys.argv[1], "w"), indent=1)
EOF
note_cmd "straitd --config $cfg  # $(tr -d '\n ' <"$cfg")"
E2E_TOPO=1
topo_up
start_nsd
start_straitd "$cfg"
want rig-max && measure straitd rig-max
want rig-search && measure straitd rig-search
want strait-dnsperf && measure straitd dnsperf
log "straitd dns64 counters: $(stats_json | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["dns64"])')"
kill -TERM "$STRAITD_PID"; wait "$STRAITD_PID" 2>/dev/null || true; STRAITD_PID=
if want memif-max || want memif-search; then
    # The same straitd with its inside port on net_memif (server) and a fixed MAC.
    MEMIF_SOCK=$E2E_WORK/memif.sock
    MEMIF_GW_MAC=02:70:00:00:00:01
    mcfg=$E2E_WORK/straitd-memif.json
    "$PYTHON" - "$cfg" "$mcfg" "$MEMIF_SOCK" "$MEMIF_GW_MAC" "$YIELD_MEMIF" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
c["idle_yield_polls"] = int(sys.argv[5])
c["ports"]["inside"].update({"device": "net_memif0", "mac": sys.argv[4],
    "devargs": f"role=server,id=0,socket={sys.argv[3]},socket-abstract=no"})
json.dump(c, open(sys.argv[2], "w"), indent=1)
EOF
    note_cmd "straitd --config $mcfg  # $(tr -d '\n ' <"$mcfg")"
    start_straitd "$mcfg"
    want memif-max && measure straitd memif-max
    want memif-search && measure straitd memif-search
    log "straitd (memif) dns64 counters: $(stats_json | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["dns64"])')"
    kill -TERM "$STRAITD_PID"; wait "$STRAITD_PID" 2>/dev/null || true; STRAITD_PID=
fi
peer_gw_kernel_up
if want bind; then
    peer_named "$E2E_WORK/named" 1
    note_cmd "taskset -c 1 named -f -n 1 -c named.conf  # $(grep -v '^ *//' "$E2E_WORK/named/named.conf" | tr -s ' \n' ' ')"
    peer_wait || fail "named did not answer"
    measure bind dnsperf
    peer_stop
fi
if want unbound; then
    peer_unbound "$E2E_WORK/unbound" 1
    note_cmd "taskset -c 1 unbound -d -c unbound.conf  # $(tr -s ' \n' ' ' <"$E2E_WORK/unbound/unbound.conf")"
    peer_wait || fail "unbound did not answer"
    measure unbound dnsperf
    peer_stop
fi

echo
echo "== DNS64 comparison ($(date -u +%FT%TZ)) =="
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), nproc $(nproc), load average" \
    "$(cut -d' ' -f1-3 /proc/loadavg) (at the end), $(uname -r), $(named -v), unbound" \
    "$(unbound -V | sed -n 's/^Version //p'), $(dnsperf -h 2>&1 | grep ^Version), nsd $(nsd -v 2>&1 | head -1)"
echo "straitd: $BUILD ($(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- dns64 dataplane control include || echo ', uncommitted changes in the tree'))," \
    "buildtype $(sed -n "s/^buildtype *= *//p" "$BUILD/meson-private/cmd_line.txt" 2>/dev/null || echo '?')"
echo "each cell: median of $RUNS runs of ${DURATION} s (every run in the last column); loss ="\
    "queries not answered within 1 s. rig-max: open loop, as fast as the port takes frames;"\
    "rig-search: RFC 8219 §9 highest rate with <= $SEARCH_LOSS % unanswered (steps of" \
    "${SEARCH_STEP} s); dnsperf: closed loop, 16 sockets, 200 queries outstanding."
"$PYTHON" - "$RESULTS" <<'EOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    server, tool, mix, qps, noerr, loss = line.split()
    rows.setdefault((server, tool, mix), []).append((float(qps), float(noerr), loss))
def lossm(v):
    if v[0][2].startswith("<="):
        return v[0][2]
    return f"{statistics.median(float(l) for *_, l in v):.2f}"
print(f"| {'server':<8} | {'client':<10} | {'mix':<4} | {'answers/s':>9} | {'NOERROR/s':>9} | {'loss %':>7} | runs (answers/s) |")
print(f"|{'-'*10}|{'-'*12}|{'-'*6}|{'-'*11}|{'-'*11}|{'-'*9}|{'-'*18}|")
for (server, tool, mix), v in rows.items():
    qps = statistics.median(q for q, _, _ in v)
    noerr = statistics.median(n for _, n, _ in v)
    runs = " ".join(f"{q:.0f}" for q, _, _ in v)
    print(f"| {server:<8} | {tool:<10} | {mix:<4} | {qps:>9.0f} | {noerr:>9.0f} | {lossm(v):>7} | {runs} |")
EOF
echo "commands:"
sed 's/^/  /' "$COMMANDS"
[[ -s $E2E_WORK/rig.log ]] && { echo "strait-rig output:"; sed 's/^/  /' "$E2E_WORK/rig.log"; }
[[ -s $E2E_WORK/dnsperf.log ]] && { echo "dnsperf summaries:"; sed 's/^/  /' "$E2E_WORK/dnsperf.log"; }
pass
