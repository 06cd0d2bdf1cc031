// The key manager's paths as a transport routes them: each path to its endpoint, nothing else,
// and the methods each takes.
#include <gtest/gtest.h>

#include "key_manager_fixture.h"
#include "keymanager/server/endpoints.h"

namespace gatehouse::keymanager::endpoints_test {
namespace {

using namespace fixture;

class EndpointsTest : public KeyManagerTest {};

TEST(Endpoints, FindsEachPathExactlyAndNothingElse) {
  EXPECT_EQ(Endpoints::find("/oauth2/token"), EndpointId::token);
  EXPECT_EQ(Endpoints::find("/oauth2/introspect"), EndpointId::introspection);
  EXPECT_EQ(Endpoints::find("/oauth2/revoke"), EndpointId::revocation);
  EXPECT_EQ(Endpoints::find("/oauth2/jwks"), EndpointId::jwks);
  EXPECT_EQ(Endpoints::find("/.well-known/openid-configuration"), EndpointId::discovery);
  EXPECT_EQ(Endpoints::find("/.well-known/oauth-authorization-server"), EndpointId::discovery);
  EXPECT_EQ(Endpoints::find("/oauth2/authorize"), EndpointId::authorization);
  for (const std::string_view other : {"/oauth2/token/", "/oauth2", "/shop/oauth2/token",
                                       "/OAUTH2/TOKEN", "/oauth2/authorize/", ""}) {
    EXPECT_FALSE(Endpoints::find(other).has_value()) << other;
  }
}

TEST(Endpoints, OnlyTheFormEndpointsTakeABody) {
  EXPECT_TRUE(Endpoints::takes_body(EndpointId::token));
  EXPECT_TRUE(Endpoints::takes_body(EndpointId::introspection));
  EXPECT_TRUE(Endpoints::takes_body(EndpointId::revocation));
  EXPECT_TRUE(Endpoints::takes_body(EndpointId::authorization));  // in a POST
  EXPECT_FALSE(Endpoints::takes_body(EndpointId::jwks));
  EXPECT_FALSE(Endpoints::takes_body(EndpointId::discovery));
}

TEST_F(EndpointsTest, AnswersEachEndpointAndRefusesOtherMethodsWithAllow) {
  const Endpoints endpoints(context());
  Request get{.method = "GET"};
  const OAuthAnswer jwks = run(endpoints.handle(EndpointId::jwks, get.view()));
  EXPECT_EQ(jwks.status, 200);
  EXPECT_TRUE(body_of(jwks).contains("keys"));
  EXPECT_EQ(run(endpoints.handle(EndpointId::discovery, get.view())).status, 200);

  const OAuthAnswer token_by_get = run(endpoints.handle(EndpointId::token, get.view()));
  EXPECT_EQ(token_by_get.status, 405);
  EXPECT_EQ(header(token_by_get, "Allow"), "POST");

  Request post{.method = "POST"};
  const OAuthAnswer jwks_by_post = run(endpoints.handle(EndpointId::jwks, post.view()));
  EXPECT_EQ(jwks_by_post.status, 405);
  EXPECT_EQ(header(jwks_by_post, "Allow"), "GET, HEAD");

  post.body = form({{"grant_type", "client_credentials"}});
  const OAuthAnswer anonymous = run(endpoints.handle(EndpointId::token, post.view()));
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(string_member(body_of(anonymous), "error"), "invalid_client");
}

}  // namespace
}  // namespace gatehouse::keymanager::endpoints_test
