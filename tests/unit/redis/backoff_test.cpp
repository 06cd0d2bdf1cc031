#include "redis/backoff.h"

#include <gtest/gtest.h>

#include <set>

namespace gatehouse::redis {
namespace {

using std::chrono::milliseconds;

TEST(RedisBackoff, DoublesUpToTheMaximumWithJitterAndStartsOverAfterASuccess) {
  Backoff backoff(milliseconds(100), milliseconds(5000));
  const int64_t steps[] = {100, 200, 400, 800, 1600, 3200, 5000, 5000};
  for (int round = 0; round < 2; ++round) {
    for (const int64_t step : steps) {
      const milliseconds delay = backoff.next();
      EXPECT_GE(delay.count(), step / 2);
      EXPECT_LE(delay.count(), step);
    }
    backoff.reset();
  }
}

TEST(RedisBackoff, DelaysDifferBetweenClients) {
  // Jitter: a thousand clients that lost one server do not all come back at one instant.
  std::set<int64_t> delays;
  for (int i = 0; i < 50; ++i)
    delays.insert(Backoff(milliseconds(1000), milliseconds(1000)).next().count());
  EXPECT_GT(delays.size(), 10u);
}

}  // namespace
}  // namespace gatehouse::redis
