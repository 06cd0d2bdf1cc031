#include "keymanager/server/failed_attempts.h"

#include <gtest/gtest.h>

namespace gatehouse::keymanager {
namespace {

using std::chrono::seconds;

constexpr AttemptTime t0{1'800'000'000};

void fail(FailedAttempts& attempts, std::string_view key, int times, AttemptTime now = t0) {
  for (int i = 0; i < times; ++i) attempts.failed(key, now);
}

TEST(FailedAttemptsTest, TheFirstFiveFailuresAreFree) {
  FailedAttempts attempts;
  fail(attempts, "ip:192.0.2.1", 5);
  EXPECT_EQ(attempts.wait("ip:192.0.2.1", t0), 0);
}

TEST(FailedAttemptsTest, EachFailureAfterThemShutsTheKeyOutTwiceAsLong) {
  FailedAttempts attempts;
  fail(attempts, "client:shop", 6);
  EXPECT_EQ(attempts.wait("client:shop", t0), 1);
  EXPECT_EQ(attempts.wait("client:shop", t0 + std::chrono::milliseconds(999)), 1) << "rounded up";
  EXPECT_EQ(attempts.wait("client:shop", t0 + seconds(1)), 0);
  attempts.failed("client:shop", t0 + seconds(1));
  EXPECT_EQ(attempts.wait("client:shop", t0 + seconds(1)), 2);
  attempts.failed("client:shop", t0 + seconds(3));
  EXPECT_EQ(attempts.wait("client:shop", t0 + seconds(3)), 4);
  EXPECT_EQ(attempts.wait("client:other", t0 + seconds(3)), 0) << "another key is not shut out";
}

TEST(FailedAttemptsTest, TheDelayStopsAtItsCap) {
  FailedAttempts attempts({.max_delay = std::chrono::seconds(300)});
  fail(attempts, "user:alice", 100);
  EXPECT_EQ(attempts.wait("user:alice", t0), 300);
}

TEST(FailedAttemptsTest, ASuccessForgetsTheKey) {
  FailedAttempts attempts;
  fail(attempts, "client:shop", 8);
  attempts.succeeded("client:shop");
  EXPECT_EQ(attempts.wait("client:shop", t0), 0);
  fail(attempts, "client:shop", 5);
  EXPECT_EQ(attempts.wait("client:shop", t0), 0) << "counted from zero again";
}

TEST(FailedAttemptsTest, AKeyQuietForLongEnoughStartsAfresh) {
  FailedAttempts attempts({.forget_after = std::chrono::seconds(900)});
  fail(attempts, "ip:192.0.2.1", 7);
  const AttemptTime later = t0 + seconds(900);
  attempts.failed("ip:192.0.2.1", later);
  EXPECT_EQ(attempts.wait("ip:192.0.2.1", later), 0) << "one failure of a fresh count";
}

TEST(FailedAttemptsTest, AFullTableDropsTheKeysThatShutNothingOut) {
  FailedAttempts attempts({.max_keys = 2});
  fail(attempts, "client:attacked", 6);
  attempts.failed("ip:192.0.2.1", t0);
  attempts.failed("ip:192.0.2.2", t0);  // the idle ip:192.0.2.1 makes room
  fail(attempts, "ip:192.0.2.2", 5);
  EXPECT_EQ(attempts.wait("ip:192.0.2.2", t0), 1);
  EXPECT_EQ(attempts.wait("client:attacked", t0), 1) << "a shut-out key is kept";
}

TEST(FailedAttemptsTest, AFullTableOfShutOutKeysCountsNoNewOne) {
  FailedAttempts attempts({.max_keys = 1});
  fail(attempts, "client:attacked", 6);
  fail(attempts, "ip:192.0.2.1", 10);
  EXPECT_EQ(attempts.wait("ip:192.0.2.1", t0), 0);
  EXPECT_EQ(attempts.wait("client:attacked", t0), 1);
}

}  // namespace
}  // namespace gatehouse::keymanager
