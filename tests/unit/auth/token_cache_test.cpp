#include "security/auth/token_cache.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>

namespace gatehouse::security::token_cache_test {
namespace {

using namespace std::chrono_literals;
using Clock = TokenCache::Clock;

constexpr int64_t now = 1'700'000'000;  // epoch seconds
const Clock::time_point steady_now{1000h};

TEST(CacheExpiry, ATokenLeavesTheCacheAtItsExp) {
  EXPECT_EQ(cache_expiry(now + 300, now, steady_now), steady_now + 300s);
  EXPECT_EQ(cache_expiry(now - 10, now, steady_now), steady_now - 10s);
}

TEST(CacheExpiry, ATokenWithoutExpIsBoundOnlyByMaxTtl) {
  EXPECT_EQ(cache_expiry(0, now, steady_now), Clock::time_point::max());
}

// An exp more than 292 years ahead does not fit the clock's nanoseconds; it once wrapped into
// the past (and was undefined behaviour), so that such a token was validated on every request.
TEST(CacheExpiry, AnExpCenturiesAheadIsKeptAsLongAsTheCacheKeepsAnything) {
  for (const int64_t exp : {now + 10'000'000'000, int64_t{INT64_MAX}}) {
    EXPECT_EQ(cache_expiry(exp, now, steady_now), Clock::time_point::max()) << exp;
  }
  TokenCache cache(4, 15min);
  const TokenDigest digest{7};
  cache.insert(digest, std::make_shared<Principal>(), cache_expiry(INT64_MAX, now, steady_now),
               steady_now);
  EXPECT_NE(cache.find(digest, steady_now + 14min), nullptr);
  EXPECT_EQ(cache.find(digest, steady_now + 15min), nullptr);
}

}  // namespace
}  // namespace gatehouse::security::token_cache_test
