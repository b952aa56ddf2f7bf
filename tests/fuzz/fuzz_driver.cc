// SPDX-License-Identifier: Apache-2.0
// A standalone main for the fuzz targets, so any compiler (CI's g++ included) runs them as
// a bounded, deterministic test: every seed file once, then N mutants of the seeds drawn
// from a fixed seed. No coverage feedback: that is libFuzzer's job (clang build).
//
//   <target> [--mutations N] [--seed S] PATH...   (PATH: a file, or a folder of files)
//
// On a crash the input is written to ./crash-<target>-<n> before the signal goes on.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

using Bytes = std::vector<uint8_t>;

constexpr std::size_t kMaxLen = 4096;  // libFuzzer's default -max_len
const Bytes* g_current = nullptr;
char g_crash_path[256] = "crash";

/// Saves the input that crashed (async-signal-safe calls only), then re-raises.
void on_crash(int sig) {
    if (g_current) {
        const int fd = open(g_crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            (void)!write(fd, g_current->data(), g_current->size());
            close(fd);
        }
        (void)!write(2, "fuzz_driver: input saved to ", 28);
        (void)!write(2, g_crash_path, strlen(g_crash_path));
        (void)!write(2, "\n", 1);
    }
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

/// SplitMix64: fully specified, so the mutants are the same with every standard library.
struct Rng {
    uint64_t s;
    uint64_t next() {
        uint64_t z = (s += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return n ? next() % n : 0; }
};

/// One to eight byte-level edits, the kinds libFuzzer's default mutators make, with the
/// values that matter to DNS (label lengths, pointer bytes, counts) favoured.
Bytes mutate(const std::vector<Bytes>& seeds, Rng& r) {
    static const uint8_t kInteresting[] = {0x00, 0x01, 0x3f, 0x40, 0x7f, 0x80, 0xc0, 0xff};
    Bytes b = seeds[r.below(seeds.size())];
    for (std::size_t k = 1 + r.below(8); k > 0; --k) {
        const std::size_t at = r.below(b.size() + 1);
        switch (r.below(8)) {
            case 0:
                if (at < b.size()) b[at] ^= static_cast<uint8_t>(1u << r.below(8));
                break;
            case 1:
                if (at < b.size()) b[at] = static_cast<uint8_t>(r.next());
                break;
            case 2:
                if (at < b.size()) b[at] = kInteresting[r.below(sizeof kInteresting)];
                break;
            case 3:
                b.insert(b.begin() + at, static_cast<uint8_t>(r.next()));
                break;
            case 4:
                b.erase(b.begin() + at, b.begin() + std::min(b.size(), at + r.below(16)));
                break;
            case 5:
                b.resize(at);
                break;
            case 6: {  // copy a chunk of this input elsewhere in it
                const std::size_t from = r.below(b.size()), n = r.below(32);
                const Bytes chunk(b.begin() + from, b.begin() + std::min(b.size(), from + n));
                b.insert(b.begin() + at, chunk.begin(), chunk.end());
                break;
            }
            default: {  // splice: this input's head, another seed's tail
                const Bytes& o = seeds[r.below(seeds.size())];
                const std::size_t from = r.below(o.size() + 1);
                b.resize(at);
                b.insert(b.end(), o.begin() + from, o.end());
                break;
            }
        }
    }
    if (b.size() > kMaxLen) b.resize(kMaxLen);
    return b;
}

void run(const Bytes& b) {
    g_current = &b;
    LLVMFuzzerTestOneInput(b.data(), b.size());
    g_current = nullptr;
}

}  // namespace

int main(int argc, char** argv) {
    uint64_t mutations = 0, seed = 1;
    std::vector<std::filesystem::path> files;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--mutations" && i + 1 < argc) {
            mutations = std::strtoull(argv[++i], nullptr, 0);
        } else if (a == "--seed" && i + 1 < argc) {
            seed = std::strtoull(argv[++i], nullptr, 0);
        } else if (std::filesystem::is_directory(a)) {
            for (const auto& e : std::filesystem::directory_iterator(a)) files.push_back(e.path());
        } else {
            files.emplace_back(a);
        }
    }
    std::sort(files.begin(), files.end());  // directory order is not deterministic
    std::vector<Bytes> seeds;
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        if (!in) {
            std::fprintf(stderr, "fuzz_driver: cannot read %s\n", f.c_str());
            return 2;
        }
        seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    if (seeds.empty()) seeds.emplace_back();
    std::snprintf(g_crash_path, sizeof g_crash_path, "crash-%s",
                  std::filesystem::path(argv[0]).filename().c_str());
    for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, on_crash);
    for (const Bytes& s : seeds) run(s);
    Rng r{seed};
    for (uint64_t i = 0; i < mutations; ++i) run(mutate(seeds, r));
    std::printf("fuzz_driver: %zu seed files, %llu mutants (seed %llu): no invariant broken\n",
                files.size(), static_cast<unsigned long long>(mutations),
                static_cast<unsigned long long>(seed));
    return 0;
}
