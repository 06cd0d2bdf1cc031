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
using ::testing::IsEmpty;
using testing::TestRequest;

TEST(HeadersPolicy, EditsTheRequestTowardTheBackend) {
  auto policy = compile_ok(R"(type: headers
request:
  set: {X-Gateway: gatehouse}
  add: {X-Trace: "on", X-Count: 3}
  remove: [X-Internal-Token]
)");
  ASSERT_TRUE(policy);
  TestRequest request("GET", "/menu", {{"X-Gateway", "client-sent"}});
  pipeline::Exchange exchange;
  exchange.request = &request.head();

  EXPECT_EQ(policy->on_request(exchange), Verdict::proceed);

  const http::HeaderEdits& edits = exchange.request_edits;
  EXPECT_TRUE(edits.removes("x-gateway"));  // set replaces what the client sent
  EXPECT_THAT(added(edits, "X-Gateway"), ElementsAre("gatehouse"));
  EXPECT_THAT(added(edits, "X-Trace"), ElementsAre("on"));
  EXPECT_THAT(added(edits, "X-Count"), ElementsAre("3"));
  EXPECT_FALSE(edits.removes("X-Trace"));  // add keeps what the client sent
  EXPECT_TRUE(edits.removes("X-Internal-Token"));
  EXPECT_TRUE(exchange.response_edits.empty());
}

TEST(HeadersPolicy, EditsTheResponseTowardTheClientOnlyInTheResponsePhase) {
  auto policy = compile_ok(R"(type: headers
response:
  set: {Cache-Control: no-store}
  remove: [Server, X-Powered-By]
)");
  ASSERT_TRUE(policy);
  TestRequest request("GET", "/menu", {});
  pipeline::Exchange exchange;
  exchange.request = &request.head();

  EXPECT_EQ(policy->on_request(exchange), Verdict::proceed);
  EXPECT_TRUE(exchange.request_edits.empty());
  EXPECT_TRUE(exchange.response_edits.empty());

  policy->on_response(exchange);
  EXPECT_TRUE(exchange.response_edits.removes("server"));
  EXPECT_TRUE(exchange.response_edits.removes("X-Powered-By"));
  EXPECT_THAT(added(exchange.response_edits, "Cache-Control"), ElementsAre("no-store"));
}

TEST(HeadersPolicy, LaterPolicyRemovesOrReplacesWhatAnEarlierOneAdded) {
  auto adds = compile_ok(R"(type: headers
request:
  add: {X-A: one, X-B: two}
)");
  auto edits_again = compile_ok(R"(type: headers
request:
  remove: [x-a]
  set: {X-B: three}
)");
  ASSERT_TRUE(adds && edits_again);
  TestRequest request("GET", "/", {});
  pipeline::Exchange exchange;
  exchange.request = &request.head();

  adds->on_request(exchange);
  edits_again->on_request(exchange);

  EXPECT_THAT(added(exchange.request_edits, "X-A"), IsEmpty());
  EXPECT_TRUE(exchange.request_edits.removes("X-A"));
  EXPECT_THAT(added(exchange.request_edits, "X-B"), ElementsAre("three"));
}

TEST(HeadersPolicy, RemoveAppliesBeforeAddWithinOnePolicy) {
  auto policy = compile_ok(R"(type: headers
request:
  add: {X-Version: "2"}
  remove: [X-Version]
)");
  ASSERT_TRUE(policy);
  TestRequest request("GET", "/", {{"X-Version", "1"}});
  pipeline::Exchange exchange;
  exchange.request = &request.head();

  policy->on_request(exchange);

  EXPECT_TRUE(exchange.request_edits.removes("X-Version"));
  EXPECT_THAT(added(exchange.request_edits, "X-Version"), ElementsAre("2"));
}

TEST(HeadersPolicyConfig, RejectsANameThatIsNotAToken) {
  EXPECT_THAT(compile_error(R"(type: headers
request:
  set: {"X Bad": v}
)"),
              error_at(3, 9, "'set' must name headers by HTTP tokens"));
  EXPECT_THAT(compile_error("type: headers\nresponse:\n  remove: [Server, \"\"]\n"),
              error_at(3, 20, "'remove' must name headers by HTTP tokens"));
}

TEST(HeadersPolicyConfig, RejectsControlCharactersInValuesAtTheValue) {
  const std::string message = "must be UTF-8 text without control characters";
  EXPECT_THAT(compile_error(R"(type: headers
response:
  add:
    X-Note: "ok\r\nSet-Cookie: stolen=1"
)"),
              error_at(4, 13, "'X-Note' " + message));
  EXPECT_THAT(compile_error("type: headers\nrequest:\n  set: {X-A: \"a\\0b\"}\n"),
              error_at(3, 14, "'X-A' " + message));
  EXPECT_THAT(compile_error("type: headers\nrequest:\n  set: {X-A: \"line\\nfeed\"}\n"),
              error_at(3, 14, "'X-A' " + message));
}

TEST(HeadersPolicyConfig, AcceptsSpacesTabsAndEmptyValues) {
  EXPECT_TRUE(compile_ok(R"(type: headers
request:
  set: {X-A: "a\tb c", X-Empty: ""}
)"));
}

TEST(HeadersPolicyConfig, RejectsHeadersThatFrameTheMessage) {
  const std::string message =
      "frames the message or connection and is managed by the gateway; it cannot be edited";
  EXPECT_THAT(compile_error("type: headers\nrequest:\n  remove: [X-Ok, content-length]\n"),
              error_at(3, 18, "header 'content-length' " + message));
  EXPECT_THAT(compile_error("type: headers\nresponse:\n  set: {Transfer-Encoding: chunked}\n"),
              error_at(3, 9, "header 'Transfer-Encoding' " + message));
  EXPECT_THAT(compile_error("type: headers\nresponse:\n  add: {connection: close}\n"),
              error_at(3, 9, "header 'connection' " + message));
}

TEST(HeadersPolicyConfig, RejectsHeadersTheGatewayWritesTowardTheBackend) {
  const std::string message = "is written by the gateway toward the backend; it cannot be edited";
  EXPECT_THAT(compile_error("type: headers\nrequest:\n  set: {Host: backend.internal}\n"),
              error_at(3, 9, "header 'Host' " + message));
  EXPECT_THAT(compile_error("type: headers\nrequest:\n  remove: [x-forwarded-for]\n"),
              error_at(3, 12, "header 'x-forwarded-for' " + message));
  // Toward the client the gateway writes none of them, so they may be edited there.
  EXPECT_TRUE(compile_ok("type: headers\nresponse:\n  set: {X-Forwarded-Host: a}\n"));
}

TEST(HeadersPolicyConfig, RejectsUnknownKeysWhereTheyAre) {
  EXPECT_THAT(compile_error(R"(type: headers
request:
  set: {X-A: b}
respnse:
  remove: [Server]
)"),
              error_at(4, 1, "unknown key 'respnse'"));
  EXPECT_THAT(compile_error("type: headers\nrequest:\n  replace: {X-A: b}\n"),
              error_at(3, 3, "unknown key 'replace'"));
}

TEST(HeadersPolicyConfig, RejectsTheSameHeaderTwiceInOneMapping) {
  EXPECT_THAT(compile_error(R"(type: headers
request:
  set:
    X-A: one
    x-a: two
)"),
              error_at(5, 5, "header 'x-a' is given twice in 'set'"));
}

TEST(HeadersPolicyConfig, RejectsAKeyGivenTwice) {
  EXPECT_THAT(compile_error(R"(type: headers
request: {remove: [A]}
request: {remove: [B]}
)"),
              error_at(3, 1, "'request'"));
}

TEST(HeadersPolicyConfig, ReportsTheFirstMistakeInTheFile) {
  EXPECT_THAT(compile_error(R"(type: headers
response:
  set: {X-A: "a\nb"}
request:
  remove: ["bad name"]
)"),
              error_at(3, 14, "'X-A' must be UTF-8 text without control characters"));
}

TEST(HeadersPolicyConfig, RejectsWrongShapes) {
  EXPECT_THAT(compile_error("type: headers\n"),
              error_at(1, 1, "a headers policy needs 'request', 'response' or both"));
  EXPECT_THAT(compile_error("type: headers\nrequest: {}\n"),
              error_at(2, 10, "'request' needs at least one of set, add, remove"));
  EXPECT_THAT(compile_error("type: headers\nrequest:\n  remove: Server\n"),
              error_at(3, 11, "'remove' must be a list"));
  EXPECT_THAT(compile_error("type: headers\nrequest:\n  set: [X-A]\n"),
              error_at(3, 8, "'set' must map header names to values"));
  EXPECT_THAT(compile_error("type: headers\nrequest:\n  set: {X-A: [1, 2]}\n"),
              error_at(3, 14, "'X-A' must be a string"));
}

}  // namespace
}  // namespace gatehouse::policies
