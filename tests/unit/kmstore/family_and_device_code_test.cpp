// A revoked family takes no more tokens (the reuse of a code while its first redemption is still
// recording them), and the device authorization grant's codes: found by either hash, answered once,
// polled, purged.
#include <gtest/gtest.h>

#include "keymanager/store/sqlite_grant_store.h"
#include "store_fixture.h"

namespace gatehouse::keymanager {
namespace {

using fixtures::device_code;
using fixtures::open_store;
using fixtures::refresh_token;

class FamilyAndDeviceCodeTest : public ::testing::Test {
 protected:
  fixtures::TempDir dir_;
  std::unique_ptr<SqliteGrantStore> store_ = open_store(dir_.file("grants.db"));
};

TEST_F(FamilyAndDeviceCodeTest, ARevokedFamilyTakesNoAccessTokenNorRefreshToken) {
  // A code reused before its first redemption recorded anything revokes an empty family.
  auto revoked = store_->revoke_family("family-1");
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->refresh_tokens, 0u);

  auto access = store_->put_family_access_token({"family-1", "jti-1", 2000});
  ASSERT_TRUE(access);
  EXPECT_FALSE(*access);
  auto refresh = store_->put_refresh_token(refresh_token("hash-1", "family-1"));
  ASSERT_TRUE(refresh);
  EXPECT_FALSE(*refresh);
  EXPECT_FALSE(store_->find_refresh_token("hash-1")->has_value());
  EXPECT_TRUE(store_->revoke_family("family-1")->access_tokens.empty());
}

TEST_F(FamilyAndDeviceCodeTest, OtherFamiliesStillTakeTokens) {
  ASSERT_TRUE(store_->revoke_family("family-1"));
  EXPECT_TRUE(*store_->put_family_access_token({"family-2", "jti-1", 2000}));
  EXPECT_TRUE(*store_->put_refresh_token(refresh_token("hash-1", "family-2")));
}

TEST_F(FamilyAndDeviceCodeTest, TheRevokedMarkIsPurgedAfterADay) {
  ASSERT_TRUE(store_->revoke_family("family-1"));
  auto purged = store_->purge_expired(4'000'000'000);
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 1u);
  EXPECT_TRUE(*store_->put_family_access_token({"family-1", "jti-1", 5'000'000'000}));
}

TEST_F(FamilyAndDeviceCodeTest, DeviceCodeIsFoundByEitherHash) {
  ASSERT_TRUE(store_->put_device_code(device_code("device-1", "user-1")));
  auto by_device = store_->find_device_code("device-1");
  ASSERT_TRUE(by_device && by_device->has_value());
  EXPECT_EQ((*by_device)->user_code_hash, "user-1");
  EXPECT_EQ((*by_device)->client_id, "client-1");
  EXPECT_EQ((*by_device)->scope, "openid profile");
  EXPECT_EQ((*by_device)->status, DeviceCodeStatus::pending);
  EXPECT_EQ((*by_device)->interval, 5);
  auto by_user = store_->find_device_code_by_user_code("user-1");
  ASSERT_TRUE(by_user && by_user->has_value());
  EXPECT_EQ((*by_user)->device_code_hash, "device-1");
  EXPECT_FALSE(store_->find_device_code("user-1")->has_value());
}

TEST_F(FamilyAndDeviceCodeTest, TwoDeviceCodesCannotShareAUserCode) {
  ASSERT_TRUE(store_->put_device_code(device_code("device-1", "user-1")));
  EXPECT_FALSE(store_->put_device_code(device_code("device-2", "user-1")));
}

TEST_F(FamilyAndDeviceCodeTest, TheFirstAnswerStands) {
  ASSERT_TRUE(store_->put_device_code(device_code("device-1", "user-1")));
  auto allowed = store_->decide_device_code("user-1", DeviceCodeStatus::approved, "alice", 1234);
  ASSERT_TRUE(allowed);
  EXPECT_TRUE(*allowed);
  EXPECT_FALSE(*store_->decide_device_code("user-1", DeviceCodeStatus::denied, "bob", 1));
  EXPECT_FALSE(*store_->decide_device_code("unknown", DeviceCodeStatus::denied, "bob", 1));

  const DeviceCodeRecord code = **store_->find_device_code("device-1");
  EXPECT_EQ(code.status, DeviceCodeStatus::approved);
  EXPECT_EQ(code.subject, "alice");
  EXPECT_EQ(code.auth_time, 1234);
}

TEST_F(FamilyAndDeviceCodeTest, APollRecordsItsTimeIntervalAndStatus) {
  ASSERT_TRUE(store_->put_device_code(device_code("device-1", "user-1")));
  ASSERT_TRUE(store_->record_device_poll("device-1", 1000, 10, DeviceCodeStatus::redeemed));
  const DeviceCodeRecord code = **store_->find_device_code("device-1");
  EXPECT_EQ(code.last_polled_at, 1000);
  EXPECT_EQ(code.interval, 10);
  EXPECT_EQ(code.status, DeviceCodeStatus::redeemed);
}

TEST_F(FamilyAndDeviceCodeTest, ExpiredDeviceCodesArePurged) {
  ASSERT_TRUE(store_->put_device_code(device_code("expired", "user-1", 1000)));
  ASSERT_TRUE(store_->put_device_code(device_code("live", "user-2", 3000)));
  EXPECT_EQ(*store_->purge_expired(1000), 1u);
  EXPECT_FALSE(store_->find_device_code("expired")->has_value());
  EXPECT_TRUE(store_->find_device_code("live")->has_value());
}

}  // namespace
}  // namespace gatehouse::keymanager
