// SPDX-License-Identifier: Apache-2.0
// RFC 8219 §9 (DNS64 performance): binary search for the highest query rate at which every
// query is answered within the timeout.
#pragma once

#include "run_stats.h"
#include "traffic.h"

namespace strait::rig {

struct SearchSpec {
    double max_rate;   // upper bound, queries/s; tried first
    double precision;  // stop when the pass/fail interval is this narrow
    double loss_pct;   // a step passes with at most this share unanswered (RFC 8219: 0)
    double seconds;    // send time of each step
};

/// Prints one result line per step and a final "SEARCH" line; returns the highest rate
/// (queries/s) that passed, 0 when none did. A step passes when the queries answered in time
/// with NOERROR are at least (100 - loss_pct) % of those sent.
double search_rate(Traffic& traffic, const SearchSpec& spec, const char* label);

/// One "RESULT ..." line (machine-readable key=value pairs).
void print_result(const char* label, double rate, const RunStats& st);

}  // namespace strait::rig
