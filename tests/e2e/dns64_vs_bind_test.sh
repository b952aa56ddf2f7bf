#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Differential test: straitd's DNS64 and BIND9's (`dns64 2001:db8:64::/96 {};`, forwarding
# to the same nsd) answer the same questions from the same client at the same service
# address; rcode, owner names, types and record data of the answer sections must match,
# TTLs within a tolerance (caches count down; a second of skew per cached step).
# big.diff.strait.test (60 AAAA + 1 A): nsd truncates the AAAA answer over UDP (TC=1, no
# records); both must retry over TCP (RFC 7766 §5) and return the 60 real AAAA, never take
# the truncation for NODATA and synthesize (RFC 6147 §5.1.1).
source "$(dirname "$0")/dns64/lib.sh"
source "$E2E_DIR/dns64/peers.sh"
command -v named >/dev/null || { echo "SKIP: no named (apt-get install bind9)"; exit 77; }

# name type: A-only, dual stack, AAAA-only, CNAME to A-only, ::ffff-only AAAA (plus A),
# several A, an AAAA RRset too big for UDP (truncated upstream answer), an A RRset too big
# for UDP (100 AAAA synthesized from a TCP answer), NXDOMAIN, NODATA, PTR of a synthesized
# address (and of one with no PTR, and a name inside the prefix's reverse tree that is no
# address), RFC 8880 ipv4only.arpa.
QUERIES=(
    "a-only.strait.test AAAA"
    "dual.strait.test AAAA"
    "v6-only.strait.test AAAA"
    "alias.strait.test AAAA"
    "mapped.strait.test AAAA"
    "multi.strait.test AAAA"
    "nope.strait.test AAAA"
    "big.diff.strait.test AAAA"
    "wide.strait.test AAAA"
    "ns.strait.test MX"
    "a-only.strait.test A"
    "2.0.4.6.3.3.6.c.0.0.0.0.0.0.0.0.0.0.0.0.4.6.0.0.8.b.d.0.1.0.0.2.ip6.arpa PTR"
    "3.0.4.6.3.3.6.c.0.0.0.0.0.0.0.0.0.0.0.0.4.6.0.0.8.b.d.0.1.0.0.2.ip6.arpa PTR"
    "0.0.0.0.2.0.4.6.3.3.6.c.0.0.0.0.0.0.0.0.0.0.0.0.4.6.0.0.8.b.d.0.1.0.0.2.ip6.arpa PTR"
    "ipv4only.arpa AAAA"
    "ipv4only.arpa A"
)

# ask DIR: one dig per query into DIR/N (header comments + answer section), dig's exit
# status into DIR/N.rc (9: no reply within +time, i.e. the query timed out).
ask() {
    mkdir -p "$1"
    local i=0 q rc
    for q in "${QUERIES[@]}"; do
        read -r name type <<<"$q"
        rc=0
        dig_client +noall +comments +answer "$name" "$type" >"$1/$i" 2>&1 || rc=$?
        echo "$rc" >"$1/$i.rc"
        i=$((i + 1))
    done
}

start_nsd() { peer_start_nsd "diff.strait.test=$E2E_DIR/dns64/diff.strait.test.zone"; }
# BIND waits seconds for an upstream; lib.sh's 300 ms is too tight for a TCP exchange
# (two round trips through the DNS64 lcore) on a loaded machine.
dns64_up '["198.51.100.2"]' '{"timeout_ms": 2000}'
ask "$E2E_WORK/strait"
log "straitd answered ${#QUERIES[@]} queries; switching the gateway to BIND9"
kill -TERM "$STRAITD_PID"
wait "$STRAITD_PID" 2>/dev/null || true
STRAITD_PID=
peer_gw_kernel_up
peer_named "$E2E_WORK/named"
peer_wait || { cat "$E2E_WORK/named/named.log" >&2; fail "named did not answer"; }
ask "$E2E_WORK/bind"
peer_stop

"$PYTHON" - "$E2E_WORK" "${QUERIES[@]}" <<'EOF' || fail "straitd and BIND9 disagree (above)"
import re, sys
work, queries = sys.argv[1], sys.argv[2:]
TTL_SLACK = 5

def parse(path):
    """(rcode, records); rcode None when dig got no answer (timeout, refused socket)."""
    if open(path + ".rc").read().strip() != "0":
        return None, []
    rcode, rrs = None, []
    for line in open(path):
        m = re.search(r"status: ([A-Z]+)", line)
        if m:
            rcode = m.group(1)
        if not line.strip() or line.startswith(";"):
            continue
        f = line.split()
        if len(f) >= 5:
            rrs.append((f[0].lower(), int(f[1]), f[2], f[3], " ".join(f[4:]).lower()))
    return rcode, rrs

# Differences examined and accepted, each with its reason; they must stay exactly as written
# (a change in either server shows up as a new difference).
KNOWN = {
    # No address: straitd forwards to the upstream (nsd, not authoritative for ip6.arpa:
    # REFUSED); BIND answers from the reverse zone it builds for the prefix. A recursive
    # upstream would answer NXDOMAIN from the real ip6.arpa tree.
    "0.0.0.0.2.0.4.6.3.3.6.c.0.0.0.0.0.0.0.0.0.0.0.0.4.6.0.0.8.b.d.0.1.0.0.2.ip6.arpa PTR":
        ["rcode straitd=REFUSED bind=NXDOMAIN"],
    # RFC 8880 sets no TTL; straitd answers 600 s, BIND's built-in zone 3600 s.
    "ipv4only.arpa AAAA": ["TTL ipv4only.arpa. AAAA: straitd=600 bind=3600"] * 2,
    "ipv4only.arpa A": ["TTL ipv4only.arpa. A: straitd=600 bind=3600"] * 2,
}

bad = 0
for i, q in enumerate(queries):
    sr, srr = parse(f"{work}/strait/{i}")
    br, brr = parse(f"{work}/bind/{i}")
    key = lambda rr: (rr[0], rr[2], rr[3], rr[4])
    sk, bk = sorted(map(key, srr)), sorted(map(key, brr))
    problems = []
    # A query that timed out on either side fails the test, even on both: two silences
    # compare equal but say nothing about either server.
    for who, folder, rc in (("straitd", "strait", sr), ("bind", "bind", br)):
        if rc is None:
            status = open(f"{work}/{folder}/{i}.rc").read().strip()
            problems.append(f"{who}: no answer (dig exit {status})")
    if sr != br and sr is not None and br is not None:
        problems.append(f"rcode straitd={sr} bind={br}")
    if sk != bk:
        problems.append(f"answer straitd={sk} bind={bk}")
    else:
        st = {key(r): r[1] for r in srr}
        for r in brr:
            if abs(st[key(r)] - r[1]) > TTL_SLACK:
                problems.append(f"TTL {r[0]} {r[3]}: straitd={st[key(r)]} bind={r[1]}")
    known = problems and problems == KNOWN.get(q) and sr is not None and br is not None
    if q == "big.diff.strait.test AAAA" and not problems and len(srr) != 60:
        # Equal but not the 60 real AAAA (both SERVFAIL, say): upstream TCP did not work.
        problems.append(f"{len(srr)} AAAA records, want the 60 real ones")
    verdict = "known" if known else "DIFF" if problems else "same"
    print(f"{verdict}  {q:<32} {sr or 'TIMEOUT':<9} {len(srr)} RR")
    for p in problems:
        print(f"      {p}")
    bad += bool(problems) and not known
sys.exit(1 if bad else 0)
EOF
pass
