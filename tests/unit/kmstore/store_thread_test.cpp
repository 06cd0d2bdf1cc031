#include "keymanager/store/store_thread.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "store_fixture.h"

namespace gatehouse::keymanager {
namespace {

namespace asio = boost::asio;
using fixtures::open_store;
using fixtures::refresh_token;

class StoreThreadTest : public ::testing::Test {
 protected:
  fixtures::TempDir dir_;
  const std::string path_ = dir_.file("grants.db");
};

TEST_F(StoreThreadTest, RunResumesTheCoroutineOnItsOwnThreadWithTheResult) {
  StoreThread thread(open_store(path_));
  asio::io_context io;
  std::thread::id store_thread_id, resumed_on;
  std::optional<StoreResult<bool>> rotated;

  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto put = co_await thread.run([&](GrantStore& store) {
          store_thread_id = std::this_thread::get_id();
          return store.put_refresh_token(refresh_token("hash-1"));
        });
        EXPECT_TRUE(put);
        rotated = co_await thread.run([](GrantStore& store) {
          return store.rotate_refresh_token("hash-1", refresh_token("hash-2"));
        });
        resumed_on = std::this_thread::get_id();
      },
      asio::detached);
  io.run();

  ASSERT_TRUE(rotated.has_value());
  ASSERT_TRUE(*rotated);
  EXPECT_TRUE(**rotated);
  EXPECT_NE(store_thread_id, std::this_thread::get_id());
  EXPECT_EQ(resumed_on, std::this_thread::get_id());
}

TEST_F(StoreThreadTest, AnExceptionFromTheCallReachesTheCoroutine) {
  StoreThread thread(open_store(path_));
  asio::io_context io;
  std::string caught;

  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        try {
          co_await thread.run([](GrantStore&) -> int { throw std::runtime_error("store broke"); });
        } catch (const std::runtime_error& error) {
          caught = error.what();
        }
      },
      asio::detached);
  io.run();

  EXPECT_EQ(caught, "store broke");
}

TEST_F(StoreThreadTest, RunBlockingReturnsWhatTheCallReturned) {
  StoreThread thread(open_store(path_));
  ASSERT_TRUE(thread.run_blocking(
      [](GrantStore& store) { return store.put_refresh_token(refresh_token("hash-1")); }));

  auto found =
      thread.run_blocking([](GrantStore& store) { return store.find_refresh_token("hash-1"); });
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->has_value());
  EXPECT_THROW(thread.run_blocking([](GrantStore&) -> int { throw std::runtime_error("no"); }),
               std::runtime_error);
}

TEST_F(StoreThreadTest, ManyThreadsRunCallsAtOnce) {
  constexpr int threads = 8;
  constexpr int calls_per_thread = 25;
  StoreThread store_thread(open_store(path_));
  std::atomic<int> found{0};
  std::atomic<int> resumed_elsewhere{0};

  std::vector<std::thread> workers;
  for (int worker = 0; worker < threads; ++worker) {
    workers.emplace_back([&, worker] {
      asio::io_context io;
      const auto own_id = std::this_thread::get_id();
      asio::co_spawn(
          io,
          [&]() -> asio::awaitable<void> {
            for (int call = 0; call < calls_per_thread; ++call) {
              const std::string hash = std::to_string(worker) + "-" + std::to_string(call);
              auto put = co_await store_thread.run(
                  [&](GrantStore& store) { return store.put_refresh_token(refresh_token(hash)); });
              auto read = co_await store_thread.run(
                  [&](GrantStore& store) { return store.find_refresh_token(hash); });
              if (std::this_thread::get_id() != own_id) ++resumed_elsewhere;
              if (put && read && read->has_value() && (*read)->token_hash == hash) ++found;
            }
          },
          asio::detached);
      io.run();
    });
  }
  for (std::thread& worker : workers) worker.join();

  EXPECT_EQ(found.load(), threads * calls_per_thread);
  EXPECT_EQ(resumed_elsewhere.load(), 0);
}

TEST_F(StoreThreadTest, DestructionFinishesTheQueuedCalls) {
  asio::io_context io;
  int completed = 0;
  {
    StoreThread thread(open_store(path_));
    for (int call = 0; call < 20; ++call) {
      asio::co_spawn(
          io,
          [&, call]() -> asio::awaitable<void> {
            auto put = co_await thread.run([call](GrantStore& store) {
              return store.put_refresh_token(refresh_token("hash-" + std::to_string(call)));
            });
            if (put) ++completed;
          },
          asio::detached);
    }
    io.poll();  // each coroutine queues its call, then waits
  }
  io.run();  // the answers of the calls the destructor finished

  EXPECT_EQ(completed, 20);
  auto store = open_store(path_);
  for (int call = 0; call < 20; ++call) {
    EXPECT_TRUE(store->find_refresh_token("hash-" + std::to_string(call))->has_value()) << call;
  }
}

}  // namespace
}  // namespace gatehouse::keymanager
