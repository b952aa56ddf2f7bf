// SPDX-License-Identifier: Apache-2.0
// Byte FIFOs in fixed-size chunks from one store allocated at lcore start: the DNS64
// lcore's TCP send and receive buffers, so memory is bounded up front and nothing is
// allocated per packet. Pure C++ (no DPDK): the caller provides the memory.
#pragma once

#include <cstdint>

namespace strait::dns64::lcore {

/// A fixed pool of kChunk-byte chunks with a free list. Chunk ids start at 1, so a
/// zero-filled ByteQueue is empty. Thread: one owner (the DNS64 lcore).
class ChunkStore {
  public:
    static constexpr uint32_t kChunk = 512;
    static constexpr uint32_t kNil = 0;

    /// `mem` holds n * kChunk bytes, `next` n + 1 links; both outlive the store.
    void init(uint8_t* mem, uint32_t* next, uint32_t n);
    [[nodiscard]] uint32_t free_chunks() const { return nfree_; }
    [[nodiscard]] uint32_t chunks() const { return n_; }
    /// The memory given to init (for whoever frees it).
    [[nodiscard]] uint8_t* mem() const { return mem_; }
    [[nodiscard]] uint32_t* links() const { return next_; }

  private:
    friend class ByteQueue;
    uint32_t alloc();
    void release(uint32_t c);
    [[nodiscard]] uint8_t* at(uint32_t c) const { return mem_ + (c - 1) * kChunk; }

    uint8_t* mem_ = nullptr;
    uint32_t* next_ = nullptr;
    uint32_t free_ = kNil;
    uint32_t nfree_ = 0;
    uint32_t n_ = 0;
};

/// FIFO of bytes over a chain of chunks: append at the tail (all or nothing), read at
/// any offset, consume from the head. Zero-initialised means empty. Thread: the store's.
class ByteQueue {
  public:
    /// True when n more bytes fit: the tail chunk's room plus the store's free chunks.
    [[nodiscard]] bool fits(const ChunkStore& st, uint32_t n) const;
    /// Appends n bytes; false (queue unchanged) when they do not fit.
    bool append(ChunkStore& st, const uint8_t* p, uint32_t n);
    /// Copies bytes [off, off + n) to `out`; requires off + n <= size().
    void read(const ChunkStore& st, uint32_t off, uint32_t n, uint8_t* out) const;
    /// Drops the first n bytes (n <= size()), returning emptied chunks to the store.
    void consume(ChunkStore& st, uint32_t n);
    void clear(ChunkStore& st) { consume(st, len_); }
    [[nodiscard]] uint32_t size() const { return len_; }

  private:
    uint32_t head_ = ChunkStore::kNil;
    uint32_t tail_ = ChunkStore::kNil;
    uint32_t head_off_ = 0;   // first byte's offset in the head chunk
    uint32_t tail_used_ = 0;  // bytes used in the tail chunk
    uint32_t len_ = 0;
};

}  // namespace strait::dns64::lcore
