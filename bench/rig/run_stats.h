// SPDX-License-Identifier: Apache-2.0
// What one rig run counts: queries sent, answers by RCODE, late and unmatched answers,
// and a 1 µs latency histogram for percentiles.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace strait::rig {

class RunStats {
  public:
    static constexpr uint32_t kMaxUs = 1'000'000;  // latencies above land in the last bucket

    RunStats() : latency_us_(kMaxUs + 1, 0) {}

    void record_answer(uint64_t latency_us, uint8_t rcode, bool in_time) {
        ++(in_time ? answered_ : late_);
        if (in_time && rcode == 0) ++answered_noerror_;
        ++rcodes_[rcode & 0x0f];
        ++latency_us_[latency_us < kMaxUs ? latency_us : kMaxUs];
    }

    /// Latency (µs) under which `p` (0..1) of the matched answers arrived.
    [[nodiscard]] uint64_t percentile_us(double p) const;
    /// "NOERROR=..., NXDOMAIN=..." for the RCODEs seen.
    [[nodiscard]] std::string rcode_summary() const;

    uint64_t sent = 0;       // queries handed to the NIC
    uint64_t tx_full = 0;    // queries the NIC did not take (not counted as sent)
    uint64_t unmatched = 0;  // answers with no outstanding query (duplicates, stale)
    uint64_t ndp_answered = 0;
    double send_seconds = 0;  // time the send phase lasted

    [[nodiscard]] uint64_t answered() const { return answered_; }
    /// Answered within the timeout with RCODE NOERROR (what RFC 8219 §9 counts as valid).
    [[nodiscard]] uint64_t answered_noerror() const { return answered_noerror_; }
    [[nodiscard]] uint64_t late() const { return late_; }
    /// Share of sent queries not answered within the timeout, in percent.
    [[nodiscard]] double loss_percent() const {
        return sent ? 100.0 * static_cast<double>(sent - answered_) / static_cast<double>(sent)
                    : 0.0;
    }

  private:
    uint64_t answered_ = 0;
    uint64_t answered_noerror_ = 0;
    uint64_t late_ = 0;
    std::array<uint64_t, 16> rcodes_{};
    std::vector<uint64_t> latency_us_;
};

}  // namespace strait::rig
