#include "keymanager/server/failed_attempts.h"

#include <algorithm>

namespace gatehouse::keymanager {

bool FailedAttempts::forgotten(const Count& count, AttemptTime now) const {
  return now >= count.shut_until && now - count.last_failure >= policy_.forget_after;
}

int64_t FailedAttempts::wait(std::string_view key, AttemptTime now) {
  std::lock_guard lock(mutex_);
  const auto found = counts_.find(key);
  if (found == counts_.end() || found->second.shut_until <= now) return 0;
  return std::chrono::ceil<std::chrono::seconds>(found->second.shut_until - now).count();
}

void FailedAttempts::failed(std::string_view key, AttemptTime now) {
  std::lock_guard lock(mutex_);
  auto found = counts_.find(key);
  if (found == counts_.end()) {
    if (counts_.size() >= policy_.max_keys) drop_idle(now);
    if (counts_.size() >= policy_.max_keys) return;
    found = counts_.emplace(std::string(key), Count{}).first;
  }
  Count& count = found->second;
  if (forgotten(count, now)) count = Count{};
  ++count.failures;
  count.last_failure = now;
  if (count.failures <= policy_.free_failures) return;
  // 1 s, 2 s, 4 s... after the free ones; the shift stops growing long before it could overflow.
  const uint32_t doublings = std::min<uint32_t>(count.failures - policy_.free_failures - 1, 30);
  const std::chrono::seconds delay =
      std::min(std::chrono::seconds(policy_.first_delay.count() << doublings), policy_.max_delay);
  count.shut_until = now + delay;
}

void FailedAttempts::succeeded(std::string_view key) {
  std::lock_guard lock(mutex_);
  if (const auto found = counts_.find(key); found != counts_.end()) counts_.erase(found);
}

void FailedAttempts::drop_idle(AttemptTime now) {
  std::erase_if(counts_, [&](const auto& entry) { return now >= entry.second.shut_until; });
}

}  // namespace gatehouse::keymanager
