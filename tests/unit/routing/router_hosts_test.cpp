#include <gtest/gtest.h>

#include "router_test_support.h"
#include "routing/router.h"

namespace gatehouse::routing {
namespace {

using test_support::build_router;
using test_support::route;

Router two_hosts() {
  return build_router({
      route("/shop", "/items", {"GET"}, 1, 1, "api.example.com"),
      route("/shop", "/items", {"GET"}, 2, 2, "[::1]"),
      route("/shop", "/items", {"GET"}, 3, 3),
      route("/shop", "/items/{id}", {"GET"}, 3, 4),
      route("/admin", "/stats", {"GET"}, 4, 5, "API.Example.COM:8243"),
  });
}

TEST(RouterHosts, HostSpecificRoutesWinOverAnyHostRoutes) {
  Router router = two_hosts();
  EXPECT_EQ(router.match("api.example.com", "GET", "/shop/items").api, 1u);
  EXPECT_EQ(router.match("other.example.com", "GET", "/shop/items").api, 3u);
  EXPECT_EQ(router.match("", "GET", "/shop/items").api, 3u);
}

TEST(RouterHosts, HostIsCaseInsensitiveAndItsPortIsIgnored) {
  Router router = two_hosts();
  EXPECT_EQ(router.match("API.Example.Com", "GET", "/shop/items").api, 1u);
  EXPECT_EQ(router.match("api.example.com:8243", "GET", "/shop/items").api, 1u);
  EXPECT_EQ(router.match("[::1]:8280", "GET", "/shop/items").api, 2u);
  EXPECT_EQ(router.match("[::1]", "GET", "/shop/items").api, 2u);
  EXPECT_EQ(router.match("api.example.com", "GET", "/admin/stats").api, 4u);
}

TEST(RouterHosts, ARouteForOneHostIsNotFoundUnderAnother) {
  Router router = two_hosts();
  EXPECT_EQ(router.match("other.example.com", "GET", "/admin/stats").status,
            MatchStatus::not_found);
  EXPECT_EQ(router.match("api.example.com.evil", "GET", "/admin/stats").status,
            MatchStatus::not_found);
}

TEST(RouterHosts, AHostWithoutAMatchFallsBackToAnyHostRoutes) {
  Router router = two_hosts();
  Match match = router.match("api.example.com", "GET", "/shop/items/9");
  ASSERT_EQ(match.status, MatchStatus::found);
  EXPECT_EQ(match.resource, 4u);
  ASSERT_EQ(match.params.size(), 1u);
  EXPECT_EQ(match.params[0].value, "9");
}

TEST(RouterHosts, AMethodMissingOnTheHostRouteIsServedByTheAnyHostRoute) {
  Router router = build_router({
      route("/shop", "/items", {"GET"}, 1, 1, "api.example.com"),
      route("/shop", "/items", {"POST"}, 2, 2),
  });
  EXPECT_EQ(router.match("api.example.com", "POST", "/shop/items").api, 2u);
  Match match = router.match("api.example.com", "PUT", "/shop/items");
  EXPECT_EQ(match.status, MatchStatus::method_not_allowed);
  EXPECT_EQ(match.allow, "GET, HEAD, POST");
  EXPECT_EQ(router.match("other.example.com", "PUT", "/shop/items").allow, "POST");
}

TEST(RouterHosts, AnOverlongHostFindsOnlyAnyHostRoutes) {
  Router router = two_hosts();
  std::string host(300, 'a');
  EXPECT_EQ(router.match(host, "GET", "/shop/items").api, 3u);
}

}  // namespace
}  // namespace gatehouse::routing
