// /subscriptions on the admin listener: each accepted change reaches the workers (install) once,
// with the directory's new store; a refused one reaches nobody and says why.
#include "admin/subscription_routes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

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

}  // namespace
}  // namespace gatehouse::admin
