// SPDX-License-Identifier: Apache-2.0
// Translation stage: mbuf adapter around the pure RFC 7915 translator (SIIT mapper).
#include <rte_mbuf.h>

#include "dataplane/lcore/worker_state.h"
#include "dataplane/pkt/frame.h"
#include "dataplane/xlat/fragment.h"
#include "dataplane/xlat/v4_to_v6.h"
#include "dataplane/xlat/v6_to_v4.h"

namespace strait::dp {
namespace {

xlat::PacketBuf view_of(rte_mbuf* m) {
    return {rte_pktmbuf_mtod(m, uint8_t*), m->data_len, m->data_off, rte_pktmbuf_tailroom(m)};
}

void sync(rte_mbuf* m, const xlat::PacketBuf& b) {
    m->data_off = static_cast<uint16_t>(b.data - static_cast<uint8_t*>(m->buf_addr));
    m->data_len = static_cast<uint16_t>(b.len);
    m->pkt_len = b.len;
}

/// Hands out one mbuf per IPv6 fragment; remembers them so the caller sends or frees them.
struct MbufSink {
    rte_mempool* pool;
    rte_mbuf* out[64];
    uint32_t n = 0;
    uint8_t* alloc(uint32_t len) {
        if (n == 64) return nullptr;
        rte_mbuf* f = rte_pktmbuf_alloc(pool);
        if (f == nullptr) return nullptr;
        auto* p = reinterpret_cast<uint8_t*>(rte_pktmbuf_append(f, static_cast<uint16_t>(len)));
        if (p == nullptr) {
            rte_pktmbuf_free(f);
            return nullptr;
        }
        out[n++] = f;
        return p;
    }
};

void send_fragments(WorkerState& w, rte_mbuf* m, uint16_t mtu) {
    MbufSink sink{w.cfg->pool, {}, 0};
    const auto r = xlat::fragment_v6(rte_pktmbuf_mtod(m, const uint8_t*), m->data_len, mtu, sink);
    rte_pktmbuf_free(m);
    if (!r.ok) {
        for (uint32_t i = 0; i < sink.n; ++i) rte_pktmbuf_free(sink.out[i]);
        w.c.drop(r.reason);
        return;
    }
    w.c.translated_v4_to_v6 += 1;
    for (uint32_t i = 0; i < sink.n; ++i) forward_l3(w, 0, sink.out[i]);
}

/// Acts on a translator verdict for a packet that arrived on port `pi`.
template <class M>
void dispatch(WorkerState& w, unsigned pi, rte_mbuf* m, const xlat::Outcome& o, M& mapper) {
    switch (o.verdict) {
        case xlat::Verdict::Forward:
            ++(pi == 0 ? w.c.translated_v6_to_v4 : w.c.translated_v4_to_v6);
            return forward_l3(w, 1 - pi, m);
        case xlat::Verdict::ReplyIcmpError:
            w.c.drop(o.reason);  // the original packet is gone; the error goes back
            return forward_l3(w, pi, m);
        case xlat::Verdict::Fragment:
            return send_fragments(w, m, o.mtu);
        case xlat::Verdict::Hairpin: {
            // RFC 7757 §4.2 / RFC 6146 §3.8: the IPv4 result is addressed to an IPv6 node
            // (EAMT-mapped, or a NAT64 subscriber through its pool4 address).
            xlat::PacketBuf b = view_of(m);
            const auto o2 =
                xlat::translate_v4_to_v6(b, *w.cfg->xcfg, w.xctx, mapper, xlat::MapScope::Hairpin);
            sync(m, b);
            if (o2.verdict == xlat::Verdict::Forward) {
                ++w.c.translated_v6_to_v4;
                return forward_l3(w, 0, m);
            }
            if (o2.verdict == xlat::Verdict::Fragment) return send_fragments(w, m, o2.mtu);
            return drop(w, m, o2.verdict == xlat::Verdict::Drop ? o2.reason : DropReason::InternalBug);
        }
        case xlat::Verdict::Drop:
            return drop(w, m, o.reason);
    }
}

}  // namespace

namespace {

template <class M>
void translate_with(WorkerState& w, unsigned pi, rte_mbuf* m, M& mapper) {
    xlat::PacketBuf b = view_of(m);
    const xlat::Outcome o = pi == 0 ? xlat::translate_v6_to_v4(b, *w.cfg->xcfg, w.xctx, mapper)
                                    : xlat::translate_v4_to_v6(b, *w.cfg->xcfg, w.xctx, mapper);
    sync(m, b);
    dispatch(w, pi, m, o, mapper);
}

}  // namespace

void translate_and_forward(WorkerState& w, unsigned pi, rte_mbuf* m, uint32_t l3_len) {
    rte_pktmbuf_adj(m, pkt::kEthHdrLen);
    if (m->data_len > l3_len) rte_pktmbuf_trim(m, static_cast<uint16_t>(m->data_len - l3_len));
    if (w.cfg->nat64 != nullptr) return translate_with(w, pi, m, *w.cfg->nat64);
    if (w.cfg->siit != nullptr) return translate_with(w, pi, m, *w.cfg->siit);
    drop(w, m, DropReason::NoRoute);
}

}  // namespace strait::dp
