// Every string of the config is UTF-8 text without control characters, and every path-shaped
// value is a path a normalised request can reach.
#include "config/text_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "config/uri_rules.h"

namespace gatehouse::config::text_rules_test {
namespace {

using ::testing::ElementsAre;

TEST(TextRules, WellFormedUtf8WithoutControlsPasses) {
  EXPECT_EQ(find_text_violation(""), std::nullopt);
  EXPECT_EQ(find_text_violation("PizzaShack 1.0"), std::nullopt);
  EXPECT_EQ(find_text_violation("Zürich \xE2\x82\xAC \xF0\x9F\x8D\x95"), std::nullopt);  // € 🍕
}

TEST(TextRules, ControlsAndMalformedUtf8AreFound) {
  using namespace std::string_view_literals;
  EXPECT_EQ(find_text_violation("/shop\0x"sv), 5u);
  EXPECT_EQ(find_text_violation("a\tb"), std::nullopt);  // as YAML and HTTP field values allow
  EXPECT_EQ(find_text_violation("a\x01"), 1u);
  EXPECT_EQ(find_text_violation("a\r\nb"), 1u);
  EXPECT_EQ(find_text_violation("a\x7F"), 1u);
  EXPECT_EQ(find_text_violation("a\xC2\x85"), 1u);         // U+0085, a C1 control
  EXPECT_EQ(find_text_violation("\xFF"), 0u);              // never in UTF-8
  EXPECT_EQ(find_text_violation("ab\xC3"), 2u);            // cut short
  EXPECT_EQ(find_text_violation("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(find_text_violation("\xE0\x80\xAF"), 0u);      // overlong '/'
  EXPECT_EQ(find_text_violation("\xED\xA0\x80"), 0u);      // a surrogate
  EXPECT_EQ(find_text_violation("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(find_text_violation("x\xE2\x82"), 1u);         // cut short
}

TEST(TextRules, PrintableEscapesWhatItQuotes) {
  using namespace std::string_view_literals;
  EXPECT_EQ(printable("/shop\0\r\n\xFFok \xC3\xBC"sv), "/shop\\x00\\x0d\\x0a\\xffok \xC3\xBC");
  EXPECT_EQ(printable(std::string(200, 'a'), 10), "aaaaaaaaaa...");
}

std::vector<std::string> errors_of(std::string_view yaml) {
  auto loaded = load_string(yaml, "gw.yaml");
  std::vector<std::string> printed;
  if (!loaded) {
    for (const ConfigError& error : loaded.error()) printed.push_back(error.to_string());
  }
  return printed;
}

TEST(TextRules, EveryStringOfTheFileIsChecked) {
  // YAML escapes can write any byte into a double-quoted string; raw bytes go in as they are.
  EXPECT_THAT(
      errors_of("listeners: [{name: \"ht\\x01tp\", address: 127.0.0.1:8280}]\n"
                "apis:\n"
                "  - name: \"Pizza\xFFShack\"\n"
                "    version: v1\n"
                "    context: \"/shop\\0\"\n"
                "    host: \"a\\nb\"\n"
                "    endpoints: {production: ['http://127.0.0.1:9000']}\n"
                "    resources: [{method: GET, path: /x, scopes: [\"read\\e\"]}]\n"
                "roles: {\"r\\x85\": [a]}\n"),
      ElementsAre(
          "gw.yaml:1:20: 'name' must be UTF-8 text without control characters (byte 3 is not), "
          "got 'ht\\x01tp'",
          "gw.yaml:3:11: 'name' must be UTF-8 text without control characters (byte 6 is not), "
          "got 'Pizza\\xffShack'",
          "gw.yaml:5:14: 'context' must be UTF-8 text without control characters (byte 6 is "
          "not), got '/shop\\x00'",
          "gw.yaml:6:11: 'host' must be UTF-8 text without control characters (byte 2 is not), "
          "got 'a\\x0ab'",
          "gw.yaml:8:50: 'scopes' must be UTF-8 text without control characters (byte 5 is not), "
          "got 'read\\x1b'",
          "gw.yaml:9:9: 'roles' must be UTF-8 text without control characters (byte 2 is not), "
          "got 'r\\xc2\\x85'"));
}

TEST(TextRules, AnUnknownKeyIsQuotedPrintably) {
  EXPECT_THAT(errors_of("listeners: [{name: http, address: 127.0.0.1:8280}]\n"
                        "\"bad\\0key\": 1\n"),
              ElementsAre("gw.yaml:2:1: unknown key 'bad\\x00key' in configuration"));
}

TEST(UriRules, AContextIsAnOriginFormPathANormalisedRequestCanReach) {
  EXPECT_EQ(check_context("/pizzashack"), std::nullopt);
  EXPECT_EQ(check_context("/shop/v1.orders"), std::nullopt);
  EXPECT_EQ(check_context("/a-b_c~d/e!$&'()+,;=:@"), std::nullopt);
  EXPECT_EQ(check_context("/caf%C3%A9"), std::nullopt);
  EXPECT_EQ(check_context("/a%2Fb"), std::nullopt);
  EXPECT_EQ(check_context("/a/../b"), "must not have '.' or '..' segments");
  EXPECT_EQ(check_context("/a/."), "must not have '.' or '..' segments");
  EXPECT_EQ(check_context("/%61dmin"),
            "must write letters, digits and '-._~' as they are, not percent-encoded");
  EXPECT_EQ(check_context("/a%2"), "must write '%' only as a percent-encoded octet like %20");
  EXPECT_EQ(check_context("/a%zz"), "must write '%' only as a percent-encoded octet like %20");
  for (std::string_view bad : {"/a\\b", "/a\"b", "/a<b", "/a|b", "/a^b", "/a`b", "/a[b]"}) {
    EXPECT_EQ(check_context(bad),
              "must hold only letters, digits, percent-encoded octets and -._~!$&'()*+,;=:@ in "
              "each segment")
        << bad;
  }
}

TEST(UriRules, VersionsAndResourcePathsFollowTheSameSegmentRules) {
  EXPECT_EQ(check_version("1.0.0"), std::nullopt);
  EXPECT_EQ(check_version(".."), "must not have '.' or '..' segments");
  EXPECT_EQ(check_version("v%31"),
            "must write letters, digits and '-._~' as they are, not percent-encoded");
  EXPECT_EQ(check_resource_path("/order/{orderId}/items/*"), std::nullopt);
  EXPECT_EQ(check_resource_path("/a/../admin"), "must not have '.' or '..' segments");
  EXPECT_EQ(check_resource_path("/users/%61dmin"),
            "must write letters, digits and '-._~' as they are, not percent-encoded");
  EXPECT_EQ(check_resource_path("/a\\b"),
            "must hold only letters, digits, percent-encoded octets and -._~!$&'()*+,;=:@ in "
            "each segment");
}

}  // namespace
}  // namespace gatehouse::config::text_rules_test
