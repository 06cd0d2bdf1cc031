#include "security/identity/referrer_matcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gatehouse::identity::referrer_matcher_test {
namespace {

using ::testing::HasSubstr;

ReferrerMatcher matcher(std::vector<std::string> patterns) {
  auto parsed = ReferrerMatcher::parse(patterns);
  if (!parsed) {
    ADD_FAILURE() << "parse refused entry " << parsed.error().entry << ": "
                  << parsed.error().message;
    return {};
  }
  return std::move(*parsed);
}

TEST(ReferrerMatcher, WildcardSubdomainPatternMatchesAnyPageOfASubdomain) {
  ReferrerMatcher referrers = matcher({"*.example.com/*"});
  EXPECT_TRUE(referrers.matches("https://www.example.com/page"));
  EXPECT_TRUE(referrers.matches("http://shop.eu.example.com/"));
  EXPECT_TRUE(referrers.matches("https://www.example.com/a/b?c=d"));
  EXPECT_FALSE(referrers.matches("https://example.com/page"));      // no subdomain
  EXPECT_FALSE(referrers.matches("https://www.example.org/page"));  // other domain
  EXPECT_FALSE(referrers.matches("https://www.example.com"));       // no '/' after the host
  EXPECT_FALSE(referrers.matches("https://www.example-com/page"));  // '.' is a literal dot
}

TEST(ReferrerMatcher, PatternWithoutSchemeMatchesEveryScheme) {
  ReferrerMatcher referrers = matcher({"www.example.com/*"});
  EXPECT_TRUE(referrers.matches("https://www.example.com/page"));
  EXPECT_TRUE(referrers.matches("http://www.example.com/"));
  EXPECT_TRUE(referrers.matches("www.example.com/page"));
  EXPECT_FALSE(referrers.matches("https://api.example.com/page"));
  EXPECT_FALSE(referrers.matches("https://www.example.com.evil.net/page"));
}

TEST(ReferrerMatcher, PatternWithSchemeMatchesOnlyThatScheme) {
  ReferrerMatcher referrers = matcher({"https://www.example.com/app/*"});
  EXPECT_TRUE(referrers.matches("https://www.example.com/app/"));
  EXPECT_TRUE(referrers.matches("https://www.example.com/app/orders?id=7"));
  EXPECT_FALSE(referrers.matches("http://www.example.com/app/orders"));
  EXPECT_FALSE(referrers.matches("https://www.example.com/other/app/"));
  EXPECT_FALSE(referrers.matches("https://www.example.com/app"));
}

TEST(ReferrerMatcher, WildcardSchemeMatchesAnySchemeButNeedsOne) {
  ReferrerMatcher referrers = matcher({"*://example.com/*"});
  EXPECT_TRUE(referrers.matches("https://example.com/x"));
  EXPECT_TRUE(referrers.matches("http://example.com/"));
  EXPECT_FALSE(referrers.matches("example.com/x"));
}

TEST(ReferrerMatcher, PortIsPartOfTheHost) {
  EXPECT_FALSE(matcher({"www.example.com/*"}).matches("https://www.example.com:8443/page"));
  EXPECT_TRUE(matcher({"www.example.com:8443/*"}).matches("https://www.example.com:8443/page"));
  EXPECT_FALSE(matcher({"www.example.com:8443/*"}).matches("https://www.example.com:9443/page"));
  EXPECT_TRUE(matcher({"www.example.com:*/*"}).matches("https://www.example.com:9443/page"));
  EXPECT_TRUE(matcher({"www.example.com*"}).matches("https://www.example.com:9443/page"));
}

TEST(ReferrerMatcher, PathMustMatchAsWritten) {
  ReferrerMatcher referrers = matcher({"example.com/shop/*/checkout"});
  EXPECT_TRUE(referrers.matches("https://example.com/shop/42/checkout"));
  EXPECT_TRUE(referrers.matches("https://example.com/shop/a/b/checkout"));  // '*' spans '/'
  EXPECT_FALSE(referrers.matches("https://example.com/shop/42/checkout/done"));
  EXPECT_FALSE(
      referrers.matches("https://example.com/Shop/42/checkout"));  // path is case-sensitive
}

TEST(ReferrerMatcher, ExactPatternWithoutWildcard) {
  ReferrerMatcher referrers = matcher({"example.com/"});
  EXPECT_TRUE(referrers.matches("https://example.com/"));
  EXPECT_FALSE(referrers.matches("https://example.com/x"));
  EXPECT_FALSE(referrers.matches("https://www.example.com/"));
}

TEST(ReferrerMatcher, SchemeAndHostCompareCaseInsensitively) {
  EXPECT_TRUE(matcher({"WWW.Example.COM/app/*"}).matches("HTTPS://www.EXAMPLE.com/app/x"));
  EXPECT_TRUE(matcher({"HTTPS://Example.com/*"}).matches("https://EXAMPLE.COM/x"));
  EXPECT_FALSE(matcher({"example.com/App/*"}).matches("https://example.com/app/x"));
}

TEST(ReferrerMatcher, BacktrackingFindsALaterOccurrence) {
  ReferrerMatcher referrers = matcher({"*.example.com/*.html"});
  EXPECT_TRUE(referrers.matches("https://a.example.com.example.com/x.html.y.html"));
  EXPECT_FALSE(referrers.matches("https://a.example.com/x.html.y"));
}

TEST(ReferrerMatcher, LoneStarMatchesAnyReferrerButNotAnAbsentOne) {
  ReferrerMatcher referrers = matcher({"*"});
  EXPECT_TRUE(referrers.matches("https://anything.example/"));
  EXPECT_FALSE(referrers.matches(""));
}

TEST(ReferrerMatcher, AnyOfSeveralPatternsMatches) {
  ReferrerMatcher referrers = matcher({"a.example.com/*", "https://b.example.com/*"});
  EXPECT_TRUE(referrers.matches("http://a.example.com/"));
  EXPECT_TRUE(referrers.matches("https://b.example.com/"));
  EXPECT_FALSE(referrers.matches("http://b.example.com/"));
}

TEST(ReferrerMatcher, OverlongReferrerMatchesNothing) {
  std::string referer =
      "https://example.com/" + std::string(ReferrerMatcher::max_referer_size, 'a');
  EXPECT_FALSE(matcher({"*"}).matches(referer));
}

TEST(ReferrerMatcher, BadPatternsAreRefusedWithTheirIndex) {
  for (std::string bad :
       {std::string(""), std::string("example.com/ page"), std::string("example.com/\tx"),
        std::string("exämple.com/*"), std::string(ReferrerMatcher::max_pattern_size + 1, 'a')}) {
    auto parsed = ReferrerMatcher::parse({"ok.example.com/*", bad});
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().entry, 1u) << bad;
    EXPECT_THAT(parsed.error().message, HasSubstr("referrer pattern")) << bad;
  }
}

TEST(ReferrerMatcher, TooManyPatternsAreRefused) {
  std::vector<std::string> patterns(ReferrerMatcher::max_entries + 1, "example.com/*");
  auto parsed = ReferrerMatcher::parse(patterns);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().entry, ReferrerMatcher::max_entries);
}

}  // namespace
}  // namespace gatehouse::identity::referrer_matcher_test
