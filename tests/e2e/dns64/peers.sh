#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Peer DNS64 resolvers on the e2e topology, for differential tests and bench/rig: BIND9 and
# Unbound run in the gateway namespace in place of straitd, on kernel addresses of gw-in
# (the same service address 2001:db8:6::53) and gw-out (198.51.100.1), forwarding to nsd.
# Sourced after topology.sh; each function writes its files under the folder it is given.
#
#   peer_start_nsd [NAME=FILE]...  # lib.sh's nsd plus extra zones, no rate limiting
#                                  # (pinned to CPU $PEER_NSD_CPU when set)
#   peer_gw_kernel_up              # straitd stopped: kernel addresses on gw-in / gw-out
#   peer_named DIR [CPU]           # named -f, one worker thread, dns64 2001:db8:64::/96
#   peer_unbound DIR [CPU]         # unbound -d, one thread, module-config "dns64 iterator"
#   peer_wait                      # until the service answers (10 s)

PEER_SERVICE6=${PEER_SERVICE6:-2001:db8:6::53}
PEER_UPSTREAM4=${PEER_UPSTREAM4:-198.51.100.2}
PEER_PID=

# nsd's default response rate limiting (200 answers/s per client /24) would drop and
# truncate upstream answers under load, so the peers' nsd runs without it.
peer_start_nsd() {
    mkdir -p "$E2E_WORK/nsd"
    {
        sed -e "s|@DIR@|$E2E_WORK/nsd|g" -e "s|@ZONES@|$DNS64_ZONES|g" \
            -e 's|^\(    server-count:.*\)|\1\n    rrl-ratelimit: 0|' "$DNS64_ZONES/nsd.conf.in"
        local z
        for z in "$@"; do printf 'zone:\n    name: %s\n    zonefile: %s\n' "${z%%=*}" "${z#*=}"; done
    } >"$E2E_WORK/nsd/nsd.conf"
    local pin=()
    [[ -n ${PEER_NSD_CPU:-} ]] && pin=(taskset -c "$PEER_NSD_CPU")
    ip netns exec "$NS_S" "${pin[@]}" nsd -d -c "$E2E_WORK/nsd/nsd.conf" >"$E2E_WORK/nsd/stdout" 2>&1 &
    for _ in $(seq 50); do
        ip netns exec "$NS_S" dig "@$PEER_UPSTREAM4" +short +time=1 +tries=1 SOA strait.test \
            >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    cat "$E2E_WORK/nsd/stdout" >&2
    return 1
}

peer_gw_kernel_up() {
    ip netns exec "$NS_G" sysctl -qw net.ipv6.conf.gw-in.disable_ipv6=0
    ip -n "$NS_G" addr add 2001:db8:6::1/64 dev gw-in nodad
    ip -n "$NS_G" addr add "$PEER_SERVICE6/64" dev gw-in nodad
    ip -n "$NS_G" addr add 198.51.100.1/24 dev gw-out
    ip -n "$NS_C" neigh flush all 2>/dev/null || true
    ip -n "$NS_S" neigh flush all 2>/dev/null || true
}

# peer_pin CPU: a taskset prefix when CPU is set.
peer_pin() { [[ -n ${1:-} ]] && echo "taskset -c $1"; }

peer_named() {
    local dir=$1
    mkdir -p "$dir"
    cat >"$dir/named.conf" <<EOF
options {
    directory "$dir";
    pid-file "$dir/named.pid";
    listen-on { none; };
    listen-on-v6 { $PEER_SERVICE6; };
    recursion yes;
    allow-query { any; };
    allow-recursion { any; };
    dnssec-validation no;
    // The RFC 6303 empty zone for 198.51.100.0/24 would hide nsd's reverse zone.
    disable-empty-zone "100.51.198.IN-ADDR.ARPA";
    querylog no;
    dns64 2001:db8:64::/96 { };
};
controls { };
// Forward zones, not global forwarding: "forward only" for "." would also swallow the
// empty zones, among them the RFC 8880 ipv4only.arpa zone BIND builds for dns64.
zone "strait.test" { type forward; forward only; forwarders { $PEER_UPSTREAM4; }; };
zone "100.51.198.in-addr.arpa" { type forward; forward only; forwarders { $PEER_UPSTREAM4; }; };
EOF
    # shellcheck disable=SC2046
    ip netns exec "$NS_G" $(peer_pin "${2:-}") named -f -n 1 -c "$dir/named.conf" \
        >"$dir/named.log" 2>&1 &
    PEER_PID=$!
}

peer_unbound() {
    local dir=$1
    mkdir -p "$dir"
    cat >"$dir/unbound.conf" <<EOF
server:
    interface: $PEER_SERVICE6
    port: 53
    num-threads: 1
    do-daemonize: no
    use-syslog: no
    logfile: "$dir/unbound.log"
    username: ""
    chroot: ""
    directory: "$dir"
    pidfile: "$dir/unbound.pid"
    access-control: ::/0 allow
    module-config: "dns64 iterator"
    dns64-prefix: 2001:db8:64::/96
    do-not-query-localhost: no
    local-zone: "test." nodefault
    local-zone: "100.51.198.in-addr.arpa." nodefault
    msg-cache-size: 64m
    rrset-cache-size: 128m
remote-control:
    control-enable: no
forward-zone:
    name: "strait.test."
    forward-addr: $PEER_UPSTREAM4
forward-zone:
    name: "100.51.198.in-addr.arpa."
    forward-addr: $PEER_UPSTREAM4
EOF
    # shellcheck disable=SC2046
    ip netns exec "$NS_G" $(peer_pin "${2:-}") unbound -d -c "$dir/unbound.conf" \
        >"$dir/unbound.stdout" 2>&1 &
    PEER_PID=$!
}

peer_wait() {
    for _ in $(seq 100); do
        ip netns exec "$NS_C" dig "@$PEER_SERVICE6" +time=1 +tries=1 SOA strait.test \
            >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

peer_stop() {
    [[ -n $PEER_PID ]] || return 0
    kill -TERM "$PEER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$PEER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$PEER_PID" 2>/dev/null || true
    wait "$PEER_PID" 2>/dev/null || true
    PEER_PID=
}
