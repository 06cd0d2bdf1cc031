// The token endpoint with each built-in grant, end to end on a real SQLite store: the answers'
// members and headers, the access token's claims as a resource server verifies them, and the
// negative matrix of RFC 6749 section 5.2.
#include <gtest/gtest.h>

#include <algorithm>

#include "key_manager_fixture.h"
#include "keymanager/server/token_endpoint.h"

namespace gatehouse::keymanager::token_endpoint_test {
namespace {

using namespace fixture;

class TokenEndpointTest : public KeyManagerTest {
 protected:
  OAuthAnswer post(const Request& request) {
    return run(TokenEndpoint(context()).handle(request.view()));
  }

  Request service_request(std::string body) const {
    return Request{.body = std::move(body),
                   .authorization = basic("service", secrets_.service.secret)};
  }

  Request password_request(std::string_view scope = {}) const {
    Request request{.body = scope.empty() ? form({{"grant_type", "password"},
                                                  {"username", "alice"},
                                                  {"password", "wonderland"}})
                                          : form({{"grant_type", "password"},
                                                  {"username", "alice"},
                                                  {"password", "wonderland"},
                                                  {"scope", scope}}),
                    .authorization = basic("web", secrets_.web.secret)};
    return request;
  }

  Request refresh_request(std::string_view refresh_token) const {
    return Request{
        .body = form({{"grant_type", "refresh_token"}, {"refresh_token", refresh_token}}),
        .authorization = basic("web", secrets_.web.secret)};
  }

  void expect_error(const OAuthAnswer& answer, int status, std::string_view error) {
    EXPECT_EQ(answer.status, status) << answer.body;
    EXPECT_EQ(string_member(body_of(answer), "error"), error) << answer.body;
    EXPECT_EQ(header(answer, "Cache-Control"), "no-store");
  }
};

TEST_F(TokenEndpointTest, ClientCredentialsIssuesAnAt_JwtThatVerifiesAgainstTheJwks) {
  const OAuthAnswer answer =
      post(service_request(form({{"grant_type", "client_credentials"}, {"scope", "orders:read"}})));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.content_type, "application/json");
  EXPECT_EQ(header(answer, "Cache-Control"), "no-store");
  EXPECT_EQ(header(answer, "Pragma"), "no-cache");
  const json::object body = body_of(answer);
  EXPECT_EQ(string_member(body, "token_type"), "Bearer");
  EXPECT_EQ(body.at("expires_in").as_int64(), 3600);
  EXPECT_EQ(string_member(body, "scope"), "orders:read");
  EXPECT_FALSE(body.contains("refresh_token"));  // RFC 6749 section 4.4.3

  const std::string token = string_member(body, "access_token");
  const auto jws = jose::decode_jws(token);
  ASSERT_TRUE(jws);
  EXPECT_EQ(jws->typ(), "at+jwt");
  EXPECT_EQ(jws->kid(), context().keys()->kid());
  EXPECT_EQ(jws->alg(), jose::Alg::RS256);
  const auto claims = verified_claims(token);
  ASSERT_TRUE(claims);
  EXPECT_EQ(string_member(*claims, "iss"), issuer);
  EXPECT_EQ(string_member(*claims, "sub"), "service");
  EXPECT_EQ(string_member(*claims, "aud"), issuer);
  EXPECT_EQ(string_member(*claims, "client_id"), "service");
  EXPECT_EQ(string_member(*claims, "scope"), "orders:read");
  EXPECT_EQ(claims->at("iat").as_int64(), now_);
  EXPECT_EQ(claims->at("exp").as_int64(), now_ + 3600);
  EXPECT_GE(string_member(*claims, "jti").size(), 22u);
}

TEST_F(TokenEndpointTest, WithoutAScopeTheClientGetsAllItsScopes) {
  const OAuthAnswer answer = post(service_request(form({{"grant_type", "client_credentials"}})));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(string_member(body_of(answer), "scope"), "orders:read orders:write");
}

TEST_F(TokenEndpointTest, ClientSecretPostAuthenticatesToo) {
  const OAuthAnswer answer =
      post(Request{.body = form({{"grant_type", "client_credentials"},
                                 {"client_id", "service"},
                                 {"client_secret", secrets_.service.secret}})});
  EXPECT_EQ(answer.status, 200) << answer.body;
}

TEST_F(TokenEndpointTest, PasswordIssuesTokensForTheUserWithARefreshToken) {
  const OAuthAnswer answer = post(password_request("profile"));
  ASSERT_EQ(answer.status, 200) << answer.body;
  const json::object body = body_of(answer);
  EXPECT_EQ(string_member(body, "scope"), "profile");
  EXPECT_FALSE(string_member(body, "refresh_token").empty());
  const auto claims = verified_claims(string_member(body, "access_token"));
  ASSERT_TRUE(claims);
  EXPECT_EQ(string_member(*claims, "sub"), "alice");
  EXPECT_EQ(string_member(*claims, "client_id"), "web");
}

TEST_F(TokenEndpointTest, AWrongPasswordIsInvalidGrant) {
  Request request = password_request();
  request.body = form({{"grant_type", "password"}, {"username", "alice"}, {"password", "nope"}});
  const OAuthAnswer answer = post(request);
  expect_error(answer, 400, "invalid_grant");
  EXPECT_EQ(answer.body.find("nope"), std::string::npos);
}

TEST_F(TokenEndpointTest, RefreshRotatesAndKeepsTheGrantsScope) {
  const std::string first = string_member(body_of(post(password_request())), "refresh_token");
  Request narrower = refresh_request(first);
  narrower.body += "&scope=profile";
  const OAuthAnswer answer = post(narrower);
  ASSERT_EQ(answer.status, 200) << answer.body;
  const json::object body = body_of(answer);
  EXPECT_EQ(string_member(body, "scope"), "profile");
  const std::string second = string_member(body, "refresh_token");
  EXPECT_FALSE(second.empty());
  EXPECT_NE(second, first);
  EXPECT_EQ(string_member(*verified_claims(string_member(body, "access_token")), "sub"), "alice");

  // The rotated token keeps the whole scope of the grant, not the narrower one just asked for.
  const OAuthAnswer again = post(refresh_request(second));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(string_member(body_of(again), "scope"), "profile orders:read");
}

TEST_F(TokenEndpointTest, ReusingARefreshTokenRevokesItsWholeFamily) {
  const json::object granted = body_of(post(password_request()));
  const std::string first = string_member(granted, "refresh_token");
  const json::object rotated = body_of(post(refresh_request(first)));
  const std::string second = string_member(rotated, "refresh_token");
  ASSERT_FALSE(second.empty());
  ASSERT_TRUE(revoked_.empty());

  expect_error(post(refresh_request(first)), 400, "invalid_grant");
  // The thief's reuse also took the legitimate client's current token,
  expect_error(post(refresh_request(second)), 400, "invalid_grant");
  // and both access tokens issued in the family, which the gateway is told of.
  std::vector<std::string> jtis;
  for (const auto& [jti, expires_at] : revoked_) {
    jtis.push_back(jti);
    EXPECT_EQ(expires_at, now_ + 3600);
  }
  std::vector<std::string> issued;
  for (const json::object* body : {&granted, &rotated}) {
    issued.emplace_back(jose::Claims(*verified_claims(string_member(*body, "access_token"))).jti());
  }
  std::ranges::sort(jtis);
  std::ranges::sort(issued);
  EXPECT_EQ(jtis, issued);
  EXPECT_TRUE(context().revoked().contains(issued[0], now_));
}

TEST_F(TokenEndpointTest, RefreshTokensSurviveARestart) {
  const std::string refresh = string_member(body_of(post(password_request())), "refresh_token");
  start();
  EXPECT_EQ(post(refresh_request(refresh)).status, 200);
}

TEST_F(TokenEndpointTest, AnExpiredRefreshTokenIsInvalidGrant) {
  const std::string refresh = string_member(body_of(post(password_request())), "refresh_token");
  now_ += 14 * 24 * 3600;
  expect_error(post(refresh_request(refresh)), 400, "invalid_grant");
}

TEST_F(TokenEndpointTest, AnotherClientsRefreshTokenIsInvalidGrant) {
  const std::string refresh = string_member(body_of(post(password_request())), "refresh_token");
  Request request{
      .body = form(
          {{"grant_type", "refresh_token"}, {"refresh_token", refresh}, {"client_id", "spa"}})};
  expect_error(post(request), 400, "invalid_grant");
}

TEST_F(TokenEndpointTest, ScopeEscalationIsInvalidScope) {
  expect_error(post(service_request(
                   form({{"grant_type", "client_credentials"}, {"scope", "orders:read admin"}}))),
               400, "invalid_scope");
  const std::string refresh =
      string_member(body_of(post(password_request("profile"))), "refresh_token");
  Request wider = refresh_request(refresh);
  wider.body += "&scope=profile+orders%3Aread";
  expect_error(post(wider), 400, "invalid_scope");
}

TEST_F(TokenEndpointTest, AWrongSecretIsInvalidClientWithABasicChallenge) {
  const OAuthAnswer answer = post(Request{.body = form({{"grant_type", "client_credentials"}}),
                                          .authorization = basic("service", "not-the-secret")});
  expect_error(answer, 401, "invalid_client");
  EXPECT_EQ(header(answer, "WWW-Authenticate"), "Basic realm=\"gatehouse\"");
  EXPECT_EQ(answer.body.find("not-the-secret"), std::string::npos);
}

TEST_F(TokenEndpointTest, AnUnknownClientIsInvalidClient) {
  expect_error(post(Request{.body = form({{"grant_type", "client_credentials"}}),
                            .authorization = basic("nobody", "secret")}),
               401, "invalid_client");
  expect_error(post(Request{.body = form({{"grant_type", "client_credentials"},
                                          {"client_id", "nobody"},
                                          {"client_secret", "secret"}})}),
               401, "invalid_client");
}

TEST_F(TokenEndpointTest, NoClientAuthenticationIsInvalidClient) {
  expect_error(post(Request{.body = form({{"grant_type", "client_credentials"}})}), 401,
               "invalid_client");
}

TEST_F(TokenEndpointTest, BothAuthenticationMethodsAtOnceAreInvalidRequest) {
  Request request = service_request(
      form({{"grant_type", "client_credentials"}, {"client_secret", secrets_.service.secret}}));
  expect_error(post(request), 400, "invalid_request");
}

TEST_F(TokenEndpointTest, AGrantTheClientMayNotUseIsUnauthorizedClient) {
  expect_error(
      post(service_request(
          form({{"grant_type", "password"}, {"username", "alice"}, {"password", "wonderland"}}))),
      400, "unauthorized_client");
}

TEST_F(TokenEndpointTest, APublicClientCannotUseClientCredentials) {
  expect_error(
      post(Request{.body = form({{"grant_type", "client_credentials"}, {"client_id", "spa"}})}),
      400, "unauthorized_client");
}

TEST_F(TokenEndpointTest, AnUnknownGrantTypeIsUnsupportedGrantType) {
  expect_error(post(service_request(form({{"grant_type", "urn:example:unknown"}}))), 400,
               "unsupported_grant_type");
}

TEST_F(TokenEndpointTest, ARepeatedParameterIsInvalidRequest) {
  expect_error(post(service_request("grant_type=client_credentials&scope=a&scope=b")), 400,
               "invalid_request");
}

TEST_F(TokenEndpointTest, AWrongContentTypeIsInvalidRequest) {
  Request request = service_request(form({{"grant_type", "client_credentials"}}));
  request.content_type = "application/json";
  expect_error(post(request), 400, "invalid_request");
}

TEST_F(TokenEndpointTest, AMissingGrantTypeIsInvalidRequest) {
  expect_error(post(service_request(form({{"scope", "orders:read"}}))), 400, "invalid_request");
}

}  // namespace
}  // namespace gatehouse::keymanager::token_endpoint_test
