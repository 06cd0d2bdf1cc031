#include "redis/waiting_callers.h"

#include <utility>

namespace gatehouse::redis {

// Handlers change places by swap(): Boost 1.81's any_completion_handler move assignment wraps
// the handler in another instead of moving it, and recurses without end.
void WaitingCallers::push(Handler handler, Clock::time_point sent) {
  if (count_ == slots_.size()) {
    std::vector<Entry> larger(slots_.empty() ? 64 : slots_.size() * 2);
    for (size_t i = 0; i < count_; ++i) {
      larger[i].handler.swap(at(i).handler);
      larger[i].sent = at(i).sent;
    }
    slots_ = std::move(larger);
    head_ = 0;
  }
  Entry& entry = at(count_);
  entry.handler.swap(handler);
  entry.sent = sent;
  ++count_;
}

WaitingCallers::Handler WaitingCallers::pop() {
  Handler handler = std::move(at(0).handler);
  head_ = (head_ + 1) & (slots_.size() - 1);
  --count_;
  if (timed_out_ > 0) --timed_out_;
  return handler;
}

}  // namespace gatehouse::redis
