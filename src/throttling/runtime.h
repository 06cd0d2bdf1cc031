// What throttling keeps for the life of the process, across snapshots and reloads: the counters
// and the blocking conditions. A reload compiles a new Plan whose meters count in the same
// WindowCounters (one per window length), under the same keys, so the counts go on where they
// were.
//
// counters(), tick() and blocking_conditions() are for the control thread; workers use the
// WindowCounters they were handed and their own copy of the blocking list (blocking()).
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <cstddef>
#include <memory>
#include <vector>

#include "config/throttling_model.h"
#include "core/worker_index.h"
#include "throttling/blocking.h"
#include "throttling/shared_counts.h"
#include "throttling/window.h"
#include "throttling/window_counters.h"

namespace gatehouse::throttling {

// The gateway's wall clock, which windows are placed on. Read through the vDSO: no system call.
UnixMillis unix_now();

class Runtime {
 public:
  // Each window length gets tables of `max_keys_per_window` keys (three of them, see
  // window_counters.h): 16 bytes per key of address space, and memory only for pages in use.
  explicit Runtime(size_t max_keys_per_window = size_t{1} << 16);

  // The counters for windows of this length (`sliding` does not matter), the same every time.
  WindowCounters& counters(const config::WindowSpec& spec);
  // Prepares every window length's next window, so that requests find it ready.
  void tick(UnixMillis now);

  // One blocking list per worker, each empty until installed. Before any worker runs.
  void set_workers(size_t workers);
  // The control thread's conditions; each change is handed to every worker's install_blocking.
  BlockingConditions& blocking_conditions() { return blocking_conditions_; }
  // On a worker's thread: the list its next requests test.
  void install_blocking(BlockingListPtr list) { worker_lists_->local() = std::move(list); }
  // On a worker's thread: the list it tests.
  const BlockingList& blocking() const { return *worker_lists_->local(); }

  // Counting across the cluster (throttling.cluster): one SharedCounts per worker, on its
  // executor, made before the workers run; each is then started on its worker's thread.
  void enable_cluster(const config::ThrottleCluster& cluster,
                      const std::vector<boost::asio::any_io_executor>& worker_executors);
  // Once the workers have stopped, before their io_contexts are destroyed.
  void disable_cluster() { shared_.clear(); }
  // On a worker's thread: its shared counts; null when counting in this process only.
  SharedCounts* shared() const { return shared_.empty() ? nullptr : shared_[this_worker()].get(); }

 private:
  size_t max_keys_per_window_;
  std::vector<std::unique_ptr<WindowCounters>> counters_;
  BlockingConditions blocking_conditions_;
  std::unique_ptr<PerWorker<BlockingListPtr>> worker_lists_;
  std::vector<std::unique_ptr<SharedCounts>> shared_;
};

}  // namespace gatehouse::throttling
