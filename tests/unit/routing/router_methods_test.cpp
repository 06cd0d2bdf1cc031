#include <gtest/gtest.h>

#include "router_test_support.h"
#include "routing/router.h"

namespace gatehouse::routing {
namespace {

using test_support::build_router;
using test_support::route;

constexpr std::string_view kHost = "gateway.local";

TEST(RouterMethods, MethodSelectsTheResourceOfTheSameTemplate) {
  Router router = build_router({
      route("/api", "/items", {"GET"}, 1, 1),
      route("/api", "/items", {"POST"}, 1, 2),
  });
  EXPECT_EQ(router.match(kHost, "GET", "/api/items").resource, 1u);
  EXPECT_EQ(router.match(kHost, "POST", "/api/items").resource, 2u);
}

TEST(RouterMethods, WrongMethodIs405WithAllowInStableOrder) {
  Router router = build_router({
      route("/api", "/items", {"PURGE", "DELETE", "OPTIONS"}, 1, 1),
      route("/api", "/items", {"PATCH", "POST", "COPY"}, 1, 2),
      route("/api", "/items", {"PUT", "GET"}, 1, 3),
  });
  Match match = router.match(kHost, "TRACE", "/api/items");
  EXPECT_EQ(match.status, MatchStatus::method_not_allowed);
  EXPECT_EQ(match.allow, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, COPY, PURGE");
  EXPECT_TRUE(match.params.empty());
}

TEST(RouterMethods, AllowIsOnlyFilledFor405) {
  Router router = build_router({route("/api", "/items", {"POST"}, 1, 1)});
  Match match = router.match(kHost, "GET", "/api/items");
  EXPECT_EQ(match.status, MatchStatus::method_not_allowed);
  EXPECT_EQ(match.allow, "POST");
  EXPECT_EQ(router.match(kHost, "POST", "/api/items").allow, "");
  EXPECT_EQ(router.match(kHost, "POST", "/api/other").allow, "");
}

TEST(RouterMethods, A405NamesTheApiOfThePath) {
  Router router = build_router({
      route("/one", "/items", {"GET"}, 7, 1),
      route("/two", "/items", {"POST"}, 9, 2),
  });
  Match match = router.match(kHost, "OPTIONS", "/two/items");
  EXPECT_EQ(match.status, MatchStatus::method_not_allowed);
  EXPECT_EQ(match.api, 9u);
}

TEST(RouterMethods, MethodsAreCaseSensitive) {
  Router router = build_router({route("/api", "/items", {"GET"}, 1, 1)});
  EXPECT_EQ(router.match(kHost, "get", "/api/items").status, MatchStatus::method_not_allowed);
}

TEST(RouterMethods, HeadIsServedByTheGetResource) {
  Router router = build_router({route("/api", "/items/{id}", {"GET"}, 1, 7)});
  Match match = router.match(kHost, "HEAD", "/api/items/3");
  ASSERT_EQ(match.status, MatchStatus::found);
  EXPECT_EQ(match.resource, 7u);
  ASSERT_EQ(match.params.size(), 1u);
  EXPECT_EQ(match.params[0].value, "3");
  EXPECT_EQ(router.match(kHost, "POST", "/api/items/3").allow, "GET, HEAD");
}

TEST(RouterMethods, AnExplicitHeadResourceWinsOverGet) {
  Router router = build_router({
      route("/api", "/items", {"GET"}, 1, 1),
      route("/api", "/items", {"HEAD"}, 1, 2),
  });
  EXPECT_EQ(router.match(kHost, "HEAD", "/api/items").resource, 2u);
  EXPECT_EQ(router.match(kHost, "GET", "/api/items").resource, 1u);
}

TEST(RouterMethods, StarMatchesAnyMethodAndExplicitMethodsWin) {
  Router router = build_router({
      route("/api", "/items", {"*"}, 1, 1),
      route("/api", "/items", {"DELETE"}, 1, 2),
  });
  EXPECT_EQ(router.match(kHost, "GET", "/api/items").resource, 1u);
  EXPECT_EQ(router.match(kHost, "PROPFIND", "/api/items").resource, 1u);
  EXPECT_EQ(router.match(kHost, "DELETE", "/api/items").resource, 2u);
}

TEST(RouterMethods, AMethodNotOnTheMostSpecificTemplateFallsBackToALessSpecificOne) {
  Router router = build_router({
      route("", "/a/{x}", {"GET"}, 1, 1),
      route("", "/a/b", {"POST"}, 1, 2),
  });
  EXPECT_EQ(router.match(kHost, "POST", "/a/b").resource, 2u);
  Match get = router.match(kHost, "GET", "/a/b");
  ASSERT_EQ(get.status, MatchStatus::found);
  EXPECT_EQ(get.resource, 1u);
  ASSERT_EQ(get.params.size(), 1u);
  EXPECT_EQ(get.params[0].value, "b");
}

TEST(RouterMethods, AllowListsTheMethodsOfEveryTemplateMatchingThePath) {
  Router router = build_router({
      route("", "/a/{x}", {"GET"}, 1, 1),
      route("", "/a/b", {"POST"}, 1, 2),
      route("", "/a/*", {"DELETE"}, 1, 3),
      route("", "/c/d", {"PATCH"}, 1, 4),
  });
  Match match = router.match(kHost, "PUT", "/a/b");
  EXPECT_EQ(match.status, MatchStatus::method_not_allowed);
  EXPECT_EQ(match.allow, "GET, HEAD, POST, DELETE");
  EXPECT_EQ(router.match(kHost, "PUT", "/a/z").allow, "GET, HEAD, DELETE");
}

}  // namespace
}  // namespace gatehouse::routing
