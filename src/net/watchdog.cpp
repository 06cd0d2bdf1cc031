#include "net/watchdog.h"

#include <algorithm>

#include "net/exact_allocation.h"

namespace gatehouse::net {

Watchdog::Watchdog(const asio::any_io_executor& executor)
    : state_(std::make_shared<State>(executor)) {}

void Watchdog::arm(Stream& stream, Clock::duration timeout) {
  State& s = *state_;
  const Clock::time_point now = Clock::now();
  s.deadline = now + timeout;
  s.stream = &stream;
  s.expired = false;
  if (!s.running) {
    s.running = true;
    wait(state_, now);
  } else if (s.deadline < s.wake) {
    s.timer.cancel();  // the wait ends early and the next one reads the (earlier) deadline
  }
}

void Watchdog::disarm() {
  state_->deadline = Clock::time_point::max();
}

void Watchdog::stop() {
  state_->stopped = true;
  state_->stream = nullptr;
  state_->timer.cancel();
}

// A plain completion handler, not a coroutine: an idle connection's watch then costs one small
// pending operation instead of a spawned coroutine's frames. The wait is re-armed only every
// max_sleep or when a deadline moves closer, so its exact allocation is off the busy path.
void Watchdog::wait(std::shared_ptr<State> state, Clock::time_point now) {
  State& s = *state;
  s.wake = std::min(s.deadline, now + max_sleep);
  s.timer.expires_at(s.wake);
  s.timer.async_wait(with_exact_allocation([state = std::move(state)](const error_code&) mutable {
    if (state->stopped) {
      state->running = false;
      return;
    }
    const Clock::time_point now = Clock::now();
    if (now >= state->deadline && state->stream != nullptr) {
      state->expired = true;
      state->deadline = Clock::time_point::max();
      state->stream->cancel();
    }
    wait(std::move(state), now);
  }));
}

}  // namespace gatehouse::net
