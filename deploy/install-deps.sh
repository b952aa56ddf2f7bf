#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs every build, test, bench and demo dependency from Debian's packages,
# reserves hugepages and mounts hugetlbfs where the machine allows it.
# Idempotent: running it twice changes nothing the second time.
set -euo pipefail

PKGS=(
    # build
    meson ninja-build g++ pkg-config clang-format clang-tidy
    dpdk dpdk-dev libdpdk-dev libldns-dev libtbb-dev libbenchmark-dev libgtest-dev libgmock-dev
    libcpp-httplib-dev nlohmann-json3-dev libpcap-dev libssl-dev zlib1g-dev libbrotli-dev
    # tests and demo: packets, namespaces, real peers
    python3 python3-scapy iproute2 ethtool iputils-ping traceroute dnsutils curl tcpdump
    nsd lighttpd procps kmod iperf3
    # bench/rig/dns64_compare.sh and the DNS64 differential test: peer resolvers, load generator
    bind9 unbound dnsperf
)

missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "install-deps: installing ${missing[*]}"
    # Services (nsd, lighttpd, iperf3) must not start on install: the tests start their own
    # instances inside namespaces.
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y --no-install-recommends "${missing[@]}" >/tmp/strait-apt.log 2>&1; then
        apt-get update >/dev/null 2>&1 || true
        apt-get install -y --no-install-recommends "${missing[@]}" >/tmp/strait-apt.log 2>&1 ||
            { tail -20 /tmp/strait-apt.log; echo "install-deps: apt-get failed" >&2; exit 1; }
    fi
    rm -f /usr/sbin/policy-rc.d
fi
# The peers run as the tests' own instances in namespaces, never as system services.
systemctl disable named unbound >/dev/null 2>&1 || true

"$(dirname "$0")/hugepages.sh" || echo "install-deps: no hugepages; tests fall back to --no-huge"
echo "install-deps: ok"
