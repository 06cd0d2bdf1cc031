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

// A key the built-in key manager made for `application`.
IssuedKey issued_key(std::string application, std::string consumer_key,
                     KeyType type = KeyType::production) {
  return IssuedKey{std::move(application), {"resident", std::move(consumer_key), type}};
}

// The application that the current store admits `consumer_key` of the key manager for, with its
// key type; "" when none.
std::string owner_of(const ApplicationDirectory& directory, std::string_view consumer_key,
                     KeyType* type = nullptr) {
  const auto owner = directory.current()->find_key("resident", consumer_key);
  if (!owner) return "";
  if (type != nullptr) *type = owner->type;
  return std::string(owner->application->id);
}

TEST(ApplicationDirectory, IssuedKeysSetAtStartJoinTheirApplicationsInTheFirstStore) {
  ApplicationDirectory directory;
  directory.set_issued_keys(
      {issued_key("app-1", "key-prod"), issued_key("app-2", "key-sandbox", KeyType::sandbox)});
  load(directory, file_with({{"app-1", "Shop:1.0"}}));
  KeyType type = KeyType::production;
  EXPECT_EQ(owner_of(directory, "key-sandbox", &type), "app-2");
  EXPECT_EQ(type, KeyType::sandbox);
  EXPECT_EQ(owner_of(directory, "key-prod", &type), "app-1");
  EXPECT_EQ(type, KeyType::production);
  // The file's own keys stay.
  EXPECT_EQ(directory.current()->find_key("idp", "client-app-1")->application->id, "app-1");
  EXPECT_FALSE(directory.current()->find_key("idp", "key-prod"));
}

TEST(ApplicationDirectory, AnIssuedKeyIsAdmittedAtOnceAndOutlivesAReload) {
  ApplicationDirectory directory;
  load(directory, file_with({{"app-1", "Shop:1.0"}}));
  const SubscriptionsPtr before = directory.current();
  const auto store = directory.put_issued_key(issued_key("app-1", "key-1"));
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(*store, directory.current());
  EXPECT_NE(directory.current(), before);
  EXPECT_FALSE(before->find_key("resident", "key-1"));  // a request in flight keeps its store
  EXPECT_EQ(owner_of(directory, "key-1"), "app-1");
  EXPECT_EQ(directory.updates(), 2u);

  load(directory, file_with({{"app-1", "Shop:1.0"}, {"app-2", "Cart:2.0"}}));
  EXPECT_EQ(owner_of(directory, "key-1"), "app-1");
  EXPECT_EQ(admission(directory, "app-1", "Shop:1.0"), Admission::allowed);
}

TEST(ApplicationDirectory, AnIssuedKeyLeavesWithItsApplicationAndComesBackWithIt) {
  ApplicationDirectory directory;
  load(directory, file_with({}));
  ASSERT_TRUE(directory.put_issued_key(issued_key("app-2", "key-2")));
  load(directory, file_with({}, {"app-1"}));
  EXPECT_FALSE(directory.has_application("app-2"));
  EXPECT_EQ(owner_of(directory, "key-2"), "");
  // The key manager still has the key: the application back in the file has it again.
  load(directory, file_with({}));
  EXPECT_EQ(owner_of(directory, "key-2"), "app-2");
}

TEST(ApplicationDirectory, ARemovedIssuedKeyIsNoLongerAdmittedNorBroughtBackByAReload) {
  ApplicationDirectory directory;
  directory.set_issued_keys({issued_key("app-1", "key-1"), issued_key("app-2", "key-2")});
  load(directory, file_with({}));
  const auto store = directory.remove_issued_key("resident", "key-1");
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(*store, directory.current());
  EXPECT_EQ(owner_of(directory, "key-1"), "");
  EXPECT_EQ(owner_of(directory, "key-2"), "app-2");
  // Another key manager's key of that name is not this one.
  ASSERT_TRUE(directory.remove_issued_key("idp", "key-2"));
  EXPECT_EQ(owner_of(directory, "key-2"), "app-2");

  load(directory, file_with({}));
  EXPECT_EQ(owner_of(directory, "key-1"), "");
  EXPECT_EQ(owner_of(directory, "key-2"), "app-2");
}

TEST(ApplicationDirectory, AnIssuedKeyForAnUnknownApplicationIsNotFoundAndChangesNothing) {
  ApplicationDirectory directory;
  load(directory, file_with({}));
  EXPECT_TRUE(directory.has_application("app-1"));
  EXPECT_FALSE(directory.has_application("app-9"));
  const SubscriptionsPtr before = directory.current();
  const auto refused = directory.put_issued_key(issued_key("app-9", "key-9"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, DirectoryRefusal::not_found);
  EXPECT_THAT(refused.error().message, HasSubstr("app-9"));
  EXPECT_EQ(directory.current(), before);
  EXPECT_EQ(directory.updates(), 1u);
  // Nor does it join an application of that id that a later file brings.
  load(directory, file_with({}, {"app-1", "app-9"}));
  EXPECT_EQ(owner_of(directory, "key-9"), "");
}

TEST(ApplicationDirectory, AnIssuedKeyTheFilesApplicationListsAlreadyIsNotAddedTwice) {
  ApplicationDirectory directory;
  config::SecurityConfig security = file_with({});
  security.applications[0].record.keys.push_back({"resident", "key-1", KeyType::sandbox});
  load(directory, security);
  const auto store = directory.put_issued_key(issued_key("app-1", "key-1", KeyType::sandbox));
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(owner_of(directory, "key-1"), "app-1");
  load(directory, security);
  EXPECT_EQ(owner_of(directory, "key-1"), "app-1");
}

TEST(ApplicationDirectory, AnIssuedKeyThatAnotherApplicationHoldsIsRefusedAndChangesNothing) {
  ApplicationDirectory directory;
  config::SecurityConfig security = file_with({});
  security.applications[1].record.keys.push_back({"resident", "key-1", KeyType::production});
  load(directory, security);
  const SubscriptionsPtr before = directory.current();
  const auto refused = directory.put_issued_key(issued_key("app-1", "key-1"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, DirectoryRefusal::invalid);
  EXPECT_EQ(directory.current(), before);
  EXPECT_EQ(owner_of(directory, "key-1"), "app-2");
  load(directory, security);  // the refused key did not stay behind to break the reload
  EXPECT_EQ(owner_of(directory, "key-1"), "app-2");
}

}  // namespace
}  // namespace gatehouse::security
