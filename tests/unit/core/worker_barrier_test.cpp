// The barrier that answers to a change wait for: it calls back once every worker has run what was
// posted to it before, and not earlier. Each worker's queue is run here by hand;
// tests/unit/server/revocation_announcer_test.cpp has it with real worker threads.
#include "core/worker_barrier.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gatehouse {
namespace {

// Each worker's queue, run when the test says.
struct QueuedTasks {
  std::vector<std::vector<std::function<void()>>> per_worker;

  explicit QueuedTasks(size_t workers) : per_worker(workers) {}
  PostToWorker poster() {
    return [this](size_t worker, std::function<void()> task) {
      per_worker.at(worker).push_back(std::move(task));
    };
  }
  void run(size_t worker) {
    for (auto& task : per_worker.at(worker)) task();
    per_worker.at(worker).clear();
  }
};

TEST(AfterEveryWorker, CallsBackOnceTheLastWorkerRanItsTask) {
  QueuedTasks queued(3);
  int called = 0;
  after_every_worker(3, queued.poster(), [&] { ++called; });
  queued.run(2);
  queued.run(0);
  EXPECT_EQ(called, 0);
  queued.run(1);
  EXPECT_EQ(called, 1);
}

TEST(AfterEveryWorker, RunsAfterWhatWasPostedBefore) {
  QueuedTasks queued(2);
  std::vector<std::string> order;
  const PostToWorker post = queued.poster();
  post(0, [&] { order.push_back("change on 0"); });
  post(1, [&] { order.push_back("change on 1"); });
  after_every_worker(2, post, [&] { order.push_back("caught up"); });
  queued.run(1);
  queued.run(0);
  EXPECT_EQ(order, (std::vector<std::string>{"change on 1", "change on 0", "caught up"}));
}

TEST(AfterEveryWorker, WithoutWorkersCallsBackAtOnce) {
  int called = 0;
  after_every_worker(
      0, [](size_t, std::function<void()>) { FAIL() << "nothing to post to"; }, [&] { ++called; });
  EXPECT_EQ(called, 1);
}

}  // namespace
}  // namespace gatehouse
