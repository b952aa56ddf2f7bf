#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# straitd --check-config: a valid file passes, a bad one exits 1 naming the field.
source "$(dirname "$0")/_init.sh"

good=$E2E_WORK/good.json
"$STRAITD" --print-default-config >"$good" || fail "--print-default-config"
"$STRAITD" --check-config "$good" >/dev/null || fail "the default config does not validate"

expect_error() {  # expect_error FILE POINTER
    local rc=0 err
    err=$("$STRAITD" --check-config "$1" 2>&1 >/dev/null) || rc=$?
    [[ $rc -eq 1 ]] || fail "exit code $rc for $(basename "$1"), want 1 (stderr: $err)"
    [[ $err == *"config error: $2: "* ]] || fail "stderr '$err' does not name $2"
    log "$(basename "$1"): $err"
}

sed 's|"2001:db8:6::1/64"|"2001:db8:6::zz/64"|' "$good" >"$E2E_WORK/bad_addr.json"
expect_error "$E2E_WORK/bad_addr.json" /ports/inside/ipv6/0
sed 's|"workers": 1|"workers": "one"|' "$good" >"$E2E_WORK/bad_type.json"
expect_error "$E2E_WORK/bad_type.json" /workers
sed 's|"2001:db8:64::/96"|"2001:db8:64::1/96"|' "$good" >"$E2E_WORK/host_bits.json"
expect_error "$E2E_WORK/host_bits.json" /nat64/pool6
sed 's|"workers": 1|"wokers": 1|' "$good" >"$E2E_WORK/typo.json"
expect_error "$E2E_WORK/typo.json" /wokers
rc=0
"$STRAITD" --check-config "$E2E_WORK/missing.json" 2>/dev/null || rc=$?
[[ $rc -ne 0 ]] || fail "a missing file validated"
pass
