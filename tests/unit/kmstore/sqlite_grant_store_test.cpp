#include "keymanager/store/sqlite_grant_store.h"

#include <gtest/gtest.h>

#include "store_fixture.h"

namespace gatehouse::keymanager {
namespace {

using fixtures::authorization_code;
using fixtures::open_store;
using fixtures::refresh_token;
using fixtures::signing_key;

class SqliteGrantStoreTest : public ::testing::Test {
 protected:
  fixtures::TempDir dir_;
  std::unique_ptr<SqliteGrantStore> store_ = open_store(dir_.file("grants.db"));
};

TEST_F(SqliteGrantStoreTest, RefreshTokenIsFoundAsPut) {
  RefreshTokenRecord record = refresh_token("hash-1");
  record.used = true;
  ASSERT_TRUE(store_->put_refresh_token(record));

  auto found = store_->find_refresh_token("hash-1");
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  const RefreshTokenRecord& token = **found;
  EXPECT_EQ(token.token_hash, "hash-1");
  EXPECT_EQ(token.family, "family-1");
  EXPECT_EQ(token.client_id, "client-1");
  EXPECT_EQ(token.subject, "alice");
  EXPECT_EQ(token.scope, "openid profile");
  EXPECT_EQ(token.context, record.context);
  EXPECT_EQ(token.issued_at, 1'700'000'000);
  EXPECT_EQ(token.expires_at, 2'000'000'000);
  EXPECT_TRUE(token.used);
}

TEST_F(SqliteGrantStoreTest, UnknownRefreshTokenIsNotFound) {
  auto found = store_->find_refresh_token("nothing");
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->has_value());
}

TEST_F(SqliteGrantStoreTest, RefreshTokenStoredTwiceIsAnError) {
  ASSERT_TRUE(store_->put_refresh_token(refresh_token("hash-1")));
  auto again = store_->put_refresh_token(refresh_token("hash-1"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind(), ErrorKind::internal);
  EXPECT_NE(again.error().describe().find("grants.db"), std::string::npos);
}

TEST_F(SqliteGrantStoreTest, RotationMarksTheOldTokenUsedAndStoresTheNext) {
  ASSERT_TRUE(store_->put_refresh_token(refresh_token("hash-1")));

  auto rotated = store_->rotate_refresh_token("hash-1", refresh_token("hash-2"));
  ASSERT_TRUE(rotated);
  EXPECT_TRUE(*rotated);
  EXPECT_TRUE((*store_->find_refresh_token("hash-1"))->used);
  auto next = store_->find_refresh_token("hash-2");
  ASSERT_TRUE(next && next->has_value());
  EXPECT_FALSE((*next)->used);
}

TEST_F(SqliteGrantStoreTest, RotatedTokenCannotRotateAgain) {
  ASSERT_TRUE(store_->put_refresh_token(refresh_token("hash-1")));
  ASSERT_TRUE(*store_->rotate_refresh_token("hash-1", refresh_token("hash-2")));

  auto reused = store_->rotate_refresh_token("hash-1", refresh_token("hash-3"));
  ASSERT_TRUE(reused);
  EXPECT_FALSE(*reused);
  EXPECT_FALSE(store_->find_refresh_token("hash-3")->has_value());
}

TEST_F(SqliteGrantStoreTest, UnknownTokenDoesNotRotate) {
  auto rotated = store_->rotate_refresh_token("nothing", refresh_token("hash-2"));
  ASSERT_TRUE(rotated);
  EXPECT_FALSE(*rotated);
  EXPECT_FALSE(store_->find_refresh_token("hash-2")->has_value());
}

TEST_F(SqliteGrantStoreTest, FailedRotationLeavesTheOldTokenUnused) {
  ASSERT_TRUE(store_->put_refresh_token(refresh_token("hash-1")));
  ASSERT_TRUE(store_->put_refresh_token(refresh_token("hash-2")));

  // The next token's hash exists already: the insert fails, and the mark is rolled back.
  EXPECT_FALSE(store_->rotate_refresh_token("hash-1", refresh_token("hash-2")));
  EXPECT_FALSE((*store_->find_refresh_token("hash-1"))->used);
}

TEST_F(SqliteGrantStoreTest, RevokeFamilyRemovesEveryTokenOfTheFamilyOnly) {
  ASSERT_TRUE(store_->put_refresh_token(refresh_token("hash-1", "family-1")));
  ASSERT_TRUE(*store_->rotate_refresh_token("hash-1", refresh_token("hash-2", "family-1")));
  ASSERT_TRUE(*store_->rotate_refresh_token("hash-2", refresh_token("hash-3", "family-1")));
  ASSERT_TRUE(store_->put_refresh_token(refresh_token("other", "family-2")));

  auto revoked = store_->revoke_family("family-1");
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->refresh_tokens, 3u);
  EXPECT_TRUE(revoked->access_tokens.empty());
  for (const char* hash : {"hash-1", "hash-2", "hash-3"}) {
    EXPECT_FALSE(store_->find_refresh_token(hash)->has_value()) << hash;
  }
  EXPECT_TRUE(store_->find_refresh_token("other")->has_value());
  EXPECT_EQ(store_->revoke_family("family-1")->refresh_tokens, 0u);
}

TEST_F(SqliteGrantStoreTest, RevokeFamilyRevokesTheAccessTokensIssuedInIt) {
  ASSERT_TRUE(store_->put_refresh_token(refresh_token("hash-1", "family-1")));
  ASSERT_TRUE(store_->put_family_access_token({"family-1", "jti-1", 1000}));
  ASSERT_TRUE(store_->put_family_access_token({"family-1", "jti-2", 2000}));
  ASSERT_TRUE(store_->put_family_access_token({"family-2", "other-jti", 2000}));

  auto revoked = store_->revoke_family("family-1");
  ASSERT_TRUE(revoked);
  ASSERT_EQ(revoked->access_tokens.size(), 2u);
  std::vector<std::pair<std::string, UnixSeconds>> tokens;
  for (const RevocationRecord& token : revoked->access_tokens) {
    tokens.emplace_back(token.token_id, token.expires_at);
  }
  std::ranges::sort(tokens);
  EXPECT_EQ(tokens,
            (std::vector<std::pair<std::string, UnixSeconds>>{{"jti-1", 1000}, {"jti-2", 2000}}));
  // In the store's revocations too, which the key manager loads at its next start.
  auto listed = store_->revocations(0);
  ASSERT_TRUE(listed);
  std::vector<std::string> jtis;
  for (const RevocationRecord& revocation : *listed) jtis.push_back(revocation.token_id);
  std::ranges::sort(jtis);
  EXPECT_EQ(jtis, (std::vector<std::string>{"jti-1", "jti-2"}));
  // Revoked once: a second revocation of the family finds nothing left.
  EXPECT_TRUE(store_->revoke_family("family-1")->access_tokens.empty());
  EXPECT_EQ(store_->revoke_family("family-2")->access_tokens.size(), 1u);
}

TEST_F(SqliteGrantStoreTest, RevokingAFamilyKeepsTheLaterExpiryOfARevokedToken) {
  ASSERT_TRUE(store_->put_revocation({"jti-1", 5000}));
  ASSERT_TRUE(store_->put_family_access_token({"family-1", "jti-1", 1000}));

  ASSERT_TRUE(store_->revoke_family("family-1"));
  auto listed = store_->revocations(0);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].expires_at, 5000);
}

TEST_F(SqliteGrantStoreTest, CodeRedeemsOnceAndTheSecondRedeemSaysUsed) {
  ASSERT_TRUE(store_->put_code(authorization_code("code-1")));

  auto first = store_->redeem_code("code-1");
  ASSERT_TRUE(first && first->has_value());
  EXPECT_FALSE((*first)->used);
  EXPECT_EQ((*first)->redirect_uri, "https://app.example/callback");
  EXPECT_EQ((*first)->code_challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  EXPECT_EQ((*first)->code_challenge_method, "S256");
  EXPECT_EQ((*first)->nonce, "n-0S6_WzA2Mj");
  EXPECT_EQ((*first)->expires_at, 2'000'000'000);
  EXPECT_EQ((*first)->auth_time, 1'700'000'000);

  auto second = store_->redeem_code("code-1");
  ASSERT_TRUE(second && second->has_value());
  EXPECT_TRUE((*second)->used);
}

TEST_F(SqliteGrantStoreTest, UnknownCodeRedeemsNothing) {
  auto redeemed = store_->redeem_code("nothing");
  ASSERT_TRUE(redeemed);
  EXPECT_FALSE(redeemed->has_value());
}

TEST_F(SqliteGrantStoreTest, CodeKeepsTheFamilyOfItsTokensForAReuse) {
  ASSERT_TRUE(store_->put_code(authorization_code("code-1")));
  ASSERT_TRUE(store_->redeem_code("code-1"));
  ASSERT_TRUE(store_->set_code_family("code-1", "family-7"));

  auto reused = store_->redeem_code("code-1");
  ASSERT_TRUE(reused && reused->has_value());
  EXPECT_TRUE((*reused)->used);
  EXPECT_EQ((*reused)->family, "family-7");
}

TEST_F(SqliteGrantStoreTest, NewConsentReplacesTheOld) {
  ASSERT_TRUE(store_->put_consent({"alice", "client-1", "openid", 100}));
  ASSERT_TRUE(store_->put_consent({"alice", "client-2", "email", 150}));
  ASSERT_TRUE(store_->put_consent({"alice", "client-1", "openid profile", 200}));

  auto consent = store_->find_consent("alice", "client-1");
  ASSERT_TRUE(consent && consent->has_value());
  EXPECT_EQ((*consent)->scope, "openid profile");
  EXPECT_EQ((*consent)->granted_at, 200);
  EXPECT_EQ((*store_->find_consent("alice", "client-2"))->scope, "email");
  EXPECT_FALSE(store_->find_consent("bob", "client-1")->has_value());
}

TEST_F(SqliteGrantStoreTest, RevocationsAreListedUntilTheyExpire) {
  ASSERT_TRUE(store_->put_revocation({"jti-1", 1000}));
  ASSERT_TRUE(store_->put_revocation({"jti-2", 2000}));

  auto before = store_->revocations(999);
  ASSERT_TRUE(before);
  EXPECT_EQ(before->size(), 2u);

  auto between = store_->revocations(1000);
  ASSERT_TRUE(between);
  ASSERT_EQ(between->size(), 1u);
  EXPECT_EQ((*between)[0].token_id, "jti-2");
  EXPECT_EQ((*between)[0].expires_at, 2000);

  EXPECT_TRUE(store_->revocations(2000)->empty());
}

TEST_F(SqliteGrantStoreTest, RevokingTwiceKeepsTheLaterExpiry) {
  ASSERT_TRUE(store_->put_revocation({"jti-1", 2000}));
  ASSERT_TRUE(store_->put_revocation({"jti-1", 1000}));

  auto listed = store_->revocations(1500);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].expires_at, 2000);
}

TEST_F(SqliteGrantStoreTest, SigningKeysAreListedOldestFirst) {
  ASSERT_TRUE(store_->put_signing_key(signing_key("newest", 300)));
  ASSERT_TRUE(store_->put_signing_key(signing_key("oldest", 100)));
  ASSERT_TRUE(store_->put_signing_key(signing_key("middle-a", 200)));
  ASSERT_TRUE(store_->put_signing_key(signing_key("middle-b", 200)));

  auto keys = store_->signing_keys();
  ASSERT_TRUE(keys);
  std::vector<std::string> kids;
  for (const SigningKeyRecord& key : *keys) kids.push_back(key.kid);
  EXPECT_EQ(kids, (std::vector<std::string>{"oldest", "middle-a", "middle-b", "newest"}));
  EXPECT_EQ((*keys)[0].alg, "ES256");
  EXPECT_EQ((*keys)[0].private_pem, "-----BEGIN PRIVATE KEY-----\n...\n");
  EXPECT_EQ((*keys)[0].retired_at, 0);
}

TEST_F(SqliteGrantStoreTest, RetiredKeyKeepsItsFirstRetirementTime) {
  ASSERT_TRUE(store_->put_signing_key(signing_key("old", 100)));
  ASSERT_TRUE(store_->put_signing_key(signing_key("current", 200)));

  ASSERT_TRUE(store_->retire_signing_key("old", 250));
  ASSERT_TRUE(store_->retire_signing_key("old", 900));
  ASSERT_TRUE(store_->retire_signing_key("unknown", 900));

  auto keys = store_->signing_keys();
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].retired_at, 250);
  EXPECT_EQ((*keys)[1].retired_at, 0);
}

TEST_F(SqliteGrantStoreTest, RemovedKeyIsNoLongerListed) {
  ASSERT_TRUE(store_->put_signing_key(signing_key("old", 100)));
  ASSERT_TRUE(store_->put_signing_key(signing_key("current", 200)));

  ASSERT_TRUE(store_->remove_signing_key("old"));
  ASSERT_TRUE(store_->remove_signing_key("unknown"));

  auto keys = store_->signing_keys();
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].kid, "current");
}

TEST_F(SqliteGrantStoreTest, PurgeDropsWhatExpiredAndKeepsTheRest) {
  ASSERT_TRUE(store_->put_refresh_token(refresh_token("expired", "family-1", 1000)));
  ASSERT_TRUE(store_->put_refresh_token(refresh_token("live", "family-1", 3000)));
  ASSERT_TRUE(store_->put_code(authorization_code("expired-code", 999)));
  ASSERT_TRUE(store_->put_code(authorization_code("live-code", 3000)));
  ASSERT_TRUE(store_->put_revocation({"expired-jti", 1000}));
  ASSERT_TRUE(store_->put_revocation({"live-jti", 3000}));
  ASSERT_TRUE(store_->put_family_access_token({"family-1", "expired-at", 1000}));
  ASSERT_TRUE(store_->put_family_access_token({"family-1", "live-at", 3000}));
  ASSERT_TRUE(store_->put_consent({"alice", "client-1", "openid", 1}));
  ASSERT_TRUE(store_->put_signing_key(signing_key("kid", 1)));

  auto purged = store_->purge_expired(1000);
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 4u);

  EXPECT_FALSE(store_->find_refresh_token("expired")->has_value());
  EXPECT_TRUE(store_->find_refresh_token("live")->has_value());
  EXPECT_FALSE(store_->redeem_code("expired-code")->has_value());
  EXPECT_TRUE(store_->redeem_code("live-code")->has_value());
  EXPECT_EQ(store_->revocations(0)->size(), 1u);
  EXPECT_TRUE(store_->find_consent("alice", "client-1")->has_value());
  EXPECT_EQ(store_->signing_keys()->size(), 1u);
  const auto family = store_->revoke_family("family-1");
  ASSERT_TRUE(family);
  ASSERT_EQ(family->access_tokens.size(), 1u);
  EXPECT_EQ(family->access_tokens[0].token_id, "live-at");
  EXPECT_EQ(*store_->purge_expired(1000), 0u);
}

}  // namespace
}  // namespace gatehouse::keymanager
