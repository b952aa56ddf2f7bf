# SPDX-License-Identifier: Apache-2.0
"""Seeds of the config_parse fuzz target: the embedded default (read from
control/model/config_parse.cc), the golden cases' configs, a config using every field of
the schema (README "Configuration", dns64/README.md), and broken variants of it, one
fault each (wrong type, out of range, unknown key, keys needing JSON-pointer escapes,
syntax errors). Imported by make_corpus.py."""
import copy
import json
import os
import re

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def embedded_default():
    src = open(os.path.join(ROOT, "control", "model", "config_parse.cc")).read()
    return re.search(r'R"json\((.*?)\)json"', src, re.S).group(1)


FULL = {
    "eal_args": ["--in-memory", "--no-pci", "--lcores=0@0,1@1,2@0"],
    "workers": 1, "dns64_lcore": True, "api_listen": "127.0.0.1:8080",
    "idle_sleep_us": 50, "idle_yield_polls": 0, "mbufs": 8191, "mbuf_data_room": 12288,
    "neighbors": 1024, "dns64_idle_polls": 1024, "dns64_idle_sleep_us": 100,
    "dns64_ring_size": 4096,
    "ports": {
        "inside": {"device": "net_af_packet0", "devargs": "iface=gw-in",
                   "mac": "02:00:00:00:00:01", "mtu": 1500, "rx_desc": 1024, "tx_desc": 1024,
                   "ipv6": ["2001:db8:6::1/64"], "gateway6": "2001:db8:6::fe"},
        "outside": {"device": "net_af_packet1", "devargs": "iface=gw-out", "mtu": 1500,
                    "ipv4": ["198.51.100.1/24"], "gateway4": "198.51.100.254"},
    },
    "mode": "siit", "allow_non_global_in_wkp": False, "lowest_ipv6_mtu": 1280,
    "siit": {"pool6": "2001:db8:64::/96",
             "eamt": [{"ipv6": "2001:db8:6::10/128", "ipv4": "192.0.2.10/32"},
                      {"ipv6": "2001:db8:6:100::/120", "ipv4": "192.0.2.0/24"}]},
    "dns64": {
        "service": ["2001:db8:6::53"], "prefixes": ["2001:db8:64::/96", "64:ff9b::/96"],
        "prefix_select": "map",
        "prefix_map": [{"clients": "2001:db8:6::/64", "prefix": 0}],
        "upstreams": ["198.51.100.2", "198.51.100.99"], "upstream_port": 53,
        "source_ports": {"min": 49152, "max": 65535}, "timeout_ms": 1000, "retries": 1,
        "max_pending": 4096,
        "cache": {"entries": 65536, "max_ttl": 86400, "negative_max_ttl": 900},
        "exclude": ["::ffff:0:0/96"], "clients": ["::/0"], "mapped": ["0.0.0.0/0"],
        "rate_limit": {"qps": 0, "burst": 0}, "allow_non_global_in_wkp": False,
        "edns_udp_size": 1232,
    },
}


def broken(path, value):
    """FULL with the value at `path` (a list of keys) replaced; None deletes it."""
    c = copy.deepcopy(FULL)
    node = c
    for k in path[:-1]:
        node = node[k]
    if value is None:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return c


def config_seeds():
    s = {"embedded_default": embedded_default().encode(), "full": json.dumps(FULL).encode()}
    golden = os.path.join(ROOT, "tests", "golden")
    for case in sorted(os.listdir(golden)):
        p = os.path.join(golden, case, "config.json")
        if os.path.exists(p):
            s["golden_" + case] = open(p, "rb").read()
    faults = {
        "workers_zero": (["workers"], 0),
        "workers_string": (["workers"], "1"),
        "mtu_too_small": (["ports", "inside", "mtu"], 576),
        "ring_not_power_of_two": (["dns64_ring_size"], 3000),
        "no_ports": (["ports"], None),
        "inside_no_ipv6": (["ports", "inside", "ipv6"], []),
        "bad_ifaddr": (["ports", "inside", "ipv6"], ["2001:db8::zz/64"]),
        "bad_mac": (["ports", "inside", "mac"], "02:00:00:00:00"),
        "same_device": (["ports", "outside", "device"], "net_af_packet0"),
        "mode_nat64": (["mode"], "nat64"),
        "pool6_bad_length": (["siit", "pool6"], "2001:db8:64::/80"),
        "eamt_unequal_suffix": (["siit", "eamt", 1, "ipv4"], "192.0.2.0/25"),
        "eamt_not_object": (["siit", "eamt", 0], "2001:db8:6::10"),
        "unknown_key_slash": (["ports", "inside", "a/b~c"], 1),
        "dns64_unknown_key_slash": (["dns64", "x/y"], True),
        "dns64_no_prefixes": (["dns64", "prefixes"], None),
        "dns64_prefix_map_index": (["dns64", "prefix_map", 0, "prefix"], 7),
        "dns64_ports_reversed": (["dns64", "source_ports", "min"], 65535),
        "dns64_negative": (["dns64", "timeout_ms"], -1),
        "dns64_float": (["dns64", "retries"], 1.5),
        "dns64_lcore_false": (["dns64_lcore"], False),
        "huge_integer": (["mbufs"], 18446744073709551615),
    }
    for name, (path, value) in faults.items():
        s[name] = json.dumps(broken(path, value)).encode()
    s["syntax_trailing_comma"] = b'{"workers": 1,}'
    s["syntax_cut"] = json.dumps(FULL).encode()[:300]
    s["not_an_object"] = b"[1, 2, 3]"
    s["nested_deep"] = b'{"siit": ' + b"[" * 200 + b"]" * 200 + b"}"
    # Found by fuzzing: nlohmann throws out_of_range (not parse_error) for this number.
    s["number_overflow"] = b"[\n5E561 0.]"
    return s
