// SPDX-License-Identifier: Apache-2.0
// Test harness for the DNS64 engine: builds queries and upstream answers with ldns (an
// independent implementation), captures the engine's output, decodes it with ldns.
#pragma once

#include <gtest/gtest.h>
#include <ldns/ldns.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dns64/engine.h"

namespace strait::dns64::test {

using Msg = std::vector<uint8_t>;

/// Captures what the engine sends.
struct FakeOut {
    struct Up {
        net::Ipv4Addr server;
        uint16_t server_port;
        uint16_t local_port;
        Msg msg;
        bool tcp = false;  ///< asked with to_upstream_tcp
    };
    std::vector<std::pair<ClientId, Msg>> client;
    std::vector<Up> upstream;
    void to_client(const ClientId& c, std::span<const uint8_t> m) {
        client.emplace_back(c, Msg(m.begin(), m.end()));
    }
    void to_upstream(net::Ipv4Addr s, uint16_t sp, uint16_t lp, std::span<const uint8_t> m) {
        upstream.push_back(Up{s, sp, lp, Msg(m.begin(), m.end()), false});
    }
    void to_upstream_tcp(net::Ipv4Addr s, uint16_t sp, uint16_t lp, std::span<const uint8_t> m) {
        upstream.push_back(Up{s, sp, lp, Msg(m.begin(), m.end()), true});
    }
    void clear() {
        client.clear();
        upstream.clear();
    }
};

struct QueryOpts {
    uint16_t id = 0x1234;
    bool edns = false;
    uint16_t udp = 1232;
    bool do_bit = false;
    bool cd = false;
};

Msg wire_of(ldns_pkt* p);
/// A client query built by ldns.
Msg make_query(const std::string& name, ldns_rr_type type, QueryOpts o = {});
/// An upstream answer to `query` (as the engine sent it): same ID and question, `rcode`,
/// answer and authority RRs in presentation format ("a.example. 300 IN A 192.0.2.1").
Msg make_answer(const Msg& query, ldns_pkt_rcode rcode, const std::vector<std::string>& answer,
                const std::vector<std::string>& authority = {});

/// A decoded engine answer.
struct Decoded {
    bool ok = false;
    uint16_t id = 0;
    ldns_pkt_rcode rcode = LDNS_RCODE_NOERROR;
    bool tc = false;
    bool rd = false;
    bool edns = false;
    bool do_bit = false;
    std::string qname;
    std::vector<std::string> answer;     ///< "owner ttl class type rdata", ldns formatting
    std::vector<std::string> authority;
    std::vector<uint32_t> answer_ttls;
};
Decoded decode(const Msg& m);

Dns64Config base_config();
ClientId client6(const char* addr = "2001:db8:6::10", uint16_t port = 40000);

/// Engine + fake clock + fake network.
class EngineTest : public ::testing::Test {
protected:
    explicit EngineTest(Dns64Config cfg = base_config()) : cfg_(cfg), rng_(42), eng_(cfg_, rng_) {}
    void ask(const Msg& q, const ClientId& c = client6()) { eng_.on_client_query(q, c, now_, out_); }
    /// Answers the i-th upstream query with the given records from its server, over the
    /// transport it was asked on; `tc` sets the TC bit.
    void reply(std::size_t i, ldns_pkt_rcode rcode, const std::vector<std::string>& an,
               const std::vector<std::string>& ns = {}, bool tc = false);
    void advance_ms(uint64_t ms) {
        now_ += ms * 1'000'000ull;
        eng_.on_tick(now_, out_);
    }
    /// Upstream question type of the i-th upstream query.
    ldns_rr_type upstream_type(std::size_t i);
    Decoded last_client() { return decode(out_.client.back().second); }

    Dns64Config cfg_;
    SplitMixRng rng_;
    Engine eng_;
    FakeOut out_;
    uint64_t now_ = 1'000'000'000ull;
};

}  // namespace strait::dns64::test
