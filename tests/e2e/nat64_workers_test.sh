#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# NAT64 with N worker lcores (argument: 2 or 4; N + 2 lcores share the 2 CPUs, AF_PACKET
# ports get N + 1 queue pairs): 300 UDP flows and 8 HTTP downloads all work, every worker
# translates packets both ways, and probing flows one at a time shows a flow's two
# directions translated by different workers (each worker reads the others' tables).
source "$(dirname "$0")/nat64/lib.sh"
N=${1:-2}
lcores=$("$PYTHON" -c "print(','.join(f'{i}@{i % 2}' for i in range($N + 2)))")
nat64_up "{\"workers\": $N, \"eal_args\": [\"--in-memory\", \"--no-pci\",
          \"--lcores=$lcores\", \"--log-level=*:notice\"]}"
in_bg "$NS_S" "$PYTHON" "$NAT64_DIR/udp_flows.py" echo "$SERVER4" 7000 "$E2E_WORK/echo.log"
wait_listen "$NS_S" 7000 udp
mkdir -p "$E2E_WORK/www"
head -c 1048576 /dev/urandom >"$E2E_WORK/www/f.bin"
http_server "$NS_S" "$SERVER4" 80 "$E2E_WORK/www"

in_client "$PYTHON" "$NAT64_DIR/udp_flows.py" flows "$SERVER4_AS6" 7000 300 \
    >"$E2E_WORK/flows.json" || fail "300 UDP flows on $N workers"
for i in $(seq 8); do
    in_client curl -sS -m 10 -o "$E2E_WORK/got$i.bin" "http://[$SERVER4_AS6]/f.bin" ||
        fail "download $i"
    cmp -s "$E2E_WORK/www/f.bin" "$E2E_WORK/got$i.bin" || fail "download $i differs"
done
check nat64.sessions_created.udp=300 nat64.sessions_created.tcp=8 pool4.$POOL4.udp=300
no_nat64_drops

# Every worker translated in both directions.
stats_json | "$PYTHON" -c '
import json, sys
w = [l for l in json.load(sys.stdin)["lcores"] if l["role"] == "worker"]
for l in w:
    print("  lcore %(lcore)s: v6->v4 %(translated_v6_to_v4)s, v4->v6 %(translated_v4_to_v6)s" % l)
assert len(w) == int(sys.argv[1]), f"{len(w)} workers, want {sys.argv[1]}"
assert all(l["translated_v6_to_v4"] > 0 and l["translated_v4_to_v6"] > 0 for l in w), \
    "a worker translated nothing in one direction"' "$N" || fail "per-worker counters"

# One flow at a time (until two are split): which worker translated its request, which its
# echo.
"$PYTHON" - "$NS_C" "$NS_G" "$PYTHON" "$NAT64_DIR/udp_flows.py" "$SERVER4_AS6" <<'PY' ||
import json, subprocess, sys
ns_c, ns_g, py, tool, dst = sys.argv[1:]
def workers():
    doc = subprocess.run(["ip", "netns", "exec", ns_g, "curl", "-sf",
                          "http://127.0.0.1:8080/api/v1/stats"], capture_output=True, check=True)
    return {l["lcore"]: (l["translated_v6_to_v4"], l["translated_v4_to_v6"])
            for l in json.loads(doc.stdout)["lcores"] if l["role"] == "worker"}
split, probed, before = 0, 0, workers()
for i in range(32):  # P(no split in 32) < 1e-7 with 2 workers, 3 RX queues
    if split == 2:
        break
    probed += 1
    r = subprocess.run(["ip", "netns", "exec", ns_c, py, tool, "flows", dst, "7000", "1",
                        "--sport", str(40000 + i)], capture_output=True)
    after = workers()
    out = [k for k in after if after[k][0] != before[k][0]]
    back = [k for k in after if after[k][1] != before[k][1]]
    before = after
    if r.returncode != 0 or len(out) != 1 or len(back) != 1:
        continue  # a retransmission or a stray packet: this flow tells nothing
    split += out != back
print(f"  {split} of {probed} flows probed translated by two different workers")
sys.exit(0 if split > 0 else 1)
PY
    fail "no flow had its two directions on different workers"
pass
