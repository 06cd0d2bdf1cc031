// Opaque access tokens in the store: listed as put until they expire or are revoked, purged at
// their expiry, and named by a revoked family that they were issued in.
#include <gtest/gtest.h>

#include "keymanager/store/sqlite_grant_store.h"
#include "store_fixture.h"

namespace gatehouse::keymanager::opaque_tokens_test {
namespace {

using fixtures::opaque_token;
using fixtures::open_store;

class OpaqueTokensTest : public ::testing::Test {
 protected:
  fixtures::TempDir dir_;
  std::unique_ptr<SqliteGrantStore> store_ = open_store(dir_.file("grants.db"));
};

TEST_F(OpaqueTokensTest, AreListedAsPutUntilTheyExpire) {
  ASSERT_TRUE(store_->put_opaque_token(opaque_token("hash-1", "jti-1", 2000)));
  ASSERT_TRUE(store_->put_opaque_token(opaque_token("hash-2", "jti-2", 1000)));

  const auto listed = store_->opaque_tokens(1000);
  ASSERT_TRUE(listed) << listed.error().describe();
  ASSERT_EQ(listed->size(), 1u);
  const OpaqueTokenRecord& token = listed->front();
  EXPECT_EQ(token.token_hash, "hash-1");
  EXPECT_EQ(token.jti, "jti-1");
  EXPECT_EQ(token.claims, R"({"sub":"alice","jti":"jti-1"})");
  EXPECT_EQ(token.expires_at, 2000);
  EXPECT_EQ(store_->opaque_tokens(999)->size(), 2u);
}

TEST_F(OpaqueTokensTest, ATokenOfTheSameHashOrJtiIsAnError) {
  ASSERT_TRUE(store_->put_opaque_token(opaque_token("hash-1", "jti-1")));
  EXPECT_FALSE(store_->put_opaque_token(opaque_token("hash-1", "jti-2")));
  EXPECT_FALSE(store_->put_opaque_token(opaque_token("hash-2", "jti-1")));
}

TEST_F(OpaqueTokensTest, ARevokedTokenIsNotListed) {
  ASSERT_TRUE(store_->put_opaque_token(opaque_token("hash-1", "jti-1", 2000)));
  ASSERT_TRUE(store_->put_opaque_token(opaque_token("hash-2", "jti-2", 2000)));
  ASSERT_TRUE(store_->put_revocation({"jti-1", 2000}));

  const auto listed = store_->opaque_tokens(1000);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().token_hash, "hash-2");
}

TEST_F(OpaqueTokensTest, ARevokedFamilyNamesItsOpaqueTokensAndRevokesThem) {
  ASSERT_TRUE(store_->put_opaque_token(opaque_token("hash-1", "jti-1")));
  ASSERT_TRUE(store_->put_opaque_token(opaque_token("hash-2", "jti-2")));
  ASSERT_TRUE(*store_->put_family_access_token({"family-1", "jti-1", 2'000'000'000}));
  ASSERT_TRUE(*store_->put_family_access_token({"family-1", "jwt-jti", 2'000'000'000}));
  ASSERT_TRUE(*store_->put_family_access_token({"family-2", "jti-2", 2'000'000'000}));

  const auto revoked = store_->revoke_family("family-1");
  ASSERT_TRUE(revoked) << revoked.error().describe();
  EXPECT_EQ(revoked->access_tokens.size(), 2u);
  EXPECT_EQ(revoked->opaque_token_hashes, std::vector<std::string>{"hash-1"});
  const auto listed = store_->opaque_tokens(1000);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().token_hash, "hash-2");
}

TEST_F(OpaqueTokensTest, PurgeDropsTheExpiredOnes) {
  ASSERT_TRUE(store_->put_opaque_token(opaque_token("expired", "jti-1", 1000)));
  ASSERT_TRUE(store_->put_opaque_token(opaque_token("live", "jti-2", 3000)));

  const auto purged = store_->purge_expired(1000);
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 1u);
  const auto listed = store_->opaque_tokens(0);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().token_hash, "live");
  // Gone, not hidden: its hash and jti are free again.
  EXPECT_TRUE(store_->put_opaque_token(opaque_token("expired", "jti-1", 3000)));
}

}  // namespace
}  // namespace gatehouse::keymanager::opaque_tokens_test
