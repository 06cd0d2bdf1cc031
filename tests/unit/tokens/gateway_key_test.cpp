#include "security/tokens/gateway_key.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "independent_jwt.h"
#include "security/jose/public_jwk.h"

namespace gatehouse::tokens {
namespace {

namespace json = boost::json;
using testing::Workspace;

TEST(GatewayKey, RsaSignsRs256AndPublishesItsPublicHalfOnly) {
  const auto key = GatewayKey::load(Workspace::get().key("rsa.key.pem"));
  ASSERT_TRUE(key) << jose::to_string(key.error());
  EXPECT_EQ(key->alg(), jose::Alg::RS256);
  EXPECT_EQ(key->kid(), *jose::thumbprint(key->key()));

  const json::object jwks = json::parse(key->jwks_json()).as_object();
  ASSERT_EQ(jwks.at("keys").as_array().size(), 1u);
  const json::object& jwk = jwks.at("keys").as_array()[0].as_object();
  EXPECT_EQ(jwk.at("kty"), "RSA");
  EXPECT_EQ(jwk.at("use"), "sig");
  EXPECT_EQ(jwk.at("alg"), "RS256");
  EXPECT_EQ(jwk.at("kid").as_string(), key->kid());
  for (const char* secret : {"d", "p", "q", "dp", "dq", "qi"}) EXPECT_FALSE(jwk.contains(secret));
}

TEST(GatewayKey, P256SignsEs256) {
  const auto key = GatewayKey::load(Workspace::get().key("p256.key.pem"));
  ASSERT_TRUE(key);
  EXPECT_EQ(key->alg(), jose::Alg::ES256);
  const json::object jwk = json::parse(key->jwks_json()).at("keys").as_array()[0].as_object();
  EXPECT_EQ(jwk.at("crv"), "P-256");
  EXPECT_FALSE(jwk.contains("d"));
}

TEST(GatewayKey, RefusesOtherKeysAndMissingFiles) {
  EXPECT_EQ(GatewayKey::load(Workspace::get().key("ed25519.key.pem")).error(),
            jose::Error::unsupported_key);
  EXPECT_EQ(GatewayKey::load(Workspace::get().key("absent.pem")).error(), jose::Error::io_error);
}

}  // namespace
}  // namespace gatehouse::tokens
