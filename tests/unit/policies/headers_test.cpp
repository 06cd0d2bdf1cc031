#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "policy_test_support.h"

namespace gatehouse::policies {
namespace {

using testing::added;
using testing::compile_error;
using testing::compile_ok;
using ::testing::ElementsAre;
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
  proxy::Exchange exchange;
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
  proxy::Exchange exchange;
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
  proxy::Exchange exchange;
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
  proxy::Exchange exchange;
  exchange.request = &request.head();

  policy->on_request(exchange);

  EXPECT_TRUE(exchange.request_edits.removes("X-Version"));
  EXPECT_THAT(added(exchange.request_edits, "X-Version"), ElementsAre("2"));
}

TEST(HeadersPolicyConfig, RejectsANameThatIsNotAToken) {
  EXPECT_EQ(compile_error(R"(type: headers
request:
  set: {"X Bad": v}
)"),
            "policies.yaml:3:9: 'X Bad' is not a valid header name (letters, digits and "
            "!#$%&'*+-.^_`|~)");
}

TEST(HeadersPolicyConfig, RejectsControlCharactersInValuesAtTheValue) {
  EXPECT_THAT(compile_error(R"(type: headers
response:
  add:
    X-Note: "ok\r\nSet-Cookie: stolen=1"
)"),
              ::testing::StartsWith("policies.yaml:4:13: header value contains a control"));
  EXPECT_THAT(compile_error(R"(type: headers
request:
  set: {X-A: "a\0b"}
)"),
              ::testing::StartsWith("policies.yaml:3:14: header value contains a control"));
  EXPECT_THAT(compile_error(R"(type: headers
request:
  set: {X-A: "line\nfeed"}
)"),
              ::testing::StartsWith("policies.yaml:3:14: header value contains a control"));
}

TEST(HeadersPolicyConfig, AcceptsSpacesTabsAndEmptyValues) {
  EXPECT_TRUE(compile_ok(R"(type: headers
request:
  set: {X-A: "a\tb c", X-Empty: ""}
)"));
}

TEST(HeadersPolicyConfig, RejectsHeadersThatFrameTheMessage) {
  EXPECT_EQ(compile_error(R"(type: headers
request:
  remove: [X-Ok, content-length]
)"),
            "policies.yaml:3:18: header 'content-length' frames the message or connection and is "
            "managed by the gateway");
  EXPECT_THAT(compile_error(R"(type: headers
response:
  set: {Transfer-Encoding: chunked}
)"),
              ::testing::StartsWith("policies.yaml:3:9: header 'Transfer-Encoding' frames"));
}

TEST(HeadersPolicyConfig, RejectsUnknownKeysWhereTheyAre) {
  EXPECT_EQ(compile_error(R"(type: headers
request:
  set: {X-A: b}
respnse:
  remove: [Server]
)"),
            "policies.yaml:4:1: unknown key 'respnse'; expected one of: type, request, response");
  EXPECT_EQ(compile_error(R"(type: headers
request:
  replace: {X-A: b}
)"),
            "policies.yaml:3:3: unknown key 'replace'; expected one of: set, add, remove");
}

TEST(HeadersPolicyConfig, RejectsTheSameHeaderTwiceInOneMapping) {
  EXPECT_EQ(compile_error(R"(type: headers
request:
  set:
    X-A: one
    x-a: two
)"),
            "policies.yaml:5:5: header 'x-a' is given twice");
}

TEST(HeadersPolicyConfig, RejectsAKeyGivenTwice) {
  EXPECT_EQ(compile_error(R"(type: headers
request: {remove: [A]}
request: {remove: [B]}
)"),
            "policies.yaml:3:1: key 'request' is given twice");
}

TEST(HeadersPolicyConfig, RejectsWrongShapes) {
  EXPECT_EQ(compile_error("type: headers\n"),
            "policies.yaml:1:1: a headers policy needs 'request', 'response' or both");
  EXPECT_EQ(compile_error("type: headers\nrequest: {}\n"),
            "policies.yaml:2:10: expected at least one of: set, add, remove");
  EXPECT_EQ(compile_error("type: headers\nrequest:\n  remove: Server\n"),
            "policies.yaml:3:11: expected a list");
  EXPECT_EQ(compile_error("type: headers\nrequest:\n  set: [X-A]\n"),
            "policies.yaml:3:8: expected a mapping");
  EXPECT_EQ(compile_error("type: headers\nrequest:\n  set: {X-A: [1, 2]}\n"),
            "policies.yaml:3:14: expected a string");
}

}  // namespace
}  // namespace gatehouse::policies
