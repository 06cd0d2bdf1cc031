#include "throttling/window_counters.h"

#include <thread>

namespace gatehouse::throttling {

WindowCounters::WindowCounters(config::WindowSpec spec, size_t max_keys)
    : spec_{spec.count, spec.unit, false},
      generations_{Generation(max_keys), Generation(max_keys), Generation(max_keys)} {}

WindowCounters::Generation& WindowCounters::generation(int64_t index) {
  return generations_[static_cast<size_t>((index % 3 + 3) % 3)];
}

const WindowCounters::Generation& WindowCounters::generation(int64_t index) const {
  return generations_[static_cast<size_t>((index % 3 + 3) % 3)];
}

CounterTable* WindowCounters::table(int64_t index) {
  Generation& held = generation(index);
  for (;;) {
    int64_t window = held.window.load(std::memory_order_acquire);
    if (window == index) return &held.table;
    if (window == kEmptying) {
      std::this_thread::yield();
      continue;
    }
    if (window > index) return nullptr;
    if (held.window.compare_exchange_strong(window, kEmptying, std::memory_order_acquire)) {
      held.table.clear();
      held.window.store(index, std::memory_order_release);
      return &held.table;
    }
  }
}

const CounterTable* WindowCounters::previous(int64_t index) const {
  const Generation& held = generation(index - 1);
  return held.window.load(std::memory_order_acquire) == index - 1 ? &held.table : nullptr;
}

void WindowCounters::prepare_next(UnixMillis now) {
  table(window_at(spec_, now).index + 1);
}

}  // namespace gatehouse::throttling
