// The used assertions' jtis: a jti is accepted once per issuer until its assertion expires.
#include <gtest/gtest.h>

#include "keymanager/store/sqlite_grant_store.h"
#include "store_fixture.h"

namespace gatehouse::keymanager {
namespace {

using fixtures::open_store;

class UsedAssertionsTest : public ::testing::Test {
 protected:
  bool use(std::string issuer, std::string jti, UnixSeconds expires_at, UnixSeconds now) {
    auto first = store_->use_assertion({std::move(issuer), std::move(jti), expires_at}, now);
    if (!first) throw std::runtime_error(first.error().describe());
    return *first;
  }

  fixtures::TempDir dir_;
  std::unique_ptr<SqliteGrantStore> store_ = open_store(dir_.file("grants.db"));
};

TEST_F(UsedAssertionsTest, AJtiIsAcceptedOnce) {
  EXPECT_TRUE(use("client-1", "jti-1", 2000, 1000));
  EXPECT_FALSE(use("client-1", "jti-1", 2000, 1001));
}

TEST_F(UsedAssertionsTest, AReplayDoesNotLengthenTheFirstUse) {
  EXPECT_TRUE(use("client-1", "jti-1", 2000, 1000));
  EXPECT_FALSE(use("client-1", "jti-1", 9000, 1500));
  // Expired at 2000 as first recorded, not at 9000: usable again afterwards.
  EXPECT_TRUE(use("client-1", "jti-1", 3000, 2000));
}

TEST_F(UsedAssertionsTest, JtisOfDifferentIssuersAreDifferent) {
  EXPECT_TRUE(use("client-1", "jti-1", 2000, 1000));
  EXPECT_TRUE(use("https://idp.example", "jti-1", 2000, 1000));
}

TEST_F(UsedAssertionsTest, AnExpiredJtiNotYetPurgedIsUsedAnew) {
  EXPECT_TRUE(use("client-1", "jti-1", 2000, 1000));
  EXPECT_TRUE(use("client-1", "jti-1", 2500, 2000));
  EXPECT_FALSE(use("client-1", "jti-1", 2500, 2100));
}

TEST_F(UsedAssertionsTest, PurgeDropsExpiredJtisOnly) {
  EXPECT_TRUE(use("client-1", "expired", 1000, 500));
  EXPECT_TRUE(use("client-1", "live", 3000, 500));
  auto purged = store_->purge_expired(1000);
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 1u);
  EXPECT_FALSE(use("client-1", "live", 3000, 1000));
}

TEST_F(UsedAssertionsTest, UsedJtisSurviveAReopen) {
  EXPECT_TRUE(use("client-1", "jti-1", 2000, 1000));
  store_.reset();
  store_ = open_store(dir_.file("grants.db"));
  EXPECT_FALSE(use("client-1", "jti-1", 2000, 1001));
}

}  // namespace
}  // namespace gatehouse::keymanager
