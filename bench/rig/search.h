// SPDX-License-Identifier: Apache-2.0
// RFC 8219 §9 (DNS64 performance): binary search for the highest query rate at which every
// query is answered within the timeout.
#pragma once

#include "run_stats.h"
#include "traffic.h"

namespace strait::rig {

/// Prints one result line per step and a final "SEARCH" line; returns the highest rate
/// (queries/s) that passed, 0 when none did. Each step sends for `seconds`.
double search_rate(Traffic& traffic, double max_rate, double precision, double seconds,
                   const char* label);

/// One "RESULT ..." line (machine-readable key=value pairs).
void print_result(const char* label, double rate, const RunStats& st);

}  // namespace strait::rig
