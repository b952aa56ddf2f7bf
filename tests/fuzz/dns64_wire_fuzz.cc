// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the DNS wire reader (dns64/wire) on arbitrary bytes, read both as a client
// query (parse_query, then the error answer built from it) and as an upstream answer
// (header, questions, every record and name). Checks the invariants that hold for any
// input; ASan/UBSan (clang build) catch reads outside the exact-size input copy.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "dns64/wire/message.h"
#include "dns_check.h"

namespace strait::dns64::wire {
namespace {

[[noreturn]] void violated(const char* what) {
    std::fprintf(stderr, "dns64_wire_fuzz: invariant violated: %s\n", what);
    std::abort();
}

void check(bool ok, const char* what) {
    if (!ok) violated(what);
}

/// A decompressed name is a label sequence ending at the root, within 255 bytes.
void check_plain_name(const uint8_t* n, std::size_t len) {
    check(len >= 1 && len <= kMaxNameLen, "name length out of range");
    std::size_t i = 0;
    while (n[i] != 0) {
        check(n[i] <= 63, "label too long");
        i += 1 + n[i];
        check(i < len, "labels run past the name");
    }
    check(i + 1 == len, "name does not end at its root label");
}

/// The query path: intake verdict, then the error answer it would get.
void as_query(Bytes m) {
    Query q;
    const QueryVerdict v = parse_query(m, q);
    if (v == QueryVerdict::Drop) {
        check(m.size() < kHeaderLen || (m[2] & 0x80), "dropped a header-sized non-response");
        return;
    }
    if (q.qname_len) {
        check(kHeaderLen + q.qname_len <= m.size(), "question name beyond the message");
        check_plain_name(q.lname, q.qname_len);
        check(name_equal(q.lname, q.qname_len, m.data() + kHeaderLen, q.qname_len),
              "lower-cased name differs from the message's");
    }
    if (v == QueryVerdict::Ok) {
        check(q.qname_len > 0 && q.question_end == kHeaderLen + q.qname_len + 4 &&
                  q.question_end <= m.size(),
              "accepted query without a whole question");
    }
    uint8_t out[kMaxUdpPlain];
    const std::size_t len = build_error(m, q, FormErr, 1232, out, sizeof out);
    check(len > 0, "no room for an error answer");
    fuzz::DnsView dv;
    const char* why = fuzz::check_message({out, len}, dv);
    if (why) violated(why);
    check(dv.id == q.h.id && (dv.flags & kFlagQr) && dv.qdcount <= 1, "error answer header");
}

/// The answer path: every record the reader accepts lies inside the message. Returns
/// true when it read the whole message.
bool as_answer(Bytes m) {
    Header h;
    if (!read_header(m, h)) return false;
    std::size_t off = skip_questions(m, h.qdcount);
    if (off == 0) return false;
    check(off <= m.size(), "questions end beyond the message");
    const unsigned total = unsigned{h.ancount} + h.nscount + h.arcount;
    for (unsigned i = 0; i < total; ++i) {
        Record r;
        if (!read_record(m, off, r)) return false;
        check(r.owner_off < r.rdata_off && r.ttl_off + 4 <= r.rdata_off &&
                  r.end == r.rdata_off + r.rdlen && r.end <= m.size() && r.end > off,
              "record fields out of order or out of bounds");
        uint8_t name[kMaxNameLen];
        std::size_t next = 0;
        const std::size_t n = read_name(m, r.owner_off, name, &next, false);
        if (n) {
            check_plain_name(name, n);
            check(next + 4 == r.ttl_off, "read_name and skip_name disagree on the owner's end");
            // Pointer chains cost the DNS64 lcore per hop: the reader must stop them.
            std::size_t end = 0, hops = 0;
            uint8_t again[kMaxNameLen];
            check(fuzz::read_name_checked(m, r.owner_off, again, &end, &hops) == n &&
                      hops <= kMaxPointerHops,
                  "read_name followed more than kMaxPointerHops pointers");
        }
        off = r.end;
    }
    return off == m.size();
}

}  // namespace
}  // namespace strait::dns64::wire

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // An exact-size heap copy: one byte past the end is a heap overflow under ASan.
    std::unique_ptr<uint8_t[]> copy(new uint8_t[size ? size : 1]);
    if (size) std::memcpy(copy.get(), data, size);
    const strait::dns64::wire::Bytes m(copy.get(), size);
    strait::dns64::wire::as_query(m);
    const bool read_all = strait::dns64::wire::as_answer(m);
    // Differential: what the independent validator accepts, the reader must read whole.
    strait::fuzz::DnsView dv;
    if (strait::fuzz::check_message(m, dv) == nullptr && !read_all) {
        strait::dns64::wire::violated("a well-formed message the reader rejects");
    }
    return 0;
}
