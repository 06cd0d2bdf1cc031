// The backend JWT, checked by PyJWT with the published JWKS; the per-worker cache.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "independent_jwt.h"
#include "security/identity/subscription_store.h"
#include "security/tokens/api_key_issuer.h"
#include "security/tokens/backend_jwt_builder.h"
#include "security/tokens/backend_jwt_cache.h"

namespace gatehouse::tokens::backend_jwt_test {
namespace {

namespace json = boost::json;
using testing::Workspace;

constexpr int64_t t0 = 1'700'000'000;

class BackendJwtTest : public ::testing::Test {
 protected:
  BackendJwtTest() {
    auto store = identity::SubscriptionStore::build(
        {{.id = "app-1",
          .name = "Shop",
          .owner = "alice",
          .tier = "Gold",
          .keys = {},
          .restrictions = {}}},
        {{.application_id = "app-1", .api = "PizzaShack:1.0.0", .tier = "Silver"}});
    EXPECT_TRUE(store);
    store_ = std::move(*store);
    auto key = GatewayKey::load(Workspace::get().key("rsa.key.pem"));
    EXPECT_TRUE(key);
    key_ = std::move(*key);
    builder_.emplace(*key_);

    caller_.subject = "bob@example.com";
    caller_.application = store_->find_application("app-1");
    caller_.key_type = identity::KeyType::sandbox;
    caller_.claims = &claims_;
  }

  ApiCall pizza_call() const {
    const identity::StoredApplication& app = *caller_.application;
    return {.name = "PizzaShack",
            .version = "1.0.0",
            .context = "/pizzashack/1.0.0",
            .subscription_tier = "Silver",
            .application_tier = store_->tier_name(app.tier)};
  }

  std::optional<identity::SubscriptionStore> store_;
  std::optional<GatewayKey> key_;
  std::optional<BackendJwtBuilder> builder_;
  json::object claims_{
      {"email", "bob@example.com"}, {"groups", json::array{"a", "b"}}, {"iss", "https://idp"}};
  Caller caller_;
  config::BackendJwtConfig config_{.claims = {"email", "groups", "absent", "iss"}};
};

TEST_F(BackendJwtTest, IndependentVerifierReadsWso2Claims) {
  const int64_t now = std::time(nullptr);
  const auto built = builder_->build(caller_, pizza_call(), config_, now);
  ASSERT_TRUE(built);
  EXPECT_EQ(built->expires_at, now + 900);

  const auto decoded = testing::pyjwt_verify(built->jwt, key_->jwks_json());
  ASSERT_TRUE(decoded) << "PyJWT refused our backend JWT";
  EXPECT_EQ(decoded->at("header").as_object(),
            (json::object{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", key_->kid()}}));
  const std::string w = "http://wso2.org/claims/";
  EXPECT_EQ(decoded->at("claims").as_object(),
            (json::object{{"iss", "wso2.org/products/am"},  // ours, not the copied one
                          {"iat", now},
                          {"exp", now + 900},
                          {"sub", "bob@example.com"},
                          {"email", "bob@example.com"},
                          {"groups", json::array{"a", "b"}},
                          {w + "subscriber", "alice"},
                          {w + "applicationid", "app-1"},
                          {w + "applicationname", "Shop"},
                          {w + "applicationtier", "Gold"},
                          {w + "keytype", "SANDBOX"},
                          {w + "apiname", "PizzaShack"},
                          {w + "apicontext", "/pizzashack/1.0.0"},
                          {w + "version", "1.0.0"},
                          {w + "tier", "Silver"},
                          {w + "enduser", "bob@example.com"}}));
}

// One key signs API keys and backend JWTs: a backend that checks what docs/config.md says must
// never take a caller's API key, nor another API's backend JWT, for a backend JWT of its own.
TEST_F(BackendJwtTest, BackendsTellItFromApiKeysAndOtherApis) {
  const int64_t now = std::time(nullptr);
  const auto api_key = ApiKeyIssuer(*key_).issue(
      {.id = "app-1",
       .name = "Shop",
       .owner = "alice",
       .tier = "Gold",
       .keys = {},
       .restrictions = {}},
      std::vector<ApiKeySubscription>{{"PizzaShack:1.0.0", "Silver", "/pizzashack/1.0.0", ""}}, {},
      now);
  ASSERT_TRUE(api_key) << api_key.error();
  const auto plain = builder_->build(caller_, pizza_call(), config_, now);
  config::BackendJwtConfig with_audience = config_;
  with_audience.audience = "pizzashack-backend";
  const auto addressed = builder_->build(caller_, pizza_call(), with_audience, now);
  with_audience.audience = "orders-backend";
  const auto for_orders = builder_->build(caller_, pizza_call(), with_audience, now);
  ASSERT_TRUE(plain && addressed && for_orders);
  const std::string& jwks = key_->jwks_json();

  EXPECT_TRUE(testing::backend_accepts(plain->jwt, jwks));
  EXPECT_FALSE(testing::backend_accepts(*api_key, jwks));
  EXPECT_TRUE(testing::backend_accepts(addressed->jwt, jwks, "pizzashack-backend"));
  EXPECT_FALSE(testing::backend_accepts(*api_key, jwks, "pizzashack-backend"));
  EXPECT_FALSE(testing::backend_accepts(for_orders->jwt, jwks, "pizzashack-backend"));
  EXPECT_FALSE(testing::backend_accepts(plain->jwt, jwks, "pizzashack-backend"));
}

TEST_F(BackendJwtTest, NeverOutlivesThePrincipal) {
  const int64_t now = std::time(nullptr);
  caller_.expires_at = now + 120;
  const auto built = builder_->build(caller_, pizza_call(), config_, now);
  ASSERT_TRUE(built);
  EXPECT_EQ(built->expires_at, now + 120);
  const auto decoded = testing::pyjwt_verify(built->jwt, key_->jwks_json());
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->at("claims").at("exp").as_int64(), now + 120);

  caller_.expires_at = now + 5000;  // later than the ttl: the ttl decides
  EXPECT_EQ(builder_->build(caller_, pizza_call(), config_, now)->expires_at, now + 900);
}

TEST_F(BackendJwtTest, BasicAuthCallersHaveNoApplicationClaims) {
  const Caller user{.subject = "carol"};  // Basic Auth: no application, no token claims
  const auto built = builder_->build(
      user, {.name = "PizzaShack", .version = "1.0.0", .context = "/pizzashack/1.0.0"}, config_,
      std::time(nullptr));
  ASSERT_TRUE(built);
  const auto decoded = testing::pyjwt_verify(built->jwt, key_->jwks_json());
  ASSERT_TRUE(decoded);
  const json::object& claims = decoded->at("claims").as_object();
  for (const char* absent :
       {"subscriber", "applicationid", "applicationname", "applicationtier", "keytype", "tier"}) {
    EXPECT_FALSE(claims.contains(std::string("http://wso2.org/claims/") + absent)) << absent;
  }
  EXPECT_EQ(claims.at("http://wso2.org/claims/enduser"), "carol");
  EXPECT_FALSE(claims.contains("email"));
}

BackendJwtCache::Key cache_key(uint8_t credential, uint32_t api) {
  BackendJwtCache::Key key{{}, api, 1};
  key.credential_hash.fill(credential);
  return key;
}

TEST(BackendJwtCache, ReusesUntilThirtySecondsBeforeExpiry) {
  BackendJwtCache cache(8);
  cache.put(cache_key(1, 0), {"jwt-a", t0 + 900}, t0);
  ASSERT_NE(cache.find(cache_key(1, 0), t0), nullptr);
  EXPECT_EQ(*cache.find(cache_key(1, 0), t0 + 869), "jwt-a");
  EXPECT_EQ(cache.find(cache_key(1, 0), t0 + 870), nullptr);  // renew_before reached
  EXPECT_EQ(cache.find(cache_key(1, 1), t0), nullptr);        // another API
  EXPECT_EQ(cache.find(cache_key(2, 0), t0), nullptr);        // another caller

  cache.put(cache_key(1, 0), {"jwt-b", t0 + 1800}, t0 + 870);  // renewed
  EXPECT_EQ(*cache.find(cache_key(1, 0), t0 + 870), "jwt-b");
  EXPECT_EQ(cache.size(), 1u);
}

TEST(BackendJwtCache, ShortLivedJwtsAreNotKept) {
  BackendJwtCache cache(8);
  cache.put(cache_key(1, 0), {"jwt", t0 + 20}, t0);  // the principal expires in 20 s
  EXPECT_EQ(cache.find(cache_key(1, 0), t0), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(BackendJwtCache, StaysWithinCapacityDroppingStaleEntriesFirst) {
  BackendJwtCache cache(3);
  cache.put(cache_key(1, 0), {"old", t0 + 100}, t0);
  cache.put(cache_key(2, 0), {"live-2", t0 + 900}, t0);
  cache.put(cache_key(3, 0), {"live-3", t0 + 900}, t0);
  cache.put(cache_key(4, 0), {"live-4", t0 + 900}, t0 + 80);  // "old" is stale by now
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.find(cache_key(1, 0), t0 + 80), nullptr);
  for (uint8_t live : {2, 3, 4}) EXPECT_NE(cache.find(cache_key(live, 0), t0 + 80), nullptr);

  cache.put(cache_key(5, 0), {"live-5", t0 + 900}, t0 + 80);  // all live: one makes room
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(*cache.find(cache_key(5, 0), t0 + 80), "live-5");
}

}  // namespace
}  // namespace gatehouse::tokens::backend_jwt_test
