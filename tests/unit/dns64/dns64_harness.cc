// SPDX-License-Identifier: Apache-2.0
// ldns-based builders and decoders for the DNS64 engine tests.
#include "dns64_harness.h"

#include <cstdlib>

namespace strait::dns64::test {

Msg wire_of(ldns_pkt* p) {
    uint8_t* buf = nullptr;
    size_t len = 0;
    EXPECT_EQ(ldns_pkt2wire(&buf, p, &len), LDNS_STATUS_OK);
    Msg m(buf, buf + len);
    free(buf);
    return m;
}

Msg make_query(const std::string& name, ldns_rr_type type, QueryOpts o) {
    ldns_pkt* p = ldns_pkt_query_new(ldns_dname_new_frm_str(name.c_str()), type, LDNS_RR_CLASS_IN,
                                     LDNS_RD | (o.cd ? LDNS_CD : 0));
    ldns_pkt_set_id(p, o.id);
    if (o.edns) {
        ldns_pkt_set_edns_udp_size(p, o.udp);
        ldns_pkt_set_edns_do(p, o.do_bit);
    }
    Msg m = wire_of(p);
    ldns_pkt_free(p);
    return m;
}

namespace {
void push_rrs(ldns_pkt* p, ldns_pkt_section s, const std::vector<std::string>& rrs) {
    for (const auto& str : rrs) {
        ldns_rr* rr = nullptr;
        EXPECT_EQ(ldns_rr_new_frm_str(&rr, str.c_str(), 0, nullptr, nullptr), LDNS_STATUS_OK) << str;
        if (rr) ldns_pkt_push_rr(p, s, rr);
    }
}
}  // namespace

Msg make_answer(const Msg& query, ldns_pkt_rcode rcode, const std::vector<std::string>& answer,
                const std::vector<std::string>& authority) {
    ldns_pkt* q = nullptr;
    EXPECT_EQ(ldns_wire2pkt(&q, query.data(), query.size()), LDNS_STATUS_OK);
    ldns_pkt* a = ldns_pkt_new();
    ldns_pkt_set_id(a, ldns_pkt_id(q));
    ldns_pkt_set_qr(a, true);
    ldns_pkt_set_rd(a, true);
    ldns_pkt_set_ra(a, true);
    ldns_pkt_set_rcode(a, rcode);
    ldns_pkt_push_rr(a, LDNS_SECTION_QUESTION, ldns_rr_clone(ldns_rr_list_rr(ldns_pkt_question(q), 0)));
    push_rrs(a, LDNS_SECTION_ANSWER, answer);
    push_rrs(a, LDNS_SECTION_AUTHORITY, authority);
    ldns_pkt_set_edns_udp_size(a, 4096);
    Msg m = wire_of(a);
    ldns_pkt_free(a);
    ldns_pkt_free(q);
    return m;
}

namespace {
std::string rr_text(const ldns_rr* rr) {
    char* s = ldns_rr2str(rr);
    std::string out(s);
    free(s);
    while (!out.empty() && (out.back() == '\n')) out.pop_back();
    for (auto& c : out) {
        if (c == '\t') c = ' ';
    }
    return out;
}
}  // namespace

Decoded decode(const Msg& m) {
    Decoded d;
    ldns_pkt* p = nullptr;
    if (ldns_wire2pkt(&p, m.data(), m.size()) != LDNS_STATUS_OK) return d;
    d.ok = true;
    d.id = ldns_pkt_id(p);
    d.rcode = ldns_pkt_get_rcode(p);
    d.tc = ldns_pkt_tc(p);
    d.rd = ldns_pkt_rd(p);
    d.edns = ldns_pkt_edns(p);
    d.do_bit = ldns_pkt_edns_do(p);
    if (ldns_pkt_qdcount(p) == 1) {
        char* s = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(p), 0)));
        d.qname = s;
        free(s);
    }
    for (size_t i = 0; i < ldns_pkt_ancount(p); ++i) {
        d.answer.push_back(rr_text(ldns_rr_list_rr(ldns_pkt_answer(p), i)));
        d.answer_ttls.push_back(ldns_rr_ttl(ldns_rr_list_rr(ldns_pkt_answer(p), i)));
    }
    for (size_t i = 0; i < ldns_pkt_nscount(p); ++i) {
        d.authority.push_back(rr_text(ldns_rr_list_rr(ldns_pkt_authority(p), i)));
    }
    ldns_pkt_free(p);
    return d;
}

Dns64Config base_config() {
    Dns64Config c;
    c.prefixes = {*net::parse_ipv6_prefix("2001:db8:64::/96")};
    c.upstreams = {*net::parse_ipv4("198.51.100.53"), *net::parse_ipv4("203.0.113.53")};
    c.cache_entries = 1024;
    return c;
}

ClientId client6(const char* addr, uint16_t port) { return ClientId::v6(*net::parse_ipv6(addr), port); }

void EngineTest::reply(std::size_t i, ldns_pkt_rcode rcode, const std::vector<std::string>& an,
                       const std::vector<std::string>& ns, bool tc) {
    const FakeOut::Up up = out_.upstream.at(i);
    Msg a = make_answer(up.msg, rcode, an, ns);
    if (tc) a[2] |= 0x02;
    eng_.on_upstream_answer(a, up.server, up.server_port, up.local_port, now_, out_,
                            up.tcp ? Transport::Tcp : Transport::Udp);
}

ldns_rr_type EngineTest::upstream_type(std::size_t i) {
    ldns_pkt* p = nullptr;
    const Msg& m = out_.upstream.at(i).msg;
    if (ldns_wire2pkt(&p, m.data(), m.size()) != LDNS_STATUS_OK) return LDNS_RR_TYPE_NULL;
    const ldns_rr_type t = ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_question(p), 0));
    ldns_pkt_free(p);
    return t;
}

}  // namespace strait::dns64::test
