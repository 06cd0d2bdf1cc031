#include "net/watchdog.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace gatehouse::net {

Watchdog::Watchdog(const asio::any_io_executor& executor)
    : state_(std::make_shared<State>(executor)) {}

void Watchdog::arm(Stream& stream, Clock::duration timeout) {
  State& s = *state_;
  const Clock::time_point deadline = Clock::now() + timeout;
  const bool sooner = deadline < s.deadline;
  s.deadline = deadline;
  s.stream = &stream;
  s.expired = false;
  if (!s.running) {
    s.running = true;
    asio::co_spawn(s.timer.get_executor(), watch(state_), asio::detached);
  } else if (sooner) {
    s.timer.cancel();  // the loop re-reads the (earlier) deadline
  }
}

void Watchdog::disarm() { state_->deadline = Clock::time_point::max(); }

void Watchdog::stop() {
  state_->stopped = true;
  state_->stream = nullptr;
  state_->timer.cancel();
}

asio::awaitable<void> Watchdog::watch(std::shared_ptr<State> state) {
  while (!state->stopped) {
    state->timer.expires_at(state->deadline);
    co_await state->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (state->stopped) break;
    if (Clock::now() >= state->deadline && state->stream != nullptr) {
      state->expired = true;
      state->deadline = Clock::time_point::max();
      state->stream->cancel();
    }
  }
  state->running = false;
}

}  // namespace gatehouse::net
