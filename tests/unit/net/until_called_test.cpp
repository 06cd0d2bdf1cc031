// A callback awaited: the coroutine resumes on its own thread when another thread calls back, and
// not before.
#include "net/until_called.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <future>
#include <thread>

namespace gatehouse::net {
namespace {

namespace asio = boost::asio;

TEST(UntilCalled, ResumesOnItsOwnThreadOnceAnotherThreadCallsBack) {
  asio::io_context own(1);
  auto guard = asio::make_work_guard(own);
  std::jthread own_thread([&] { own.run(); });
  std::promise<std::function<void()>> handed_over;
  std::function<void(std::function<void()>)> start = [&](std::function<void()> done) {
    handed_over.set_value(std::move(done));
  };
  std::future<std::thread::id> resumed_on = asio::co_spawn(
      own,
      [&]() -> asio::awaitable<std::thread::id> {
        co_await until_called(start);
        co_return std::this_thread::get_id();
      },
      asio::use_future);
  std::function<void()> done = handed_over.get_future().get();
  EXPECT_EQ(resumed_on.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout)
      << "resumed before the callback";
  std::jthread([&] { done(); }).join();
  EXPECT_EQ(resumed_on.get(), own_thread.get_id());
  guard.reset();
}

}  // namespace
}  // namespace gatehouse::net
