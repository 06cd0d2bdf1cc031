// /oauth2/userinfo (OpenID Connect Core section 5.3) without HTTP: the user of a valid access
// token whose scope has openid, and RFC 6750's refusals of every other request.
#include <gtest/gtest.h>

#include "key_manager_fixture.h"
#include "keymanager/server/endpoints.h"
#include "keymanager/server/token_issuance.h"

namespace gatehouse::keymanager::userinfo_test {
namespace {

using namespace fixture;

class UserinfoTest : public KeyManagerTest {
 protected:
  // An access token of the app for `subject`, as the authorization code grant issues them.
  AccessToken token_for(std::string_view subject, std::string_view scope,
                        UnixSeconds lifetime = 3600) {
    const Client& app = *context().clients()->find("app");
    const AccessTokenClaims claims =
        access_token_claims(context(), app, subject, scope, now_, now_ + lifetime, {});
    return *run(issue_access_token(context(), app, claims));
  }

  OAuthAnswer userinfo(std::string authorization, std::string method = "GET") {
    Request request{.authorization = std::move(authorization), .method = std::move(method)};
    return run(Endpoints(context()).handle(EndpointId::userinfo, request.view()));
  }
};

TEST_F(UserinfoTest, TheUserOfAnOpenidTokenIsDescribed) {
  const AccessToken token = token_for("alice", "openid profile");
  for (const char* method : {"GET", "POST"}) {
    const OAuthAnswer answer = userinfo("Bearer " + token.token, method);
    ASSERT_EQ(answer.status, 200) << answer.body;
    EXPECT_EQ(header(answer, "Cache-Control"), "no-store");
    const json::object body = body_of(answer);
    EXPECT_EQ(string_member(body, "sub"), "alice");
    EXPECT_EQ(string_member(body, "name"), "alice");
    EXPECT_EQ(body.at("roles"), json::value(json::array{"buyer"}));
  }
  // The scheme is case-insensitive.
  EXPECT_EQ(userinfo("bearer " + token.token).status, 200);
}

TEST_F(UserinfoTest, WithoutTheProfileScopeTheNameIsNotGiven) {
  const OAuthAnswer answer = userinfo("Bearer " + token_for("alice", "openid").token);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(body_of(answer), (json::object{{"sub", "alice"}, {"roles", json::array{"buyer"}}}));
}

TEST_F(UserinfoTest, ASubjectOutsideTheUsersSectionHasItsSubAlone) {
  const OAuthAnswer answer = userinfo("Bearer " + token_for("service", "openid").token);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(body_of(answer), (json::object{{"sub", "service"}}));
}

TEST_F(UserinfoTest, WithoutOpenidTheScopeIsInsufficient) {
  const OAuthAnswer answer = userinfo("Bearer " + token_for("alice", "profile").token);
  EXPECT_EQ(answer.status, 403);
  EXPECT_EQ(header(answer, "WWW-Authenticate"),
            R"(Bearer realm="gatehouse", error="insufficient_scope", scope="openid")");
  EXPECT_EQ(string_member(body_of(answer), "error"), "insufficient_scope");
}

TEST_F(UserinfoTest, NoTokenIsAChallengeWithoutAnError) {
  const OAuthAnswer answer = userinfo({});
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(header(answer, "WWW-Authenticate"), R"(Bearer realm="gatehouse")");
  EXPECT_EQ(userinfo("Basic YWxpY2U6d29uZGVybGFuZA==").status, 401);
}

TEST_F(UserinfoTest, AnInvalidExpiredOrRevokedTokenIsInvalidToken) {
  const auto expect_invalid = [](const OAuthAnswer& answer) {
    EXPECT_EQ(answer.status, 401) << answer.body;
    EXPECT_EQ(
        header(answer, "WWW-Authenticate").find(R"(error="invalid_token")") == std::string::npos,
        false);
  };
  expect_invalid(userinfo("Bearer not.a.token"));
  const AccessToken short_lived = token_for("alice", "openid", 10);
  now_ += 10;
  expect_invalid(userinfo("Bearer " + short_lived.token));
  const AccessToken revoked = token_for("alice", "openid");
  run(context().announce_revocation(revoked.jti, revoked.expires_at));
  expect_invalid(userinfo("Bearer " + revoked.token));
}

TEST_F(UserinfoTest, OnlyGetAndPostAreServed) {
  const OAuthAnswer answer = userinfo("Bearer x", "PUT");
  EXPECT_EQ(answer.status, 405);
  EXPECT_EQ(header(answer, "Allow"), "GET, POST");
}

}  // namespace
}  // namespace gatehouse::keymanager::userinfo_test
