// SPDX-License-Identifier: Apache-2.0
// RFC 8219 §9 binary search over the query rate.
#include "search.h"

#include <cstdio>

namespace strait::rig {

double search_rate(Traffic& traffic, const SearchSpec& spec, const char* label) {
    double lo = 0;
    double hi = spec.max_rate;
    double rate = spec.max_rate;
    int step = 0;
    while (hi - lo > spec.precision) {
        RunStats st = traffic.run(rate, spec.seconds);
        double need = static_cast<double>(st.sent) * (1.0 - spec.loss_pct / 100.0);
        // A step counts only at the rate it claims: when the rig itself could not offer
        // it (port full, CPU), the server was not tested there and the step fails.
        const double offered = static_cast<double>(st.sent) / (st.send_seconds > 0 ? st.send_seconds : 1);
        const bool offered_ok = offered >= 0.99 * rate;
        bool pass = offered_ok && st.sent > 0 && static_cast<double>(st.answered_noerror()) >= need;
        std::printf("SEARCH step=%d rate=%.0f %s%s\n", ++step, rate, pass ? "pass" : "fail",
                    offered_ok ? "" : " (generator-bound: offered less than 99% of the rate)");
        print_result(label, rate, st);
        (pass ? lo : hi) = rate;
        if (pass && rate == spec.max_rate) break;
        rate = (lo + hi) / 2;
    }
    std::printf("SEARCH label=%s result_qps=%.0f precision=%.0f loss_allowed_pct=%g steps=%d\n",
                label, lo, spec.precision, spec.loss_pct, step);
    std::fflush(stdout);
    return lo;
}

}  // namespace strait::rig
