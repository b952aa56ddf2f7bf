// SPDX-License-Identifier: Apache-2.0
// The test gateway: EAL start-up, tables and mappers as dataplane.cc builds them, and the
// translator calls of lcore/xlat_stage.cc without mbufs.
#include "tests/common/nat64_gateway.h"

#include <rte_eal.h>
#include <rte_malloc.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "dataplane/xlat/v4_to_v6.h"
#include "dataplane/xlat/v6_to_v4.h"
#include "strait/net/bytes.h"

namespace strait::nat64::test {
namespace {

std::string g_runtime_dir;

void cleanup_eal() {
    rte_eal_cleanup();
    std::error_code ec;
    std::filesystem::remove_all(g_runtime_dir, ec);
}

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "nat64 test gateway: %s\n", what.c_str());
    std::abort();
}

xlat::PacketBuf view(std::vector<uint8_t>& mem, const Bytes& in, uint32_t headroom) {
    if (in.size() > mem.size() - headroom) die("test packet too long");
    if (!in.empty()) std::memcpy(mem.data() + headroom, in.data(), in.size());
    return {mem.data() + headroom, static_cast<uint32_t>(in.size()), headroom,
            static_cast<uint32_t>(mem.size() - headroom - in.size())};
}

Translated result(const xlat::Outcome& o, const xlat::PacketBuf& b) {
    Translated t;
    t.verdict = o.verdict;
    t.reason = o.reason;
    if (o.verdict != xlat::Verdict::Drop) t.out.assign(b.data, b.data + b.len);
    return t;
}

constexpr uint32_t kHeadroom = 128;  // RTE_PKTMBUF_HEADROOM
constexpr uint32_t kBufSize = 128 + 9216;

}  // namespace

void init_eal_once(const char* program) {
    static bool done = false;
    if (done) return;
    done = true;
    const std::string prefix = "strait-test-" + std::to_string(getpid());
    // 22.11 refuses --in-memory with --no-huge; --no-shconf keeps EAL from sharing files.
    std::vector<std::string> args{program,
                                  "--no-huge",
                                  "-m",
                                  "256",
                                  "--no-shconf",
                                  "--no-pci",
                                  "--no-telemetry",
                                  "-l",
                                  "0",
                                  "--log-level=*:error",
                                  "--file-prefix=" + prefix};
    std::vector<char*> argv;
    static std::vector<std::string> keep;  // EAL keeps pointers into argv
    keep = args;
    for (auto& a : keep) argv.push_back(a.data());
    argv.push_back(nullptr);
    g_runtime_dir = (geteuid() == 0 ? std::string("/var/run/dpdk/")
                                    : std::string(std::getenv("XDG_RUNTIME_DIR")
                                                      ? std::getenv("XDG_RUNTIME_DIR")
                                                      : "/tmp") +
                                          "/dpdk/") +
                    prefix;
    if (rte_eal_init(static_cast<int>(keep.size()), argv.data()) < 0) die("rte_eal_init failed");
    std::atexit(cleanup_eal);
}

config::Nat64Config base_config() {
    config::Nat64Config c;
    c.pool6 = *net::parse_ipv6_prefix("2001:db8:64::/96");
    return c;
}

config::Pool4Entry pool4_entry(const char* prefix, config::L4Proto p, uint16_t lo, uint16_t hi) {
    return config::Pool4Entry{*net::parse_ipv4_prefix(prefix), p, lo, hi};
}

Gateway::Gateway(const config::Nat64Config& c, unsigned workers, uint32_t capacity, uint64_t seed)
    : capacity_(capacity) {
    auto sh = Nat64Shared::from_config(c, workers, false);
    if (!sh) die(sh.error().to_string());
    shared_ = std::make_unique<Nat64Shared>(std::move(*sh));
    const size_t qsz = rte_rcu_qsbr_get_memsize(workers);
    qsbr_ = static_cast<rte_rcu_qsbr*>(rte_zmalloc("test_qsbr", qsz, RTE_CACHE_LINE_SIZE));
    if (qsbr_ == nullptr || rte_rcu_qsbr_init(qsbr_, workers) != 0) die("QSBR");
    for (unsigned w = 0; w < workers; ++w) {
        auto t = Nat64Table::create(w, capacity, SOCKET_ID_ANY, qsbr_, shared_->pool4,
                                    c.max_sessions_per_subscriber ? c.subscriber_prefix_len : 0);
        if (!t) die(t.error().to_string());
        shared_->tables[w] = t->get();
        tables_.push_back(std::move(*t));
        rte_rcu_qsbr_thread_register(qsbr_, w);
        rte_rcu_qsbr_thread_online(qsbr_, w);
    }
    shared_->n_tables = workers;
    // Static BIB entries go into the table of the worker owning their pool4 port
    // (dataplane.cc add_static_bib).
    for (const auto& e : c.bib) {
        Bib6Key k6{};
        std::memcpy(k6.src6, e.addr6.b.data(), 16);
        k6.port6 = e.port6;
        k6.proto = static_cast<uint8_t>(e.proto);
        Bib4Key k4{};
        std::memcpy(k4.addr4, e.addr4.b.data(), 4);
        k4.port4 = e.port4;
        k4.proto = k6.proto;
        const unsigned pi = proto_index(k6.proto);
        const uint32_t a = net::load_be32(e.addr4.b.data());
        const int owner = shared_->pool4.owner(pi, a, e.port4);
        const int64_t idx = shared_->pool4.addr_index(pi, a, e.port4);
        if (owner < 0 || idx < 0 ||
            tables_[owner]->add_bib(k6, k4, static_cast<uint32_t>(idx), true) == nullptr) {
            die("static BIB entry outside pool4");
        }
    }
    for (unsigned w = 0; w < workers; ++w) {
        mappers_.push_back(std::make_unique<Nat64Mapper>(*shared_, w, seed + w));
    }
    xcfg.self_ipv4 = *net::parse_ipv4("198.51.100.1");
    xcfg.self_ipv6 = *net::parse_ipv6("2001:db8:6::1");
}

Gateway::~Gateway() {
    // Every deleted entry's grace period ends, so freeing the hashes reclaims their defer
    // queues completely (a queue with entries pending would stay allocated under its name).
    quiesce();
    mappers_.clear();
    tables_.clear();
    rte_free(qsbr_);
}

void Gateway::set_now_ms(uint32_t ms) {
    now_ms_ = ms;
    for (auto& m : mappers_) m->set_now_ms(ms);
    for (auto& c : ctx) c.now_ns = uint64_t{ms} * 1000000;
}

void Gateway::quiesce() {
    for (unsigned w = 0; w < tables_.size(); ++w) rte_rcu_qsbr_quiescent(qsbr_, w);
}

Translated Gateway::translate(unsigned w, bool from_v6, xlat::PacketBuf& b) {
    if (!from_v6) return result(xlat::translate_v4_to_v6(b, xcfg, ctx[w], *mappers_[w]), b);
    const xlat::Outcome o = xlat::translate_v6_to_v4(b, xcfg, ctx[w], *mappers_[w]);
    if (o.verdict != xlat::Verdict::Hairpin) return result(o, b);
    const xlat::Outcome o2 =
        xlat::translate_v4_to_v6(b, xcfg, ctx[w], *mappers_[w], xlat::MapScope::Hairpin);
    Translated t = result(o2, b);
    t.hairpinned = true;
    return t;
}

Translated Gateway::v6_to_v4(unsigned w, const Bytes& in) {
    std::vector<uint8_t> mem(kBufSize);
    xlat::PacketBuf b = view(mem, in, kHeadroom);
    return translate(w, true, b);
}

Translated Gateway::v4_to_v6(unsigned w, const Bytes& in) {
    std::vector<uint8_t> mem(kBufSize);
    xlat::PacketBuf b = view(mem, in, kHeadroom);
    return translate(w, false, b);
}

std::vector<Translated> Gateway::burst(unsigned w, bool from_v6, const std::vector<Bytes>& in) {
    const unsigned n = static_cast<unsigned>(in.size());
    if (n > Nat64Mapper::kBurst) die("burst longer than kBurst");
    std::vector<std::vector<uint8_t>> mem(n, std::vector<uint8_t>(kBufSize));
    std::vector<xlat::PacketBuf> bufs;
    const uint8_t* l3[Nat64Mapper::kBurst];
    uint32_t len[Nat64Mapper::kBurst];
    for (unsigned i = 0; i < n; ++i) {
        bufs.push_back(view(mem[i], in[i], kHeadroom));
        l3[i] = bufs[i].data;
        len[i] = bufs[i].len;
    }
    Nat64Mapper& m = *mappers_[w];
    if (from_v6) {
        m.prefetch_v6(l3, len, n);
    } else {
        m.prefetch_v4(l3, len, n);
    }
    std::vector<Translated> out;
    for (unsigned i = 0; i < n; ++i) {
        m.select(i);
        out.push_back(translate(w, from_v6, bufs[i]));
    }
    m.select(Nat64Mapper::kBurst);
    return out;
}

std::vector<Translated> Gateway::burst_v6_to_v4(unsigned w, const std::vector<Bytes>& in) {
    return burst(w, true, in);
}

std::vector<Translated> Gateway::burst_v4_to_v6(unsigned w, const std::vector<Bytes>& in) {
    return burst(w, false, in);
}

unsigned Gateway::sweep_all(unsigned budget) {
    // A step visits `budget` entries of each hash; a pass over a table takes at most
    // capacity / budget + 1 steps. The workers step in turn, as they do running: a BIB
    // entry goes in its owner's pass after the last session, on any worker, went. Three
    // passes each: sessions, then BIB entries that lost their last session during the
    // first, with one to spare.
    unsigned removed = 0;
    const unsigned steps = 3 * (capacity_ / budget + 1);
    for (unsigned i = 0; i < steps; ++i) {
        for (unsigned w = 0; w < tables_.size(); ++w) removed += mappers_[w]->sweep(budget);
        quiesce();
    }
    return removed;
}

uint32_t Gateway::sessions() const {
    uint32_t n = 0;
    for (const auto& t : tables_) n += t->sessions();
    return n;
}

uint32_t Gateway::bib_entries() const {
    uint32_t n = 0;
    for (const auto& t : tables_) n += t->bib_entries();
    return n;
}

SessionEntry* Gateway::find_session(uint8_t proto, const net::Ipv6Addr& src6, uint16_t sport,
                                    net::Ipv4Addr dst4, uint16_t dport) {
    SessionKey k{};
    std::memcpy(k.src6, src6.b.data(), 16);
    std::memcpy(k.dst4, dst4.b.data(), 4);
    k.sport = sport;
    k.dport = proto == 1 ? 0 : dport;
    k.proto = proto;
    for (auto& t : tables_) {
        if (SessionEntry* s = t->find_session(k)) return s;
    }
    return nullptr;
}

}  // namespace strait::nat64::test
