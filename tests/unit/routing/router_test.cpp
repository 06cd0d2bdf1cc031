#include "routing/router.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "router_test_support.h"

namespace gatehouse::routing {
namespace {

using test_support::build_router;
using test_support::route;

constexpr std::string_view kAnyHost = "gateway.local";

// The PizzaShack sample API: context /pizzashack, version 1.0.0.
Router pizzashack() {
  return build_router({
      route("/pizzashack/1.0.0", "/menu", {"GET"}, 1, 10),
      route("/pizzashack/1.0.0", "/order", {"POST"}, 1, 11),
      route("/pizzashack/1.0.0", "/order/{orderId}", {"GET", "PUT", "DELETE"}, 1, 12),
  });
}

TEST(RouterMatch, LiteralResourceGivesApiResourceAndResourcePath) {
  Router router = pizzashack();
  Match match = router.match(kAnyHost, "GET", "/pizzashack/1.0.0/menu");
  ASSERT_EQ(match.status, MatchStatus::found);
  EXPECT_EQ(match.api, 1u);
  EXPECT_EQ(match.resource, 10u);
  EXPECT_EQ(match.resource_path, "/menu");
  EXPECT_TRUE(match.params.empty());
}

TEST(RouterMatch, ParameterValueAndResourcePathAreViewsIntoTheRequestPath) {
  Router router = pizzashack();
  std::string path = "/pizzashack/1.0.0/order/42";
  Match match = router.match(kAnyHost, "GET", path);
  ASSERT_EQ(match.status, MatchStatus::found);
  EXPECT_EQ(match.resource, 12u);
  EXPECT_EQ(match.resource_path, "/order/42");
  EXPECT_EQ(match.resource_path.data(), path.data() + std::string_view("/pizzashack/1.0.0").size());
  ASSERT_EQ(match.params.size(), 1u);
  EXPECT_EQ(match.params[0].name, "orderId");
  EXPECT_EQ(match.params[0].value, "42");
  EXPECT_EQ(match.params[0].value.data(), path.data() + path.size() - 2);
}

TEST(RouterMatch, UnknownPathsAreNotFound) {
  Router router = pizzashack();
  for (std::string_view path :
       {"/pizzashack/1.0.0/drinks", "/pizzashack/2.0.0/menu", "/pizzashack/1.0.0", "/pizzashack",
        "/", "/pizzashack/1.0.0/menu/extra", "/pizzashack/1.0.0/order/42/items",
        "/PizzaShack/1.0.0/menu", "pizzashack/1.0.0/menu", ""}) {
    Match match = router.match(kAnyHost, "GET", path);
    EXPECT_EQ(match.status, MatchStatus::not_found) << path;
    EXPECT_TRUE(match.params.empty()) << path;
  }
}

TEST(RouterMatch, TrailingSlashInTheRequestIsIgnored) {
  Router router = pizzashack();
  Match menu = router.match(kAnyHost, "GET", "/pizzashack/1.0.0/menu/");
  ASSERT_EQ(menu.status, MatchStatus::found);
  EXPECT_EQ(menu.resource, 10u);
  EXPECT_EQ(menu.resource_path, "/menu/");

  Match order = router.match(kAnyHost, "GET", "/pizzashack/1.0.0/order/42/");
  ASSERT_EQ(order.status, MatchStatus::found);
  ASSERT_EQ(order.params.size(), 1u);
  EXPECT_EQ(order.params[0].value, "42");
}

TEST(RouterMatch, EmptySegmentsDoNotMatchParameters) {
  Router router = pizzashack();
  EXPECT_EQ(router.match(kAnyHost, "GET", "/pizzashack/1.0.0/order//").status,
            MatchStatus::not_found);
  EXPECT_EQ(router.match(kAnyHost, "GET", "/pizzashack/1.0.0/order//42").status,
            MatchStatus::not_found);
  EXPECT_EQ(router.match(kAnyHost, "GET", "/pizzashack//1.0.0/menu").status,
            MatchStatus::not_found);
}

TEST(RouterMatch, LiteralSegmentBeatsParameter) {
  Router router = build_router({
      route("/api", "/users/{id}", {"GET"}, 1, 1),
      route("/api", "/users/me", {"GET"}, 1, 2),
  });
  EXPECT_EQ(router.match(kAnyHost, "GET", "/api/users/me").resource, 2u);
  Match other = router.match(kAnyHost, "GET", "/api/users/7");
  EXPECT_EQ(other.resource, 1u);
  ASSERT_EQ(other.params.size(), 1u);
  EXPECT_EQ(other.params[0].value, "7");
}

TEST(RouterMatch, BacktracksFromALiteralBranchThatDoesNotMatchFurther) {
  Router router = build_router({
      route("", "/a/{x}/c", {"GET"}, 1, 1),
      route("", "/a/b/d", {"GET"}, 1, 2),
  });
  Match via_param = router.match(kAnyHost, "GET", "/a/b/c");
  ASSERT_EQ(via_param.status, MatchStatus::found);
  EXPECT_EQ(via_param.resource, 1u);
  ASSERT_EQ(via_param.params.size(), 1u);
  EXPECT_EQ(via_param.params[0].name, "x");
  EXPECT_EQ(via_param.params[0].value, "b");

  Match literal = router.match(kAnyHost, "GET", "/a/b/d");
  ASSERT_EQ(literal.status, MatchStatus::found);
  EXPECT_EQ(literal.resource, 2u);
  EXPECT_TRUE(literal.params.empty());
}

TEST(RouterMatch, ALongLiteralRunNeedsAllItsSegments) {
  Router router = build_router({
      route("/a", "/b/c/d", {"GET"}, 1, 1),
      route("/a", "/{x}", {"GET"}, 1, 2),
  });
  EXPECT_EQ(router.match(kAnyHost, "GET", "/a/b/c/d").resource, 1u);
  EXPECT_EQ(router.match(kAnyHost, "GET", "/a/b/c/d/").resource, 1u);
  EXPECT_EQ(router.match(kAnyHost, "GET", "/a/b").resource, 2u);
  EXPECT_EQ(router.match(kAnyHost, "GET", "/a/b/").resource, 2u);
  EXPECT_EQ(router.match(kAnyHost, "GET", "/a/b/c").status, MatchStatus::not_found);
  EXPECT_EQ(router.match(kAnyHost, "GET", "/a/b//d").status, MatchStatus::not_found);
  EXPECT_EQ(router.match(kAnyHost, "GET", "/a/b/c/e").status, MatchStatus::not_found);
}

TEST(RouterMatch, TemplatesOfManySegmentsMatchExactly) {
  std::string deep;
  for (int i = 0; i < 70; ++i) deep += "/s" + std::to_string(i);
  Router router = build_router({route("", deep, {"GET"}, 1, 1)});
  EXPECT_EQ(router.match(kAnyHost, "GET", deep).status, MatchStatus::found);
  EXPECT_EQ(router.match(kAnyHost, "GET", deep + "/").status, MatchStatus::found);
  EXPECT_EQ(router.match(kAnyHost, "GET", deep.substr(0, deep.rfind('/'))).status,
            MatchStatus::not_found);
  EXPECT_EQ(router.match(kAnyHost, "GET", deep + "/more").status, MatchStatus::not_found);
}

TEST(RouterMatch, ParametersOfAnAbandonedBranchAreNotReported) {
  Router router = build_router({
      route("", "/{a}/{b}/x", {"GET"}, 1, 1),
      route("", "/{a}/*", {"GET"}, 1, 2),
  });
  Match match = router.match(kAnyHost, "GET", "/p/q/z");
  ASSERT_EQ(match.status, MatchStatus::found);
  EXPECT_EQ(match.resource, 2u);
  ASSERT_EQ(match.params.size(), 1u);
  EXPECT_EQ(match.params[0].name, "a");
  EXPECT_EQ(match.params[0].value, "p");
}

TEST(RouterMatch, SeveralParametersComeInTemplateOrder) {
  Router router =
      build_router({route("/shop", "/{store}/orders/{order}/items/{item}", {"GET"}, 1, 1)});
  Match match = router.match(kAnyHost, "GET", "/shop/s1/orders/o2/items/i3");
  ASSERT_EQ(match.status, MatchStatus::found);
  ASSERT_EQ(match.params.size(), 3u);
  EXPECT_EQ(match.params[0].name, "store");
  EXPECT_EQ(match.params[0].value, "s1");
  EXPECT_EQ(match.params[1].name, "order");
  EXPECT_EQ(match.params[1].value, "o2");
  EXPECT_EQ(match.params[2].name, "item");
  EXPECT_EQ(match.params[2].value, "i3");
}

TEST(RouterMatch, ParameterNamesMayDifferAmongTemplatesSharingTheSegment) {
  Router router = build_router({
      route("", "/orders/{orderId}", {"GET"}, 1, 1),
      route("", "/orders/{id}/items", {"GET"}, 1, 2),
  });
  EXPECT_EQ(router.match(kAnyHost, "GET", "/orders/5").params[0].name, "orderId");
  EXPECT_EQ(router.match(kAnyHost, "GET", "/orders/5/items").params[0].name, "id");
}

TEST(RouterMatch, WildcardMatchesZeroOrMoreSegments) {
  Router router = build_router({route("/store", "/files/*", {"GET"}, 1, 1)});
  for (std::string_view path : {"/store/files", "/store/files/", "/store/files/a",
                                "/store/files/a/b/c", "/store/files//x"}) {
    Match match = router.match(kAnyHost, "GET", path);
    EXPECT_EQ(match.status, MatchStatus::found) << path;
  }
  EXPECT_EQ(router.match(kAnyHost, "GET", "/store/files/a/b").resource_path, "/files/a/b");
  EXPECT_EQ(router.match(kAnyHost, "GET", "/store/filesystem").status, MatchStatus::not_found);
}

TEST(RouterMatch, ParameterBeatsWildcardAndLiteralBeatsBoth) {
  Router router = build_router({
      route("", "/files/*", {"GET"}, 1, 1),
      route("", "/files/{name}", {"GET"}, 1, 2),
      route("", "/files/index", {"GET"}, 1, 3),
  });
  EXPECT_EQ(router.match(kAnyHost, "GET", "/files/index").resource, 3u);
  EXPECT_EQ(router.match(kAnyHost, "GET", "/files/a").resource, 2u);
  EXPECT_EQ(router.match(kAnyHost, "GET", "/files/a/b").resource, 1u);
  EXPECT_EQ(router.match(kAnyHost, "GET", "/files").resource, 1u);
}

TEST(RouterMatch, RootWildcardUnderAPrefixMatchesThePrefixAndEverythingBelow) {
  Router router = build_router({route("/pizzashack/1.0.0", "/*", {"GET"}, 1, 1)});
  Match prefix_only = router.match(kAnyHost, "GET", "/pizzashack/1.0.0");
  ASSERT_EQ(prefix_only.status, MatchStatus::found);
  EXPECT_EQ(prefix_only.resource_path, "/");
  Match below = router.match(kAnyHost, "GET", "/pizzashack/1.0.0/any/thing");
  ASSERT_EQ(below.status, MatchStatus::found);
  EXPECT_EQ(below.resource_path, "/any/thing");
  EXPECT_EQ(router.match(kAnyHost, "GET", "/pizzashack/2.0.0").status, MatchStatus::not_found);
}

TEST(RouterMatch, RootTemplateMatchesOnlyThePrefixItself) {
  Router router = build_router({route("/pizzashack/1.0.0", "/", {"GET"}, 1, 1)});
  Match exact = router.match(kAnyHost, "GET", "/pizzashack/1.0.0");
  ASSERT_EQ(exact.status, MatchStatus::found);
  EXPECT_EQ(exact.resource_path, "/");
  Match slash = router.match(kAnyHost, "GET", "/pizzashack/1.0.0/");
  ASSERT_EQ(slash.status, MatchStatus::found);
  EXPECT_EQ(slash.resource_path, "/");
  EXPECT_EQ(router.match(kAnyHost, "GET", "/pizzashack/1.0.0/menu").status, MatchStatus::not_found);
}

TEST(RouterMatch, MultiSegmentContextsAndADefaultVersion) {
  Router router = build_router({
      route("/org/pizzashack/1.0.0", "/menu", {"GET"}, 1, 1),
      route("/org/pizzashack", "/menu", {"GET"}, 1, 2),  // the default version
      route("/org/pizzashack/2.0.0", "/menu", {"GET"}, 2, 3),
  });
  Match versioned = router.match(kAnyHost, "GET", "/org/pizzashack/1.0.0/menu");
  EXPECT_EQ(versioned.resource, 1u);
  EXPECT_EQ(versioned.resource_path, "/menu");
  Match by_default = router.match(kAnyHost, "GET", "/org/pizzashack/menu");
  EXPECT_EQ(by_default.resource, 2u);
  EXPECT_EQ(by_default.resource_path, "/menu");
  Match newer = router.match(kAnyHost, "GET", "/org/pizzashack/2.0.0/menu");
  EXPECT_EQ(newer.api, 2u);
  EXPECT_EQ(newer.resource_path, "/menu");
}

TEST(RouterMatch, ParametersSurviveMovesOfTheRouter) {
  Router moved = pizzashack();  // the specs given to build() are gone by now
  Router assigned;
  assigned = std::move(moved);
  Router constructed(std::move(assigned));
  std::string path = "/pizzashack/1.0.0/order/7";
  Match match = constructed.match(kAnyHost, "GET", path);
  ASSERT_EQ(match.params.size(), 1u);
  EXPECT_EQ(match.params[0].name, "orderId");
}

TEST(RouterMatch, AnEmptyRouterFindsNothing) {
  Router router;
  EXPECT_EQ(router.match(kAnyHost, "GET", "/").status, MatchStatus::not_found);
  Router built = build_router({});
  EXPECT_EQ(built.match(kAnyHost, "GET", "/").status, MatchStatus::not_found);
}

}  // namespace
}  // namespace gatehouse::routing
