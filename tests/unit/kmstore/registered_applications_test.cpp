// The registered applications and the admin listener's subscription changes: an id and an
// owner's name taken once, an application removed with its clients and its subscription changes,
// a change replaced by the next one for the same API, and all of it kept across a reopening.
#include <gtest/gtest.h>

#include "keymanager/store/sqlite_grant_store.h"
#include "store_fixture.h"

namespace gatehouse::keymanager {
namespace {

using fixtures::open_store;
using fixtures::registered_client;

ApplicationRecord application(std::string id, std::string name, std::string owner = "alice") {
  return ApplicationRecord{.application_id = std::move(id),
                           .name = std::move(name),
                           .owner = std::move(owner),
                           .tier = "Unlimited",
                           .created_at = 100};
}

SubscriptionChangeRecord subscribed(std::string application_id, std::string api,
                                    std::string tier = "Gold") {
  return SubscriptionChangeRecord{.application_id = std::move(application_id),
                                  .api = std::move(api),
                                  .tier = std::move(tier),
                                  .state = "UNBLOCKED"};
}

class RegisteredApplicationsTest : public ::testing::Test {
 protected:
  fixtures::TempDir dir_;
  std::unique_ptr<SqliteGrantStore> store_ = open_store(dir_.file("grants.db"));
};

TEST_F(RegisteredApplicationsTest, AnApplicationIsListedAsPutInOrderOfId) {
  ASSERT_TRUE(*store_->put_application(application("app-2", "Weather")));
  ASSERT_TRUE(*store_->put_application({.application_id = "app-1",
                                        .name = "Pizza",
                                        .owner = "bob",
                                        .tier = "Gold",
                                        .created_at = 200}));

  const auto applications = store_->applications();
  ASSERT_TRUE(applications) << applications.error().describe();
  ASSERT_EQ(applications->size(), 2u);
  const ApplicationRecord& first = applications->front();
  EXPECT_EQ(first.application_id, "app-1");
  EXPECT_EQ(first.name, "Pizza");
  EXPECT_EQ(first.owner, "bob");
  EXPECT_EQ(first.tier, "Gold");
  EXPECT_EQ(first.created_at, 200);
  EXPECT_EQ(applications->back().application_id, "app-2");
}

TEST_F(RegisteredApplicationsTest, AnIdAndAnOwnersNameAreTakenOnce) {
  ASSERT_TRUE(*store_->put_application(application("app-1", "Pizza", "alice")));

  EXPECT_FALSE(*store_->put_application(application("app-1", "Other", "bob")));
  EXPECT_FALSE(*store_->put_application(application("app-2", "Pizza", "alice")));
  // Another owner may use the name.
  EXPECT_TRUE(*store_->put_application(application("app-3", "Pizza", "bob")));
  EXPECT_EQ(store_->applications()->size(), 2u);
}

TEST_F(RegisteredApplicationsTest, RemovingAnApplicationTakesItsClientsAndChangesOnly) {
  ASSERT_TRUE(*store_->put_application(application("app-1", "Pizza")));
  ASSERT_TRUE(*store_->put_application(application("app-2", "Weather")));
  ASSERT_TRUE(*store_->put_client(registered_client("client-1", "app-1")));
  ASSERT_TRUE(*store_->put_client(registered_client("client-2", "app-2")));
  ASSERT_TRUE(store_->put_subscription_change(subscribed("app-1", "Pizza:1.0")));
  ASSERT_TRUE(store_->put_subscription_change(subscribed("app-2", "Weather:1.0")));

  ASSERT_TRUE(*store_->remove_application("app-1"));

  ASSERT_EQ(store_->applications()->size(), 1u);
  EXPECT_EQ(store_->applications()->front().application_id, "app-2");
  ASSERT_EQ(store_->clients()->size(), 1u);
  EXPECT_EQ(store_->clients()->front().client_id, "client-2");
  ASSERT_EQ(store_->subscription_changes()->size(), 1u);
  EXPECT_EQ(store_->subscription_changes()->front().application_id, "app-2");
  EXPECT_FALSE(*store_->remove_application("app-1"));
}

TEST_F(RegisteredApplicationsTest, RemovingAnIdNoApplicationHasRemovesNothing) {
  // The config file's application: its registered keys and changes are not this call's.
  ASSERT_TRUE(*store_->put_client(registered_client("client-1", "file-app")));
  ASSERT_TRUE(store_->put_subscription_change(subscribed("file-app", "Pizza:1.0")));

  EXPECT_FALSE(*store_->remove_application("file-app"));
  EXPECT_EQ(store_->clients()->size(), 1u);
  EXPECT_EQ(store_->subscription_changes()->size(), 1u);
}

TEST_F(RegisteredApplicationsTest, AChangeReplacesTheOneBeforeForTheSameApi) {
  ASSERT_TRUE(store_->put_subscription_change(subscribed("app-1", "Pizza:1.0", "Gold")));
  ASSERT_TRUE(store_->put_subscription_change(subscribed("app-1", "Weather:1.0")));
  ASSERT_TRUE(store_->put_subscription_change(
      {.application_id = "app-1", .api = "Pizza:1.0", .removed = true}));

  const auto changes = store_->subscription_changes();
  ASSERT_TRUE(changes) << changes.error().describe();
  ASSERT_EQ(changes->size(), 2u);
  const SubscriptionChangeRecord& pizza = changes->front();
  EXPECT_EQ(pizza.api, "Pizza:1.0");
  EXPECT_TRUE(pizza.removed);
  EXPECT_EQ(pizza.tier, "");
  const SubscriptionChangeRecord& weather = changes->back();
  EXPECT_FALSE(weather.removed);
  EXPECT_EQ(weather.tier, "Gold");
  EXPECT_EQ(weather.state, "UNBLOCKED");
}

TEST_F(RegisteredApplicationsTest, ApplicationsAndChangesSurviveReopening) {
  ASSERT_TRUE(*store_->put_application(application("app-1", "Pizza")));
  ASSERT_TRUE(store_->put_subscription_change(subscribed("app-1", "Pizza:1.0")));
  store_.reset();

  store_ = open_store(dir_.file("grants.db"));
  EXPECT_EQ(store_->applications()->size(), 1u);
  EXPECT_EQ(store_->subscription_changes()->size(), 1u);
}

}  // namespace
}  // namespace gatehouse::keymanager
