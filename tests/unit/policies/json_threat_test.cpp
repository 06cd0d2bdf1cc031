#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "policies/json_threat/json_shape.h"
#include "policy_test_support.h"

namespace gatehouse::policies {
namespace {

using testing::compile_error;
using testing::compile_ok;
using testing::error_at;
using ::testing::HasSubstr;
using ::testing::Optional;
using testing::TestRequest;

JsonThreatConfig small() {
  return {.max_depth = 3,
          .max_string_length = 8,
          .max_key_length = 4,
          .max_properties = 2,
          .max_array_elements = 3};
}

std::string nested(size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST(JsonShape, AcceptsADocumentAtEveryBound) {
  EXPECT_EQ(json_shape_violation(R"({"name":"12345678","tags":[1,2,{"k":1}]})", small()),
            std::nullopt);
  EXPECT_EQ(json_shape_violation(nested(3), small()), std::nullopt);
  EXPECT_EQ(json_shape_violation(" \"just a string\" ", JsonThreatConfig{}), std::nullopt);
}

TEST(JsonShape, NamesTheFirstBoundExceeded) {
  EXPECT_THAT(json_shape_violation(nested(4), small()), Optional(HasSubstr("nests deeper than 3")));
  EXPECT_THAT(json_shape_violation(R"({"s":"123456789"})", small()),
              Optional(HasSubstr("string is longer than 8 bytes")));
  EXPECT_THAT(json_shape_violation(R"({"abcde":1})", small()),
              Optional(HasSubstr("key is longer than 4 bytes")));
  EXPECT_THAT(json_shape_violation(R"({"a":1,"b":2,"c":3})", small()),
              Optional(HasSubstr("more than 2 properties")));
  EXPECT_THAT(json_shape_violation("[1,2,3,4]", small()),
              Optional(HasSubstr("more than 3 elements")));
}

TEST(JsonShape, CountsEscapedStringsByTheirDecodedBytes) {
  // Eight characters once decoded, sixteen as written.
  EXPECT_EQ(json_shape_violation(R"(["\u0041\u0042\u0043\u0044"])", small()), std::nullopt);
}

TEST(JsonShape, RefusesWhatIsNotOneJsonDocument) {
  EXPECT_THAT(json_shape_violation(R"({"a":)", small()), Optional(HasSubstr("not valid JSON")));
  EXPECT_THAT(json_shape_violation("{} {}", small()), Optional(HasSubstr("more after")));
  EXPECT_THAT(json_shape_violation("{'a':1}", small()), Optional(HasSubstr("not valid JSON")));
}

TEST(JsonShape, StopsADeepDocumentEarlyWithoutExhaustingTheStack) {
  EXPECT_THAT(json_shape_violation(nested(1'000'000), JsonThreatConfig{}),
              Optional(HasSubstr("nests deeper than 32")));
}

// The request step on a body with this content type, as the runner runs it once the body is in.
Verdict checked(const Policy& policy, std::string_view content_type, std::string_view body,
                Exchange& exchange) {
  static TestRequest json("POST", "/shop/1.0/order", {{"Content-Type", "application/json"}});
  static TestRequest problem("POST", "/shop/1.0/order",
                             {{"Content-Type", "application/problem+json; charset=utf-8"}});
  static TestRequest text("POST", "/shop/1.0/order", {{"Content-Type", "text/plain"}});
  exchange.request = content_type == "json"      ? &json.head()
                     : content_type == "problem" ? &problem.head()
                                                 : &text.head();
  exchange.request_body = body;
  return policy.on_request(exchange);
}

TEST(JsonThreatPolicy, RefusesAJsonBodyBeyondItsBoundsWith400) {
  auto policy = compile_ok("type: json_threat_protection\nmax_depth: 2\n");
  ASSERT_TRUE(policy);
  EXPECT_TRUE(policy->needs_request_body());
  Exchange exchange;
  ASSERT_EQ(checked(*policy, "problem", "[[[1]]]", exchange), Verdict::respond);
  EXPECT_EQ(exchange.local_response->status, 400);
  EXPECT_THAT(exchange.local_response->body, HasSubstr("nests deeper than 2"));

  Exchange fine;
  EXPECT_EQ(checked(*policy, "json", "[[1]]", fine), Verdict::proceed);
  EXPECT_FALSE(fine.local_response);
}

TEST(JsonThreatPolicy, LeavesBodiesThatAreNotJsonAlone) {
  auto policy = compile_ok("type: json_threat_protection\nmax_depth: 1\n");
  ASSERT_TRUE(policy);
  Exchange exchange;
  EXPECT_EQ(checked(*policy, "text", "[[[[not json", exchange), Verdict::proceed);
  Exchange empty;
  EXPECT_EQ(checked(*policy, "json", "", empty), Verdict::proceed);
}

TEST(JsonThreatPolicy, ReportsBadBoundsWhereTheyAreWritten) {
  EXPECT_THAT(compile_error("type: json_threat_protection\nmax_depth: 0\n"),
              error_at(2, 12, "max_depth"));
  EXPECT_THAT(compile_error("type: json_threat_protection\nmax_strings: 5\n"),
              error_at(2, 1, "max_strings"));
}

}  // namespace
}  // namespace gatehouse::policies
