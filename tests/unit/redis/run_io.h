// Driving the test's io_context: until an operation completes, or until a condition holds.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>

namespace gatehouse::redis::fixtures {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Runs the io_context until `done()` holds or `limit` passes; returns done(). The client's
// background loops keep the context busy, so run() would not return.
inline bool run_until(asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds limit = 10s) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < give_up) {
    if (io.stopped()) io.restart();
    io.run_one_for(10ms);
  }
  return done();
}

// Runs the io_context for `duration`: time passes for the client as it would in a worker.
inline void run_for(asio::io_context& io, std::chrono::milliseconds duration) {
  run_until(
      io, [] { return false; }, duration);
}

// Runs `operation` on `io` until it completes; throws if that takes longer than `limit`.
template <class T>
T run(asio::io_context& io, asio::awaitable<T> operation, std::chrono::milliseconds limit = 10s) {
  std::optional<T> result;
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { result.emplace(co_await std::move(operation)); },
      asio::detached);
  if (!run_until(
          io, [&] { return result.has_value(); }, limit)) {
    throw std::runtime_error("operation did not complete");
  }
  return std::move(*result);
}

}  // namespace gatehouse::redis::fixtures
