// The delays between reconnect attempts: exponential, capped, jittered.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace gatehouse::redis {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max);

  // The delay before the next attempt: the step, which starts at `min` and doubles after each
  // call up to `max`, less a random part of up to half of it, so that many clients that lost one
  // server do not come back in the same millisecond.
  std::chrono::milliseconds next();
  // After a success: the next delay is `min` again.
  void reset() { step_ = min_; }

 private:
  std::chrono::milliseconds min_;
  std::chrono::milliseconds max_;
  std::chrono::milliseconds step_;
  std::minstd_rand random_;
};

}  // namespace gatehouse::redis
