// The directory of applications and subscriptions across reloads and admin changes: what a
// request is admitted against after each, that API ids never move, that a refused change changes
// nothing, and that the file's errors are reported where the file says them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "security/auth/application_directory.h"

namespace gatehouse::security {
namespace {

using identity::Admission;
using identity::KeyType;
using identity::SubscriptionState;
using ::testing::HasSubstr;

config::SecurityConfig file_with(std::vector<std::pair<std::string, std::string>> subscriptions,
                                 std::vector<std::string> applications = {"app-1", "app-2"}) {
  config::SecurityConfig security;
  int line = 1;
  for (const std::string& id : applications) {
    config::ApplicationConfig application;
    application.record.id = id;
    application.record.tier = "Unlimited";
    application.record.keys = {{"idp", "client-" + id, KeyType::production}};
    application.location = {"gatehouse.yaml", line++, 3};
    security.applications.push_back(std::move(application));
  }
  for (auto& [application, api] : subscriptions) {
    config::SubscriptionConfig subscription;
    subscription.record = {application, api, "Gold", SubscriptionState::unblocked};
    subscription.location = {"gatehouse.yaml", line++, 3};
    security.subscriptions.push_back(std::move(subscription));
  }
  return security;
}

// What `application` may do with `api` in the directory's current store.
Admission admission(ApplicationDirectory& directory, std::string_view application,
                    std::string_view api) {
  const identity::SubscriptionStore& store = *directory.current();
  const identity::StoredApplication* stored = store.find_application(application);
  EXPECT_NE(stored, nullptr) << application;
  return store.admit(stored->index, directory.api_id(api), KeyType::production);
}

void load(ApplicationDirectory& directory, const config::SecurityConfig& security) {
  ASSERT_TRUE(directory.prepare(security).has_value());
  directory.commit();
}

TEST(ApplicationDirectory, NothingChangesUntilThePreparedStoreIsCommitted) {
  ApplicationDirectory directory;
  load(directory, file_with({{"app-1", "Shop:1.0"}}));
  const SubscriptionsPtr first = directory.current();
  ASSERT_TRUE(directory.prepare(file_with({})).has_value());
  EXPECT_EQ(directory.current(), first);  // a reload whose APIs fail to compile stops here
  EXPECT_EQ(admission(directory, "app-1", "Shop:1.0"), Admission::allowed);
  directory.commit();
  EXPECT_EQ(admission(directory, "app-1", "Shop:1.0"), Admission::not_subscribed);
  EXPECT_EQ(directory.updates(), 2u);
}

TEST(ApplicationDirectory, ApiIdsStayTheSameInEveryLaterStore) {
  ApplicationDirectory directory;
  const identity::ApiId cart = directory.api_id("Cart:2.0");  // a policy compiled first
  load(directory, file_with({{"app-1", "Shop:1.0"}, {"app-2", "Cart:2.0"}}));
  const identity::ApiId shop = directory.api_id("Shop:1.0");
  EXPECT_EQ(directory.current()->api_id("Cart:2.0"), cart);
  ASSERT_TRUE(directory.put({"app-1", "Books:3.0", "Gold", SubscriptionState::unblocked}));
  load(directory, file_with({{"app-2", "Books:3.0"}, {"app-1", "Shop:1.0"}}));
  EXPECT_EQ(directory.api_id("Cart:2.0"), cart);
  EXPECT_EQ(directory.api_id("Shop:1.0"), shop);
  EXPECT_EQ(directory.current()->api_id("Shop:1.0"), shop);
  EXPECT_EQ(admission(directory, "app-1", "Shop:1.0"), Admission::allowed);
  EXPECT_EQ(admission(directory, "app-2", "Cart:2.0"), Admission::not_subscribed);
}

TEST(ApplicationDirectory, AChangeGoesOnTopOfTheFileAndOutlivesAReload) {
  ApplicationDirectory directory;
  load(directory, file_with({{"app-1", "Shop:1.0"}, {"app-2", "Shop:1.0"}}));
  ASSERT_TRUE(directory.put({"app-1", "Shop:1.0", "Gold", SubscriptionState::blocked}));
  ASSERT_TRUE(directory.remove("app-2", "Shop:1.0"));
  ASSERT_TRUE(directory.put({"app-2", "Cart:2.0", "Silver", SubscriptionState::unblocked}));
  EXPECT_EQ(admission(directory, "app-1", "Shop:1.0"), Admission::blocked);
  EXPECT_EQ(admission(directory, "app-2", "Shop:1.0"), Admission::not_subscribed);
  EXPECT_EQ(admission(directory, "app-2", "Cart:2.0"), Admission::allowed);

  load(directory, file_with({{"app-1", "Shop:1.0"}, {"app-2", "Shop:1.0"}}));
  EXPECT_EQ(admission(directory, "app-1", "Shop:1.0"), Admission::blocked);
  EXPECT_EQ(admission(directory, "app-2", "Shop:1.0"), Admission::not_subscribed);
  EXPECT_EQ(admission(directory, "app-2", "Cart:2.0"), Admission::allowed);
  const std::vector<identity::Subscription> listed = directory.subscriptions();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].application_id, "app-1");
  EXPECT_EQ(listed[0].state, SubscriptionState::blocked);
  EXPECT_EQ(listed[1].api, "Cart:2.0");
  EXPECT_EQ(listed[1].tier, "Silver");
}

TEST(ApplicationDirectory, AChangeToAnApplicationTheFileDropsGoesWithIt) {
  ApplicationDirectory directory;
  load(directory, file_with({}));
  ASSERT_TRUE(directory.put({"app-2", "Cart:2.0", "Gold", SubscriptionState::unblocked}));
  load(directory, file_with({}, {"app-1"}));
  EXPECT_TRUE(directory.subscriptions().empty());
  load(directory, file_with({}));  // back again: a new application, with no subscription
  EXPECT_EQ(admission(directory, "app-2", "Cart:2.0"), Admission::not_subscribed);
}

TEST(ApplicationDirectory, ARefusedChangeChangesNothing) {
  ApplicationDirectory directory;
  load(directory, file_with({{"app-1", "Shop:1.0"}}));
  const SubscriptionsPtr before = directory.current();

  auto unknown = directory.put({"app-9", "Shop:1.0", "Gold", SubscriptionState::unblocked});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, DirectoryRefusal::not_found);
  EXPECT_THAT(unknown.error().message, HasSubstr("app-9"));
  auto malformed = directory.put({"app-1", "Shop", "Gold", SubscriptionState::unblocked});
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().kind, DirectoryRefusal::invalid);
  EXPECT_THAT(malformed.error().message, HasSubstr("Name:Version"));
  auto untiered = directory.put({"app-1", "Shop:1.0", "", SubscriptionState::unblocked});
  ASSERT_FALSE(untiered);
  EXPECT_EQ(untiered.error().kind, DirectoryRefusal::invalid);
  auto absent = directory.remove("app-1", "Cart:2.0");
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().kind, DirectoryRefusal::not_found);

  EXPECT_EQ(directory.current(), before);
  EXPECT_EQ(directory.updates(), 1u);
  // A refused change does not stay behind to surface at the next reload.
  load(directory, file_with({{"app-1", "Shop:1.0"}}));
  EXPECT_EQ(directory.subscriptions().size(), 1u);
}

TEST(ApplicationDirectory, TheFilesErrorsAreReportedWhereTheFileSaysThem) {
  ApplicationDirectory directory;
  load(directory, file_with({{"app-1", "Shop:1.0"}}));
  ASSERT_TRUE(directory.remove("app-1", "Shop:1.0"));
  // The removed subscription comes first in the file, so the broken one is the file's second.
  config::SecurityConfig broken = file_with({{"app-1", "Shop:1.0"}, {"app-3", "Cart:2.0"}});
  auto prepared = directory.prepare(broken);
  ASSERT_FALSE(prepared);
  ASSERT_EQ(prepared.error().size(), 1u);
  EXPECT_EQ(prepared.error()[0].location.line, broken.subscriptions[1].location.line);
  EXPECT_THAT(prepared.error()[0].message, HasSubstr("app-3"));
}

}  // namespace
}  // namespace gatehouse::security
