// The routes that need the installed signing key: GET /jwks, and API keys generated for the
// installed config's applications, checked by the gateway's own verifier.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <boost/json/parse.hpp>

#include <ctime>
#include <stdexcept>
#include <string>

#include "admin/admin_routes.h"
#include "config/model.h"
#include "observability/metrics.h"
#include "security/tokens/api_key_verifier.h"
#include "security/tokens/gateway_key.h"

namespace gatehouse::admin {
namespace {

namespace json = boost::json;

tokens::GatewayKey new_p256_key() {
  EVP_PKEY* pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  auto key = jose::Key::adopt(pkey, /*is_private=*/true);
  EXPECT_TRUE(key.has_value());
  auto gateway_key = tokens::GatewayKey::from_private_key(std::move(*key));
  EXPECT_TRUE(gateway_key.has_value());
  return std::move(*gateway_key);
}

std::shared_ptr<const config::Config> shop_config() {
  auto config = std::make_shared<config::Config>();
  config::ApiConfig shop;
  shop.name = "Shop";
  shop.version = "1.0";
  shop.context = "/shop";
  config->apis.push_back(shop);
  config::ApplicationConfig app;
  app.record = {.id = "app-1", .name = "ShopApp", .owner = "alice", .tier = "Gold"};
  config->security.applications.push_back(app);
  config::SubscriptionConfig subscription;
  subscription.record = {.application_id = "app-1", .api = "Shop:1.0", .tier = "Silver"};
  config->security.subscriptions.push_back(subscription);
  return config;
}

class SigningKeyRoutesTest : public ::testing::Test {
 protected:
  observability::Metrics metrics_{1, "test"};
  tokens::GatewayKey key_ = new_p256_key();
  InstalledState installed_{shop_config(), &key_};

  AdminResponse route(std::string_view method, std::string_view target,
                      std::string_view body = {}) {
    return route_admin_request({method, target, body}, {metrics_, [] { return true; }, nullptr,
                                                        [this] { return installed_; }});
  }

  // The key a 200 answer carries, as the gateway's verifier reads it now (the route issues it
  // at the real time).
  tokens::ApiKeyClaims verified(const AdminResponse& response) {
    if (response.status != 200) throw std::runtime_error("refused: " + response.body);
    const json::object body = json::parse(response.body).as_object();
    auto claims =
        tokens::ApiKeyVerifier(key_).verify(body.at("apikey").as_string(), std::time(nullptr));
    if (!claims) throw std::runtime_error("the issued key does not verify");
    return *claims;
  }
};

TEST_F(SigningKeyRoutesTest, JwksIsTheInstalledKeysPublicSet) {
  const AdminResponse response = route("GET", "/jwks");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, key_.jwks_json());

  tokens::GatewayKey rotated = new_p256_key();  // a reload installed another key
  installed_.gateway_key = &rotated;
  EXPECT_EQ(route("HEAD", "/jwks").body, rotated.jwks_json());
  EXPECT_EQ(route("POST", "/jwks").status, 405);
}

TEST_F(SigningKeyRoutesTest, WithoutASigningKeyNeitherRouteIsServed) {
  installed_.gateway_key = nullptr;
  EXPECT_EQ(route("GET", "/jwks").status, 404);
  EXPECT_EQ(route("POST", "/applications/app-1/api-keys/PRODUCTION/generate").status, 404);
}

TEST_F(SigningKeyRoutesTest, GeneratesAKeyForTheApplicationsSubscriptions) {
  const AdminResponse response = route("POST", "/applications/app-1/api-keys/PRODUCTION/generate",
                                       R"({"validityPeriod": 3600})");
  const tokens::ApiKeyClaims claims = verified(response);
  EXPECT_EQ(claims.application_id, "app-1");
  EXPECT_EQ(claims.subject, "alice");
  EXPECT_EQ(claims.key_type, identity::KeyType::production);
  EXPECT_TRUE(claims.subscribed_to("Shop:1.0"));
  EXPECT_NEAR(claims.expires_at, std::time(nullptr) + 3600, 5);
  const json::object body = json::parse(response.body).as_object();
  EXPECT_EQ(body.at("keyName").as_string(), "ShopApp_PRODUCTION");
  EXPECT_EQ(body.at("validityTime").as_int64(), 3600);
}

TEST_F(SigningKeyRoutesTest, AnEmptyBodyTakesTheDefaults) {
  const AdminResponse response = route("POST", "/applications/app-1/api-keys/SANDBOX/generate");
  EXPECT_EQ(verified(response).key_type, identity::KeyType::sandbox);
  EXPECT_EQ(json::parse(response.body).at("validityTime").as_int64(), 365 * 24 * 3600);
}

TEST_F(SigningKeyRoutesTest, RestrictionsAreWrittenIntoTheKey) {
  const tokens::ApiKeyClaims claims =
      verified(route("POST", "/applications/app-1/api-keys/PRODUCTION/generate",
                     R"({"validityPeriod": -1, "additionalProperties":
          {"permittedIP": "10.0.0.0/8, 192.0.2.1", "permittedReferer": "*.example.com/*"}})"));
  EXPECT_TRUE(claims.allows_ip("10.1.2.3"));
  EXPECT_TRUE(claims.allows_ip("192.0.2.1"));
  EXPECT_FALSE(claims.allows_ip("192.0.2.2"));
  EXPECT_TRUE(claims.allows_referrer("https://shop.example.com/cart"));
  EXPECT_FALSE(claims.allows_referrer("https://evil.test/"));
}

TEST_F(SigningKeyRoutesTest, RefusalsSayWhatIsWrong) {
  const auto generate = [this](std::string_view target, std::string_view body = {}) {
    return route("POST", target, body);
  };
  const std::string path = "/applications/app-1/api-keys/PRODUCTION/generate";
  EXPECT_EQ(generate("/applications/nobody/api-keys/PRODUCTION/generate").status, 404);
  EXPECT_EQ(generate("/applications/app-1/api-keys/TEST/generate").status, 400);
  EXPECT_EQ(generate(path, "{").status, 400);
  EXPECT_EQ(generate(path, R"({"validityPeriod": 0})").status, 400);
  EXPECT_EQ(generate(path, R"({"validityPeriod": "1h"})").status, 400);
  EXPECT_EQ(generate(path, R"({"scopes": []})").status, 400);
  const AdminResponse bad_ip =
      generate(path, R"({"additionalProperties": {"permittedIP": "not-an-ip"}})");
  EXPECT_EQ(bad_ip.status, 400);
  EXPECT_NE(bad_ip.body.find("permitted IP"), std::string::npos) << bad_ip.body;

  const AdminResponse get = route("GET", path);
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(get.allow, "POST");
  EXPECT_EQ(route("POST", "/applications/app-1/api-keys/PRODUCTION").status, 404);
  EXPECT_EQ(route("POST", "/applications//api-keys/PRODUCTION/generate").status, 404);
}

}  // namespace
}  // namespace gatehouse::admin
