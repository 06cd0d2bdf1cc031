#include "security/identity/subscription_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gatehouse::identity {
namespace {

using ::testing::HasSubstr;

constexpr const char* resident = "Resident Key Manager";

Application app(std::string id, std::vector<ApplicationKey> keys = {}) {
  Application application;
  application.id = id;
  application.name = id + " name";
  application.owner = "alice";
  application.tier = "Unlimited";
  application.keys = std::move(keys);
  return application;
}

Subscription subscription(std::string application_id, std::string api,
                          SubscriptionState state = SubscriptionState::unblocked,
                          std::string tier = "Gold") {
  return {std::move(application_id), std::move(api), std::move(tier), state};
}

SubscriptionStore build(const std::vector<Application>& applications,
                        const std::vector<Subscription>& subscriptions) {
  auto store = SubscriptionStore::build(applications, subscriptions);
  if (!store) {
    for (const StoreError& error : store.error())
      ADD_FAILURE() << error.index << ": " << error.message;
    return *SubscriptionStore::build({}, {});
  }
  return std::move(*store);
}

StoreErrors build_errors(const std::vector<Application>& applications,
                         const std::vector<Subscription>& subscriptions) {
  auto store = SubscriptionStore::build(applications, subscriptions);
  if (store) {
    ADD_FAILURE() << "build() accepted the records";
    return {};
  }
  return store.error();
}

TEST(SubscriptionStore, ConsumerKeyLeadsToItsApplicationAndKeyType) {
  SubscriptionStore store = build({app("app-1", {{resident, "prodKey1", KeyType::production},
                                                 {resident, "sandKey1", KeyType::sandbox}}),
                                   app("app-2", {{resident, "prodKey2", KeyType::production}})},
                                  {});
  auto owner = store.find_key(resident, "sandKey1");
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->application->id, "app-1");
  EXPECT_EQ(owner->application->name, "app-1 name");
  EXPECT_EQ(owner->application->owner, "alice");
  EXPECT_EQ(store.tier_name(owner->application->tier), "Unlimited");
  EXPECT_EQ(owner->type, KeyType::sandbox);

  owner = store.find_key(resident, "prodKey2");
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->application->id, "app-2");
  EXPECT_EQ(owner->application->index, 1u);
  EXPECT_EQ(owner->type, KeyType::production);
}

TEST(SubscriptionStore, ConsumerKeysAreScopedToTheirKeyManager) {
  SubscriptionStore store = build({app("app-1", {{resident, "shared", KeyType::production}}),
                                   app("app-2", {{"Okta", "shared", KeyType::sandbox}})},
                                  {});
  EXPECT_EQ(store.find_key(resident, "shared")->application->id, "app-1");
  EXPECT_EQ(store.find_key("Okta", "shared")->application->id, "app-2");
  EXPECT_FALSE(store.find_key("Keycloak", "shared"));
  EXPECT_FALSE(store.find_key(resident, "unknown"));
  EXPECT_FALSE(store.find_key(resident, "SHARED"));
}

TEST(SubscriptionStore, ApplicationById) {
  SubscriptionStore store = build({app("a"), app("b")}, {});
  ASSERT_NE(store.find_application("b"), nullptr);
  EXPECT_EQ(store.find_application("b")->index, 1u);
  EXPECT_EQ(&store.application(1), store.find_application("b"));
  EXPECT_EQ(store.find_application("c"), nullptr);
  EXPECT_EQ(store.application_count(), 2u);
}

TEST(SubscriptionStore, SubscriptionByApplicationAndApi) {
  SubscriptionStore store =
      build({app("a"), app("b")},
            {subscription("a", "PizzaShack:1.0.0"),
             subscription("b", "PizzaShack:2.0.0", SubscriptionState::blocked, "Bronze")});
  auto pizza1 = store.api_id("PizzaShack:1.0.0");
  auto pizza2 = store.api_id("PizzaShack:2.0.0");
  ASSERT_TRUE(pizza1 && pizza2);
  EXPECT_NE(*pizza1, *pizza2);
  EXPECT_EQ(store.api_name(*pizza2), "PizzaShack:2.0.0");
  EXPECT_FALSE(store.api_id("PizzaShack"));

  const StoredSubscription* gold = store.find_subscription(0, *pizza1);
  ASSERT_NE(gold, nullptr);
  EXPECT_EQ(store.tier_name(gold->tier), "Gold");
  EXPECT_EQ(gold->state, SubscriptionState::unblocked);
  const StoredSubscription* bronze = store.find_subscription(1, *pizza2);
  ASSERT_NE(bronze, nullptr);
  EXPECT_EQ(store.tier_name(bronze->tier), "Bronze");
  EXPECT_EQ(bronze->state, SubscriptionState::blocked);

  EXPECT_EQ(store.find_subscription(0, *pizza2), nullptr);
  EXPECT_EQ(store.find_subscription(1, *pizza1), nullptr);
  EXPECT_EQ(store.subscription_count(), 2u);
}

TEST(SubscriptionStore, TiersAreInternedOnce) {
  SubscriptionStore store =
      build({app("a"), app("b")}, {subscription("a", "X:1"), subscription("b", "X:1")});
  ApiId x = *store.api_id("X:1");
  EXPECT_EQ(store.find_subscription(0, x)->tier, store.find_subscription(1, x)->tier);
  EXPECT_EQ(store.tier_id("Gold"), store.find_subscription(0, x)->tier);
  EXPECT_FALSE(store.tier_id("Silver"));
}

TEST(SubscriptionStore, EveryStateAgainstEveryKeyType) {
  struct Case {
    SubscriptionState state;
    Admission production, sandbox;
  };
  const Case cases[] = {
      {SubscriptionState::unblocked, Admission::allowed, Admission::allowed},
      {SubscriptionState::blocked, Admission::blocked, Admission::blocked},
      {SubscriptionState::prod_only_blocked, Admission::blocked, Admission::allowed},
      {SubscriptionState::on_hold, Admission::inactive, Admission::inactive},
      {SubscriptionState::rejected, Admission::inactive, Admission::inactive},
  };
  for (const Case& c : cases) {
    SubscriptionStore store = build({app("a")}, {subscription("a", "Api:1", c.state)});
    ApiId api = *store.api_id("Api:1");
    auto state = static_cast<int>(c.state);
    EXPECT_EQ(store.admit(0, api, KeyType::production), c.production) << "state " << state;
    EXPECT_EQ(store.admit(0, api, KeyType::sandbox), c.sandbox) << "state " << state;
  }
}

TEST(SubscriptionStore, NoSubscriptionIsNotSubscribedForEitherKeyType) {
  SubscriptionStore store = build({app("a"), app("b")}, {subscription("a", "Api:1")});
  ApiId api = *store.api_id("Api:1");
  EXPECT_EQ(store.admit(1, api, KeyType::production), Admission::not_subscribed);
  EXPECT_EQ(store.admit(1, api, KeyType::sandbox), Admission::not_subscribed);
}

TEST(SubscriptionStore, RestrictionsOfTheApplication) {
  Application restricted = app("restricted", {{resident, "k", KeyType::production}});
  restricted.restrictions.allowed_ips = {"10.0.0.0/8"};
  restricted.restrictions.allowed_referrers = {"*.example.com/*"};
  SubscriptionStore store = build({restricted, app("open")}, {});
  const StoredApplication& application = *store.find_key(resident, "k")->application;
  EXPECT_TRUE(application.allows_ip("10.1.2.3"));
  EXPECT_FALSE(application.allows_ip("192.168.0.1"));
  EXPECT_TRUE(application.allows_referrer("https://www.example.com/"));
  EXPECT_FALSE(application.allows_referrer("https://www.example.org/"));
  EXPECT_FALSE(application.allows_referrer(""));

  const StoredApplication& open = *store.find_application("open");
  EXPECT_TRUE(open.allows_ip("192.168.0.1"));
  EXPECT_TRUE(open.allows_referrer(""));
}

TEST(SubscriptionStore, StoreStaysValidAfterAMove) {
  auto built = SubscriptionStore::build(
      {app("a", {{resident, "key-long-enough-to-be-on-the-heap", KeyType::production}})},
      {subscription("a", "Api:1")});
  ASSERT_TRUE(built);
  SubscriptionStore moved = std::move(*built);
  EXPECT_EQ(moved.find_key(resident, "key-long-enough-to-be-on-the-heap")->application->id, "a");
  EXPECT_EQ(moved.admit(0, *moved.api_id("Api:1"), KeyType::sandbox), Admission::allowed);
}

TEST(SubscriptionStore, DuplicateConsumerKeyIsRefusedAtTheSecondApplication) {
  StoreErrors errors = build_errors({app("a", {{resident, "k1", KeyType::production}}),
                                     app("b", {{"Okta", "k1", KeyType::production}}),
                                     app("c", {{resident, "k1", KeyType::sandbox}})},
                                    {});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].kind, RecordKind::application);
  EXPECT_EQ(errors[0].index, 2u);
  EXPECT_THAT(errors[0].message, HasSubstr("\"k1\""));
  EXPECT_THAT(errors[0].message, HasSubstr("application 0"));
}

TEST(SubscriptionStore, DuplicateConsumerKeyWithinOneApplicationIsRefused) {
  StoreErrors errors = build_errors(
      {app("a", {{resident, "k1", KeyType::production}, {resident, "k1", KeyType::sandbox}})}, {});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].index, 0u);
}

TEST(SubscriptionStore, DuplicateApplicationIdIsRefused) {
  StoreErrors errors = build_errors({app("a"), app("b"), app("a")}, {});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].index, 2u);
  EXPECT_THAT(errors[0].message, HasSubstr("also application 0"));
}

TEST(SubscriptionStore, BadApplicationsAreRefusedWithTheirIndex) {
  Application no_id = app("");
  Application no_tier = app("t");
  no_tier.tier.clear();
  Application empty_key = app("k", {{resident, "", KeyType::production}});
  Application bad_ip = app("ip");
  bad_ip.restrictions.allowed_ips = {"10.0.0.1", "10.0.0.0/40"};
  Application bad_referrer = app("r");
  bad_referrer.restrictions.allowed_referrers = {"has space"};
  StoreErrors errors =
      build_errors({app("fine"), no_id, no_tier, empty_key, bad_ip, bad_referrer}, {});
  ASSERT_EQ(errors.size(), 5u);
  for (size_t i = 0; i < errors.size(); ++i) {
    EXPECT_EQ(errors[i].kind, RecordKind::application);
    EXPECT_EQ(errors[i].index, i + 1);
  }
  EXPECT_THAT(errors[3].message, HasSubstr("allowed_ips[1]"));
  EXPECT_THAT(errors[4].message, HasSubstr("allowed_referrers[0]"));
}

TEST(SubscriptionStore, BadSubscriptionsAreRefusedWithTheirIndex) {
  StoreErrors errors =
      build_errors({app("a")}, {subscription("a", "Api:1"), subscription("nobody", "Api:1"),
                                subscription("a", "NoVersion"), subscription("a", ":1"),
                                subscription("a", "Api:"),
                                subscription("a", "Api:2", SubscriptionState::unblocked, ""),
                                subscription("a", "Api:3", static_cast<SubscriptionState>(9)),
                                subscription("a", "Api:1", SubscriptionState::blocked)});
  ASSERT_EQ(errors.size(), 7u);
  for (size_t i = 0; i < errors.size(); ++i) {
    EXPECT_EQ(errors[i].kind, RecordKind::subscription);
    EXPECT_EQ(errors[i].index, i + 1);
  }
  EXPECT_THAT(errors[0].message, HasSubstr("\"nobody\" is not defined"));
  EXPECT_THAT(errors[1].message, HasSubstr("Name:Version"));
  EXPECT_THAT(errors[6].message, HasSubstr("twice"));
}

TEST(SubscriptionStore, ErrorListIsBounded) {
  std::vector<Subscription> orphans(1000, subscription("nobody", "Api:1"));
  EXPECT_EQ(build_errors({}, orphans).size(), max_store_errors);
}

TEST(SubscriptionStore, ApiVersionIsAfterTheLastColon) {
  SubscriptionStore store = build({app("a")}, {subscription("a", "urn:pizza:1.0")});
  EXPECT_TRUE(store.api_id("urn:pizza:1.0"));
}

}  // namespace
}  // namespace gatehouse::identity
