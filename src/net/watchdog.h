// One timer per connection that bounds whichever operation the connection is waiting on.
// Re-arming only moves a deadline (no timer syscall per operation): the timer wakes at the old
// deadline, sees it moved, and sleeps again. When a deadline passes, the stream's pending
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
    Stream* stream = nullptr;
    bool expired = false;
    bool running = false;
    bool stopped = false;
  };
  // Waits until the deadline and acts on it, then waits again, until stopped.
  static void wait(std::shared_ptr<State> state);

  std::shared_ptr<State> state_;
};

}  // namespace gatehouse::net
