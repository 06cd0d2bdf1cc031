// Introspection (RFC 7662) and revocation (RFC 7009): what a valid token is said to grant, that
// anything else is just inactive, and what revoking each kind of token takes away.
#include <gtest/gtest.h>

#include "key_manager_fixture.h"
#include "keymanager/server/introspection_endpoint.h"
#include "keymanager/server/revocation_endpoint.h"
#include "keymanager/server/token_endpoint.h"
#include "security/jose/sign.h"

namespace gatehouse::keymanager::introspection_revocation_test {
namespace {

using namespace fixture;

class IntrospectionRevocationTest : public KeyManagerTest {
 protected:
  Request as_service(std::string body) const {
    return Request{.body = std::move(body),
                   .authorization = basic("service", secrets_.service.secret)};
  }
  Request as_web(std::string body) const {
    return Request{.body = std::move(body), .authorization = basic("web", secrets_.web.secret)};
  }

  json::object tokens_for_alice() {
    return body_of(run(TokenEndpoint(context()).handle(
        as_web(
            form({{"grant_type", "password"}, {"username", "alice"}, {"password", "wonderland"}}))
            .view())));
  }

  json::object introspect(std::string_view token) {
    const OAuthAnswer answer =
        run(IntrospectionEndpoint(context()).handle(as_service(form({{"token", token}})).view()));
    EXPECT_EQ(answer.status, 200) << answer.body;
    EXPECT_EQ(header(answer, "Cache-Control"), "no-store");
    return body_of(answer);
  }

  OAuthAnswer revoke(const Request& request) {
    return run(RevocationEndpoint(context()).handle(request.view()));
  }
};

TEST_F(IntrospectionRevocationTest, AValidAccessTokenIsActiveWithWhatItGrants) {
  const json::object tokens = tokens_for_alice();
  const json::object answer = introspect(string_member(tokens, "access_token"));
  EXPECT_EQ(answer.at("active"), true);
  EXPECT_EQ(string_member(answer, "scope"), "profile orders:read");
  EXPECT_EQ(string_member(answer, "client_id"), "web");
  EXPECT_EQ(string_member(answer, "sub"), "alice");
  EXPECT_EQ(string_member(answer, "iss"), issuer);
  EXPECT_EQ(string_member(answer, "token_type"), "Bearer");
  EXPECT_EQ(answer.at("exp").as_int64(), now_ + 3600);
  EXPECT_EQ(answer.at("iat").as_int64(), now_);
}

TEST_F(IntrospectionRevocationTest, AValidRefreshTokenIsActive) {
  const json::object answer = introspect(string_member(tokens_for_alice(), "refresh_token"));
  EXPECT_EQ(answer.at("active"), true);
  EXPECT_EQ(string_member(answer, "token_type"), "refresh_token");
  EXPECT_EQ(string_member(answer, "client_id"), "web");
  EXPECT_EQ(string_member(answer, "sub"), "alice");
}

TEST_F(IntrospectionRevocationTest, AnythingElseIsInactive) {
  const json::object tokens = tokens_for_alice();
  const std::string access = string_member(tokens, "access_token");
  const json::object inactive{{"active", false}};
  EXPECT_EQ(introspect("made-up"), inactive);
  EXPECT_EQ(introspect("a.b.c"), inactive);
  EXPECT_EQ(introspect(access.substr(0, access.size() - 2)), inactive);
  now_ += 3600;
  EXPECT_EQ(introspect(access), inactive);
}

TEST_F(IntrospectionRevocationTest, AJwtOfOurKeyThatIsNotAnAccessTokenIsInactive) {
  // Signed by the current key with every claim right, but typ "JWT": an ID token, say, must never
  // pass for an access token (RFC 9068 section 4).
  const KeyRing& keys = *context().keys();
  const json::object claims{{"iss", issuer},      {"sub", "alice"},    {"aud", issuer},
                            {"iat", now_},        {"exp", now_ + 60},  {"jti", "j"},
                            {"client_id", "web"}, {"scope", "profile"}};
  const auto id_token = jose::sign_jwt(claims, keys.signing_key(), keys.alg(), keys.kid(), "JWT");
  ASSERT_TRUE(id_token);
  EXPECT_EQ(introspect(*id_token).at("active"), false);
  const auto access_token =
      jose::sign_jwt(claims, keys.signing_key(), keys.alg(), keys.kid(), "at+jwt");
  ASSERT_TRUE(access_token);
  EXPECT_EQ(introspect(*access_token).at("active"), true);
}

TEST_F(IntrospectionRevocationTest, AnIntrospectingClientMustAuthenticateWithASecret) {
  const OAuthAnswer anonymous =
      run(IntrospectionEndpoint(context()).handle(Request{.body = form({{"token", "x"}})}.view()));
  EXPECT_EQ(anonymous.status, 401);
  const OAuthAnswer public_client = run(IntrospectionEndpoint(context()).handle(
      Request{.body = form({{"token", "x"}, {"client_id", "spa"}})}.view()));
  EXPECT_EQ(public_client.status, 401);
  EXPECT_EQ(string_member(body_of(public_client), "error"), "invalid_client");
}

TEST_F(IntrospectionRevocationTest, RevokingAnAccessTokenRecordsItsJtiAndTellsTheGateway) {
  const std::string access = string_member(tokens_for_alice(), "access_token");
  const OAuthAnswer answer = revoke(as_web(form({{"token", access}})));
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(header(answer, "Cache-Control"), "no-store");

  const std::string jti = string_member(*verified_claims(access), "jti");
  ASSERT_EQ(revoked_.size(), 1u);
  EXPECT_EQ(revoked_[0].first, jti);
  EXPECT_EQ(revoked_[0].second, now_ + 3600);
  EXPECT_EQ(introspect(access).at("active"), false);

  // Kept in the store: still revoked after a restart.
  start();
  EXPECT_EQ(introspect(access).at("active"), false);
}

TEST_F(IntrospectionRevocationTest, RevokingARefreshTokenRevokesItsFamily) {
  const json::object granted = tokens_for_alice();
  const std::string first = string_member(granted, "refresh_token");
  const json::object rotated = body_of(run(TokenEndpoint(context()).handle(
      as_web(form({{"grant_type", "refresh_token"}, {"refresh_token", first}})).view())));
  const std::string second = string_member(rotated, "refresh_token");
  ASSERT_FALSE(second.empty());

  EXPECT_EQ(revoke(as_web(form({{"token", second}, {"token_type_hint", "refresh_token"}}))).status,
            200);
  EXPECT_EQ(introspect(second).at("active"), false);
  // The access tokens of the family too, here and on the gateway's list.
  EXPECT_EQ(introspect(string_member(granted, "access_token")).at("active"), false);
  EXPECT_EQ(introspect(string_member(rotated, "access_token")).at("active"), false);
  EXPECT_EQ(revoked_.size(), 2u);
  const OAuthAnswer refreshed = run(TokenEndpoint(context()).handle(
      as_web(form({{"grant_type", "refresh_token"}, {"refresh_token", second}})).view()));
  EXPECT_EQ(string_member(body_of(refreshed), "error"), "invalid_grant");
}

TEST_F(IntrospectionRevocationTest, AnUnknownTokenIsRevokedWithoutComplaint) {
  EXPECT_EQ(revoke(as_web(form({{"token", "never-issued"}}))).status, 200);
  EXPECT_EQ(revoke(as_web(form({{"token", "never.issued.jwt"}}))).status, 200);
  EXPECT_TRUE(revoked_.empty());
}

TEST_F(IntrospectionRevocationTest, AnotherClientsTokenIsNotRevoked) {
  const json::object tokens = tokens_for_alice();
  for (const char* kind : {"access_token", "refresh_token"}) {
    const OAuthAnswer answer = revoke(as_service(form({{"token", string_member(tokens, kind)}})));
    EXPECT_EQ(answer.status, 400) << kind;
    EXPECT_EQ(string_member(body_of(answer), "error"), "unauthorized_client") << kind;
    EXPECT_EQ(introspect(string_member(tokens, kind)).at("active"), true) << kind;
  }
}

TEST_F(IntrospectionRevocationTest, RevocationNeedsTheToken) {
  const OAuthAnswer answer = revoke(as_web(form({{"token_type_hint", "access_token"}})));
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(string_member(body_of(answer), "error"), "invalid_request");
}

}  // namespace
}  // namespace gatehouse::keymanager::introspection_revocation_test
