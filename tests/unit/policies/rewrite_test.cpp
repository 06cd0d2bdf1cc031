#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "policy_test_support.h"

namespace gatehouse::policies {
namespace {

using testing::compile_error;
using testing::compile_ok;
using testing::error_at;
using testing::TestRequest;

// Runs the policy's request phase on a request to `path` with these path parameters.
std::optional<std::string> rewritten(const Policy& policy, routing::PathParams params) {
  TestRequest request("GET", "/shop/1.0/order/42", {});
  pipeline::Exchange exchange;
  exchange.request = &request.head();
  exchange.resource_path = "/order/42";
  exchange.path_params = std::move(params);
  EXPECT_EQ(policy.on_request(exchange), Verdict::proceed);
  return exchange.rewritten_path;
}

TEST(RewritePolicy, SendsTheTemplatePathWithParametersFilledIn) {
  auto policy = compile_ok("type: rewrite\npath: /orders/{orderId}/items/{item}.json\n");
  ASSERT_TRUE(policy);
  EXPECT_EQ(rewritten(*policy, {{"orderId", "42"}, {"item", "7"}}), "/orders/42/items/7.json");
  EXPECT_EQ(rewritten(*policy, {{"item", "b"}, {"orderId", "a"}}), "/orders/a/items/b.json");
}

TEST(RewritePolicy, KeepsParameterValuesAsReceived) {
  auto policy = compile_ok("type: rewrite\npath: /v2/{name}\n");
  ASSERT_TRUE(policy);
  EXPECT_EQ(rewritten(*policy, {{"name", "caf%C3%A9%2Fx"}}), "/v2/caf%C3%A9%2Fx");
}

TEST(RewritePolicy, ReplacesAParameterTheResourceDoesNotHaveByNothing) {
  auto policy = compile_ok("type: rewrite\npath: /orders/{orderId}/x\n");
  ASSERT_TRUE(policy);
  EXPECT_EQ(rewritten(*policy, {{"other", "1"}}), "/orders//x");
}

TEST(RewritePolicy, AcceptsAFixedPathAndEncodedCharacters) {
  auto policy = compile_ok("type: rewrite\npath: \"/a%20b/c:d@e;f=g\"\n");
  ASSERT_TRUE(policy);
  EXPECT_EQ(rewritten(*policy, {}), "/a%20b/c:d@e;f=g");
}

TEST(RewritePolicyConfig, RejectsMalformedTemplatesAtThePath) {
  EXPECT_THAT(compile_error("type: rewrite\npath: orders/{id}\n"),
              error_at(2, 7, "'path' must start with '/', got 'orders/{id}'"));
  EXPECT_THAT(
      compile_error("type: rewrite\npath: /orders/{id\n"),
      error_at(2, 7, "'path' must close each '{' with '}' in the same segment (at character 9)"));
  EXPECT_THAT(
      compile_error("type: rewrite\npath: /orders/{id/x}\n"),
      error_at(2, 7, "'path' must close each '{' with '}' in the same segment (at character 9)"));
  EXPECT_THAT(compile_error("type: rewrite\npath: /orders/{}\n"),
              error_at(2, 7, "'path' must name a parameter between '{' and '}' (at character 9)"));
  EXPECT_THAT(compile_error("type: rewrite\npath: /a}\n"),
              error_at(2, 7, "'path' must percent-encode '}' (at character 3)"));
  EXPECT_THAT(compile_error("type: rewrite\npath: \"/a b\"\n"),
              error_at(2, 7, "'path' must percent-encode ' ' (at character 3)"));
  EXPECT_THAT(compile_error("type: rewrite\npath: /a?x=1\n"),
              error_at(2, 7, "'path' must percent-encode '?' (at character 3)"));
  EXPECT_THAT(compile_error("type: rewrite\npath: /a%2\n"),
              error_at(2, 7, "'path' must follow each '%' by two hex digits (at character 3)"));
}

TEST(RewritePolicyConfig, RejectsMissingPathAndUnknownKeys) {
  EXPECT_THAT(compile_error("type: rewrite\n"), error_at(1, 1, "missing key 'path'"));
  EXPECT_THAT(compile_error("type: rewrite\npath: /x\nquery: a=b\n"),
              error_at(3, 1, "unknown key 'query'"));
  EXPECT_THAT(compile_error("type: rewrite\npath: {a: b}\n"),
              error_at(2, 7, "'path' must be a string"));
}

}  // namespace
}  // namespace gatehouse::policies
