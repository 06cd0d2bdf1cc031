// The metadata a client library configures itself from, the JWKS it verifies with, and the
// signing keys behind them: made once, kept in the store, listed while previous.
#include <gtest/gtest.h>

#include <algorithm>

#include "key_manager_fixture.h"
#include "keymanager/server/discovery.h"
#include "keymanager/server/key_ring.h"
#include "keymanager/server/signing_key.h"

namespace gatehouse::keymanager::discovery_key_ring_test {
namespace {

using namespace fixture;

class DiscoveryKeyRingTest : public KeyManagerTest {};

std::vector<std::string> strings(const json::value& array) {
  std::vector<std::string> values;
  for (const json::value& value : array.as_array()) values.emplace_back(value.as_string());
  return values;
}

TEST_F(DiscoveryKeyRingTest, TheDocumentNamesTheEndpointsGrantsAndMethods) {
  const OAuthAnswer answer = discovery_answer(context());
  ASSERT_EQ(answer.status, 200);
  EXPECT_EQ(answer.content_type, "application/json");
  const json::object document = body_of(answer);
  EXPECT_EQ(string_member(document, "issuer"), issuer);
  EXPECT_EQ(string_member(document, "token_endpoint"), "https://km.example/oauth2/token");
  EXPECT_EQ(string_member(document, "jwks_uri"), "https://km.example/oauth2/jwks");
  EXPECT_EQ(string_member(document, "introspection_endpoint"),
            "https://km.example/oauth2/introspect");
  EXPECT_EQ(string_member(document, "revocation_endpoint"), "https://km.example/oauth2/revoke");
  EXPECT_EQ(string_member(document, "authorization_endpoint"),
            "https://km.example/oauth2/authorize");
  EXPECT_EQ(strings(document.at("grant_types_supported")),
            (std::vector<std::string>{"authorization_code", "client_credentials", "password",
                                      "refresh_token", std::string(downscope),
                                      "urn:ietf:params:oauth:grant-type:device_code",
                                      "urn:ietf:params:oauth:grant-type:jwt-bearer",
                                      "urn:ietf:params:oauth:grant-type:token-exchange"}));
  EXPECT_EQ(
      strings(document.at("token_endpoint_auth_methods_supported")),
      (std::vector<std::string>{"client_secret_basic", "client_secret_post", "private_key_jwt",
                                "tls_client_auth", "self_signed_tls_client_auth", "none"}));
  EXPECT_EQ(
      strings(document.at("introspection_endpoint_auth_methods_supported")),
      (std::vector<std::string>{"client_secret_basic", "client_secret_post", "private_key_jwt",
                                "tls_client_auth", "self_signed_tls_client_auth"}));
  const auto assertion_algs =
      strings(document.at("token_endpoint_auth_signing_alg_values_supported"));
  EXPECT_NE(std::ranges::find(assertion_algs, "ES256"), assertion_algs.end());
  EXPECT_EQ(std::ranges::find(assertion_algs, "HS256"), assertion_algs.end());
  EXPECT_EQ(strings(document.at("code_challenge_methods_supported")),
            (std::vector<std::string>{"S256", "plain"}));
  EXPECT_EQ(strings(document.at("response_types_supported")), std::vector<std::string>{"code"});
  EXPECT_EQ(strings(document.at("id_token_signing_alg_values_supported")),
            std::vector<std::string>{"RS256"});
}

TEST_F(DiscoveryKeyRingTest, EndpointsMayLiveUnderAnotherBase) {
  Settings moved = settings();
  moved.endpoint_base = "https://gateway.example/km";
  auto context = ServerContext::create(moved, *store_, nullptr, [this] { return now_; });
  ASSERT_TRUE(context) << context.error();
  const json::object document = discovery_document(**context);
  EXPECT_EQ(string_member(document, "issuer"), issuer);
  EXPECT_EQ(string_member(document, "token_endpoint"), "https://gateway.example/km/oauth2/token");
}

TEST_F(DiscoveryKeyRingTest, AContextNeedsAnIssuerAndValidClients) {
  Settings no_issuer = settings();
  no_issuer.issuer.clear();
  EXPECT_FALSE(ServerContext::create(no_issuer, *store_, nullptr));
  Settings twice = settings();
  twice.clients.push_back(twice.clients.front());
  const auto refused = ServerContext::create(twice, *store_, nullptr);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), "client 'service' is declared twice");
}

TEST_F(DiscoveryKeyRingTest, TheJwksHasTheCurrentKeyAndNoPrivateMember) {
  const json::object jwks = body_of(jwks_answer(context()));
  const json::array& keys = jwks.at("keys").as_array();
  ASSERT_EQ(keys.size(), 1u);
  const json::object& key = keys[0].as_object();
  EXPECT_EQ(string_member(key, "kid"), context().keys()->kid());
  EXPECT_EQ(string_member(key, "kty"), "RSA");
  EXPECT_EQ(string_member(key, "alg"), "RS256");
  EXPECT_EQ(string_member(key, "use"), "sig");
  for (const char* private_member : {"d", "p", "q", "dp", "dq", "qi"}) {
    EXPECT_FALSE(key.contains(private_member)) << private_member;
  }
}

TEST_F(DiscoveryKeyRingTest, TheKeyIsMadeOnceAndKeptAcrossRestarts) {
  // A store without a key: the key manager makes one.
  const std::string shared_kid = context().keys()->kid();
  ASSERT_TRUE(store_->run_blocking(
      [&](GrantStore& store) { return store.remove_signing_key(shared_kid); }));
  shares_signing_key_ = false;
  start();
  const std::string kid = context().keys()->kid();
  EXPECT_NE(kid, shared_kid);
  EXPECT_EQ(context().keys()->alg(), jose::Alg::RS256);
  start();
  EXPECT_EQ(context().keys()->kid(), kid);
  const auto records = store_->run_blocking([](GrantStore& store) { return store.signing_keys(); });
  ASSERT_TRUE(records);
  ASSERT_EQ(records->size(), 1u);
  EXPECT_TRUE((*records)[0].private_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
}

TEST_F(DiscoveryKeyRingTest, APreviousKeyStaysInTheJwksAndTheNewestSigns) {
  const std::string previous = context().keys()->kid();
  auto next = generate_signing_key(jose::Alg::ES256, now_ + 1);
  ASSERT_TRUE(next) << next.error();
  ASSERT_TRUE(store_->run_blocking([&](GrantStore& store) {
    auto put = store.put_signing_key(*next);
    return put ? store.retire_signing_key(previous, now_ + 1) : put;
  }));
  start();
  EXPECT_EQ(context().keys()->kid(), next->kid);
  EXPECT_EQ(context().keys()->alg(), jose::Alg::ES256);
  std::vector<std::string> kids;
  for (const json::value& key : context().keys()->jwks().at("keys").as_array()) {
    kids.push_back(string_member(key.as_object(), "kid"));
  }
  EXPECT_EQ(kids, (std::vector<std::string>{previous, next->kid}));
}

TEST(SigningKeyTest, OnlyRs256AndEs256AreGenerated) {
  EXPECT_FALSE(generate_signing_key(jose::Alg::HS256, 0));
  const auto es256 = generate_signing_key(jose::Alg::ES256, 0);
  ASSERT_TRUE(es256);
  auto ring = KeyRing::from_records({*es256});
  ASSERT_TRUE(ring) << ring.error();
  EXPECT_EQ(ring->kid(), es256->kid);
}

TEST(SigningKeyTest, ARingNeedsACurrentKey) {
  auto key = generate_signing_key(jose::Alg::ES256, 0);
  ASSERT_TRUE(key);
  key->retired_at = 5;
  EXPECT_FALSE(KeyRing::from_records({*key}));
  EXPECT_FALSE(KeyRing::from_records({}));
}

}  // namespace
}  // namespace gatehouse::keymanager::discovery_key_ring_test
