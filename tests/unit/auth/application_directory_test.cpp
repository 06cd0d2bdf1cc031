// The directory of applications and subscriptions across reloads and admin changes: what a
// request is admitted against after each, that API ids never move, that a refused change changes
// nothing, and that the file's errors are reported where the file says them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

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

// An application made through the admin listener (or kept from an earlier run): no keys of its
// own, its keys come as issued keys.
identity::Application made_through_listener(std::string id, std::string name = "Made",
                                            std::string owner = "alice",
                                            std::string tier = "Gold") {
  return identity::Application{.id = std::move(id),
                               .name = std::move(name),
                               .owner = std::move(owner),
                               .tier = std::move(tier)};
}

const identity::Application* listed_application(const std::vector<identity::Application>& list,
                                                std::string_view id) {
  const auto found = std::ranges::find(list, id, &identity::Application::id);
  return found == list.end() ? nullptr : &*found;
}

TEST(ApplicationDirectory, RegisteredApplicationsSetAtStartAreInTheFirstStore) {
  ApplicationDirectory directory;
  directory.set_registered_applications({made_through_listener("reg-1")});
  directory.set_issued_keys({issued_key("reg-1", "reg-key")});
  directory.set_changes(
      {{"reg-1", "Shop:1.0",
        identity::Subscription{"reg-1", "Shop:1.0", "Gold", SubscriptionState::unblocked}}});
  load(directory, file_with({{"app-1", "Shop:1.0"}}));
  EXPECT_TRUE(directory.has_application("reg-1"));
  EXPECT_TRUE(directory.is_registered("reg-1"));
  EXPECT_FALSE(directory.is_registered("app-1"));
  EXPECT_FALSE(directory.is_registered("app-9"));
  EXPECT_EQ(owner_of(directory, "reg-key"), "reg-1");
  EXPECT_EQ(admission(directory, "reg-1", "Shop:1.0"), Admission::allowed);
  EXPECT_EQ(admission(directory, "app-1", "Shop:1.0"), Admission::allowed);
  EXPECT_EQ(directory.current()->application_count(), 3u);

  // A reload keeps all three: the application, its key, its subscription.
  load(directory, file_with({}));
  EXPECT_EQ(owner_of(directory, "reg-key"), "reg-1");
  EXPECT_EQ(admission(directory, "reg-1", "Shop:1.0"), Admission::allowed);
  EXPECT_EQ(admission(directory, "app-1", "Shop:1.0"), Admission::not_subscribed);
}

TEST(ApplicationDirectory, ChangesSetAtStartPutAndRemoveOnTopOfTheFile) {
  ApplicationDirectory directory;
  directory.set_changes(
      {{"app-1", "Shop:1.0", std::nullopt},
       {"app-2", "Cart:2.0",
        identity::Subscription{"app-2", "Cart:2.0", "Silver", SubscriptionState::blocked}},
       // Kept for an application that is gone: it goes, and does not come back with it.
       {"app-9", "Cart:2.0",
        identity::Subscription{"app-9", "Cart:2.0", "Gold", SubscriptionState::unblocked}}});
  load(directory, file_with({{"app-1", "Shop:1.0"}, {"app-2", "Shop:1.0"}}));
  EXPECT_EQ(admission(directory, "app-1", "Shop:1.0"), Admission::not_subscribed);
  EXPECT_EQ(admission(directory, "app-2", "Shop:1.0"), Admission::allowed);
  EXPECT_EQ(admission(directory, "app-2", "Cart:2.0"), Admission::blocked);
  const std::vector<identity::Subscription> listed = directory.subscriptions();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].api, "Cart:2.0");
  EXPECT_EQ(listed[0].tier, "Silver");
  EXPECT_EQ(listed[1].api, "Shop:1.0");

  load(directory, file_with({}, {"app-1", "app-2", "app-9"}));
  EXPECT_EQ(admission(directory, "app-9", "Cart:2.0"), Admission::not_subscribed);
  EXPECT_EQ(directory.subscriptions().size(), 1u);
}

TEST(ApplicationDirectory, ARegisteredApplicationIsAdmittedAtOnceWithItsKeyAndSubscription) {
  ApplicationDirectory directory;
  load(directory, file_with({}));
  const SubscriptionsPtr before = directory.current();
  const auto store = directory.put_registered_application(made_through_listener("reg-1"));
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(*store, directory.current());
  EXPECT_NE(directory.current(), before);
  EXPECT_EQ(before->find_application("reg-1"), nullptr);  // a request in flight keeps its store
  ASSERT_NE(directory.current()->find_application("reg-1"), nullptr);
  EXPECT_TRUE(directory.has_application("reg-1"));
  EXPECT_TRUE(directory.is_registered("reg-1"));
  EXPECT_EQ(directory.updates(), 2u);

  ASSERT_TRUE(directory.put_issued_key(issued_key("reg-1", "reg-key", KeyType::sandbox)));
  ASSERT_TRUE(directory.put({"reg-1", "Shop:1.0", "Gold", SubscriptionState::unblocked}));
  KeyType type = KeyType::production;
  EXPECT_EQ(owner_of(directory, "reg-key", &type), "reg-1");
  EXPECT_EQ(type, KeyType::sandbox);
  EXPECT_EQ(admission(directory, "reg-1", "Shop:1.0"), Admission::allowed);

  load(directory, file_with({}));
  EXPECT_TRUE(directory.is_registered("reg-1"));
  EXPECT_EQ(owner_of(directory, "reg-key"), "reg-1");
  EXPECT_EQ(admission(directory, "reg-1", "Shop:1.0"), Admission::allowed);
}

TEST(ApplicationDirectory, ARegisteredApplicationWhoseIdIsTakenIsAConflictAndChangesNothing) {
  ApplicationDirectory directory;
  load(directory, file_with({}));
  const auto of_file = directory.put_registered_application(made_through_listener("app-1"));
  ASSERT_FALSE(of_file);
  EXPECT_EQ(of_file.error().kind, DirectoryRefusal::conflict);
  EXPECT_THAT(of_file.error().message, HasSubstr("'app-1'"));
  EXPECT_FALSE(directory.is_registered("app-1"));

  ASSERT_TRUE(directory.put_registered_application(made_through_listener("reg-1", "First")));
  const SubscriptionsPtr before = directory.current();
  const auto again = directory.put_registered_application(made_through_listener("reg-1", "Again"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, DirectoryRefusal::conflict);
  EXPECT_THAT(again.error().message, HasSubstr("'reg-1'"));
  EXPECT_EQ(directory.current(), before);
  EXPECT_EQ(directory.updates(), 2u);
  const std::vector<identity::Application> listed = directory.applications();
  EXPECT_EQ(listed.size(), 3u);
  ASSERT_NE(listed_application(listed, "reg-1"), nullptr);
  EXPECT_EQ(listed_application(listed, "reg-1")->name, "First");
}

TEST(ApplicationDirectory, TheFilesApplicationShadowsARegisteredOneUntilTheFileDropsIt) {
  ApplicationDirectory directory;
  load(directory, file_with({}, {"app-1"}));
  ASSERT_TRUE(directory.put_registered_application(
      made_through_listener("app-2", "Registered two", "bob", "Gold")));
  ASSERT_TRUE(directory.put_issued_key(issued_key("app-2", "reg-key")));

  // The file declares app-2 now: its application is the one the gateway has.
  load(directory, file_with({}, {"app-1", "app-2"}));
  EXPECT_TRUE(directory.has_application("app-2"));
  EXPECT_FALSE(directory.is_registered("app-2"));
  std::vector<identity::Application> listed = directory.applications();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[1].id, "app-2");
  EXPECT_EQ(listed[1].tier, "Unlimited");
  EXPECT_NE(listed[1].name, "Registered two");
  EXPECT_EQ(directory.current()->application_count(), 2u);
  EXPECT_EQ(directory.current()->find_key("idp", "client-app-2")->application->id, "app-2");
  const auto refused = directory.remove_registered_application("app-2");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, DirectoryRefusal::conflict);
  EXPECT_THAT(refused.error().message, HasSubstr("config file"));

  // The file drops it: the registered one is back, as it was made.
  load(directory, file_with({}, {"app-1"}));
  EXPECT_TRUE(directory.is_registered("app-2"));
  listed = directory.applications();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[1].name, "Registered two");
  EXPECT_EQ(listed[1].owner, "bob");
  EXPECT_EQ(listed[1].tier, "Gold");
  EXPECT_EQ(owner_of(directory, "reg-key"), "app-2");
  EXPECT_FALSE(directory.current()->find_key("idp", "client-app-2"));
  EXPECT_TRUE(directory.remove_registered_application("app-2"));
}

TEST(ApplicationDirectory, ARemovedRegisteredApplicationTakesItsKeysAndSubscriptions) {
  ApplicationDirectory directory;
  load(directory, file_with({{"app-1", "Shop:1.0"}}));
  ASSERT_TRUE(directory.put_registered_application(made_through_listener("reg-1")));
  ASSERT_TRUE(directory.put_issued_key(issued_key("reg-1", "reg-key")));
  ASSERT_TRUE(directory.put({"reg-1", "Shop:1.0", "Gold", SubscriptionState::unblocked}));
  ASSERT_TRUE(directory.put({"reg-1", "Cart:2.0", "Gold", SubscriptionState::blocked}));
  const SubscriptionsPtr before = directory.current();
  const uint64_t updates = directory.updates();

  const auto store = directory.remove_registered_application("reg-1");
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(*store, directory.current());
  EXPECT_EQ(directory.updates(), updates + 1);
  EXPECT_EQ(directory.current()->find_application("reg-1"), nullptr);
  EXPECT_FALSE(directory.has_application("reg-1"));
  EXPECT_FALSE(directory.is_registered("reg-1"));
  EXPECT_EQ(owner_of(directory, "reg-key"), "");
  const std::vector<identity::Subscription> left = directory.subscriptions();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].application_id, "app-1");
  EXPECT_EQ(listed_application(directory.applications(), "reg-1"), nullptr);
  EXPECT_NE(before->find_application("reg-1"), nullptr);  // a request in flight keeps its store

  // Made again with the same id, it starts without keys or subscriptions, and a reload brings
  // back none of the first one's.
  ASSERT_TRUE(directory.put_registered_application(made_through_listener("reg-1")));
  load(directory, file_with({{"app-1", "Shop:1.0"}}));
  EXPECT_EQ(owner_of(directory, "reg-key"), "");
  EXPECT_EQ(admission(directory, "reg-1", "Shop:1.0"), Admission::not_subscribed);
  EXPECT_EQ(admission(directory, "reg-1", "Cart:2.0"), Admission::not_subscribed);
  EXPECT_EQ(directory.subscriptions().size(), 1u);
}

TEST(ApplicationDirectory, RemovingAnApplicationNotRegisteredIsRefusedAndChangesNothing) {
  ApplicationDirectory directory;
  load(directory, file_with({{"app-1", "Shop:1.0"}}));
  ASSERT_TRUE(directory.put_issued_key(issued_key("app-1", "key-1")));
  const SubscriptionsPtr before = directory.current();

  const auto unknown = directory.remove_registered_application("app-9");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, DirectoryRefusal::not_found);
  EXPECT_THAT(unknown.error().message, HasSubstr("'app-9'"));
  const auto of_file = directory.remove_registered_application("app-1");
  ASSERT_FALSE(of_file);
  EXPECT_EQ(of_file.error().kind, DirectoryRefusal::conflict);
  EXPECT_THAT(of_file.error().message, HasSubstr("'app-1'"));
  EXPECT_THAT(of_file.error().message, HasSubstr("config file"));

  EXPECT_EQ(directory.current(), before);
  EXPECT_EQ(directory.updates(), 2u);
  EXPECT_EQ(owner_of(directory, "key-1"), "app-1");
  EXPECT_EQ(admission(directory, "app-1", "Shop:1.0"), Admission::allowed);
}

TEST(ApplicationDirectory, ApplicationsListsTheFilesAndTheRegisteredInOrderOfIdWithTheirKeys) {
  ApplicationDirectory directory;
  directory.set_registered_applications(
      {made_through_listener("app-c", "Cee", "carol", "Bronze"), made_through_listener("app-a")});
  directory.set_issued_keys({issued_key("app-c", "key-c", KeyType::sandbox),
                             issued_key("app-b", "key-b"), issued_key("app-9", "key-9")});
  load(directory, file_with({}, {"app-d", "app-b"}));

  const std::vector<identity::Application> listed = directory.applications();
  ASSERT_EQ(listed.size(), 4u);
  EXPECT_EQ(listed[0].id, "app-a");
  EXPECT_EQ(listed[1].id, "app-b");
  EXPECT_EQ(listed[2].id, "app-c");
  EXPECT_EQ(listed[3].id, "app-d");
  EXPECT_TRUE(directory.is_registered("app-a"));
  EXPECT_FALSE(directory.is_registered("app-b"));
  EXPECT_TRUE(directory.is_registered("app-c"));
  EXPECT_FALSE(directory.is_registered("app-d"));

  EXPECT_TRUE(listed[0].keys.empty());
  // The file's own key, then the key manager's.
  ASSERT_EQ(listed[1].keys.size(), 2u);
  EXPECT_EQ(listed[1].keys[0].key_manager, "idp");
  EXPECT_EQ(listed[1].keys[0].consumer_key, "client-app-b");
  EXPECT_EQ(listed[1].keys[1].key_manager, "resident");
  EXPECT_EQ(listed[1].keys[1].consumer_key, "key-b");
  ASSERT_EQ(listed[2].keys.size(), 1u);
  EXPECT_EQ(listed[2].keys[0].consumer_key, "key-c");
  EXPECT_EQ(listed[2].keys[0].type, KeyType::sandbox);
  EXPECT_EQ(listed[2].name, "Cee");
  EXPECT_EQ(listed[2].owner, "carol");
  EXPECT_EQ(listed[2].tier, "Bronze");
  ASSERT_EQ(listed[3].keys.size(), 1u);
  EXPECT_EQ(listed[3].keys[0].consumer_key, "client-app-d");
}

TEST(ApplicationDirectory, ARegisteredApplicationThatClashesWithTheFileIsNamedWithoutAPlace) {
  ApplicationDirectory directory;
  directory.set_registered_applications({made_through_listener("reg-1")});
  directory.set_issued_keys({issued_key("reg-1", "shared-key")});
  // The file lists the key the key manager made for the registered application.
  config::SecurityConfig security = file_with({});
  security.applications[0].record.keys.push_back({"resident", "shared-key", KeyType::production});
  auto prepared = directory.prepare(security);
  ASSERT_FALSE(prepared);
  ASSERT_EQ(prepared.error().size(), 1u);
  const config::ConfigError& error = prepared.error()[0];
  EXPECT_EQ(error.location.file, "");
  EXPECT_EQ(error.location.line, 0);
  EXPECT_THAT(error.message, HasSubstr("application 'reg-1', made through the admin listener"));
  EXPECT_THAT(error.message, HasSubstr("shared-key"));
  EXPECT_EQ(directory.current(), nullptr);  // nothing was committed

  // Beside an error of the file's own, each is reported: the file's where the file says it.
  config::SecurityConfig both = security;
  config::SubscriptionConfig broken;
  broken.record = {"app-3", "Cart:2.0", "Gold", SubscriptionState::unblocked};
  broken.location = {"gatehouse.yaml", 40, 3};
  both.subscriptions.push_back(broken);
  prepared = directory.prepare(both);
  ASSERT_FALSE(prepared);
  ASSERT_EQ(prepared.error().size(), 2u);
  bool file_error_located = false;
  bool listener_error_named = false;
  for (const config::ConfigError& each : prepared.error()) {
    if (each.location.line == 40 && each.message.find("app-3") != std::string::npos) {
      file_error_located = true;
    }
    if (each.location.file.empty() &&
        each.message.find("made through the admin listener") != std::string::npos) {
      listener_error_named = true;
    }
  }
  EXPECT_TRUE(file_error_located);
  EXPECT_TRUE(listener_error_named);

  // Without the clash the same registered application loads.
  load(directory, file_with({}));
  EXPECT_EQ(owner_of(directory, "shared-key"), "reg-1");
}

}  // namespace
}  // namespace gatehouse::security
