#include "redis/backoff.h"

#include <algorithm>

namespace gatehouse::redis {

Backoff::Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max)
    : min_(std::max(min, std::chrono::milliseconds(1))),
      max_(std::max(max, min_)),
      step_(min_),
      random_(std::random_device{}()) {}

std::chrono::milliseconds Backoff::next() {
  const std::chrono::milliseconds step = step_;
  step_ = std::min(step_ * 2, max_);
  std::uniform_int_distribution<int64_t> jitter(0, step.count() / 2);
  return step - std::chrono::milliseconds(jitter(random_));
}

}  // namespace gatehouse::redis
