// A function that reports by calling back, awaited: the coroutine resumes, on its own executor,
// once the callback it handed over is called, from whichever thread calls it.
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <functional>
#include <memory>

namespace gatehouse::net {

// Calls `start` with a callback, and resumes when that callback is called (exactly once).
inline boost::asio::awaitable<void> until_called(
    const std::function<void(std::function<void()> done)>& start) {
  namespace asio = boost::asio;
  const auto initiation = [&start](auto handler) {
    // std::function copies what it holds: the handler, which only moves, is shared.
    auto resume = std::make_shared<decltype(handler)>(std::move(handler));
    start([resume] {
      auto executor = asio::get_associated_executor(*resume);
      asio::post(executor, std::move(*resume));
    });
  };
  co_await asio::async_initiate<const asio::use_awaitable_t<>&, void()>(initiation,
                                                                        asio::use_awaitable);
}

}  // namespace gatehouse::net
