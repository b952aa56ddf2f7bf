// SPDX-License-Identifier: Apache-2.0
// RFC 8219 §9 binary search over the query rate.
#include "search.h"

#include <cstdio>

namespace strait::rig {

double search_rate(Traffic& traffic, double max_rate, double precision, double seconds,
                   const char* label) {
    // §9: a rate passes when all queries are answered within the timeout (no loss, none late).
    double lo = 0;
    double hi = max_rate;
    double rate = max_rate;
    int step = 0;
    while (hi - lo > precision) {
        RunStats st = traffic.run(rate, seconds);
        bool pass = st.sent > 0 && st.answered() == st.sent;
        std::printf("SEARCH step=%d rate=%.0f %s\n", ++step, rate, pass ? "pass" : "fail");
        print_result(label, rate, st);
        (pass ? lo : hi) = rate;
        if (pass && rate == max_rate) break;
        rate = (lo + hi) / 2;
    }
    std::printf("SEARCH label=%s result_qps=%.0f precision=%.0f steps=%d\n", label, lo,
                precision, step);
    std::fflush(stdout);
    return lo;
}

}  // namespace strait::rig
