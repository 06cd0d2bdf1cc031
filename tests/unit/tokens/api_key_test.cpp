// API keys: ours verified by PyJWT with the published JWKS, PyJWT's (in WSO2's layout) accepted
// by ours, and every forgery refused with its reason.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "independent_jwt.h"
#include "security/jose/base64url.h"
#include "security/tokens/api_key_issuer.h"
#include "security/tokens/api_key_verifier.h"

namespace gatehouse::tokens::api_key_test {
namespace {

namespace json = boost::json;
using ::testing::ElementsAre;
using testing::Workspace;

constexpr int64_t t0 = 1'700'000'000;

const identity::Application shop_app{.id = "app-1",
                                     .name = "Shop",
                                     .owner = "alice",
                                     .tier = "Gold",
                                     .keys = {},
                                     .restrictions = {}};

const std::vector<ApiKeySubscription> shop_subscriptions{
    {"PizzaShack:1.0.0", "Gold", "/pizzashack/1.0.0", ""},
    {"Orders:2.1", "Unlimited", "", "bob"},
};

// The payload of an API key as WSO2 API Manager 4.x issues it (application.id a number).
json::object wso2_claims(int64_t exp) {
  return json::object{
      {"sub", "admin@carbon.super"},
      {"application",
       {{"owner", "admin"},
        {"tier", "Unlimited"},
        {"name", "DefaultApplication"},
        {"id", 1},
        {"uuid", "0b1a6c4e-5b7d-4c55-9f6d-8b2a4f8c1d2e"}}},
      {"iss", "https://localhost:9443/oauth2/token"},
      {"tierInfo", {{"Gold", {{"tierQuotaType", "requestCount"}, {"stopOnQuotaReach", true}}}}},
      {"keytype", "SANDBOX"},
      {"permittedReferer", "www.example.com/*, *.shop.example/*"},
      {"subscribedAPIs", json::array{{{"subscriberTenantDomain", "carbon.super"},
                                      {"name", "PizzaShackAPI"},
                                      {"context", "/pizzashack/1.0.0"},
                                      {"publisher", "admin"},
                                      {"version", "1.0.0"},
                                      {"subscriptionTier", "Gold"}}}},
      {"token_type", "apiKey"},
      {"permittedIP", "10.0.0.0/8,192.0.2.7"},
      {"iat", t0},
      {"exp", exp},
      {"jti", "6f3c1a1e-0000-4000-8000-000000000001"},
  };
}

class ApiKeyTest : public ::testing::Test {
 protected:
  static GatewayKey load(const std::string& name) {
    auto key = GatewayKey::load(Workspace::get().key(name));
    EXPECT_TRUE(key);
    return *key;
  }

  GatewayKey key_ = load("rsa.key.pem");
  ApiKeyIssuer issuer_{key_};
  ApiKeyVerifier verifier_{key_};
};

TEST_F(ApiKeyTest, IndependentVerifierAcceptsOurKeyWithWso2Layout) {
  ApiKeyOptions options{.key_type = identity::KeyType::sandbox,
                        .validity = std::chrono::days(30),
                        .permitted_ips = {"10.0.0.0/8", "2001:db8::/32"},
                        .permitted_referrers = {"*.example.com/*"}};
  // PyJWT checks exp against its own clock: issue "now".
  const int64_t now = std::time(nullptr);
  const auto token = issuer_.issue(shop_app, shop_subscriptions, options, now);
  ASSERT_TRUE(token) << token.error();

  const auto decoded = testing::pyjwt_verify(*token, key_.jwks_json());
  ASSERT_TRUE(decoded) << "PyJWT refused our API key";
  EXPECT_EQ(decoded->at("header").as_object(),
            (json::object{{"alg", "RS256"}, {"typ", "apikey+jwt"}, {"kid", key_.kid()}}));
  json::object claims = decoded->at("claims").as_object();
  EXPECT_EQ(claims.at("iss").as_string(), default_api_key_issuer);
  EXPECT_EQ(claims.at("aud").as_string(), api_key_audience);
  EXPECT_EQ(claims.at("sub"), "alice");
  EXPECT_EQ(claims.at("iat").as_int64(), now);
  EXPECT_EQ(claims.at("exp").as_int64(), now + 30 * 86400);
  EXPECT_EQ(claims.at("jti").as_string().size(), 36u);
  EXPECT_EQ(claims.at("keytype"), "SANDBOX");
  EXPECT_EQ(claims.at("token_type"), "apiKey");
  EXPECT_EQ(claims.at("application").as_object(), (json::object{{"id", "app-1"},
                                                                {"uuid", "app-1"},
                                                                {"name", "Shop"},
                                                                {"tier", "Gold"},
                                                                {"owner", "alice"}}));
  EXPECT_EQ(claims.at("subscribedAPIs"), (json::array{{{"name", "PizzaShack"},
                                                       {"version", "1.0.0"},
                                                       {"context", "/pizzashack/1.0.0"},
                                                       {"publisher", ""},
                                                       {"subscriptionTier", "Gold"}},
                                                      {{"name", "Orders"},
                                                       {"version", "2.1"},
                                                       {"context", ""},
                                                       {"publisher", "bob"},
                                                       {"subscriptionTier", "Unlimited"}}}));
  EXPECT_EQ(claims.at("tierInfo"),
            (json::object{{"Gold", json::object{}}, {"Unlimited", json::object{}}}));
  EXPECT_EQ(claims.at("permittedIP"), "10.0.0.0/8,2001:db8::/32");
  EXPECT_EQ(claims.at("permittedReferer"), "*.example.com/*");
}

TEST_F(ApiKeyTest, OurVerifierReadsOurKey) {
  ApiKeyOptions options{.permitted_ips = {"10.0.0.0/8"}};
  const auto token = issuer_.issue(shop_app, shop_subscriptions, options, t0);
  ASSERT_TRUE(token);
  const auto claims = verifier_.verify(*token, t0 + 10);
  ASSERT_TRUE(claims) << jose::to_string(claims.error());
  EXPECT_EQ(claims->application_id, "app-1");
  EXPECT_EQ(claims->key_type, identity::KeyType::production);
  EXPECT_EQ(claims->subject, "alice");
  EXPECT_EQ(claims->expires_at, t0 + 365 * 86400);
  EXPECT_THAT(claims->subscribed_apis, ElementsAre("PizzaShack:1.0.0", "Orders:2.1"));
  EXPECT_TRUE(claims->subscribed_to("Orders:2.1"));
  EXPECT_FALSE(claims->subscribed_to("Orders:2.0"));
  EXPECT_TRUE(claims->allows_ip("10.1.2.3"));
  EXPECT_FALSE(claims->allows_ip("192.0.2.1"));
  EXPECT_TRUE(claims->allows_referrer("https://anything.example/"));  // none given
  EXPECT_EQ(claims->claims->at("jti").as_string(), claims->jti);
}

TEST_F(ApiKeyTest, AcceptsWso2KeysSignedWithTheGatewayKey) {
  const std::string token = testing::pyjwt_sign(Workspace::get().key("rsa.key.pem"), "RS256",
                                                "gateway_certificate_alias", wso2_claims(t0 + 60));
  const auto claims = verifier_.verify(token, t0);
  ASSERT_TRUE(claims) << jose::to_string(claims.error());
  EXPECT_EQ(claims->application_id, "0b1a6c4e-5b7d-4c55-9f6d-8b2a4f8c1d2e");
  EXPECT_EQ(claims->key_type, identity::KeyType::sandbox);
  EXPECT_EQ(claims->subject, "admin@carbon.super");
  EXPECT_EQ(claims->jti, "6f3c1a1e-0000-4000-8000-000000000001");
  EXPECT_EQ(claims->expires_at, t0 + 60);
  EXPECT_THAT(claims->subscribed_apis, ElementsAre("PizzaShackAPI:1.0.0"));
  EXPECT_TRUE(claims->allows_ip("192.0.2.7"));
  EXPECT_TRUE(claims->allows_ip("10.9.9.9"));
  EXPECT_FALSE(claims->allows_ip("192.0.2.8"));
  EXPECT_TRUE(claims->allows_referrer("https://www.example.com/page"));
  EXPECT_TRUE(claims->allows_referrer("https://a.shop.example/x"));
  EXPECT_FALSE(claims->allows_referrer("https://evil.example/"));
}

TEST_F(ApiKeyTest, RefusesExpiredTamperedAndForeignKeys) {
  const json::object claims = wso2_claims(t0 + 60);
  const std::string good =
      testing::pyjwt_sign(Workspace::get().key("rsa.key.pem"), "RS256", key_.kid(), claims);
  ASSERT_TRUE(verifier_.verify(good, t0 + 59));
  EXPECT_EQ(verifier_.verify(good, t0 + 60).error(), jose::Error::expired);

  // Another payload under the original signature: SANDBOX made PRODUCTION.
  json::object altered = claims;
  altered["keytype"] = "PRODUCTION";
  const size_t dot = good.find('.');
  const std::string tampered = good.substr(0, dot + 1) +
                               jose::base64url_encode(json::serialize(altered)) +
                               good.substr(good.rfind('.'));
  EXPECT_EQ(verifier_.verify(tampered, t0).error(), jose::Error::bad_signature);

  const std::string other_key =
      testing::pyjwt_sign(Workspace::get().key("other_rsa.key.pem"), "RS256", key_.kid(), claims);
  EXPECT_EQ(verifier_.verify(other_key, t0).error(), jose::Error::bad_signature);

  // HS256 keyed with the gateway's public key, which anyone can fetch from /jwks.
  const std::string confused =
      testing::hs256_with_public_key(Workspace::get().key("rsa.key.pem"), key_.kid(), claims);
  EXPECT_EQ(verifier_.verify(confused, t0).error(), jose::Error::key_type_mismatch);

  // The gateway's own key with another alg than its own.
  const std::string pss =
      testing::pyjwt_sign(Workspace::get().key("rsa.key.pem"), "PS256", key_.kid(), claims);
  EXPECT_EQ(verifier_.verify(pss, t0).error(), jose::Error::key_alg_mismatch);
}

TEST_F(ApiKeyTest, RefusesKeysThatAreNotApiKeys) {
  const std::string pem = Workspace::get().key("rsa.key.pem");
  const auto refusal = [&](json::object claims) {
    return verifier_.verify(testing::pyjwt_sign(pem, "RS256", key_.kid(), claims), t0).error();
  };
  json::object claims = wso2_claims(t0 + 60);
  claims.erase("exp");
  EXPECT_EQ(refusal(claims), jose::Error::missing_exp);

  claims = wso2_claims(t0 + 60);
  claims["token_type"] = "Bearer";  // an access token signed by the same key is no API key
  EXPECT_EQ(refusal(claims), jose::Error::bad_claim);

  claims = wso2_claims(t0 + 60);
  claims["keytype"] = "STAGING";
  EXPECT_EQ(refusal(claims), jose::Error::bad_claim);

  claims = wso2_claims(t0 + 60);
  claims["permittedIP"] = "10.0.0.0/33";
  EXPECT_EQ(refusal(claims), jose::Error::bad_claim);

  claims = wso2_claims(t0 + 60);
  claims.erase("application");
  EXPECT_EQ(refusal(claims), jose::Error::malformed);

  claims = wso2_claims(t0 + 60);
  claims["subscribedAPIs"] = json::array{{{"name", "NoVersion"}}};
  EXPECT_EQ(refusal(claims), jose::Error::malformed);
}

TEST_F(ApiKeyTest, EcGatewayKeysIssueEs256KeysThatVerify) {
  const GatewayKey ec_key = load("p256.key.pem");
  const auto token = ApiKeyIssuer(ec_key).issue(shop_app, shop_subscriptions, {}, t0);
  ASSERT_TRUE(token);
  EXPECT_TRUE(ApiKeyVerifier(ec_key).verify(*token, t0));
  // An RS256 key of the gateway's previous RSA key is not accepted by the EC one.
  const auto rsa_token = issuer_.issue(shop_app, shop_subscriptions, {}, t0);
  EXPECT_EQ(ApiKeyVerifier(ec_key).verify(*rsa_token, t0).error(), jose::Error::key_type_mismatch);
}

TEST_F(ApiKeyTest, IssuerRefusesWhatTheVerifierWouldRefuse) {
  const auto issue = [&](ApiKeyOptions options,
                         std::vector<ApiKeySubscription> subscriptions = shop_subscriptions) {
    return issuer_.issue(shop_app, subscriptions, options, t0);
  };
  EXPECT_FALSE(issue({.validity = std::chrono::seconds(0)}));
  EXPECT_FALSE(issue({.validity = max_api_key_validity + std::chrono::seconds(1)}));
  EXPECT_FALSE(issue({.permitted_ips = {"10.0.0.1,10.0.0.2"}}));
  const auto bad_ip = issue({.permitted_ips = {"not-an-ip"}});
  ASSERT_FALSE(bad_ip);
  EXPECT_NE(bad_ip.error().find("not-an-ip"), std::string::npos) << bad_ip.error();
  EXPECT_FALSE(issue({.permitted_referrers = {"has space"}}));
  EXPECT_FALSE(issue({}, {{"NoVersion", "Gold", "", ""}}));
}

}  // namespace
}  // namespace gatehouse::tokens::api_key_test
