// private_key_jwt at the token, introspection and revocation endpoints: a client's signed
// assertion is its credential once, and every way it can be wrong is invalid_client.
#include <gtest/gtest.h>

#include "assertion_signer.h"
#include "key_manager_fixture.h"
#include "keymanager/server/introspection_endpoint.h"
#include "keymanager/server/token_endpoint.h"

namespace gatehouse::keymanager::client_assertion_test {
namespace {

using namespace fixture;

constexpr std::string_view token_url = "https://km.example/oauth2/token";
constexpr std::string_view jwt_bearer_type =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

class ClientAssertionTest : public KeyManagerTest {
 protected:
  ClientAssertionTest() {
    extra_clients_.push_back(Client{.client_id = "signed",
                                    .assertion_keys = signer_.public_keys(),
                                    .grant_types = {"client_credentials"},
                                    .scopes = {"orders:read"}});
    start();
  }

  OAuthAnswer token_with(const std::string& assertion, std::string authorization = {},
                         std::string client_ip = "192.0.2.1") {
    return run(TokenEndpoint(context()).handle(
        Request{.body = form({{"grant_type", "client_credentials"},
                              {"client_assertion_type", jwt_bearer_type},
                              {"client_assertion", assertion}}),
                .authorization = std::move(authorization),
                .client_ip = std::move(client_ip)}
            .view()));
  }

  std::string assertion(const json::object& changes = {}) {
    return signer_.sign(signer_.claims(token_url, now_, changes));
  }

  static std::string error_of(const OAuthAnswer& answer) {
    return string_member(body_of(answer), "error");
  }

  AssertionSigner signer_{"signed", "client-key"};
};

TEST_F(ClientAssertionTest, AGoodAssertionAuthenticatesTheClient) {
  const OAuthAnswer answer = token_with(assertion());
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto claims = verified_claims(string_member(body_of(answer), "access_token"));
  ASSERT_TRUE(claims);
  EXPECT_EQ(string_member(*claims, "client_id"), "signed");
}

TEST_F(ClientAssertionTest, TheIssuerIsAnAudienceToo) {
  EXPECT_EQ(token_with(assertion({{"aud", issuer}})).status, 200);
  EXPECT_EQ(token_with(assertion({{"aud", json::array{"https://other.example", issuer}}})).status,
            200);
}

TEST_F(ClientAssertionTest, AReplayedJtiIsRefused) {
  const std::string once = assertion();
  ASSERT_EQ(token_with(once).status, 200);
  const OAuthAnswer replay = token_with(once);
  EXPECT_EQ(replay.status, 401);
  EXPECT_EQ(error_of(replay), "invalid_client");
}

TEST_F(ClientAssertionTest, EveryBadAssertionIsInvalidClient) {
  AssertionSigner impostor("signed", "client-key");  // same kid, another key
  AssertionSigner unknown_kid("signed", "other-kid");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"wrong aud", assertion({{"aud", "https://elsewhere.example/token"}})},
      {"expired", assertion({{"exp", now_ - 120}})},
      {"no exp", assertion({{"exp", nullptr}})},
      {"too long-lived", assertion({{"exp", now_ + 3600}})},
      {"no jti", assertion({{"jti", nullptr}})},
      {"not yet valid", assertion({{"nbf", now_ + 600}})},
      {"iss is not sub", assertion({{"sub", "service"}})},
      {"unknown client", assertion({{"iss", "nobody"}, {"sub", "nobody"}})},
      {"a secret client", assertion({{"iss", "service"}, {"sub", "service"}})},
      {"bad signature", impostor.sign(signer_.claims(token_url, now_))},
      {"unknown kid", unknown_kid.sign(signer_.claims(token_url, now_))},
      {"not a JWT", "not-a-jwt"},
  };
  int address = 10;  // each from its own address: more than five failures of one are shut out
  for (const auto& [what, bad] : cases) {
    const OAuthAnswer answer = token_with(bad, {}, "192.0.2." + std::to_string(address++));
    EXPECT_EQ(answer.status, 401) << what << ": " << answer.body;
    EXPECT_EQ(error_of(answer), "invalid_client") << what;
  }
}

TEST_F(ClientAssertionTest, AnAssertionBesideBasicIsTwoMethods) {
  const OAuthAnswer answer = token_with(assertion(), basic("service", secrets_.service.secret));
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(error_of(answer), "invalid_request");
}

TEST_F(ClientAssertionTest, TheClientCannotUseASecretInstead) {
  const OAuthAnswer answer = run(
      TokenEndpoint(context()).handle(Request{.body = form({{"grant_type", "client_credentials"}}),
                                              .authorization = basic("signed", "anything")}
                                          .view()));
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(error_of(answer), "invalid_client");
}

TEST_F(ClientAssertionTest, IntrospectionAcceptsTheAssertionToo) {
  const std::string access = string_member(body_of(token_with(assertion())), "access_token");
  const OAuthAnswer answer = run(IntrospectionEndpoint(context()).handle(Request{
      .body = form({{"token", access},
                    {"client_assertion_type", jwt_bearer_type},
                    {"client_assertion", assertion()}})}.view()));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_TRUE(body_of(answer).at("active").as_bool());
}

}  // namespace
}  // namespace gatehouse::keymanager::client_assertion_test
