#include "throttling/meter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace gatehouse::throttling {
namespace {

using config::QuotaKind;
using config::TimeUnit;

constexpr UnixMillis kMinuteStart = 1796495460000;  // 2026-12-05T18:31:00Z

config::Quota requests(uint64_t amount, bool sliding = false) {
  return {QuotaKind::requests, amount, {1, TimeUnit::minute, sliding}};
}

TEST(Meter, AdmitsTheQuotaThenRefusesUntilTheNextWindow) {
  WindowCounters counters({1, TimeUnit::minute}, 64);
  const Meter meter(requests(3), counters);
  for (int i = 1; i <= 3; ++i) {
    const Reading reading = meter.take(1, kMinuteStart + i);
    EXPECT_TRUE(reading.admitted);
    EXPECT_EQ(reading.remaining(), 3u - i);
    EXPECT_EQ(reading.reset, kMinuteStart + 60'000);
  }
  const Reading refused = meter.take(1, kMinuteStart + 59'999);
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.remaining(), 0u);
  EXPECT_TRUE(meter.take(1, kMinuteStart + 60'000).admitted);
  // Another key has its own count.
  EXPECT_TRUE(meter.take(2, kMinuteStart + 10).admitted);
}

TEST(Meter, ARefusedRequestIsNotCounted) {
  WindowCounters counters({1, TimeUnit::minute}, 64);
  const Meter meter(requests(1), counters);
  ASSERT_TRUE(meter.take(1, kMinuteStart).admitted);
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(meter.take(1, kMinuteStart).admitted);
  EXPECT_EQ(counters.table(window_at({1, TimeUnit::minute}, kMinuteStart).index)->count(1), 1u);
}

TEST(Meter, GivingBackFreesTheRequestsPlace) {
  WindowCounters counters({1, TimeUnit::minute}, 64);
  const Meter meter(requests(1), counters);
  const Reading first = meter.take(1, kMinuteStart);
  ASSERT_TRUE(first.admitted);
  Meter::give_back(first);
  EXPECT_TRUE(meter.take(1, kMinuteStart).admitted);
}

TEST(Meter, WithoutStopOnQuotaReachEveryRequestPassesAndIsCounted) {
  WindowCounters counters({1, TimeUnit::minute}, 64);
  const Meter meter(requests(2), counters);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(meter.take(1, kMinuteStart, false).admitted);
  const Reading reading = meter.take(1, kMinuteStart, false);
  EXPECT_TRUE(reading.admitted);
  EXPECT_EQ(reading.used, 6u);
  EXPECT_EQ(reading.remaining(), 0u);
}

TEST(Meter, ASlidingWindowCarriesThePreviousWindowsWeight) {
  WindowCounters counters({1, TimeUnit::minute}, 64);
  const Meter meter(requests(10, true), counters);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(meter.take(1, kMinuteStart + 59'000).admitted);
  // 15 s into the next minute, 3/4 of the last minute's 10 still count: 7.5, rounded up to 8,
  // + 1.
  const Reading reading = meter.take(1, kMinuteStart + 75'000);
  EXPECT_TRUE(reading.admitted);
  EXPECT_EQ(reading.used, 9u);
  EXPECT_TRUE(meter.take(1, kMinuteStart + 75'000).admitted);   // 10
  EXPECT_FALSE(meter.take(1, kMinuteStart + 75'000).admitted);  // 11
  // A fixed window would have admitted all 10 again at once.
}

TEST(Meter, ABandwidthQuotaRefusesOnceItsBytesAreSpent) {
  WindowCounters counters({1, TimeUnit::minute}, 64);
  const Meter meter({QuotaKind::bandwidth, 1000, {1, TimeUnit::minute}}, counters);
  EXPECT_TRUE(meter.take(1, kMinuteStart).admitted);
  meter.add_bytes(1, 600, kMinuteStart);
  EXPECT_TRUE(meter.take(1, kMinuteStart).admitted);
  meter.add_bytes(1, 600, kMinuteStart);
  const Reading reading = meter.take(1, kMinuteStart);
  EXPECT_FALSE(reading.admitted);
  EXPECT_EQ(reading.used, 1200u);
}

// The exactness the gateway promises in one process: of many concurrent takes, exactly the quota
// is admitted.
TEST(Meter, ThreadsTakingAtOnceAdmitExactlyTheQuota) {
  WindowCounters counters({1, TimeUnit::minute}, 64);
  const Meter meter(requests(1000), counters);
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        if (meter.take(1, kMinuteStart + 1).admitted) admitted.fetch_add(1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(admitted.load(), 1000);
}

TEST(WindowCounters, ThePreparedNextWindowStartsEmpty) {
  WindowCounters counters({1, TimeUnit::second}, 64);
  const Meter meter({QuotaKind::requests, 1, {1, TimeUnit::second}}, counters);
  UnixMillis now = kMinuteStart;
  for (int second = 0; second < 10; ++second, now += 1000) {
    counters.prepare_next(now);
    EXPECT_TRUE(meter.take(5, now).admitted) << second;
    EXPECT_FALSE(meter.take(5, now + 500).admitted) << second;
  }
}

TEST(WindowCounters, AnInstantTwoWindowsOldCountsNowhere) {
  WindowCounters counters({1, TimeUnit::second}, 64);
  const int64_t index = window_at(counters.spec(), kMinuteStart).index;
  ASSERT_NE(counters.table(index + 3), nullptr);  // the table of `index` now counts index + 3
  EXPECT_EQ(counters.table(index), nullptr);
  EXPECT_EQ(counters.previous(index + 1), nullptr);
}

}  // namespace
}  // namespace gatehouse::throttling
