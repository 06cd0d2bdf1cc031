// The callers of one connection that sent a command and wait for its reply, oldest first. Redis
// answers in order, so the next reply is always the oldest caller's.
//
// Each waits at most the command timeout. Every command gets the same timeout and is queued when
// sent, so the deadlines rise from front to back and the callers that timed out are always a
// prefix of the queue: they stay in it, without their handler, until their reply comes and is
// dropped. Taking a timed-out caller out instead would pair the replies still due with the wrong
// callers; dropping the connection at each timeout would turn a slow second into a reconnect
// storm. (A server that never answers is caught by the connection's dead_after.)
//
// A ring over one vector, so that steady traffic allocates nothing once it has grown.
#pragma once

#include <boost/asio/any_completion_handler.hpp>

#include <chrono>
#include <cstddef>
#include <expected>
#include <vector>

#include "core/error.h"
#include "redis/reply.h"

namespace gatehouse::redis {

class WaitingCallers {
 public:
  using Clock = std::chrono::steady_clock;
  using Result = std::expected<Reply, Error>;
  using Handler = boost::asio::any_completion_handler<void(Result)>;

  explicit WaitingCallers(Clock::duration timeout) : timeout_(timeout) {}

  // Unanswered commands, timed-out ones included.
  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }

  void push(Handler handler, Clock::time_point sent);

  // For the next reply: the oldest caller's handler, or an empty one if that caller timed out
  // (its reply is dropped). Not empty().
  Handler pop();

  // Takes the handlers of the callers whose deadline is `now` or earlier, oldest first, leaving
  // their places; calls `expired(Handler&&)` for each.
  template <class F>
  void expire(Clock::time_point now, F&& expired) {
    while (timed_out_ < count_) {
      Entry& entry = at(timed_out_);
      if (entry.sent + timeout_ > now) break;
      ++timed_out_;
      expired(std::move(entry.handler));
    }
  }

  // When the next waiting caller times out; time_point::max() when none waits.
  Clock::time_point next_deadline() const {
    return timed_out_ < count_ ? at(timed_out_).sent + timeout_ : Clock::time_point::max();
  }
  // When the oldest unanswered command was sent. Not empty().
  Clock::time_point oldest_sent() const { return at(0).sent; }

  // Empties the queue; calls `each(Handler&&)` for every caller still waiting, oldest first.
  template <class F>
  void drain(F&& each) {
    while (count_ > 0) {
      Handler handler = pop();
      if (handler) each(std::move(handler));
    }
  }

 private:
  struct Entry {
    Handler handler;  // empty once timed out
    Clock::time_point sent;
  };

  Entry& at(size_t index) { return slots_[(head_ + index) & (slots_.size() - 1)]; }
  const Entry& at(size_t index) const { return slots_[(head_ + index) & (slots_.size() - 1)]; }

  Clock::duration timeout_;
  std::vector<Entry> slots_;  // a power of two in size, or empty
  size_t head_ = 0;
  size_t count_ = 0;
  size_t timed_out_ = 0;  // the first `timed_out_` entries have timed out
};

}  // namespace gatehouse::redis
