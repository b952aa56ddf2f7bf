// SPDX-License-Identifier: Apache-2.0
// strait-rig: a DPDK DNS query generator and answer analyser for DNS64 benchmarks
// (RFC 8219 §9). Prints the machine and settings with every result.
//
//   strait-rig EAL-ARGS -- --queries FILE --dst 2001:db8:6::53 --dst-mac MAC
//              --src 2001:db8:6::1000 [--src-count 16] [--rate QPS|0] [--duration S]
//              [--timeout MS] [--warmup S] [--search] [--search-precision QPS] [--label TXT]
#include <arpa/inet.h>
#include <getopt.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_version.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>

#include "search.h"
#include "traffic.h"

namespace strait::rig {
namespace {

struct Options {
    std::string queries, label = "run";
    std::string dst = "2001:db8:6::53", src = "2001:db8:6::1000", dst_mac;
    uint16_t dport = 53, src_count = 16;
    double rate = 0, duration = 10, warmup = 0, precision = 0, search_loss = 0;
    bool search = false;
    TrafficConfig traffic;
};

void usage() {
    std::fputs(
        "usage: strait-rig EAL-ARGS -- --queries FILE --dst-mac MAC [options]\n"
        "  --queries FILE        one \"name type\" a line; {n} in a name = 8 hex digits of a\n"
        "                        per-query counter (unique names: the cache-miss mix)\n"
        "  --dst ADDR6 --dport N target (default 2001:db8:6::53 port 53)\n"
        "  --dst-mac MAC         next hop's MAC (the DNS64 server's inside port)\n"
        "  --src ADDR6 --src-count N  sources ADDR6+0..N-1 in the last 16 bits (the rig\n"
        "                        answers NDP for them); default 2001:db8:6::1000, 16\n"
        "  --sport-base N --sports N  UDP source ports (default 10000, 1024; power of 2)\n"
        "  --rate QPS            target query rate; 0 = as fast as the port takes them\n"
        "  --duration S --timeout MS  send time (10) and answer timeout (1000)\n"
        "  --warmup S            a first run at the same rate, not reported (fills caches)\n"
        "  --search              RFC 8219 §9 binary search for the highest rate with every\n"
        "                        query answered in time, between 0 and --rate\n"
        "  --search-precision QPS  stop when the interval is this narrow (default rate/64)\n"
        "  --search-loss PCT     a step passes with up to PCT %% unanswered (default 0)\n"
        "  --seed N --label TXT  first {n} counter value (default: time); result label\n"
        "  --queues N            RX queues to open and poll (default 1; one TX queue): a\n"
        "                        net_memif client needs one per TX queue of the server\n"
        "  --no-yield            spin when idle (default: sched_yield() when a loop had\n"
        "                        nothing to send or receive, so a server sharing the CPU runs)\n",
        stderr);
    std::exit(2);
}

Options parse_options(int argc, char** argv) {
    static const option kLong[] = {
        {"queries", 1, nullptr, 'q'},     {"dst", 1, nullptr, 'd'},
        {"dport", 1, nullptr, 'P'},       {"dst-mac", 1, nullptr, 'm'},
        {"src", 1, nullptr, 's'},         {"src-count", 1, nullptr, 'n'},
        {"sport-base", 1, nullptr, 'b'},  {"sports", 1, nullptr, 'p'},
        {"rate", 1, nullptr, 'r'},        {"duration", 1, nullptr, 't'},
        {"timeout", 1, nullptr, 'T'},     {"warmup", 1, nullptr, 'w'},
        {"search", 0, nullptr, 'S'},      {"search-precision", 1, nullptr, 'e'},
        {"search-loss", 1, nullptr, 'L'}, {"seed", 1, nullptr, 'x'},
        {"label", 1, nullptr, 'l'},       {"queues", 1, nullptr, 'Q'},
        {"no-yield", 0, nullptr, 'Y'},
        {"help", 0, nullptr, 'h'},
        {nullptr, 0, nullptr, 0}};
    Options o;
    o.traffic.counter_seed = static_cast<uint32_t>(std::time(nullptr) * 2654435761u);
    int c;
    while ((c = getopt_long(argc, argv, "", kLong, nullptr)) != -1) {
        switch (c) {
            case 'q':
                o.queries = optarg;
                break;
            case 'd':
                o.dst = optarg;
                break;
            case 'P':
                o.dport = static_cast<uint16_t>(std::atoi(optarg));
                break;
            case 'm':
                o.dst_mac = optarg;
                break;
            case 's':
                o.src = optarg;
                break;
            case 'n':
                o.src_count = static_cast<uint16_t>(std::atoi(optarg));
                break;
            case 'b':
                o.traffic.sport_base = static_cast<uint16_t>(std::atoi(optarg));
                break;
            case 'p':
                o.traffic.sport_count = static_cast<uint16_t>(std::atoi(optarg));
                break;
            case 'r':
                o.rate = std::atof(optarg);
                break;
            case 't':
                o.duration = std::atof(optarg);
                break;
            case 'T':
                o.traffic.timeout_ms = static_cast<uint32_t>(std::atoi(optarg));
                break;
            case 'w':
                o.warmup = std::atof(optarg);
                break;
            case 'S':
                o.search = true;
                break;
            case 'L':
                o.search_loss = std::atof(optarg);
                break;
            case 'e':
                o.precision = std::atof(optarg);
                break;
            case 'x':
                o.traffic.counter_seed = static_cast<uint32_t>(std::strtoul(optarg, nullptr, 0));
                break;
            case 'l':
                o.label = optarg;
                break;
            case 'Y':
                o.traffic.yield = false;
                break;
            case 'Q':
                o.traffic.rx_queues = static_cast<uint16_t>(std::atoi(optarg));
                break;
            default:
                usage();
        }
    }
    uint16_t sp = o.traffic.sport_count;
    if (o.queries.empty() || o.dst_mac.empty() || sp < 16 || (sp & (sp - 1)) != 0 ||
        o.src_count == 0 || o.duration <= 0 || o.traffic.rx_queues == 0 ||
        o.traffic.rx_queues > TrafficConfig::kMaxQueues || (o.search && o.rate <= 0)) {
        usage();
    }
    if (o.precision <= 0) o.precision = o.rate / 64;
    return o;
}

[[noreturn]] void die(const std::string& why) {
    std::fprintf(stderr, "strait-rig: %s\n", why.c_str());
    std::exit(1);
}

FrameSpec frame_spec(const Options& o, uint16_t port) {
    FrameSpec f;
    rte_ether_addr mac;
    if (rte_ether_unformat_addr(o.dst_mac.c_str(), &mac) != 0) die("bad --dst-mac " + o.dst_mac);
    std::memcpy(f.dst_mac.data(), mac.addr_bytes, 6);
    rte_eth_macaddr_get(port, &mac);
    std::memcpy(f.src_mac.data(), mac.addr_bytes, 6);
    if (inet_pton(AF_INET6, o.dst.c_str(), f.dst6.data()) != 1) die("bad --dst " + o.dst);
    if (inet_pton(AF_INET6, o.src.c_str(), f.src6.data()) != 1) die("bad --src " + o.src);
    f.src_lo_base = static_cast<uint16_t>(f.src6[14] << 8 | f.src6[15]);
    f.src_count = o.src_count;
    f.dport = o.dport;
    return f;
}

rte_mempool* start_port(uint16_t port, uint16_t queues) {
    rte_mempool* pool = rte_pktmbuf_pool_create("rig_pool", 16383, 256, 0,
                                                RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
    if (pool == nullptr) die("cannot create the mbuf pool");
    rte_eth_conf conf{};
    bool ok = rte_eth_dev_configure(port, queues, 1, &conf) == 0 &&
              rte_eth_tx_queue_setup(port, 0, 1024, rte_eth_dev_socket_id(port), nullptr) == 0;
    for (uint16_t q = 0; ok && q < queues; ++q) {
        ok = rte_eth_rx_queue_setup(port, q, 1024, rte_eth_dev_socket_id(port), nullptr, pool) == 0;
    }
    if (!ok || rte_eth_dev_start(port) != 0) die("cannot start port " + std::to_string(port));
    // memif (and real NICs) come up some time after start: sending earlier only fills
    // tx_full.
    rte_eth_link link{};
    for (int i = 0; i < 100; ++i) {
        if (rte_eth_link_get_nowait(port, &link) == 0 && link.link_status == RTE_ETH_LINK_UP) break;
        rte_delay_ms(100);
    }
    if (link.link_status != RTE_ETH_LINK_UP) die("port " + std::to_string(port) + " link down");
    rte_eth_promiscuous_enable(port);  // NDP solicitations go to solicited-node multicast
    return pool;
}

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
    }
    return "unknown";
}

void print_settings(const Options& o, uint16_t port, size_t nq, bool unique) {
    rte_eth_dev_info info{};
    rte_eth_dev_info_get(port, &info);
    double load[3] = {};
    getloadavg(load, 3);
    std::printf(
        "strait-rig: machine: cpu=\"%s\" nproc=%ld loadavg=%.2f/%.2f/%.2f %s "
        "lcore=%u(cpu %d) port=%u driver=%s\n",
        cpu_model().c_str(), sysconf(_SC_NPROCESSORS_ONLN), load[0], load[1], load[2],
        rte_version(), rte_lcore_id(), sched_getcpu(), port, info.driver_name);
    std::printf(
        "strait-rig: settings: queries=%s (%zu, %s names) dst=[%s]:%u src=%s+%u "
        "sports=%u+%u burst=32 rate=%s duration=%gs timeout=%ums warmup=%gs%s "
        "search_loss=%g%%\n",
        o.queries.c_str(), nq, unique ? "unique" : "repeated", o.dst.c_str(), o.dport,
        o.src.c_str(), o.src_count, o.traffic.sport_base, o.traffic.sport_count,
        o.rate > 0 ? std::to_string(static_cast<long>(o.rate)).c_str() : "max", o.duration,
        o.traffic.timeout_ms, o.warmup, o.search ? " search=rfc8219" : "", o.search_loss);
}

}  // namespace

void print_result(const char* label, double rate, const RunStats& st) {
    double secs = st.send_seconds > 0 ? st.send_seconds : 1;
    std::printf(
        "RESULT label=%s rate=%.0f sent=%lu sent_qps=%.0f answered=%lu "
        "answered_qps=%.0f noerror_qps=%.0f loss_pct=%.3f late=%lu unmatched=%lu tx_full=%lu "
        "ndp=%lu "
        "rcodes=%s lat_us_p50=%lu p90=%lu p99=%lu p999=%lu\n",
        label, rate, st.sent, static_cast<double>(st.sent) / secs, st.answered(),
        static_cast<double>(st.answered()) / secs,
        static_cast<double>(st.answered_noerror()) / secs, st.loss_percent(), st.late(),
        st.unmatched, st.tx_full, st.ndp_answered, st.rcode_summary().c_str(),
        st.percentile_us(0.5), st.percentile_us(0.9), st.percentile_us(0.99),
        st.percentile_us(0.999));
    std::fflush(stdout);
}

}  // namespace strait::rig

int main(int argc, char** argv) {
    using namespace strait::rig;
    int eal = rte_eal_init(argc, argv);
    if (eal < 0) die("EAL init failed");
    argc -= eal;
    argv += eal;
    Options o = parse_options(argc, argv);
    if (rte_eth_dev_count_avail() == 0) die("no DPDK port (give one with --vdev)");
    std::string error;
    std::vector<Question> qs = load_questions(o.queries, error);
    if (qs.empty()) die(error);
    bool unique = false;
    for (const Question& q : qs) unique |= q.counter_at >= 0;
    const uint16_t port = 0;
    rte_mempool* pool = start_port(port, o.traffic.rx_queues);
    o.traffic.port_id = port;
    print_settings(o, port, qs.size(), unique);
    Traffic traffic(o.traffic, frame_spec(o, port), qs, pool);
    if (o.warmup > 0) traffic.run(o.rate > 0 ? o.rate : 1000, o.warmup);
    if (o.search) {
        search_rate(traffic, SearchSpec{o.rate, o.precision, o.search_loss, o.duration},
                    o.label.c_str());
    } else {
        print_result(o.label.c_str(), o.rate, traffic.run(o.rate, o.duration));
    }
    rte_eth_dev_stop(port);
    rte_eal_cleanup();
    return 0;
}
