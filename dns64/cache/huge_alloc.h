// SPDX-License-Identifier: Apache-2.0
// An allocator for large, randomly probed tables: whole 2 MiB-aligned mappings with
// transparent huge pages requested, so a probe costs a cache miss but rarely a TLB miss
// (with 4 KiB pages every probe of a 32 MiB table also walked the page tables).
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>

namespace strait::dns64 {

template <class T>
struct HugeAllocator {
    using value_type = T;
    static constexpr std::size_t kHuge = std::size_t{2} << 20;

    HugeAllocator() = default;
    template <class U>
    HugeAllocator(const HugeAllocator<U>&) noexcept {}  // NOLINT: rebinding is implicit

    T* allocate(std::size_t n) {
        const std::size_t bytes = round(n * sizeof(T));
        void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) std::abort();  // as operator new without exceptions
        if (bytes >= kHuge) madvise(p, bytes, MADV_HUGEPAGE);  // best effort
        return static_cast<T*>(p);
    }
    void deallocate(T* p, std::size_t n) noexcept { munmap(p, round(n * sizeof(T))); }

    template <class U>
    bool operator==(const HugeAllocator<U>&) const noexcept { return true; }

private:
    static std::size_t round(std::size_t b) { return (b + kHuge - 1) / kHuge * kHuge; }
};

}  // namespace strait::dns64
