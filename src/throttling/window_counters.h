// The counters of every key for windows of one length (say 1 minute), kept for the window now,
// the one before it (a sliding window reads it) and the next, in three tables used in turn:
// window w counts in table w mod 3. When window w+1 is prepared, its table last counted window
// w-2, which nobody reads any more, so it is emptied then: expired counts are reclaimed a whole
// table at a time, and memory stays bounded by three tables per window length.
//
// The control thread prepares the next window ahead of time (prepare_next, every tick), so a
// request normally finds its table ready; if the control thread is late, the first request of the
// window prepares it (one wins a compare-and-swap, the others wait the few microseconds it takes).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "config/throttling_model.h"
#include "throttling/counter_table.h"
#include "throttling/window.h"

namespace gatehouse::throttling {

class WindowCounters {
 public:
  WindowCounters(config::WindowSpec spec, size_t max_keys);

  const config::WindowSpec& spec() const { return spec_; }

  // The table counting window `index`, emptied first if it held an older window; null when it
  // already counts a later window (the caller's instant is two windows old: it counts nowhere).
  CounterTable* table(int64_t index);
  // The table of window `index - 1`, if it still holds that window.
  const CounterTable* previous(int64_t index) const;
  // Makes the window after the one holding `now` ready.
  void prepare_next(UnixMillis now);

 private:
  // A table's window while it is being emptied; below every real window index.
  static constexpr int64_t kEmptying = INT64_MIN + 1;
  static constexpr int64_t kNever = INT64_MIN;

  struct Generation {
    explicit Generation(size_t max_keys) : table(max_keys) {}
    std::atomic<int64_t> window{kNever};
    CounterTable table;
  };
  Generation& generation(int64_t index);
  const Generation& generation(int64_t index) const;

  config::WindowSpec spec_;
  std::array<Generation, 3> generations_;
};

}  // namespace gatehouse::throttling
