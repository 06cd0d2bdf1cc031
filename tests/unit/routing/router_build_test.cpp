#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "router_test_support.h"
#include "routing/router.h"

namespace gatehouse::routing {
namespace {

using test_support::route;
using ::testing::HasSubstr;

Router::BuildError build_error(std::vector<RouteSpec> routes) {
  auto router = Router::build(std::move(routes));
  if (router) {
    ADD_FAILURE() << "build() accepted the routes";
    return {};
  }
  return router.error();
}

TEST(RouterBuild, SameHostTemplateAndMethodTwiceIsRejectedAtTheSecondRoute) {
  auto error = build_error({
      route("/api", "/a", {"GET"}, 1, 1),
      route("/api", "/b", {"GET"}, 1, 2),
      route("/api", "/a", {"POST", "GET"}, 1, 3),
  });
  EXPECT_EQ(error.route, 2u);
  EXPECT_THAT(error.message, HasSubstr("GET"));
  EXPECT_THAT(error.message, HasSubstr("route 0"));
}

TEST(RouterBuild, ParametersWithDifferentNamesAreTheSameTemplate) {
  auto error = build_error({
      route("/api", "/orders/{orderId}", {"GET"}, 1, 1),
      route("/api", "/orders/{id}", {"GET"}, 1, 2),
  });
  EXPECT_EQ(error.route, 1u);
}

TEST(RouterBuild, TheSplitBetweenPrefixAndTemplateDoesNotHideADuplicate) {
  auto error = build_error({
      route("/a/b", "/c", {"GET"}, 1, 1),
      route("/a", "/b/c/", {"GET"}, 2, 1),
  });
  EXPECT_EQ(error.route, 1u);
}

TEST(RouterBuild, HostsCompareCaseInsensitivelyWithoutPort) {
  auto error = build_error({
      route("/api", "/a", {"GET"}, 1, 1, "Example.com"),
      route("/api", "/a", {"GET"}, 1, 2, "example.COM:8243"),
  });
  EXPECT_EQ(error.route, 1u);
}

TEST(RouterBuild, StarTwiceIsADuplicateAndAMethodListedTwiceToo) {
  EXPECT_EQ(build_error({
                            route("/api", "/a", {"*"}, 1, 1),
                            route("/api", "/a", {"*"}, 1, 2),
                        })
                .route,
            1u);
  auto error = build_error({route("/api", "/a", {"GET", "GET"}, 1, 1)});
  EXPECT_EQ(error.route, 0u);
  EXPECT_THAT(error.message, HasSubstr("twice"));
}

TEST(RouterBuild, DifferentHostsMethodsOrTemplatesAreNoConflict) {
  auto router = Router::build({
      route("/api", "/a", {"GET"}, 1, 1),
      route("/api", "/a", {"GET"}, 2, 1, "one.example.com"),
      route("/api", "/a", {"GET"}, 3, 1, "two.example.com"),
      route("/api", "/a", {"POST"}, 4, 1),
      route("/api", "/a/{x}", {"GET"}, 5, 1),
      route("/api", "/a/*", {"GET"}, 6, 1),
      route("/api", "/a", {"*"}, 7, 1),
  });
  EXPECT_TRUE(router.has_value());
}

struct MalformedCase {
  std::string prefix;
  std::string path_template;
  std::string expected_message;

  friend void PrintTo(const MalformedCase& malformed, std::ostream* out) {
    *out << '"' << malformed.prefix << '"' << " + \"" << malformed.path_template << '"';
  }
};

class RouterBuildMalformed : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(RouterBuildMalformed, IsRejectedWithTheRouteIndexAndAReason) {
  const MalformedCase& malformed = GetParam();
  auto error = build_error({
      route("/ok", "/fine", {"GET"}, 1, 1),
      route(malformed.prefix, malformed.path_template, {"GET"}, 2, 2),
  });
  EXPECT_EQ(error.route, 1u);
  EXPECT_THAT(error.message, HasSubstr(malformed.expected_message));
}

INSTANTIATE_TEST_SUITE_P(
    Templates, RouterBuildMalformed,
    ::testing::Values(MalformedCase{"/api", "/orders/{orderId", "'{' without '}'"},
                      MalformedCase{"/api", "/orders/{", "'{' without '}'"},
                      MalformedCase{"/api", "/orders/{}", "empty parameter name"},
                      MalformedCase{"/api", "/files/*/meta", "'*' must be the last segment"},
                      MalformedCase{"/api/*", "/meta", "'*' must be the last segment"},
                      MalformedCase{"/api", "/files*", "must be a whole segment"},
                      MalformedCase{"/api", "/{id}.json", "must be a whole segment"},
                      MalformedCase{"/api", "/orders}", "must be a whole segment"},
                      MalformedCase{"/api", "/{a{b}}", "invalid parameter name"},
                      MalformedCase{"/api", "/a//b", "empty segment"},
                      MalformedCase{"/api", "menu", "must start with '/'"},
                      MalformedCase{"api", "/menu", "must start with '/'"}));

TEST(RouterBuild, MethodsMustBeTokensAndAtLeastOne) {
  EXPECT_THAT(build_error({route("/api", "/a", {}, 1, 1)}).message, HasSubstr("no methods"));
  EXPECT_THAT(build_error({route("/api", "/a", {""}, 1, 1)}).message, HasSubstr("invalid method"));
  EXPECT_THAT(build_error({route("/api", "/a", {"GE T"}, 1, 1)}).message,
              HasSubstr("invalid method"));
}

}  // namespace
}  // namespace gatehouse::routing
