#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Reserves 2 MiB hugepages (default 512 = 1 GiB, or $STRAIT_HUGEPAGES) and mounts
# hugetlbfs on /dev/hugepages. Exits non-zero when the kernel refuses.
set -euo pipefail
want=${STRAIT_HUGEPAGES:-512}
nr=/proc/sys/vm/nr_hugepages
have=$(cat "$nr" 2>/dev/null || echo 0)
if ((have < want)); then
    echo "$want" >"$nr" 2>/dev/null || true
    have=$(cat "$nr" 2>/dev/null || echo 0)
fi
mkdir -p /dev/hugepages
mountpoint -q /dev/hugepages || mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null || true
mountpoint -q /dev/hugepages && ((have > 0)) || exit 1
echo "hugepages: $have x 2 MiB on /dev/hugepages"
