// SPDX-License-Identifier: Apache-2.0
// Chunked byte FIFOs for the DNS64 lcore's TCP buffers.
#include "dns64/lcore/byte_queue.h"

#include <algorithm>
#include <cstring>

namespace strait::dns64::lcore {

void ChunkStore::init(uint8_t* mem, uint32_t* next, uint32_t n) {
    mem_ = mem;
    next_ = next;
    n_ = n;
    free_ = kNil;
    for (uint32_t c = n; c >= 1; --c) {
        next_[c] = free_;
        free_ = c;
    }
    nfree_ = n;
}

uint32_t ChunkStore::alloc() {
    const uint32_t c = free_;
    if (c == kNil) return kNil;
    free_ = next_[c];
    next_[c] = kNil;
    --nfree_;
    return c;
}

void ChunkStore::release(uint32_t c) {
    next_[c] = free_;
    free_ = c;
    ++nfree_;
}

bool ByteQueue::fits(const ChunkStore& st, uint32_t n) const {
    const uint32_t room = tail_ == ChunkStore::kNil ? 0 : ChunkStore::kChunk - tail_used_;
    const uint32_t need = n > room ? (n - room + ChunkStore::kChunk - 1) / ChunkStore::kChunk : 0;
    return need <= st.free_chunks();
}

bool ByteQueue::append(ChunkStore& st, const uint8_t* p, uint32_t n) {
    if (!fits(st, n)) return false;
    while (n > 0) {
        if (tail_ == ChunkStore::kNil || tail_used_ == ChunkStore::kChunk) {
            const uint32_t c = st.alloc();
            if (tail_ == ChunkStore::kNil) {
                head_ = c;
                head_off_ = 0;
            } else {
                st.next_[tail_] = c;
            }
            tail_ = c;
            tail_used_ = 0;
        }
        const uint32_t k = std::min(n, ChunkStore::kChunk - tail_used_);
        std::memcpy(st.at(tail_) + tail_used_, p, k);
        tail_used_ += k;
        len_ += k;
        p += k;
        n -= k;
    }
    return true;
}

void ByteQueue::read(const ChunkStore& st, uint32_t off, uint32_t n, uint8_t* out) const {
    uint32_t c = head_;
    uint32_t pos = head_off_ + off;
    while (pos >= ChunkStore::kChunk) {
        c = st.next_[c];
        pos -= ChunkStore::kChunk;
    }
    while (n > 0) {
        const uint32_t k = std::min(n, ChunkStore::kChunk - pos);
        std::memcpy(out, st.at(c) + pos, k);
        out += k;
        n -= k;
        pos = 0;
        c = st.next_[c];
    }
}

void ByteQueue::consume(ChunkStore& st, uint32_t n) {
    len_ -= n;
    head_off_ += n;
    while (head_ != ChunkStore::kNil &&
           (head_off_ >= ChunkStore::kChunk || (len_ == 0 && head_ == tail_))) {
        const uint32_t c = head_;
        head_ = st.next_[c];
        st.release(c);
        head_off_ = head_off_ >= ChunkStore::kChunk ? head_off_ - ChunkStore::kChunk : 0;
        if (c == tail_) {
            tail_ = ChunkStore::kNil;
            tail_used_ = 0;
        }
    }
    if (len_ == 0) {
        // Nothing left: the next append starts a fresh chain.
        head_ = tail_ = ChunkStore::kNil;
        head_off_ = tail_used_ = 0;
    }
}

}  // namespace strait::dns64::lcore
