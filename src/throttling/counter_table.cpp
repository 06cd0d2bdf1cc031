#include "throttling/counter_table.h"

#include <sys/mman.h>

#include <bit>
#include <new>

namespace gatehouse::throttling {

CounterTable::CounterTable(size_t max_keys) {
  const size_t slots = std::bit_ceil(std::max<size_t>(16, max_keys + max_keys / 3 + 1));
  mask_ = slots - 1;
  max_keys_ = slots / 4 * 3;
  void* memory = mmap(nullptr, slots * sizeof(Slot), PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) throw std::bad_alloc();
  // A fresh anonymous mapping reads as zeros: every slot is an empty key with a count of 0, which
  // is what an atomic holding 0 is.
  slots_ = static_cast<Slot*>(memory);
}

CounterTable::~CounterTable() {
  munmap(slots_, (mask_ + 1) * sizeof(Slot));
}

size_t CounterTable::first_slot(uint64_t key) const {
  // Keys are hashes already; the multiply spreads keys that differ only in high bits.
  return (key * 0x9E3779B97F4A7C15ull >> 17) & mask_;
}

std::atomic<uint64_t>* CounterTable::counter(uint64_t key) {
  for (size_t i = first_slot(key), probes = 0; probes <= mask_; i = (i + 1) & mask_, ++probes) {
    Slot& slot = slots_[i];
    uint64_t held = slot.key.load(std::memory_order_acquire);
    if (held == 0) {
      if (keys_.load(std::memory_order_relaxed) >= max_keys_) return nullptr;
      if (slot.key.compare_exchange_strong(held, key, std::memory_order_acq_rel)) {
        keys_.fetch_add(1, std::memory_order_relaxed);
        return &slot.count;
      }
      // Another thread took the slot first; `held` is now its key, perhaps ours.
    }
    if (held == key) return &slot.count;
  }
  return nullptr;
}

uint64_t CounterTable::count(uint64_t key) const {
  for (size_t i = first_slot(key), probes = 0; probes <= mask_; i = (i + 1) & mask_, ++probes) {
    const Slot& slot = slots_[i];
    const uint64_t held = slot.key.load(std::memory_order_acquire);
    if (held == key) return slot.count.load(std::memory_order_relaxed);
    if (held == 0) return 0;
  }
  return 0;
}

void CounterTable::clear() {
  // Private anonymous pages read as zeros again after MADV_DONTNEED, and stop counting as used.
  madvise(slots_, (mask_ + 1) * sizeof(Slot), MADV_DONTNEED);
  keys_.store(0, std::memory_order_relaxed);
}

}  // namespace gatehouse::throttling
