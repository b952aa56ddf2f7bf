#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""pcap golden runner: replays captures through straitd on net_pcap ports and compares
what it sends, packet by packet, with expected captures.

Usage:
    run_golden.py --straitd BUILD/straitd CASE_DIR [--unordered] [--keep]

A case is a folder (see tests/golden/foundation/ for one, and its gen.py for how to
build the captures with scapy):

    config.json             straitd config for the case. The runner owns the port
                            plumbing: it sets ports.inside/outside "device" (net_pcap0 /
                            net_pcap1) and "devargs" (rx_pcap=..., tx_pcap=...), and
                            supplies eal_args (--no-huge, a unique --file-prefix, two lcores)
                            and api_listen "" unless the case sets them.
    inside.in.pcap          frames arriving on the inside port (missing: none)
    outside.in.pcap         frames arriving on the outside port (missing: none)
    inside.expected.pcap    frames straitd must send on the inside port (missing: none)
    outside.expected.pcap   frames straitd must send on the outside port (missing: none)
    expected_drops.json     optional {"drop_label": count}: the final drop counters must
                            be exactly these (labels from include/strait/util/drop_reasons.h)
    expected_xlat.json      optional {"counter": count}: the final non-zero translator
                            counters must be exactly these (include/strait/util/xlat_counters.h)

With "workers": N > 1 in config.json, each port gets N RX and N TX queues, and worker w
polls RX queue w of both ports and sends on TX queue w: queue 0 keeps the names above,
queue q >= 1 reads <port>.in.q<q>.pcap and is compared with <port>.expected.q<q>.pcap.
Workers run concurrently, so only what each worker does with its own queues, in order, is
deterministic (see tests/golden/nat64_workers/gen.py).

straitd runs with --exit-when-idle 1000: it stops one second after the last frame is read
and its TX captures are closed. The comparison is byte for byte and in order per port
(--unordered compares as multisets, for cases where two flows may interleave). On a
mismatch it prints scapy's show() of both packets, a diff of the two, and both in hex.
Exit status: 0 pass, 1 mismatch, 2 straitd failed.

net_pcap ports have fixed MACs: inside (port 0) 02:70:63:61:70:00, outside (port 1)
02:70:63:61:70:01. Build captures addressed to those (straitd cannot override a net_pcap
MAC: the PMD refuses rte_eth_dev_default_mac_addr_set).

To add a suite of cases (e.g. tests/golden/xlat/): write a gen.py that writes case folders,
check the folders in, and register one meson test per case:
    test('xlat_' + name, python3, args: [golden_runner, '--straitd', straitd, dir / name],
         suite: 'golden', timeout: 120)
(`golden_runner` and `python3` are defined in tests/golden/meson.build.)
"""
import argparse
import difflib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

from scapy.all import Ether, conf, rdpcap

conf.verb = 0
INSIDE_MAC = "02:70:63:61:70:00"
OUTSIDE_MAC = "02:70:63:61:70:01"
PORTS = ("inside", "outside")
DEFAULT_EAL = ["--no-huge", "-m", "256", "--no-shconf", "--no-pci", "--lcores=0@0,1@1",
               "--log-level=*:notice"]


def empty_pcap(path):
    with open(path, "wb") as f:  # pcap global header, Ethernet link type
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))


def runtime_dir(prefix):
    base = "/var/run/dpdk" if os.geteuid() == 0 else os.path.join(
        os.environ.get("XDG_RUNTIME_DIR", "/tmp"), "dpdk")
    return os.path.join(base, prefix)


def queue_file(port, kind, q):
    """inside.in.pcap for queue 0, inside.in.q1.pcap for queue 1, ..."""
    return f"{port}.{kind}.pcap" if q == 0 else f"{port}.{kind}.q{q}.pcap"


def default_eal(workers):
    """DEFAULT_EAL with one lcore per worker, alternating over CPUs 1 and 0."""
    lcores = ",".join(["0@0"] + [f"{i}@{i % 2}" for i in range(1, workers + 1)])
    return [a if not a.startswith("--lcores") else "--lcores=" + lcores for a in DEFAULT_EAL]


def write_config(case, work, prefix):
    with open(os.path.join(case, "config.json")) as f:
        cfg = json.load(f)
    queues = cfg.get("workers", 1)
    eal = cfg.get("eal_args", default_eal(queues))
    cfg["eal_args"] = [a for a in eal if not a.startswith("--file-prefix")] + [
        "--file-prefix=" + prefix]
    cfg.setdefault("api_listen", "")
    ports = cfg.setdefault("ports", {})
    for i, port in enumerate(PORTS):
        devargs = []
        for q in range(queues):
            rx = os.path.join(case, queue_file(port, "in", q))
            if not os.path.exists(rx):
                rx = os.path.join(work, queue_file(port, "empty", q))
                empty_pcap(rx)
            devargs.append(f"rx_pcap={rx}")
        devargs += [f"tx_pcap={os.path.join(work, queue_file(port, 'out', q))}"
                    for q in range(queues)]
        p = ports.setdefault(port, {})
        p["device"] = f"net_pcap{i}"
        p["devargs"] = ",".join(devargs)
    path = os.path.join(work, "config.json")
    with open(path, "w") as f:
        json.dump(cfg, f, indent=2)
    return path


def run_straitd(straitd, config, work):
    log_path = os.path.join(work, "straitd.log")
    with open(log_path, "w") as log:
        try:
            rc = subprocess.run([straitd, "--config", config, "--exit-when-idle", "1000"],
                                stdout=log, stderr=subprocess.STDOUT, timeout=90).returncode
        except subprocess.TimeoutExpired:
            rc = "timeout"
    with open(log_path) as f:
        text = f.read()
    return rc, text


def final_totals(log_text):
    if "final counters:\n" not in log_text:
        return None
    return json.loads(log_text.split("final counters:\n", 1)[1])


def final_drops(log_text):
    totals = final_totals(log_text)
    return None if totals is None else totals.get("drops", {})


def final_xlat(log_text):
    """The non-zero translator counters."""
    totals = final_totals(log_text)
    if totals is None:
        return None
    return {k: v for k, v in totals.get("xlat", {}).items() if v}


def check_counters(case, name, kind, got):
    """0 when the case has no expected_<kind>.json or the counters match, else 1."""
    path = os.path.join(case, f"expected_{kind}.json")
    if not os.path.exists(path):
        return 0
    with open(path) as f:
        want = json.load(f)
    if got != want:
        print(f"golden {name}: {kind} counters differ\n  expected {want}\n  got      {got}")
        return 1
    print(f"golden {name}: {kind} {got}")
    return 0


def show(pkt):
    return pkt.show(dump=True) if pkt is not None else "(no packet)\n"


def report(port, index, got, want):
    print(f"--- {port} packet #{index}: got {'nothing' if got is None else len(bytes(got))} "
          f"bytes, want {'nothing' if want is None else len(bytes(want))} bytes")
    g, w = show(got), show(want)
    print("expected:\n" + w + "got:\n" + g)
    diff = difflib.unified_diff(w.splitlines(), g.splitlines(), "expected", "got", lineterm="")
    print("\n".join(diff))
    for name, p in (("expected", want), ("got", got)):
        if p is not None:
            print(f"{name} hex: {bytes(p).hex(' ')}")


def compare(port, got, want, unordered):
    """Returns the number of mismatches, printing each."""
    bad = 0
    if unordered:
        remaining = [bytes(p) for p in got]
        for i, w in enumerate(want):
            if bytes(w) in remaining:
                remaining.remove(bytes(w))
            else:
                bad += 1
                report(port, i, None, w)
        for i, g in enumerate(remaining):
            bad += 1
            report(port, i, Ether(g), None)
        return bad
    for i in range(max(len(got), len(want))):
        g = got[i] if i < len(got) else None
        w = want[i] if i < len(want) else None
        if g is None or w is None or bytes(g) != bytes(w):
            bad += 1
            report(port, i, g, w)
    return bad


def compare_other_queues(case, work, name, unordered):
    """Queues 1.. of each port (cases with "workers" > 1): returns the mismatches."""
    with open(os.path.join(case, "config.json")) as f:
        queues = json.load(f).get("workers", 1)
    bad = 0
    for port in PORTS:
        for q in range(1, queues):
            out = os.path.join(work, queue_file(port, "out", q))
            exp = os.path.join(case, queue_file(port, "expected", q))
            got = list(rdpcap(out)) if os.path.exists(out) else []
            want = list(rdpcap(exp)) if os.path.exists(exp) else []
            n = compare(f"{port} queue {q}", got, want, unordered)
            print(f"golden {name}: {port} queue {q}: {len(got)} sent, {len(want)} expected, "
                  f"{n} mismatched")
            bad += n
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--straitd", required=True)
    ap.add_argument("--unordered", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("case")
    args = ap.parse_args()
    case = os.path.abspath(args.case)
    name = os.path.basename(case)
    work = tempfile.mkdtemp(prefix=f"strait-golden-{name}-")
    prefix = f"strait-golden-{os.getpid()}"
    try:
        rc, log_text = run_straitd(args.straitd, write_config(case, work, prefix), work)
        if rc != 0:
            print(f"golden {name}: straitd exited with {rc}\n{log_text}")
            return 2
        bad = 0
        for port in PORTS:
            out = os.path.join(work, port + ".out.pcap")
            exp = os.path.join(case, port + ".expected.pcap")
            got = list(rdpcap(out)) if os.path.exists(out) else []
            want = list(rdpcap(exp)) if os.path.exists(exp) else []
            n = compare(port, got, want, args.unordered)
            print(f"golden {name}: {port}: {len(got)} sent, {len(want)} expected, "
                  f"{n} mismatched")
            bad += n
        bad += compare_other_queues(case, work, name, args.unordered)
        bad += check_counters(case, name, "drops", final_drops(log_text))
        bad += check_counters(case, name, "xlat", final_xlat(log_text))
        if bad:
            print(f"golden {name}: FAIL; straitd log:\n{log_text}")
            return 1
        print(f"golden {name}: PASS")
        return 0
    finally:
        shutil.rmtree(runtime_dir(prefix), ignore_errors=True)
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
