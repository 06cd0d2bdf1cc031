// The grant store's own thread: store calls block on the disk (each commit is synced), so the
// key manager's coroutines hand them to this thread and wait without blocking their worker.
//
// The store is used from this thread only, one call at a time in the order they arrived, which
// is what SqliteGrantStore requires. Safe to call from any number of threads at once.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "keymanager/store/grant_store.h"

namespace gatehouse::keymanager {

class StoreThread {
 public:
  explicit StoreThread(std::unique_ptr<GrantStore> store);
  // Finishes the calls queued already, then joins the thread. No call may start meanwhile.
  ~StoreThread();

  StoreThread(const StoreThread&) = delete;
  StoreThread& operator=(const StoreThread&) = delete;

  // Runs `call(store)` on the store thread and resumes the awaiting coroutine on its own
  // executor with what `call` returned. An exception `call` throws is rethrown there.
  template <class Call>
  boost::asio::awaitable<std::invoke_result_t<Call, GrantStore&>> run(Call call) {
    // Not a coroutine itself: the caller's lambda lives in a type-erased function, not in a
    // coroutine frame defined in this header (g++ warns when that frame would hold a type with
    // internal linkage, such as a lambda of an anonymous namespace).
    return run_call<std::invoke_result_t<Call, GrantStore&>>(std::move(call));
  }

  // For start-up and commands (no coroutine): runs `call` on the store thread and waits for it.
  // Never from the store thread itself, nor from a worker.
  template <class Call>
  std::invoke_result_t<Call, GrantStore&> run_blocking(Call call) {
    std::packaged_task<std::invoke_result_t<Call, GrantStore&>(GrantStore&)> task(std::move(call));
    auto done = task.get_future();
    post_job(std::move(task));
    return done.get();
  }

 private:
  using Job = std::move_only_function<void(GrantStore&)>;

  template <class Result>
  boost::asio::awaitable<Result> run_call(std::move_only_function<Result(GrantStore&)> call) {
    // The job writes into this frame, which waits for it: the frame outlives the job.
    std::optional<Result> result;
    co_await run_job([&](GrantStore& store) { result.emplace(call(store)); });
    co_return std::move(*result);
  }

  boost::asio::awaitable<void> run_job(Job job);
  void post_job(Job job);

  struct Loop;  // the thread and its io_context (store_thread.cpp)
  std::unique_ptr<GrantStore> store_;
  std::unique_ptr<Loop> loop_;
};

}  // namespace gatehouse::keymanager
