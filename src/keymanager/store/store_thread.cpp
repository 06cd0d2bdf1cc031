#include "keymanager/store/store_thread.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <thread>

namespace gatehouse::keymanager {

namespace asio = boost::asio;

struct StoreThread::Loop {
  asio::io_context io{1};  // one thread runs it
  // Keeps run() going while no call is queued; released by the destructor.
  asio::executor_work_guard<asio::io_context::executor_type> keep_running =
      asio::make_work_guard(io);
  std::thread thread;
};

StoreThread::StoreThread(std::unique_ptr<GrantStore> store)
    : store_(std::move(store)), loop_(std::make_unique<Loop>()) {
  loop_->thread = std::thread([loop = loop_.get()] { loop->io.run(); });
}

StoreThread::~StoreThread() {
  // run() returns once the queue is empty: the calls already queued are made first.
  loop_->keep_running.reset();
  loop_->thread.join();
}

asio::awaitable<void> StoreThread::run_job(Job job) {
  // co_spawn runs the job on the store's io_context and completes on the awaiting coroutine's
  // executor, keeping both busy meanwhile; an exception thrown by the job is rethrown here.
  co_await asio::co_spawn(
      loop_->io,
      [this, job = std::move(job)]() mutable -> asio::awaitable<void> {
        job(*store_);
        co_return;
      },
      asio::use_awaitable);
}

void StoreThread::post_job(Job job) {
  asio::post(loop_->io, [this, job = std::move(job)]() mutable { job(*store_); });
}

}  // namespace gatehouse::keymanager
