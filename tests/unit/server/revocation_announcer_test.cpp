// The key manager's revocations reach the gateway's revocation list through the control thread,
// and the revocation's answer resumes only once every worker refuses the token: here with a
// control thread and two worker threads, each an io_context, as in the gateway.
#include "server/revocation_announcer.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "core/worker_index.h"

namespace gatehouse::server {
namespace {

namespace asio = boost::asio;

constexpr size_t worker_count = 2;

class RevocationAnnouncerTest : public ::testing::Test {
 protected:
  RevocationAnnouncerTest() {
    for (size_t i = 0; i < worker_count; ++i) {
      workers_.push_back(std::make_unique<asio::io_context>(1));
      guards_.emplace_back(workers_.back()->get_executor());
    }
    threads_.emplace_back([this] { control_.run(); });
    for (size_t i = 0; i < worker_count; ++i) {
      threads_.emplace_back([this, i] {
        set_this_worker(i);
        workers_[i]->run();
      });
    }
  }

  ~RevocationAnnouncerTest() override {
    control_guard_.reset();
    for (auto& guard : guards_) guard.reset();
    threads_.clear();  // joins
  }

  // Whether worker `index` refuses the token of this jti; read from the worker 0 thread once the
  // announcement resumed there, which the last worker's insert happens before.
  bool refused_by(size_t index, std::string_view jti) {
    set_this_worker(index);
    const bool refused = revocations_.revoked(security::TokenDigest{}, jti);
    set_this_worker(0);
    return refused;
  }

  // Announces the revocation from worker 0, as the worker that served /oauth2/revoke: what every
  // worker holds when the announcement resumes.
  std::future<std::vector<bool>> announce(std::string jti, keymanager::UnixSeconds expires_at) {
    return asio::co_spawn(
        *workers_[0],
        [this, jti, expires_at]() -> asio::awaitable<std::vector<bool>> {
          co_await announcer_(jti, expires_at);
          std::vector<bool> refused;
          for (size_t i = 0; i < worker_count; ++i) refused.push_back(refused_by(i, jti));
          co_return refused;
        },
        asio::use_future);
  }

  asio::io_context control_{1};
  asio::executor_work_guard<asio::io_context::executor_type> control_guard_{
      control_.get_executor()};
  std::vector<std::unique_ptr<asio::io_context>> workers_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
  PostToWorker post_ = [this](size_t worker, std::function<void()> task) {
    asio::post(*workers_.at(worker), std::move(task));
  };
  security::Revocations revocations_{worker_count, post_};
  keymanager::RevocationCallback announcer_ =
      revocations_through_control(control_, revocations_, [this](std::function<void()> then) {
        after_every_worker(worker_count, post_, std::move(then));
      });
  std::vector<std::jthread> threads_;  // last: joined first
};

TEST_F(RevocationAnnouncerTest, TheAnnouncementResumesOnceEveryWorkerRefusesTheToken) {
  auto refused = announce("jti-1", keymanager::system_now() + 3600);
  EXPECT_EQ(refused.get(), (std::vector<bool>{true, true}));
  EXPECT_EQ(refused_by(1, "jti-2"), false);
}

TEST_F(RevocationAnnouncerTest, ABusyWorkerHoldsTheAnnouncementUntilItHasTheRevocation) {
  std::promise<void> release;
  asio::post(*workers_[1], [done = release.get_future().share()] { done.wait(); });
  auto refused = announce("jti-1", keymanager::system_now() + 3600);
  // Worker 1 cannot run its insert: however long this waits, the announcement has not resumed.
  EXPECT_EQ(refused.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  release.set_value();
  EXPECT_EQ(refused.get(), (std::vector<bool>{true, true}));
}

TEST_F(RevocationAnnouncerTest, ARevocationTheListRefusesStillResumes) {
  // Expired already: nothing to post, and the answer is not held.
  EXPECT_EQ(announce("jti-old", keymanager::system_now() - 10).get(),
            (std::vector<bool>{false, false}));
}

}  // namespace
}  // namespace gatehouse::server
