// One timer per connection that bounds whichever operation the connection is waiting on.
// Re-arming only moves a deadline (no timer operation per I/O): the timer wakes at the old wake
// time, sees the deadline moved, and sleeps again. When a deadline passes, the stream's pending
// operation is cancelled and `expired()` tells the waiting code why its operation failed.
#pragma once

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>

#include "net/stream.h"

namespace gatehouse::net {

class Watchdog {
 public:
  using Clock = std::chrono::steady_clock;

  // The timer never sleeps longer than this at a time. A deadline at least this far ahead is then
  // never sooner than the pending wake, so moving to it (keep-alive 60 s to header 10 s, response
  // 60 s to body 30 s) costs no timer cancel and re-arm; an idle connection pays one wake per
  // this long instead.
  static constexpr Clock::duration max_sleep = std::chrono::seconds(5);

  explicit Watchdog(const asio::any_io_executor& executor);

  // Bounds the next operations on `stream` by `timeout` from now.
  void arm(Stream& stream, Clock::duration timeout);
  void disarm();
  bool expired() const { return state_->expired; }

  // Stops the watch loop for good; call before the stream it watches is destroyed.
  void stop();

 private:
  struct State {
    explicit State(const asio::any_io_executor& executor) : timer(executor) {}
    asio::steady_timer timer;
    Clock::time_point deadline = Clock::time_point::max();
    Clock::time_point wake = Clock::time_point::max();  // when the pending wait ends
    Stream* stream = nullptr;
    bool expired = false;
    bool running = false;
    bool stopped = false;
  };
  // Waits until the deadline (at most max_sleep) and acts on it, then waits again, until stopped.
  static void wait(std::shared_ptr<State> state, Clock::time_point now);

  std::shared_ptr<State> state_;
};

}  // namespace gatehouse::net
