// GET /jwks: the gateway key's JWKS as its source gives it at the time of the request.
#include <gtest/gtest.h>

#include <string>

#include "admin/admin_routes.h"
#include "observability/metrics.h"

namespace gatehouse::admin {
namespace {

class JwksRouteTest : public ::testing::Test {
 protected:
  observability::Metrics metrics_{1, "test"};
  std::string published_ = R"({"keys":[{"kty":"EC","kid":"k1"}]})";

  AdminResponse route(std::string_view method, std::function<std::string()> jwks) {
    return route_admin_request({method, "/jwks", {}},
                               {metrics_, [] { return true; }, nullptr, std::move(jwks)});
  }
};

TEST_F(JwksRouteTest, ServesTheCurrentKeySet) {
  const auto source = [this] { return published_; };
  AdminResponse response = route("GET", source);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, published_);

  published_ = R"({"keys":[{"kty":"RSA","kid":"k2"}]})";  // a reload brought a new key
  EXPECT_EQ(route("HEAD", source).body, published_);
}

TEST_F(JwksRouteTest, NotServedWithoutASigningKey) {
  EXPECT_EQ(route("GET", {}).status, 404);
  EXPECT_EQ(route("GET", [] { return std::string(); }).status, 404);
}

TEST_F(JwksRouteTest, OtherMethodsAreRefused) {
  const AdminResponse response = route("POST", [this] { return published_; });
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.allow, "GET, HEAD");
}

}  // namespace
}  // namespace gatehouse::admin
