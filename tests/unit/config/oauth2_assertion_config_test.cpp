// oauth2_server's keys for JWT assertions: a private_key_jwt client's public keys (inline or in
// a file), a client's token exchange audiences, and trusted issuers; each mistake at its line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "config/loader.h"
#include "support/temp_dir.h"
#include "unit/config/printed_errors.h"

namespace gatehouse::config::oauth2_assertion_config_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::string_view base = "listeners: [{name: http, address: 127.0.0.1:8280}]\n";

// A P-256 public key.
constexpr std::string_view ec_jwk =
    "{kty: EC, crv: P-256, kid: k1, x: OYInOhvCkcOKdbhnWt9Bxon4ezJHMmFWedOd3I95eEI, "
    "y: 2QT3Xm13eM_nKxUz7-hJ10dAeBZoEZm0ZGAxNcO3R9k}";

std::expected<Config, ConfigErrors> load(const std::string& extra,
                                         std::string_view file = "conf/gw.yaml") {
  return load_string(std::string(base) + extra, std::string(file));
}

std::vector<std::string> errors_of(const std::string& extra) {
  return printed_errors(load(extra));
}

std::string server_with_client(const std::string& client) {
  return "oauth2_server:\n  issuer: https://gw.example\n  clients:\n    - " + client + "\n";
}

TEST(OAuth2AssertionConfig, ReadsAPrivateKeyJwtClientWithInlineKeys) {
  auto loaded = load(server_with_client(
      "{client_id: signed, token_endpoint_auth_method: private_key_jwt, grant_types: "
      "[client_credentials], audiences: ['https://billing.example'], jwks: [" +
      std::string(ec_jwk) + "]}"));
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  const OAuth2ClientConfig& client = loaded->oauth2_server->clients.front();
  ASSERT_TRUE(client.assertion_keys);
  EXPECT_THAT(client.assertion_keys->jwks_json, HasSubstr("\"kid\":\"k1\""));
  EXPECT_FALSE(client.public_client);
  EXPECT_THAT(client.audiences, ElementsAre("https://billing.example"));
}

TEST(OAuth2AssertionConfig, ReadsKeysFromAJwksFile) {
  test_support::TempDir dir;
  std::ofstream(dir.file("client.jwks"))
      << R"({"keys":[{"kty":"EC","crv":"P-256","kid":"k1",)"
      << R"("x":"OYInOhvCkcOKdbhnWt9Bxon4ezJHMmFWedOd3I95eEI",)"
      << R"("y":"2QT3Xm13eM_nKxUz7-hJ10dAeBZoEZm0ZGAxNcO3R9k"}]})";
  auto loaded = load(server_with_client("{client_id: signed, token_endpoint_auth_method: "
                                        "private_key_jwt, grant_types: [client_credentials], "
                                        "jwks_file: client.jwks}"),
                     dir.file("gw.yaml"));
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  EXPECT_THAT(loaded->oauth2_server->clients.front().assertion_keys->jwks_json,
              HasSubstr("\"kid\":\"k1\""));
}

TEST(OAuth2AssertionConfig, RefusesPrivateKeyJwtWithoutKeysOrWithASecret) {
  EXPECT_THAT(errors_of(server_with_client("{client_id: signed, token_endpoint_auth_method: "
                                           "private_key_jwt, grant_types: [client_credentials]}")),
              ElementsAre("conf/gw.yaml:5:7: client 'signed' needs 'jwks' or 'jwks_file'"));
  EXPECT_THAT(
      errors_of(server_with_client("{client_id: signed, token_endpoint_auth_method: "
                                   "private_key_jwt, secret_hash: sha256:" +
                                   std::string(64, 'a') + ", grant_types: [x], jwks: [" +
                                   std::string(ec_jwk) + "]}")),
      ElementsAre("conf/gw.yaml:5:7: client 'signed' authenticates by private_key_jwt: it has no "
                  "'secret_hash' and is not public"));
}

TEST(OAuth2AssertionConfig, RefusesKeysThatCannotVerifyOrArePrivate) {
  const auto errors = errors_of(server_with_client(
      "{client_id: signed, token_endpoint_auth_method: private_key_jwt, grant_types: [x], "
      "jwks: [{kty: oct, k: c2VjcmV0}, {kty: EC, crv: P-256, x: AA, y: AA}, plain]}"));
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_THAT(errors[0], HasSubstr("conf/gw.yaml:5:"));
  EXPECT_THAT(errors[0], HasSubstr("private or symmetric key"));
  EXPECT_THAT(errors[1], HasSubstr("this JWK cannot be used"));
  EXPECT_THAT(errors[2], HasSubstr("an item of 'jwks' must be a map (a JWK)"));
}

TEST(OAuth2AssertionConfig, KeysBelongToTheMethodsThatUseThem) {
  EXPECT_THAT(errors_of(server_with_client("{client_id: spa, public: true, grant_types: [x], "
                                           "jwks: [" +
                                           std::string(ec_jwk) + "]}")),
              ElementsAre(HasSubstr("'jwks' and 'jwks_file' are for "
                                    "'token_endpoint_auth_method' private_key_jwt or "
                                    "self_signed_tls_client_auth")));
  EXPECT_THAT(errors_of(server_with_client("{client_id: x, token_endpoint_auth_method: magic, "
                                           "grant_types: [x], public: true}")),
              ElementsAre(HasSubstr("'token_endpoint_auth_method' must be one of")));
}

TEST(OAuth2AssertionConfig, ReadsTrustedIssuers) {
  auto loaded = load(
      "oauth2_server:\n  issuer: https://gw.example\n  trusted_issuers:\n"
      "    - {issuer: 'https://idp.example', jwks: [" +
      std::string(ec_jwk) +
      "]}\n"
      "    - {issuer: 'https://partner.example', audience: 'urn:gw', subject_claim: email, "
      "max_token_lifetime: 24h, jwks: [" +
      std::string(ec_jwk) + "]}\n");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  const auto& trusted = loaded->oauth2_server->trusted_issuers;
  ASSERT_EQ(trusted.size(), 2u);
  EXPECT_EQ(trusted[0].issuer, "https://idp.example");
  EXPECT_EQ(trusted[0].subject_claim, "sub");
  EXPECT_TRUE(trusted[0].audience.empty());
  EXPECT_EQ(trusted[1].audience, "urn:gw");
  EXPECT_EQ(trusted[1].subject_claim, "email");
  EXPECT_EQ(trusted[0].max_token_lifetime, std::chrono::hours(1));
  EXPECT_EQ(trusted[1].max_token_lifetime, std::chrono::hours(24));
  EXPECT_EQ(trusted[1].location.line, 6u);
}

TEST(OAuth2AssertionConfig, ReadsATrustedIssuersJwksUriInPlaceOfItsKeys) {
  auto loaded = load(
      "oauth2_server:\n  issuer: https://gw.example\n  trusted_issuers:\n"
      "    - {issuer: 'https://idp.example', jwks_uri: 'https://idp.example/keys'}\n");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  const TrustedIssuerConfig& trusted = loaded->oauth2_server->trusted_issuers.front();
  EXPECT_EQ(trusted.jwks_uri, "https://idp.example/keys");
  EXPECT_TRUE(trusted.keys.jwks_json.empty());
  EXPECT_THAT(errors_of("oauth2_server:\n  issuer: https://gw.example\n  trusted_issuers:\n"
                        "    - {issuer: 'https://idp.example', jwks_uri: 'https://idp.example/k', "
                        "jwks: [" +
                        std::string(ec_jwk) + "]}\n"),
              ElementsAre(HasSubstr("write only one of 'jwks', 'jwks_file' and 'jwks_uri'")));
  EXPECT_THAT(errors_of("oauth2_server:\n  issuer: https://gw.example\n  trusted_issuers:\n"
                        "    - {issuer: 'https://idp.example', jwks_uri: 'idp.example/keys'}\n"),
              ElementsAre(HasSubstr("'jwks_uri' must be")));
}

TEST(OAuth2AssertionConfig, RefusesATrustedTokenLifetimeUnderASecond) {
  EXPECT_THAT(
      errors_of("oauth2_server:\n  issuer: https://gw.example\n  trusted_issuers:\n"
                "    - {issuer: 'https://idp.example', max_token_lifetime: 500ms, jwks: [" +
                std::string(ec_jwk) + "]}\n"),
      ElementsAre("conf/gw.yaml:5:59: 'max_token_lifetime' must be at least 1s, got '500ms'"));
}

TEST(OAuth2AssertionConfig, RefusesTrustedIssuersWithoutKeysTwiceOrOurOwn) {
  EXPECT_THAT(
      errors_of("oauth2_server:\n  issuer: https://gw.example\n  trusted_issuers:\n"
                "    - {issuer: 'https://idp.example'}\n"
                "    - {issuer: 'https://gw.example', jwks: [" +
                std::string(ec_jwk) +
                "]}\n"
                "    - {issuer: 'https://b.example', jwks: [" +
                std::string(ec_jwk) +
                "]}\n"
                "    - {issuer: 'https://b.example', jwks: [" +
                std::string(ec_jwk) + "]}\n"),
      ElementsAre("conf/gw.yaml:5:7: trusted issuer 'https://idp.example' needs 'jwks', "
                  "'jwks_file' or 'jwks_uri'",
                  "conf/gw.yaml:6:7: the key manager's own issuer cannot be a trusted issuer",
                  "conf/gw.yaml:8:7: trusted issuer 'https://b.example' is already defined at "
                  "line 7"));
}

}  // namespace
}  // namespace gatehouse::config::oauth2_assertion_config_test
