// Clients whose access_token_format is opaque: every grant hands out a random string without
// dots, resolvable to the claims a JWT would carry at every endpoint of the key manager and in
// the table the gateway reads; revoked alone or with its family, and kept across a restart.
#include <gtest/gtest.h>

#include "key_manager_fixture.h"
#include "keymanager/server/endpoints.h"
#include "keymanager/server/opaque_access_token.h"
#include "keymanager/server/token_hash.h"
#include "security/jose/sha256.h"

namespace gatehouse::keymanager::opaque_access_token_test {
namespace {

using namespace fixture;

constexpr std::string_view exchange_grant = "urn:ietf:params:oauth:grant-type:token-exchange";
constexpr std::string_view access_type = "urn:ietf:params:oauth:token-type:access_token";

class OpaqueAccessTokenTest : public KeyManagerTest {
 protected:
  OpaqueAccessTokenTest() {
    // As "service" and "web" of the fixture, with opaque tokens.
    extra_clients_.push_back(Client{
        .client_id = "robot",
        .secret_hash = robot_secret_.hash,
        .grant_types = {"client_credentials", std::string(downscope), std::string(exchange_grant)},
        .scopes = {"orders:read", "orders:write"},
        .access_token_lifetime = std::chrono::minutes(10),
        .access_token_format = AccessTokenFormat::opaque});
    extra_clients_.push_back(Client{.client_id = "portal",
                                    .secret_hash = portal_secret_.hash,
                                    .grant_types = {"password", "refresh_token"},
                                    .scopes = {"openid", "profile"},
                                    .access_token_format = AccessTokenFormat::opaque});
    start();
  }

  OAuthAnswer call(EndpointId endpoint, std::string_view client, const std::string& secret,
                   std::string body) {
    const Request request{.body = std::move(body), .authorization = basic(client, secret)};
    return run(Endpoints(context()).handle(endpoint, request.view()));
  }
  json::object as_robot(EndpointId endpoint, std::string body) {
    return body_of(call(endpoint, "robot", robot_secret_.secret, std::move(body)));
  }
  json::object as_portal(EndpointId endpoint, std::string body) {
    return body_of(call(endpoint, "portal", portal_secret_.secret, std::move(body)));
  }

  json::object robot_tokens(std::string_view scope = "orders:read orders:write") {
    return as_robot(EndpointId::token,
                    form({{"grant_type", "client_credentials"}, {"scope", scope}}));
  }
  json::object alices_tokens() {
    return as_portal(EndpointId::token, form({{"grant_type", "password"},
                                              {"username", "alice"},
                                              {"password", "wonderland"},
                                              {"scope", "openid profile"}}));
  }
  json::object introspect(std::string_view token) {
    return as_robot(EndpointId::introspection, form({{"token", token}}));
  }
  bool active(std::string_view token) { return introspect(token).at("active").as_bool(); }
  // What the gateway's `resident` key manager would find.
  bool in_table(std::string_view token) {
    return context().opaque_tokens()->find(jose::sha256(token), now_) != nullptr;
  }

  ClientSecret robot_secret_ = generate_client_secret();
  ClientSecret portal_secret_ = generate_client_secret();
};

TEST_F(OpaqueAccessTokenTest, AClientOfTheOpaqueFormatGetsARandomStringWithoutDots) {
  const json::object answer = robot_tokens();
  const std::string token = string_member(answer, "access_token");
  EXPECT_TRUE(token.starts_with(opaque_token_prefix)) << token;
  EXPECT_EQ(token.size(), opaque_token_prefix.size() + 43);
  EXPECT_EQ(token.find('.'), std::string::npos);
  EXPECT_FALSE(verified_claims(token).has_value());
  EXPECT_EQ(string_member(answer, "token_type"), "Bearer");
  EXPECT_EQ(answer.at("expires_in").as_int64(), 600);
  EXPECT_NE(string_member(robot_tokens(), "access_token"), token);
}

TEST_F(OpaqueAccessTokenTest, ItsClaimsAreThoseAJwtWouldCarryInTheTableAndTheStore) {
  const std::string token = string_member(robot_tokens(), "access_token");
  const auto claims = context().opaque_tokens()->find(jose::sha256(token), now_);
  ASSERT_NE(claims, nullptr);
  EXPECT_EQ(string_member(*claims, "iss"), issuer);
  EXPECT_EQ(string_member(*claims, "aud"), issuer);
  EXPECT_EQ(string_member(*claims, "sub"), "robot");
  EXPECT_EQ(string_member(*claims, "client_id"), "robot");
  EXPECT_EQ(string_member(*claims, "scope"), "orders:read orders:write");
  EXPECT_EQ(claims->at("iat").as_int64(), now_);
  EXPECT_EQ(claims->at("exp").as_int64(), now_ + 600);
  EXPECT_FALSE(string_member(*claims, "jti").empty());

  const auto stored =
      store_->run_blocking([this](GrantStore& store) { return store.opaque_tokens(now_); });
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ(stored->front().token_hash, token_hash(token)) << "the store never holds the token";
  EXPECT_EQ(stored->front().jti, string_member(*claims, "jti"));
  EXPECT_EQ(json::parse(stored->front().claims), json::value(*claims));
}

TEST_F(OpaqueAccessTokenTest, IntrospectionAnswersAsForAJwt) {
  const std::string token = string_member(robot_tokens("orders:read"), "access_token");
  const json::object answer = introspect(token);
  EXPECT_EQ(answer.at("active"), true);
  EXPECT_EQ(string_member(answer, "token_type"), "Bearer");
  EXPECT_EQ(string_member(answer, "scope"), "orders:read");
  EXPECT_EQ(string_member(answer, "client_id"), "robot");
  EXPECT_EQ(string_member(answer, "sub"), "robot");
  EXPECT_EQ(string_member(answer, "iss"), issuer);
  EXPECT_EQ(string_member(answer, "aud"), issuer);
  EXPECT_EQ(answer.at("exp").as_int64(), now_ + 600);
  EXPECT_EQ(answer.at("iat").as_int64(), now_);
  EXPECT_FALSE(string_member(answer, "jti").empty());

  EXPECT_FALSE(active(token + "x"));
  now_ += 600;
  EXPECT_FALSE(active(token));
  EXPECT_FALSE(in_table(token)) << "an expired token found is dropped";
}

TEST_F(OpaqueAccessTokenTest, RevokingOneRemovesItRecordsItsJtiAndTellsTheGateway) {
  const std::string token = string_member(robot_tokens(), "access_token");
  const std::string jti = string_member(introspect(token), "jti");
  const std::string other = string_member(robot_tokens(), "access_token");

  const OAuthAnswer revoked =
      call(EndpointId::revocation, "robot", robot_secret_.secret, form({{"token", token}}));
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_FALSE(in_table(token));
  EXPECT_FALSE(active(token));
  ASSERT_EQ(revoked_.size(), 1u);
  EXPECT_EQ(revoked_[0], std::make_pair(jti, now_ + 600));
  EXPECT_TRUE(active(other));
  const auto recorded =
      store_->run_blocking([this](GrantStore& store) { return store.revocations(now_); });
  ASSERT_TRUE(recorded);
  ASSERT_EQ(recorded->size(), 1u);
  EXPECT_EQ(recorded->front().token_id, jti);
}

TEST_F(OpaqueAccessTokenTest, AnotherClientCannotRevokeIt) {
  const std::string token = string_member(robot_tokens(), "access_token");
  const OAuthAnswer refused =
      call(EndpointId::revocation, "portal", portal_secret_.secret, form({{"token", token}}));
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(string_member(body_of(refused), "error"), "unauthorized_client");
  EXPECT_TRUE(active(token));
}

TEST_F(OpaqueAccessTokenTest, ARestartKeepsTheLiveTokensAndNotTheRevokedOnes) {
  const std::string kept = string_member(robot_tokens(), "access_token");
  const std::string revoked = string_member(robot_tokens(), "access_token");
  ASSERT_EQ(call(EndpointId::revocation, "robot", robot_secret_.secret, form({{"token", revoked}}))
                .status,
            200);
  start();
  EXPECT_TRUE(in_table(kept));
  EXPECT_TRUE(active(kept));
  EXPECT_FALSE(in_table(revoked));
  EXPECT_FALSE(active(revoked));
}

TEST_F(OpaqueAccessTokenTest, RevokingTheRefreshTokenRevokesTheFamilysOpaqueAccessTokens) {
  const json::object first = alices_tokens();
  const std::string access = string_member(first, "access_token");
  EXPECT_TRUE(access.starts_with(opaque_token_prefix));
  // A rotation's access token is of the same family.
  const json::object rotated = as_portal(
      EndpointId::token, form({{"grant_type", "refresh_token"},
                               {"refresh_token", string_member(first, "refresh_token")}}));
  const std::string next = string_member(rotated, "access_token");
  ASSERT_TRUE(next.starts_with(opaque_token_prefix)) << json::serialize(rotated);
  const std::string unrelated = string_member(alices_tokens(), "access_token");

  ASSERT_EQ(call(EndpointId::revocation, "portal", portal_secret_.secret,
                 form({{"token", string_member(rotated, "refresh_token")}}))
                .status,
            200);
  EXPECT_FALSE(in_table(access));
  EXPECT_FALSE(in_table(next));
  EXPECT_FALSE(active(access));
  EXPECT_FALSE(active(next));
  EXPECT_EQ(revoked_.size(), 2u);
  EXPECT_TRUE(active(unrelated));
  start();
  EXPECT_FALSE(active(next)) << "nor after a restart";
}

TEST_F(OpaqueAccessTokenTest, UserinfoResolvesIt) {
  const std::string token = string_member(alices_tokens(), "access_token");
  const Request request{.authorization = "Bearer " + token, .method = "GET"};
  const OAuthAnswer answer = run(Endpoints(context()).handle(EndpointId::userinfo, request.view()));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(string_member(body_of(answer), "sub"), "alice");
}

TEST_F(OpaqueAccessTokenTest, DownscopeAndTokenExchangeTakeItAndIssueOpaqueTokens) {
  const std::string broad = string_member(robot_tokens(), "access_token");
  const json::object narrowed = as_robot(
      EndpointId::token,
      form({{"grant_type", downscope}, {"subject_token", broad}, {"scope", "orders:read"}}));
  const std::string narrow = string_member(narrowed, "access_token");
  ASSERT_TRUE(narrow.starts_with(opaque_token_prefix)) << json::serialize(narrowed);
  EXPECT_EQ(string_member(introspect(narrow), "scope"), "orders:read");

  const json::object exchanged =
      as_robot(EndpointId::token, form({{"grant_type", exchange_grant},
                                        {"subject_token", narrow},
                                        {"subject_token_type", access_type},
                                        {"actor_token", broad},
                                        {"actor_token_type", access_type}}));
  const std::string token = string_member(exchanged, "access_token");
  ASSERT_TRUE(token.starts_with(opaque_token_prefix)) << json::serialize(exchanged);
  const json::object answer = introspect(token);
  EXPECT_EQ(string_member(answer, "scope"), "orders:read");
  EXPECT_EQ(string_member(answer, "sub"), "robot");

  // A revoked opaque subject token is refused like a revoked JWT.
  ASSERT_EQ(
      call(EndpointId::revocation, "robot", robot_secret_.secret, form({{"token", narrow}})).status,
      200);
  const json::object refused = as_robot(
      EndpointId::token,
      form({{"grant_type", downscope}, {"subject_token", narrow}, {"scope", "orders:read"}}));
  EXPECT_EQ(string_member(refused, "error"), "invalid_grant");
}

TEST_F(OpaqueAccessTokenTest, AJwtClientStillGetsJwts) {
  const json::object answer = body_of(call(EndpointId::token, "service", secrets_.service.secret,
                                           form({{"grant_type", "client_credentials"}})));
  EXPECT_TRUE(verified_claims(string_member(answer, "access_token")).has_value());
  EXPECT_EQ(context().opaque_tokens()->size(), 0u);
}

}  // namespace
}  // namespace gatehouse::keymanager::opaque_access_token_test
