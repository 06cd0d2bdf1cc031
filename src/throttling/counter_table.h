// A fixed-capacity hash table of counters that any number of threads update at once, with no lock:
// a key is only ever added, never moved or removed (its slot's key goes from 0 to the key once,
// by compare-and-swap), so two threads looking for one key meet in the same slot, and a count is
// one atomic add on it. The table is emptied as a whole (WindowCounters does it when its window
// has passed and nobody counts in it any more), which is how expired counts are reclaimed.
//
// The slots are one anonymous mapping: pages no key has touched cost no memory, and clear() hands
// every page back to the system instead of writing zeros over it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace gatehouse::throttling {

class CounterTable {
 public:
  // Room for `max_keys` keys (the slots, a power of two, are kept at most 3/4 full so that a
  // lookup probes few of them).
  explicit CounterTable(size_t max_keys);
  ~CounterTable();
  CounterTable(const CounterTable&) = delete;
  CounterTable& operator=(const CounterTable&) = delete;

  // The counter of `key` (any value but 0), added at 0 when new; null when the table is full.
  std::atomic<uint64_t>* counter(uint64_t key);
  // The count of `key`; 0 when absent.
  uint64_t count(uint64_t key) const;
  // Forgets every key. Only while no other thread uses the table.
  void clear();

  size_t keys() const { return keys_.load(std::memory_order_relaxed); }
  size_t max_keys() const { return max_keys_; }

 private:
  struct Slot {
    std::atomic<uint64_t> key;
    std::atomic<uint64_t> count;
  };
  static_assert(sizeof(Slot) == 16);

  size_t first_slot(uint64_t key) const;

  Slot* slots_ = nullptr;
  size_t mask_ = 0;
  size_t max_keys_ = 0;
  std::atomic<size_t> keys_{0};
};

}  // namespace gatehouse::throttling
