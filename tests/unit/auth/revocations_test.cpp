#include "security/auth/revocations.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <future>
#include <thread>
#include <vector>

#include "security/auth/bearer_validator.h"
#include "security/jose/sha256.h"

namespace gatehouse::security {
namespace {

using namespace std::chrono_literals;

constexpr int64_t t0 = 1'700'000'000;  // epoch seconds

TokenDigest digest_of(std::string_view token) {
  return jose::sha256(token);
}

// Holds what revoke() posts to each worker, to run it when the test says so: the order in which
// a worker sees a revocation relative to its requests is what these tests are about.
struct PostedTasks {
  std::vector<std::vector<std::function<void()>>> per_worker;

  explicit PostedTasks(size_t workers) : per_worker(workers) {}
  Revocations::PostToWorker poster() {
    return [this](size_t worker, std::function<void()> task) {
      per_worker.at(worker).push_back(std::move(task));
    };
  }
  void run(size_t worker) {
    for (auto& task : per_worker.at(worker)) task();
    per_worker.at(worker).clear();
  }
  void run_all() {
    for (size_t w = 0; w < per_worker.size(); ++w) run(w);
  }
};

// Runs `check` as worker `index` would (tests run on the thread of worker 0 otherwise).
template <class F>
auto as_worker(size_t index, F check) {
  set_this_worker(index);
  auto result = check();
  set_this_worker(0);
  return result;
}

TEST(Revocations, ATokenRevokedByHashIsRefusedOnceTheWorkerRanThePostedInsert) {
  PostedTasks posted(1);
  Revocations revocations(1, posted.poster());
  const TokenDigest token = digest_of("token-a");
  ASSERT_TRUE(revocations.revoke({token, t0 + 600}, t0).has_value());
  EXPECT_FALSE(revocations.revoked(token, "", t0)) << "seen before the worker ran the insert";
  posted.run(0);
  EXPECT_TRUE(revocations.revoked(token, "", t0));
  EXPECT_TRUE(revocations.revoked(token, "any-jti", t0 + 599));
  EXPECT_FALSE(revocations.revoked(digest_of("token-b"), "", t0));
}

TEST(Revocations, EveryWorkerGetsItsOwnInsertAndReadsOnlyItsOwnCopy) {
  PostedTasks posted(2);
  Revocations revocations(2, posted.poster());
  const TokenDigest token = digest_of("token-a");
  ASSERT_TRUE(revocations.revoke({token, t0 + 600}, t0).has_value());
  ASSERT_EQ(posted.per_worker[0].size(), 1u);
  ASSERT_EQ(posted.per_worker[1].size(), 1u);
  posted.run(1);
  EXPECT_TRUE(as_worker(1, [&] { return revocations.revoked(token, "", t0); }));
  EXPECT_FALSE(as_worker(0, [&] { return revocations.revoked(token, "", t0); }));
  posted.run(0);
  EXPECT_TRUE(as_worker(0, [&] { return revocations.revoked(token, "", t0); }));
}

TEST(Revocations, AJtiRevokesEveryTokenCarryingItButAnEmptyJtiMatchesNothing) {
  PostedTasks posted(1);
  Revocations revocations(1, posted.poster());
  ASSERT_TRUE(revocations.revoke({std::string("jti-1"), t0 + 600}, t0).has_value());
  posted.run_all();
  EXPECT_TRUE(revocations.revoked(digest_of("one token"), "jti-1", t0));
  EXPECT_TRUE(revocations.revoked(digest_of("another token"), "jti-1", t0));
  EXPECT_FALSE(revocations.revoked(digest_of("one token"), "jti-2", t0));
  EXPECT_FALSE(revocations.revoked(digest_of("one token"), "", t0));
}

TEST(Revocations, AnEntryEndsWhenTheTokenWouldHaveExpired) {
  PostedTasks posted(1);
  Revocations revocations(1, posted.poster());
  const TokenDigest token = digest_of("token-a");
  ASSERT_EQ(revocations.revoke({token, t0 + 60}, t0), t0 + 60);
  posted.run_all();
  EXPECT_TRUE(revocations.revoked(token, "", t0 + 59));
  EXPECT_FALSE(revocations.revoked(token, "", t0 + 60));
}

TEST(Revocations, WithoutAnExpiryTheDefaultTtlApplies) {
  PostedTasks posted(1);
  Revocations revocations(1, posted.poster(), {.capacity = 10, .default_ttl = 2h});
  ASSERT_EQ(revocations.revoke({std::string("jti-1"), 0}, t0), t0 + 7200);
  posted.run_all();
  EXPECT_TRUE(revocations.revoked(digest_of("t"), "jti-1", t0 + 7199));
  EXPECT_FALSE(revocations.revoked(digest_of("t"), "jti-1", t0 + 7200));
}

TEST(Revocations, RevokingAgainKeepsTheLaterExpiry) {
  PostedTasks posted(1);
  Revocations revocations(1, posted.poster());
  ASSERT_TRUE(revocations.revoke({std::string("jti-1"), t0 + 600}, t0).has_value());
  ASSERT_TRUE(revocations.revoke({std::string("jti-1"), t0 + 60}, t0).has_value());
  posted.run_all();
  EXPECT_TRUE(revocations.revoked(digest_of("t"), "jti-1", t0 + 300));
  EXPECT_EQ(revocations.recorded().jtis().at("jti-1"), t0 + 600);
}

TEST(Revocations, AnAlreadyExpiredRevocationIsRefusedAndPostsNothing) {
  PostedTasks posted(2);
  Revocations revocations(2, posted.poster());
  EXPECT_EQ(revocations.revoke({std::string("jti-1"), t0}, t0),
            std::unexpected(RevokeError::expired));
  EXPECT_TRUE(posted.per_worker[0].empty());
  EXPECT_EQ(revocations.recorded().size(), 0u);
}

TEST(Revocations, WhenFullExpiredEntriesMakeRoomAndNoLiveOneIsForgotten) {
  PostedTasks posted(1);
  Revocations revocations(1, posted.poster(), {.capacity = 2, .default_ttl = 1h});
  const TokenDigest short_lived = digest_of("short"), long_lived = digest_of("long");
  ASSERT_TRUE(revocations.revoke({short_lived, t0 + 10}, t0).has_value());
  ASSERT_TRUE(revocations.revoke({long_lived, t0 + 600}, t0).has_value());
  EXPECT_EQ(revocations.revoke({std::string("jti-1"), t0 + 600}, t0 + 5),
            std::unexpected(RevokeError::full));

  ASSERT_TRUE(revocations.revoke({std::string("jti-1"), t0 + 600}, t0 + 10).has_value());
  posted.run_all();
  EXPECT_EQ(revocations.recorded().size(), 2u);
  EXPECT_EQ(revocations.recorded().digests().size(), 1u);
  EXPECT_TRUE(revocations.revoked(long_lived, "", t0 + 10));
  EXPECT_TRUE(revocations.revoked(digest_of("x"), "jti-1", t0 + 10));
  EXPECT_FALSE(revocations.revoked(short_lived, "", t0 + 10));
}

TEST(Revocations, NothingRevokedAtTheRealClockUntilARevocationArrives) {
  PostedTasks posted(1);
  Revocations revocations(1, posted.poster());
  const TokenDigest token = digest_of("token-a");
  EXPECT_FALSE(revocations.revoked(token, "jti-1"));
  ASSERT_TRUE(revocations.revoke({std::string("jti-1"), 0}, epoch_seconds()).has_value());
  posted.run_all();
  EXPECT_TRUE(revocations.revoked(token, "jti-1"));
}

// The real delivery: two workers, each an io_context on its own thread as in the gateway.
TEST(Revocations, PostedToRealWorkerThreadsEachSeesTheRevocation) {
  constexpr size_t workers = 2;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts;
  for (size_t i = 0; i < workers; ++i) {
    contexts.push_back(std::make_unique<boost::asio::io_context>(1));
  }
  Revocations revocations(workers, [&](size_t worker, std::function<void()> task) {
    boost::asio::post(*contexts.at(worker), std::move(task));
  });
  const TokenDigest token = digest_of("token-a");
  ASSERT_TRUE(revocations.revoke({token, 0}, epoch_seconds()).has_value());

  std::vector<std::future<bool>> seen;
  for (size_t i = 0; i < workers; ++i) {
    // Posted after the insert, so the worker has run the insert when it runs this.
    std::packaged_task<bool()> check([&] { return revocations.revoked(token, ""); });
    seen.push_back(check.get_future());
    boost::asio::post(*contexts[i], std::move(check));
  }
  std::vector<std::jthread> threads;
  for (size_t i = 0; i < workers; ++i) {
    threads.emplace_back([&, i] {
      set_this_worker(i);
      contexts[i]->run();
    });
  }
  for (auto& answer : seen) EXPECT_TRUE(answer.get());
}

}  // namespace
}  // namespace gatehouse::security
