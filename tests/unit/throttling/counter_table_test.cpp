#include "throttling/counter_table.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace gatehouse::throttling {
namespace {

TEST(CounterTable, AKeyKeepsItsCounter) {
  CounterTable table(100);
  std::atomic<uint64_t>* counter = table.counter(42);
  ASSERT_NE(counter, nullptr);
  counter->fetch_add(3);
  EXPECT_EQ(table.counter(42), counter);
  EXPECT_EQ(table.count(42), 3u);
  EXPECT_EQ(table.count(43), 0u);
  EXPECT_EQ(table.keys(), 1u);
}

TEST(CounterTable, RefusesKeysBeyondItsRoom) {
  CounterTable table(100);
  size_t added = 0;
  for (uint64_t key = 1; key <= 1000; ++key) {
    if (table.counter(key) != nullptr) ++added;
  }
  EXPECT_EQ(added, table.max_keys());
  EXPECT_GE(table.max_keys(), 100u);
  // A key already held still counts.
  EXPECT_NE(table.counter(1), nullptr);
}

TEST(CounterTable, ClearForgetsEveryKey) {
  CounterTable table(16);
  table.counter(7)->fetch_add(5);
  table.clear();
  EXPECT_EQ(table.count(7), 0u);
  EXPECT_EQ(table.keys(), 0u);
  EXPECT_EQ(table.counter(7)->load(), 0u);
}

// Threads adding the same keys at once meet in the same slots: no count is lost or split.
TEST(CounterTable, ThreadsCountingTheSameKeysLoseNothing) {
  CounterTable table(4096);
  constexpr int kThreads = 4, kKeys = 1000, kRounds = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&table] {
      for (int round = 0; round < kRounds; ++round) {
        for (uint64_t key = 1; key <= kKeys; ++key) table.counter(key * 7919)->fetch_add(1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(table.keys(), size_t{kKeys});
  for (uint64_t key = 1; key <= kKeys; ++key) {
    ASSERT_EQ(table.count(key * 7919), uint64_t{kThreads * kRounds}) << key;
  }
}

}  // namespace
}  // namespace gatehouse::throttling
