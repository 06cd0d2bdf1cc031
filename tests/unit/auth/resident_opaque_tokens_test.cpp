// The table of the built-in key manager's opaque tokens: what it answers for a live, an expired,
// a removed and an unknown token, and that workers reading at once while the key manager issues
// and revokes see every token either whole or gone.
#include "security/auth/resident_opaque_tokens.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "security/jose/sha256.h"

namespace gatehouse::security::resident_opaque_tokens_test {
namespace {

namespace json = boost::json;

constexpr int64_t t0 = 1'700'000'000;  // epoch seconds

ResidentOpaqueTokens::Claims claims_of(std::string subject) {
  return std::make_shared<const json::object>(json::object{{"sub", std::move(subject)}});
}

TEST(ResidentOpaqueTokens, FindsALiveTokenByItsDigestUntilItExpires) {
  ResidentOpaqueTokens tokens;
  tokens.insert(jose::sha256("gat_alice"), claims_of("alice"), t0 + 60);
  const auto found = tokens.find(jose::sha256("gat_alice"), t0);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->at("sub"), "alice");
  EXPECT_NE(tokens.find(jose::sha256("gat_alice"), t0 + 59), nullptr);
  EXPECT_EQ(tokens.find(jose::sha256("gat_bob"), t0), nullptr);

  EXPECT_EQ(tokens.find(jose::sha256("gat_alice"), t0 + 60), nullptr);
  EXPECT_EQ(tokens.size(), 0u) << "an expired token found is dropped";
}

TEST(ResidentOpaqueTokens, ARemovedTokenIsGone) {
  ResidentOpaqueTokens tokens;
  tokens.insert(jose::sha256("gat_alice"), claims_of("alice"), t0 + 60);
  EXPECT_TRUE(tokens.erase(jose::sha256("gat_alice")));
  EXPECT_EQ(tokens.find(jose::sha256("gat_alice"), t0), nullptr);
  EXPECT_FALSE(tokens.erase(jose::sha256("gat_alice")));
}

TEST(ResidentOpaqueTokens, APurgeDropsTheExpiredOnesOfEveryShard) {
  ResidentOpaqueTokens tokens;
  for (int i = 0; i < 1000; ++i) {
    tokens.insert(jose::sha256("gat_" + std::to_string(i)), claims_of("alice"),
                  t0 + (i % 2 == 0 ? 10 : 100));
  }
  EXPECT_EQ(tokens.purge(t0 + 10), 500u);
  EXPECT_EQ(tokens.size(), 500u);
  EXPECT_EQ(tokens.find(jose::sha256("gat_0"), t0), nullptr);
  EXPECT_NE(tokens.find(jose::sha256("gat_1"), t0), nullptr);
  EXPECT_EQ(tokens.purge(t0 + 10), 0u);
}

TEST(ResidentOpaqueTokens, ReadersOnManyThreadsSeeEachTokenWholeOrGone) {
  ResidentOpaqueTokens tokens;
  constexpr int kept = 200;
  for (int i = 0; i < kept; ++i) {
    tokens.insert(jose::sha256("kept_" + std::to_string(i)), claims_of(std::to_string(i)),
                  t0 + 3600);
  }
  std::atomic<bool> writing{true};
  std::atomic<int> wrong{0};
  std::vector<std::thread> readers;
  for (int reader = 0; reader < 4; ++reader) {
    readers.emplace_back([&] {
      while (writing.load()) {
        for (int i = 0; i < kept; ++i) {
          const auto found = tokens.find(jose::sha256("kept_" + std::to_string(i)), t0);
          if (!found || found->at("sub").as_string() != std::to_string(i)) ++wrong;
        }
        // A token issued and revoked meanwhile is either there, whole, or not at all.
        if (const auto churned = tokens.find(jose::sha256("churn"), t0)) {
          if (churned->at("sub") != "churn") ++wrong;
        }
      }
    });
  }
  for (int round = 0; round < 20'000; ++round) {
    tokens.insert(jose::sha256("churn"), claims_of("churn"), t0 + 60);
    tokens.erase(jose::sha256("churn"));
  }
  writing = false;
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(tokens.size(), static_cast<size_t>(kept));
}

}  // namespace
}  // namespace gatehouse::security::resident_opaque_tokens_test
