#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "policy_test_support.h"

namespace gatehouse::policies {
namespace {

using testing::added;
using testing::compile_error;
using testing::compile_ok;
using ::testing::ElementsAre;
using testing::error_at;
using testing::header_of;
using ::testing::IsEmpty;
using ::testing::StartsWith;
using testing::TestRequest;

constexpr std::string_view kListedOrigins = R"(type: cors
allow_origins: ["https://app.example", "https://admin.example:8443"]
allow_methods: [GET, POST]
allow_headers: [Authorization, X-Custom]
expose_headers: [X-Request-ID, X-Total]
allow_credentials: true
max_age: 600
)";

TEST(CorsPreflight, AnswersAnAllowedOriginWithoutCallingTheBackend) {
  auto policy = compile_ok(kListedOrigins);
  ASSERT_TRUE(policy);
  TestRequest request("OPTIONS", "/shop/1.0/order",
                      {{"Origin", "https://admin.example:8443"},
                       {"Access-Control-Request-Method", "POST"},
                       {"Access-Control-Request-Headers", "authorization"}});
  pipeline::Exchange exchange;
  exchange.request = &request.head();

  ASSERT_EQ(policy->on_request(exchange), Verdict::respond);

  ASSERT_TRUE(exchange.local_response);
  const pipeline::LocalResponse& response = *exchange.local_response;
  EXPECT_EQ(response.status, 204);
  EXPECT_EQ(response.body, "");
  EXPECT_EQ(response.content_type, "");
  EXPECT_EQ(header_of(response, "Access-Control-Allow-Origin"), "https://admin.example:8443");
  EXPECT_EQ(header_of(response, "Access-Control-Allow-Credentials"), "true");
  EXPECT_EQ(header_of(response, "Access-Control-Allow-Methods"), "GET, POST");
  EXPECT_EQ(header_of(response, "Access-Control-Allow-Headers"), "Authorization, X-Custom");
  EXPECT_EQ(header_of(response, "Access-Control-Max-Age"), "600");
  EXPECT_EQ(header_of(response, "Vary"), "Origin");

  // The response phase adds nothing to an answer that is already complete.
  policy->on_response(exchange);
  EXPECT_TRUE(exchange.response_edits.empty());
}

TEST(CorsPreflight, GivesADisallowedOriginNoCorsHeaders) {
  auto policy = compile_ok(kListedOrigins);
  ASSERT_TRUE(policy);
  TestRequest request(
      "OPTIONS", "/shop/1.0/order",
      {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}});
  pipeline::Exchange exchange;
  exchange.request = &request.head();

  ASSERT_EQ(policy->on_request(exchange), Verdict::respond);

  const pipeline::LocalResponse& response = *exchange.local_response;
  EXPECT_EQ(response.status, 204);
  EXPECT_EQ(header_of(response, "Access-Control-Allow-Origin"), "(absent)");
  EXPECT_EQ(header_of(response, "Access-Control-Allow-Methods"), "(absent)");
  EXPECT_EQ(header_of(response, "Access-Control-Allow-Credentials"), "(absent)");
  EXPECT_EQ(header_of(response, "Vary"), "Origin");
}

TEST(CorsPreflight, AnswersAnyOriginWithTheWildcardAndDefaults) {
  auto policy = compile_ok("type: cors\nallow_origins: [\"https://a.example\", \"*\"]\n");
  ASSERT_TRUE(policy);
  TestRequest request(
      "OPTIONS", "/x",
      {{"Origin", "https://other.example"}, {"Access-Control-Request-Method", "PUT"}});
  pipeline::Exchange exchange;
  exchange.request = &request.head();

  ASSERT_EQ(policy->on_request(exchange), Verdict::respond);

  const pipeline::LocalResponse& response = *exchange.local_response;
  EXPECT_EQ(header_of(response, "Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(header_of(response, "Access-Control-Allow-Methods"),
            "GET, PUT, POST, DELETE, PATCH, OPTIONS");
  EXPECT_EQ(header_of(response, "Access-Control-Allow-Headers"),
            "Authorization, Content-Type, apikey");
  EXPECT_EQ(header_of(response, "Access-Control-Allow-Credentials"), "(absent)");
  EXPECT_EQ(header_of(response, "Access-Control-Max-Age"), "(absent)");
  EXPECT_EQ(header_of(response, "Vary"), "(absent)");
}

TEST(CorsPreflight, EmptyListsLeaveOnlyWhatBrowsersAllowAnyway) {
  auto policy = compile_ok(
      "type: cors\nallow_origins: [\"https://a.example\"]\nallow_methods: []\nallow_headers: []\n");
  ASSERT_TRUE(policy);
  TestRequest request("OPTIONS", "/x",
                      {{"Origin", "https://a.example"}, {"Access-Control-Request-Method", "GET"}});
  pipeline::Exchange exchange;
  exchange.request = &request.head();

  ASSERT_EQ(policy->on_request(exchange), Verdict::respond);

  const pipeline::LocalResponse& response = *exchange.local_response;
  EXPECT_EQ(header_of(response, "Access-Control-Allow-Origin"), "https://a.example");
  EXPECT_EQ(header_of(response, "Access-Control-Allow-Methods"), "(absent)");
  EXPECT_EQ(header_of(response, "Access-Control-Allow-Headers"), "(absent)");
}

TEST(CorsPreflight, AnOptionsRequestWithoutRequestMethodIsAnOrdinaryRequest) {
  auto policy = compile_ok(kListedOrigins);
  ASSERT_TRUE(policy);
  TestRequest request("OPTIONS", "/x", {{"Origin", "https://app.example"}});
  pipeline::Exchange exchange;
  exchange.request = &request.head();

  EXPECT_EQ(policy->on_request(exchange), Verdict::proceed);
  EXPECT_FALSE(exchange.local_response);
  policy->on_response(exchange);
  EXPECT_THAT(added(exchange.response_edits, "Access-Control-Allow-Origin"),
              ElementsAre("https://app.example"));
}

TEST(CorsActualRequest, AllowedOriginGetsTheGatewaysCorsHeaders) {
  auto policy = compile_ok(kListedOrigins);
  ASSERT_TRUE(policy);
  TestRequest request("GET", "/shop/1.0/menu", {{"Origin", "HTTPS://App.Example"}});
  pipeline::Exchange exchange;
  exchange.request = &request.head();

  EXPECT_EQ(policy->on_request(exchange), Verdict::proceed);
  EXPECT_FALSE(exchange.local_response);
  EXPECT_TRUE(exchange.request_edits.empty());

  policy->on_response(exchange);
  const http::HeaderEdits& edits = exchange.response_edits;
  // What the backend said about CORS is replaced by the gateway's answer.
  EXPECT_TRUE(edits.removes("Access-Control-Allow-Origin"));
  EXPECT_TRUE(edits.removes("Access-Control-Allow-Credentials"));
  EXPECT_TRUE(edits.removes("Access-Control-Expose-Headers"));
  EXPECT_THAT(added(edits, "Access-Control-Allow-Origin"), ElementsAre("HTTPS://App.Example"));
  EXPECT_THAT(added(edits, "Access-Control-Allow-Credentials"), ElementsAre("true"));
  EXPECT_THAT(added(edits, "Access-Control-Expose-Headers"), ElementsAre("X-Request-ID, X-Total"));
  EXPECT_THAT(added(edits, "Vary"), ElementsAre("Origin"));
  EXPECT_THAT(added(edits, "Access-Control-Allow-Methods"), IsEmpty());
}

TEST(CorsActualRequest, DisallowedOriginGetsNoCorsHeadersEvenFromTheBackend) {
  auto policy = compile_ok(kListedOrigins);
  ASSERT_TRUE(policy);
  TestRequest request("POST", "/shop/1.0/order", {{"Origin", "https://app.example.evil"}});
  pipeline::Exchange exchange;
  exchange.request = &request.head();

  EXPECT_EQ(policy->on_request(exchange), Verdict::proceed);
  policy->on_response(exchange);

  const http::HeaderEdits& edits = exchange.response_edits;
  EXPECT_TRUE(edits.removes("Access-Control-Allow-Origin"));
  EXPECT_THAT(added(edits, "Access-Control-Allow-Origin"), IsEmpty());
  EXPECT_THAT(added(edits, "Access-Control-Allow-Credentials"), IsEmpty());
  EXPECT_THAT(added(edits, "Vary"), ElementsAre("Origin"));
}

TEST(CorsActualRequest, ARequestWithoutOriginStillVariesByOrigin) {
  auto policy = compile_ok(kListedOrigins);
  ASSERT_TRUE(policy);
  TestRequest request("GET", "/x", {});
  pipeline::Exchange exchange;
  exchange.request = &request.head();

  policy->on_response(exchange);

  EXPECT_THAT(added(exchange.response_edits, "Access-Control-Allow-Origin"), IsEmpty());
  EXPECT_THAT(added(exchange.response_edits, "Vary"), ElementsAre("Origin"));
}

TEST(CorsActualRequest, WildcardOriginAnswersStarAndDoesNotVary) {
  auto policy = compile_ok("type: cors\nallow_origins: [\"*\"]\nexpose_headers: [X-A]\n");
  ASSERT_TRUE(policy);
  TestRequest request("GET", "/x", {{"Origin", "https://any.example"}});
  pipeline::Exchange exchange;
  exchange.request = &request.head();

  policy->on_response(exchange);

  EXPECT_THAT(added(exchange.response_edits, "Access-Control-Allow-Origin"), ElementsAre("*"));
  EXPECT_THAT(added(exchange.response_edits, "Access-Control-Expose-Headers"), ElementsAre("X-A"));
  EXPECT_THAT(added(exchange.response_edits, "Access-Control-Allow-Credentials"), IsEmpty());
  EXPECT_THAT(added(exchange.response_edits, "Vary"), IsEmpty());
}

TEST(CorsConfig, RefusesWildcardsWithCredentialsWhereTheWildcardIs) {
  EXPECT_THAT(compile_error(R"(type: cors
allow_credentials: true
allow_origins: ["https://a.example", "*"]
)"),
              error_at(3, 38,
                       "\"*\" in 'allow_origins' is refused by browsers when allow_credentials is "
                       "true; list the values"));
  EXPECT_THAT(compile_error(R"(type: cors
allow_origins: ["https://a.example"]
allow_headers: ["*"]
allow_credentials: true
)"),
              error_at(3, 17, "\"*\" in 'allow_headers' is refused by browsers"));
}

TEST(CorsConfig, RejectsOriginsThatBrowsersNeverSend) {
  const std::string rule =
      "'allow_origins' must list origins as scheme://host[:port] without a path, or \"*\"";
  EXPECT_THAT(compile_error(R"(type: cors
allow_origins:
  - https://a.example
  - https://b.example/
)"),
              error_at(4, 5, rule + ", got 'https://b.example/'"));
  EXPECT_THAT(compile_error("type: cors\nallow_origins: [a.example]\n"), error_at(2, 17, rule));
  EXPECT_THAT(compile_error("type: cors\nallow_origins: [\"null\"]\n"), error_at(2, 17, rule));
  EXPECT_THAT(compile_error("type: cors\nallow_origins: [\"https://a.example?x\"]\n"),
              error_at(2, 17, rule));
  EXPECT_THAT(compile_error("type: cors\nallow_origins: []\n"),
              error_at(2, 16, "'allow_origins' must list at least one origin"));
  EXPECT_THAT(compile_error("type: cors\nallow_methods: [GET]\n"),
              error_at(1, 1, "missing key 'allow_origins'"));
}

TEST(CorsConfig, AcceptsOriginsWithPortsAndAddresses) {
  EXPECT_TRUE(compile_ok(R"(type: cors
allow_origins: ["http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:5173",
                "chrome-extension://abcdef"]
)"));
}

TEST(CorsConfig, RejectsBadValuesAtTheValue) {
  EXPECT_THAT(
      compile_error("type: cors\nallow_origins: [\"*\"]\nallow_methods: [GET, \"PO ST\"]\n"),
      error_at(3, 22, "'allow_methods' must list HTTP tokens"));
  EXPECT_THAT(compile_error("type: cors\nallow_origins: [\"*\"]\nallow_credentials: yes\n"),
              error_at(3, 20, "'allow_credentials' must be true or false"));
  EXPECT_THAT(compile_error("type: cors\nallow_origins: [\"*\"]\nmax_age: -1\n"),
              error_at(3, 10, "'max_age' must be an integer from 0 to 86400"));
  EXPECT_THAT(compile_error("type: cors\nallow_origins: [\"*\"]\nmax_age: 86401\n"),
              error_at(3, 10, "'max_age' must be an integer from 0 to 86400"));
  EXPECT_THAT(compile_error("type: cors\nallow_origins: [\"*\"]\nexpose_headers: X-A\n"),
              error_at(3, 17, "'expose_headers' must be a list"));
}

TEST(CorsConfig, RejectsUnknownKeys) {
  EXPECT_THAT(compile_error("type: cors\nallow_origins: [\"*\"]\nallow_origin: [x]\n"),
              error_at(3, 1, "unknown key 'allow_origin'"));
}

}  // namespace
}  // namespace gatehouse::policies
