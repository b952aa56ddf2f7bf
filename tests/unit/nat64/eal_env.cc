// SPDX-License-Identifier: Apache-2.0
// Starts EAL once for the NAT64 table tests (rte_hash and rte_rcu_qsbr need it): no
// hugepages, no shared files, a file prefix of this process's own.
#include <gtest/gtest.h>

#include "tests/common/nat64_gateway.h"

namespace {

class EalEnvironment : public ::testing::Environment {
  public:
    void SetUp() override { strait::nat64::test::init_eal_once("nat64_table_test"); }
};

[[maybe_unused]] ::testing::Environment* const kEal =
    ::testing::AddGlobalTestEnvironment(new EalEnvironment);

}  // namespace
