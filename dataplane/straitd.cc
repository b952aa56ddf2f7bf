// SPDX-License-Identifier: Apache-2.0
// straitd: the gateway daemon. Loads and validates the config, starts the dataplane and
// the REST API, and shuts everything down cleanly on SIGINT/SIGTERM.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "control/model/config_parse.h"
#include "control/rest/api_server.h"
#include "control/rest/stats_json.h"
#include "dataplane/dataplane.h"

namespace {

volatile std::sig_atomic_t g_signal = 0;

void on_signal(int sig) { g_signal = sig; }

struct Args {
    std::string config_path;
    bool check_only = false;
    bool print_default = false;
    long exit_when_idle_ms = 0;  // 0: run until a signal
    std::vector<std::string> eal_overrides;
};

void usage() {
    std::puts(
        "usage: straitd [--config FILE] [--check-config FILE] [--print-default-config]\n"
        "               [--exit-when-idle MS] [-- EAL-ARGS...]\n"
        "Without --config, straitd runs the embedded demo default.\n"
        "EAL arguments after -- are appended to the config's eal_args and win.");
}

int parse_args(int argc, char** argv, Args& a) {
    for (int i = 1; i < argc; ++i) {
        const std::string s = argv[i];
        auto value = [&](const char* flag) -> const char* {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "straitd: %s needs a value\n", flag);
                std::exit(2);
            }
            return argv[++i];
        };
        if (s == "--") {
            a.eal_overrides.assign(argv + i + 1, argv + argc);
            break;
        } else if (s == "--config") {
            a.config_path = value("--config");
        } else if (s == "--check-config") {
            a.config_path = value("--check-config");
            a.check_only = true;
        } else if (s == "--print-default-config") {
            a.print_default = true;
        } else if (s == "--exit-when-idle") {
            a.exit_when_idle_ms = std::strtol(value("--exit-when-idle"), nullptr, 10);
        } else if (s == "-h" || s == "--help") {
            usage();
            std::exit(0);
        } else {
            std::fprintf(stderr, "straitd: unknown argument \"%s\" (see --help)\n", s.c_str());
            return 2;
        }
    }
    return 0;
}

uint64_t total_rx(const strait::StatsSnapshot& s) {
    uint64_t n = 0;
    for (const auto& l : s.lcores) n += l.rx[0] + l.rx[1];
    return n;
}

/// Main lcore loop: waits for a signal (or idleness, for capture replays).
void run_until_stopped(const strait::dp::Dataplane& dp, long exit_when_idle_ms) {
    uint64_t last_rx = 0;
    long idle_ms = 0;
    while (g_signal == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (exit_when_idle_ms <= 0) continue;
        const uint64_t rx = total_rx(dp.stats());
        idle_ms = rx == last_rx ? idle_ms + 20 : 0;
        last_rx = rx;
        if (idle_ms >= exit_when_idle_ms) break;
    }
}

}  // namespace

int main(int argc, char** argv) {
    Args args;
    if (int rc = parse_args(argc, argv, args); rc != 0) return rc;
    if (args.print_default) {
        std::cout << strait::ctl::embedded_default_config() << "\n";
        return 0;
    }
    std::string config_text(strait::ctl::embedded_default_config());
    auto cfg = args.config_path.empty()
                   ? strait::ctl::parse_config_text(config_text)
                   : strait::ctl::load_config_file(args.config_path, &config_text);
    if (!cfg) {
        std::fprintf(stderr, "straitd: config error: %s\n", cfg.error().to_string().c_str());
        return 1;
    }
    if (args.check_only) {
        std::printf("straitd: config %s is valid\n", args.config_path.c_str());
        return 0;
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    auto dp = strait::dp::Dataplane::start(*cfg, args.eal_overrides);
    if (!dp) {
        std::fprintf(stderr, "straitd: startup failed: %s\n", dp.error().to_string().c_str());
        return 1;
    }
    strait::dp::Dataplane& plane = **dp;
    strait::ctl::ApiServer api([&plane] { return plane.stats(); }, config_text,
                               {.flush_dns64_cache = [&plane] { return plane.flush_dns64_cache(); }});
    if (!cfg->startup.api_listen.empty()) {
        if (auto st = api.start(cfg->startup.api_listen); !st.ok()) {
            std::fprintf(stderr, "straitd: %s\n", st.error().to_string().c_str());
            plane.stop();
            return 1;
        }
    }
    std::printf("straitd: ready (workers=%u, api=%s)\n", cfg->startup.workers,
                cfg->startup.api_listen.empty() ? "off" : cfg->startup.api_listen.c_str());
    std::fflush(stdout);
    run_until_stopped(plane, args.exit_when_idle_ms);
    api.stop();
    const strait::StatsSnapshot final_stats = plane.stop();
    std::printf("straitd: stopped%s; final counters:\n%s\n",
                g_signal ? (g_signal == SIGTERM ? " on SIGTERM" : " on SIGINT") : "",
                strait::ctl::stats_to_json(final_stats)["totals"].dump(2).c_str());
    return 0;
}
