// The key of a count is a fixed function of its names: every node of a cluster computes the same
// one, in every run, for the count they share in Redis.
#include "throttling/counter_key.h"

#include <gtest/gtest.h>

namespace gatehouse::throttling {
namespace {

TEST(CounterKey, IsTheSameInEveryProcessAndRun) {
  EXPECT_EQ(counter_key(Level::subscription, "app-1", "Shop:1.0"), 0x464da1f8dd6c0ab0ULL);
}

TEST(CounterKey, DiffersByLevelAndByWhereTheNamesSplit) {
  const uint64_t key = counter_key(Level::subscription, "app-1", "Shop:1.0");
  EXPECT_NE(counter_key(Level::burst, "app-1", "Shop:1.0"), key);
  EXPECT_NE(counter_key(Level::subscription, "app-1S", "hop:1.0"), key);
  EXPECT_NE(counter_key(Level::subscription, "app-1", "Shop:1.0", ""),
            counter_key(Level::subscription, "app-1", "", "Shop:1.0"));
  EXPECT_NE(key, 0u);  // 0 marks an empty slot of the counter tables
}

}  // namespace
}  // namespace gatehouse::throttling
