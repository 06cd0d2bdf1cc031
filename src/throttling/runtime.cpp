#include "throttling/runtime.h"

#include <chrono>

namespace gatehouse::throttling {

UnixMillis unix_now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Runtime::Runtime(size_t max_keys_per_window)
    : max_keys_per_window_(max_keys_per_window),
      worker_lists_(
          std::make_unique<PerWorker<BlockingListPtr>>(1, blocking_conditions_.current())) {}

void Runtime::set_workers(size_t workers) {
  worker_lists_ =
      std::make_unique<PerWorker<BlockingListPtr>>(workers, blocking_conditions_.current());
}

WindowCounters& Runtime::counters(const config::WindowSpec& spec) {
  for (const auto& held : counters_) {
    if (held->spec().count == spec.count && held->spec().unit == spec.unit) return *held;
  }
  counters_.push_back(std::make_unique<WindowCounters>(spec, max_keys_per_window_));
  return *counters_.back();
}

void Runtime::tick(UnixMillis now) {
  for (const auto& held : counters_) held->prepare_next(now);
}

void Runtime::enable_cluster(const config::ThrottleCluster& cluster,
                             const std::vector<boost::asio::any_io_executor>& worker_executors) {
  shared_.clear();
  for (const auto& executor : worker_executors) {
    shared_.push_back(std::make_unique<SharedCounts>(executor, cluster, worker_executors.size()));
  }
}

}  // namespace gatehouse::throttling
