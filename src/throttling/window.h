// Where an instant falls in a throttling window. Fixed windows are aligned to the calendar in UTC,
// as WSO2 aligns them, so that every worker and every node counts the same window for the same
// instant and reports the same reset time: a minute starts at second 0, an hour at minute 0, a
// day at midnight, a week on Monday, a month on its first day. A window of n units starts at a
// multiple of n units since 1970 (1970-01-05 for weeks, the first Monday).
#pragma once

#include <cstdint>

#include "config/throttling_model.h"

namespace gatehouse::throttling {

// Milliseconds since the epoch, UTC: the time every window is placed on.
using UnixMillis = int64_t;

struct WindowPosition {
  int64_t index = 0;  // windows since the epoch; consecutive windows have consecutive indexes
  UnixMillis start = 0;
  UnixMillis end = 0;  // exclusive

  UnixMillis length() const { return end - start; }
  // How much of the window has passed at `now`, from 0 to 1.
  double elapsed(UnixMillis now) const {
    return static_cast<double>(now - start) / static_cast<double>(length());
  }
};

// The window of `spec` (its count and unit; `sliding` plays no part here) that holds `now`.
WindowPosition window_at(const config::WindowSpec& spec, UnixMillis now);

// The length of one unit in milliseconds; months vary and give 0.
int64_t unit_millis(config::TimeUnit unit);

}  // namespace gatehouse::throttling
