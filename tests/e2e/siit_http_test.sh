#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SIIT: curl from the IPv6-only client fetches a page and a 2 MiB file from an IPv4-only
# HTTP server, byte for byte.
source "$(dirname "$0")/siit/lib.sh"
siit_up
mkdir -p "$E2E_WORK/www"
echo "hello over strait" >"$E2E_WORK/www/index.html"
head -c 2097152 /dev/urandom >"$E2E_WORK/www/big.bin"
in_bg "$NS_S" /usr/bin/python3 -m http.server --bind "$SERVER4" 80 --directory "$E2E_WORK/www"
for _ in $(seq 50); do ip netns exec "$NS_S" ss -ltn | grep -q ":80 " && break; sleep 0.1; done
got=$(ip netns exec "$NS_C" curl -sS -m 10 "http://[$SERVER4_AS6]/") || fail "curl page"
[[ $got == "hello over strait" ]] || fail "page content: $got"
ip netns exec "$NS_C" curl -sS -m 30 -o "$E2E_WORK/got.bin" "http://[$SERVER4_AS6]/big.bin" || fail "curl big"
cmp "$E2E_WORK/www/big.bin" "$E2E_WORK/got.bin" || fail "2 MiB file differs"
pass
