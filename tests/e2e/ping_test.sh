#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# straitd answers ping6 on 2001:db8:6::1 (inside) and ping on 198.51.100.1 (outside), and
# counts its answers in totals.local_replies.
source "$(dirname "$0")/_init.sh"
e2e_up

before=$(stat totals.local_replies)
in_client ping -6 -c 3 -i 0.2 -W 2 "$GW6" || fail "ping6 $GW6 from the client"
in_server ping -4 -c 3 -i 0.2 -W 2 "$GW4" || fail "ping $GW4 from the server"
after=$(stat totals.local_replies)
# 6 echo replies, plus the NA and ARP reply that resolved the gateway.
[[ $((after - before)) -ge 6 ]] || fail "local_replies grew by $((after - before)), want >= 6"
[[ $(stat totals.rx.inside) -ge 3 ]] || fail "rx.inside below 3"
[[ $(stat totals.rx.outside) -ge 3 ]] || fail "rx.outside below 3"
# An address the gateway does not own is not answered (its ARP request is dropped).
in_server ping -4 -c 1 -W 1 198.51.100.77 >/dev/null 2>&1 && fail "198.51.100.77 answered"
straitd_alive || fail "straitd died"
pass
