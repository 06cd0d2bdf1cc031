// /subscriptions on the admin listener: each accepted change reaches the workers (install) once,
// with the directory's new store, and with the built-in key manager is kept in its store; a
// refused one reaches nobody, is not kept, and says why.
#include "admin/subscription_routes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <boost/json/parse.hpp>

#include <stdexcept>

#include "key_manager_context.h"
#include "keymanager/server/registered_applications.h"
#include "keymanager/server/server_context.h"
#include "keymanager/store/sqlite_grant_store.h"
#include "keymanager/store/store_thread.h"
#include "observability/metrics.h"
#include "security/auth/application_directory.h"

namespace gatehouse::admin {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;

class SubscriptionRoutesTest : public ::testing::Test {
 protected:
  SubscriptionRoutesTest() {
    config::SecurityConfig security;
    config::ApplicationConfig application;
    application.record = {.id = "app 1", .name = "App", .owner = "", .tier = "Unlimited"};
    security.applications.push_back(application);
    EXPECT_TRUE(directory_.prepare(security));
    directory_.commit();
  }

  AdminResponse route(std::string_view method, std::string_view target,
                      std::string_view body = {}) {
    return route_admin_request(
        {method, target, body},
        {metrics_,
         [] { return true; },
         nullptr,
         nullptr,
         {&directory_, [this](security::SubscriptionsPtr store) { installed_.push_back(store); },
          [](std::string_view tier) { return tier == "Gold" || tier == "Unlimited"; }}});
  }

  security::ApplicationDirectory directory_;
  observability::Metrics metrics_{1, "test"};
  std::vector<security::SubscriptionsPtr> installed_;
};

TEST_F(SubscriptionRoutesTest, APutInstallsTheNewStoreAndAnswersTheSubscription) {
  const AdminResponse put =
      route("PUT", "/subscriptions/app%201/Pizza%20Shack:1.0", R"({"tier":"Gold"})");
  EXPECT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(json::parse(put.body),
            json::parse(R"({"application":"app 1","api":"Pizza Shack:1.0","tier":"Gold",
                            "state":"UNBLOCKED"})"));
  ASSERT_EQ(installed_.size(), 1u);
  EXPECT_EQ(installed_[0], directory_.current());
  EXPECT_EQ(installed_[0]->subscription_count(), 1u);

  const AdminResponse listed = route("GET", "/subscriptions");
  EXPECT_EQ(listed.status, 200);
  EXPECT_EQ(json::parse(listed.body).at("subscriptions").as_array().size(), 1u);
  EXPECT_THAT(route("GET", "/metrics").body,
              HasSubstr("gatehouse_subscription_store_updates_total 2\n"));

  EXPECT_EQ(route("DELETE", "/subscriptions/app%201/Pizza%20Shack:1.0").status, 204);
  ASSERT_EQ(installed_.size(), 2u);
  EXPECT_EQ(installed_[1]->subscription_count(), 0u);
}

TEST_F(SubscriptionRoutesTest, RefusedChangesInstallNothing) {
  EXPECT_EQ(route("PUT", "/subscriptions/nobody/Shop:1.0", R"({"tier":"Gold"})").status, 404);
  EXPECT_EQ(route("PUT", "/subscriptions/app%201/Shop:1.0", "not json").status, 400);
  EXPECT_EQ(route("PUT", "/subscriptions/app%201/Shop:1.0", R"({"state":"BLOCKED"})").status, 400);
  const AdminResponse state =
      route("PUT", "/subscriptions/app%201/Shop:1.0", R"({"tier":"Gold","state":"blocked"})");
  EXPECT_EQ(state.status, 400);
  EXPECT_THAT(state.body, HasSubstr("PROD_ONLY_BLOCKED"));
  EXPECT_EQ(route("PUT", "/subscriptions/app%201/Shop", R"({"tier":"Gold"})").status, 400);
  EXPECT_EQ(route("PUT", "/subscriptions/app%201", R"({"tier":"Gold"})").status, 400);
  EXPECT_EQ(route("PUT", "/subscriptions/app%201/Shop:1.0/x", R"({"tier":"Gold"})").status, 400);
  EXPECT_EQ(route("DELETE", "/subscriptions/app%201/Shop:1.0").status, 404);
  const AdminResponse post = route("POST", "/subscriptions/app%201/Shop:1.0", "{}");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.allow, "PUT, DELETE");
  EXPECT_EQ(route("DELETE", "/subscriptions").allow, "GET, HEAD");
  EXPECT_TRUE(installed_.empty());
}

TEST_F(SubscriptionRoutesTest, WithoutADirectoryTheRouteIsNotServed) {
  const AdminResponse response =
      route_admin_request({"GET", "/subscriptions", {}}, {metrics_, [] { return true; }});
  EXPECT_EQ(response.status, 404);
}

TEST_F(SubscriptionRoutesTest, ATierThatIsNotDefinedIsRefusedAndChangesNothing) {
  const AdminResponse answer =
      route("PUT", "/subscriptions/app%201/Shop:1.0", R"({"tier":"Platinum"})");
  EXPECT_EQ(answer.status, 400);
  EXPECT_THAT(answer.body, HasSubstr("'Platinum' is not a subscription tier"));
  EXPECT_TRUE(installed_.empty());
}

// With the built-in key manager: each change made is kept in its store (read back as the gateway
// reads it at start), and a store that fails is a 500 saying that the change is in effect anyway.
class KeptSubscriptionRoutesTest : public ::testing::Test {
 protected:
  KeptSubscriptionRoutesTest() {
    kept_ = std::make_unique<keymanager::RegisteredApplications>(*context_);
    config::SecurityConfig security;
    config::ApplicationConfig application;
    application.record = {.id = "app 1", .name = "App", .owner = "", .tier = "Unlimited"};
    security.applications.push_back(application);
    config::SubscriptionConfig subscription;
    subscription.record = {"app 1", "Cart:2.0", "Gold", identity::SubscriptionState::unblocked};
    security.subscriptions.push_back(subscription);
    if (!directory_.prepare(security)) throw std::runtime_error("bad applications");
    directory_.commit();
  }

  AdminResponse route(std::string_view method, std::string_view target,
                      std::string_view body = {}) {
    AdminServices services{metrics_, [] { return true; }};
    services.subscriptions = {
        &directory_, [this](security::SubscriptionsPtr store) { installed_.push_back(store); },
        [](std::string_view tier) { return tier == "Gold" || tier == "Unlimited"; }, kept_.get()};
    return route_admin_request({method, target, body}, services);
  }

  std::vector<security::SubscriptionChange> kept_changes() {
    auto changes = kept_->subscription_changes();
    if (!changes) throw std::runtime_error(changes.error());
    return std::move(*changes);
  }

  test_support_km::KeyManagerContext key_manager_{
      keymanager::Settings{.issuer = "https://km.example"}};
  keymanager::ServerContext* context_ = key_manager_.context();
  std::unique_ptr<keymanager::RegisteredApplications> kept_;
  security::ApplicationDirectory directory_;
  observability::Metrics metrics_{1, "test"};
  std::vector<security::SubscriptionsPtr> installed_;
};

TEST_F(KeptSubscriptionRoutesTest, APutAndADeleteAreKeptInTheKeyManagersStore) {
  ASSERT_EQ(route("PUT", "/subscriptions/app%201/Shop:1.0", R"({"tier":"Gold"})").status, 200);
  std::vector<security::SubscriptionChange> changes = kept_changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].application_id, "app 1");
  EXPECT_EQ(changes[0].api, "Shop:1.0");
  ASSERT_TRUE(changes[0].subscription);
  EXPECT_EQ(changes[0].subscription->tier, "Gold");
  EXPECT_EQ(changes[0].subscription->state, identity::SubscriptionState::unblocked);

  // The next change of that subscription replaces the kept one.
  ASSERT_EQ(route("PUT", "/subscriptions/app%201/Shop:1.0",
                  R"({"tier":"Unlimited","state":"PROD_ONLY_BLOCKED"})")
                .status,
            200);
  changes = kept_changes();
  ASSERT_EQ(changes.size(), 1u);
  ASSERT_TRUE(changes[0].subscription);
  EXPECT_EQ(changes[0].subscription->tier, "Unlimited");
  EXPECT_EQ(changes[0].subscription->state, identity::SubscriptionState::prod_only_blocked);

  EXPECT_EQ(route("DELETE", "/subscriptions/app%201/Shop:1.0").status, 204);
  // A subscription of the config file removed is kept as removed too.
  EXPECT_EQ(route("DELETE", "/subscriptions/app%201/Cart:2.0").status, 204);
  changes = kept_changes();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].api, "Cart:2.0");
  EXPECT_FALSE(changes[0].subscription);
  EXPECT_EQ(changes[1].api, "Shop:1.0");
  EXPECT_FALSE(changes[1].subscription);
  EXPECT_EQ(installed_.size(), 4u);
}

TEST_F(KeptSubscriptionRoutesTest, ARefusedChangeIsNotKept) {
  EXPECT_EQ(route("PUT", "/subscriptions/nobody/Shop:1.0", R"({"tier":"Gold"})").status, 404);
  EXPECT_EQ(route("PUT", "/subscriptions/app%201/Shop:1.0", R"({"tier":"Platinum"})").status, 400);
  EXPECT_EQ(route("PUT", "/subscriptions/app%201/Shop", R"({"tier":"Gold"})").status, 400);
  EXPECT_EQ(route("DELETE", "/subscriptions/app%201/Shop:1.0").status, 404);
  EXPECT_TRUE(kept_changes().empty());
  EXPECT_TRUE(installed_.empty());
}

TEST_F(KeptSubscriptionRoutesTest, AStoreThatFailsIsA500SayingTheChangeIsInEffect) {
  // Another program drops the table under the running gateway.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(key_manager_.store_path().c_str(), &db), SQLITE_OK);
  const int dropped =
      sqlite3_exec(db, "DROP TABLE subscription_changes", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  ASSERT_EQ(dropped, SQLITE_OK);

  const AdminResponse put = route("PUT", "/subscriptions/app%201/Shop:1.0", R"({"tier":"Gold"})");
  EXPECT_EQ(put.status, 500) << put.body;
  EXPECT_THAT(put.body, HasSubstr("in effect until the gateway stops, but was not kept"));
  // In effect on every worker all the same.
  ASSERT_EQ(installed_.size(), 1u);
  EXPECT_EQ(installed_[0], directory_.current());
  EXPECT_EQ(directory_.subscriptions().size(), 2u);

  const AdminResponse deleted = route("DELETE", "/subscriptions/app%201/Cart:2.0");
  EXPECT_EQ(deleted.status, 500) << deleted.body;
  EXPECT_THAT(deleted.body, HasSubstr("was not kept"));
  EXPECT_EQ(installed_.size(), 2u);
  EXPECT_EQ(directory_.subscriptions().size(), 1u);
}

}  // namespace
}  // namespace gatehouse::admin
