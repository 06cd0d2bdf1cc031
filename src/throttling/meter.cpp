#include "throttling/meter.h"

#include <algorithm>
#include <cmath>

#include "throttling/rate_limit_text.h"

namespace gatehouse::throttling {

Meter::Meter(const config::Quota& quota, WindowCounters& counters)
    : quota_(quota), counters_(&counters) {
  const int64_t unit = unit_millis(quota.window.unit);
  if (unit != 0) {
    append_policy_parameters(policy_parameters_, quota.amount, unit * quota.window.count,
                             quota.kind == config::QuotaKind::bandwidth);
  }
}

Reading Meter::reading(const WindowPosition& window) const {
  return {.limit = quota_.amount, .reset = window.end, .window_ms = window.length()};
}

uint64_t Meter::estimate(uint64_t counted, uint64_t key, const WindowPosition& window,
                         UnixMillis now) const {
  if (!quota_.window.sliding) return counted;
  const CounterTable* previous = counters_->previous(window.index);
  if (previous == nullptr) return counted;
  // Rounded up: the estimate never admits a request the weighted count would not.
  const double carried = static_cast<double>(previous->count(key)) * (1.0 - window.elapsed(now));
  return counted + static_cast<uint64_t>(std::ceil(carried));
}

Reading Meter::take(uint64_t key, UnixMillis now, bool stop_on_quota_reach, uint32_t share) const {
  const WindowPosition window = window_at(quota_.window, now);
  Reading result = reading(window);
  result.limit = std::max<uint64_t>(1, quota_.amount / std::max<uint32_t>(1, share));
  CounterTable* table = counters_->table(window.index);
  std::atomic<uint64_t>* counter = table != nullptr ? table->counter(key) : nullptr;
  if (counter == nullptr) return result;
  if (quota_.kind == config::QuotaKind::bandwidth) {
    result.used = estimate(counter->load(std::memory_order_relaxed), key, window, now);
    result.admitted = !stop_on_quota_reach || result.used < result.limit;
    return result;
  }
  result.used = estimate(counter->fetch_add(1, std::memory_order_relaxed) + 1, key, window, now);
  if (result.used > result.limit && stop_on_quota_reach) {
    counter->fetch_sub(1, std::memory_order_relaxed);
    result.admitted = false;
    result.used = result.limit;
    return result;
  }
  result.counted = counter;
  return result;
}

void Meter::give_back(const Reading& reading) {
  if (reading.counted != nullptr) reading.counted->fetch_sub(1, std::memory_order_relaxed);
}

void Meter::add_bytes(uint64_t key, uint64_t bytes, UnixMillis now) const {
  CounterTable* table = counters_->table(window_at(quota_.window, now).index);
  std::atomic<uint64_t>* counter = table != nullptr ? table->counter(key) : nullptr;
  if (counter != nullptr) counter->fetch_add(bytes, std::memory_order_relaxed);
}

}  // namespace gatehouse::throttling
