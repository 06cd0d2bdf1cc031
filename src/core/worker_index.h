// Which worker thread is running. Per-worker state (token caches, key sets fetched by a worker) is
// kept in one slot per worker and found by this index, so the request path needs no lock. The
// index is set once when a worker thread starts; threads that are not workers (the control thread,
// tests) read 0 and must not touch per-worker state while workers run.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <thread>
#include <vector>

namespace gatehouse {

namespace detail {
inline thread_local size_t current_worker = 0;
}

inline size_t this_worker() {
  return detail::current_worker;
}
inline void set_this_worker(size_t index) {
  detail::current_worker = index;
}

// The number of workers a config asks for: `workers: 0` means one per core.
inline size_t worker_count(uint32_t configured) {
  return configured != 0 ? configured : std::max(1u, std::thread::hardware_concurrency());
}

// One T per worker, each on its own cache lines so that workers never share one.
template <class T>
class PerWorker {
 public:
  template <class... Args>
  explicit PerWorker(size_t workers, const Args&... args) {
    slots_.reserve(workers);
    for (size_t i = 0; i < workers; ++i) slots_.push_back(std::make_unique<Slot>(args...));
  }

  // The calling worker's T.
  T& local() const { return slots_[this_worker()]->value; }
  size_t size() const { return slots_.size(); }
  T& at(size_t worker) const { return slots_.at(worker)->value; }

 private:
  // 64 bytes: the cache line of every x86-64 and most ARM cores (the std constant varies by flags).
  struct alignas(64) Slot {
    template <class... Args>
    explicit Slot(const Args&... args) : value(args...) {}
    T value;
  };
  std::vector<std::unique_ptr<Slot>> slots_;
};

}  // namespace gatehouse
