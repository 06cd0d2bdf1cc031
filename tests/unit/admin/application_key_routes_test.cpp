// /applications/{id}/keys on the admin listener, with a real key manager on a SQLite store and a
// real application directory: a key made answers its secret once and joins its application on
// every worker (install), a refused request makes nothing and reaches nobody, and a key the config
// file declares is changed only there.
#include "admin/application_key_routes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <boost/json/parse.hpp>

#include <stdexcept>

#include "key_manager_context.h"
#include "keymanager/server/application_keys.h"
#include "keymanager/server/client_secret.h"
#include "keymanager/server/server_context.h"
#include "keymanager/store/sqlite_grant_store.h"
#include "keymanager/store/store_thread.h"
#include "observability/metrics.h"
#include "security/auth/application_directory.h"
#include "security/tokens/gateway_key.h"

namespace gatehouse::admin::application_key_routes_test {
namespace {

namespace json = boost::json;
using identity::KeyType;
using test_support_km::object_of;
using test_support_km::text_of;
using ::testing::HasSubstr;

constexpr std::string_view kGenerateProduction = "/applications/app-1/keys/PRODUCTION/generate";

// The applications the gateway has: "app-1", whose SANDBOX key the config file declares, and
// "app 2".
config::SecurityConfig keyed_applications() {
  config::SecurityConfig security;
  config::ApplicationConfig first;
  first.record = {.id = "app-1", .name = "Shop", .owner = "", .tier = "Unlimited"};
  first.record.keys = {{"resident", "declared-key", KeyType::sandbox}};
  security.applications.push_back(first);
  config::ApplicationConfig second;
  second.record = {.id = "app 2", .name = "Cart", .owner = "", .tier = "Unlimited"};
  security.applications.push_back(second);
  return security;
}

tokens::GatewayKey p256_gateway_key() {
  EVP_PKEY* pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  auto key = jose::Key::adopt(pkey, /*is_private=*/true);
  if (!key) throw std::runtime_error("no P-256 key");
  auto gateway_key = tokens::GatewayKey::from_private_key(std::move(*key));
  if (!gateway_key) throw std::runtime_error("no gateway key");
  return std::move(*gateway_key);
}

class ApplicationKeyRoutesTest : public ::testing::Test {
 protected:
  ApplicationKeyRoutesTest() {
    keys_ = std::make_unique<keymanager::ApplicationKeys>(*context_);
    if (!directory_.prepare(keyed_applications())) throw std::runtime_error("bad applications");
    directory_.commit();
  }

  AdminResponse route(std::string_view method, std::string_view target,
                      std::string_view body = {}) {
    AdminServices services{metrics_, [] { return true; }};
    services.installed = installed_;
    services.application_keys = {
        keys_.get(),
        {&directory_, [this](security::SubscriptionsPtr store) { installs_.push_back(store); }}};
    return route_admin_request({method, target, body}, services);
  }

  // The application the gateway's current store admits the resident key manager's key for.
  std::string owner_in_directory(std::string_view consumer_key) const {
    const auto owner = directory_.current()->find_key("resident", consumer_key);
    return owner ? std::string(owner->application->id) : std::string();
  }

  // The 200 answer of a generate, as an object, or a failure.
  json::object generated_key(std::string_view target, std::string_view body = {}) {
    const AdminResponse response = route("POST", target, body);
    if (response.status != 200) throw std::runtime_error("refused: " + response.body);
    return object_of(response);
  }

  // The key manager, with the config file's client declared-key: app-1's SANDBOX key.
  static keymanager::Settings declared_key_settings() {
    keymanager::Settings settings{.issuer = "https://km.example"};
    settings.clients = {keymanager::Client{.client_id = "declared-key",
                                           .secret_hash = keymanager::hash_client_secret("s"),
                                           .grant_types = {"client_credentials"},
                                           .application_id = "app-1",
                                           .key_type = KeyType::sandbox}};
    return settings;
  }

  test_support_km::KeyManagerContext key_manager_{declared_key_settings()};
  keymanager::StoreThread* store_ = key_manager_.store();
  keymanager::ServerContext* context_ = key_manager_.context();
  std::unique_ptr<keymanager::ApplicationKeys> keys_;
  security::ApplicationDirectory directory_;
  observability::Metrics metrics_{1, "test"};
  std::function<InstalledState()> installed_;
  std::vector<security::SubscriptionsPtr> installs_;
};

TEST_F(ApplicationKeyRoutesTest, GenerateAnswersTheKeyAndItsSecretAndAddsItToTheApplication) {
  const AdminResponse response = route("POST", kGenerateProduction, R"({
      "grantTypesToBeSupported": ["client_credentials", "refresh_token"],
      "scopes": ["orders:read"], "validityTime": 600, "refreshTokenValidityTime": 7200,
      "tokenType": "OPAQUE"})");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.content_type, "application/json");
  const json::object key = object_of(response);
  const std::string consumer_key = text_of(key, "consumerKey");
  const std::string secret = text_of(key, "consumerSecret");
  EXPECT_EQ(consumer_key.size(), 24u);
  EXPECT_FALSE(secret.empty());
  EXPECT_EQ(text_of(key, "keyManager"), "resident");
  EXPECT_EQ(text_of(key, "keyType"), "PRODUCTION");
  EXPECT_EQ(key.at("supportedGrantTypes"),
            json::parse(R"(["client_credentials","refresh_token"])"));
  EXPECT_EQ(key.at("scopes"), json::parse(R"(["orders:read"])"));
  EXPECT_EQ(key.at("callbackUrls"), json::array());
  EXPECT_EQ(text_of(key, "tokenType"), "OPAQUE");
  EXPECT_EQ(key.at("validityTime").as_int64(), 600);
  EXPECT_EQ(key.at("refreshTokenValidityTime").as_int64(), 7200);

  // The secret shown is the one the key manager checks.
  const keymanager::ClientPtr client = context_->clients()->find(consumer_key);
  ASSERT_NE(client, nullptr);
  EXPECT_TRUE(keymanager::client_secret_matches(secret, client->secret_hash));
  // The application has the key on every worker.
  EXPECT_EQ(owner_in_directory(consumer_key), "app-1");
  ASSERT_EQ(installs_.size(), 1u);
  EXPECT_EQ(installs_[0], directory_.current());
}

TEST_F(ApplicationKeyRoutesTest, AnEmptyBodyMakesAClientCredentialsKeyOfJwtTokens) {
  const json::object key = generated_key("/applications/app%202/keys/SANDBOX/generate");
  EXPECT_EQ(text_of(key, "keyType"), "SANDBOX");
  EXPECT_EQ(key.at("supportedGrantTypes"), json::parse(R"(["client_credentials"])"));
  EXPECT_EQ(text_of(key, "tokenType"), "JWT");
  EXPECT_EQ(key.at("validityTime").as_int64(), 3600);
  EXPECT_EQ(key.at("refreshTokenValidityTime").as_int64(), 86400);
  EXPECT_EQ(owner_in_directory(text_of(key, "consumerKey")), "app 2");
}

TEST_F(ApplicationKeyRoutesTest, ACallbackUrlIsKeptForTheGrantsThatRedirect) {
  const json::object key = generated_key(kGenerateProduction, R"({
      "grantTypesToBeSupported": ["authorization_code"],
      "callbackUrl": "https://app.example/cb", "callbackUrls": ["http://localhost:7000/cb"]})");
  EXPECT_EQ(key.at("callbackUrls"),
            json::parse(R"(["https://app.example/cb","http://localhost:7000/cb"])"));
}

TEST_F(ApplicationKeyRoutesTest, ASecondGenerateOfOneTypeIsAConflictAndInstallsNothing) {
  const json::object first = generated_key(kGenerateProduction);
  const AdminResponse second = route("POST", kGenerateProduction);
  EXPECT_EQ(second.status, 409) << second.body;
  EXPECT_THAT(text_of(object_of(second), "description"), HasSubstr("exists already"));
  EXPECT_EQ(installs_.size(), 1u);
  ASSERT_EQ(keys_->registered().size(), 1u);
  EXPECT_EQ(keys_->registered()[0]->client_id, text_of(first, "consumerKey"));
}

TEST_F(ApplicationKeyRoutesTest, AnApplicationTheGatewayDoesNotHaveIsNotFound) {
  const AdminResponse generate = route("POST", "/applications/app-9/keys/PRODUCTION/generate");
  EXPECT_EQ(generate.status, 404);
  EXPECT_THAT(text_of(object_of(generate), "description"), HasSubstr("'app-9'"));
  EXPECT_EQ(route("GET", "/applications/app-9/keys").status, 404);
  EXPECT_EQ(route("GET", "/applications/app-9/keys/PRODUCTION").status, 404);
  EXPECT_EQ(route("POST", "/applications/app-9/keys/PRODUCTION/regenerate-secret").status, 404);
  EXPECT_EQ(route("DELETE", "/applications/app-9/keys/PRODUCTION").status, 404);
  EXPECT_TRUE(keys_->registered().empty());
  EXPECT_TRUE(installs_.empty());
}

TEST_F(ApplicationKeyRoutesTest, AMalformedRequestIsABadRequestThatMakesNothing) {
  const auto refused = [&](std::string_view target, std::string_view body) {
    const AdminResponse response = route("POST", target, body);
    EXPECT_EQ(response.status, 400) << target << " " << body << ": " << response.body;
    return text_of(object_of(response), "description");
  };
  EXPECT_THAT(refused("/applications/app-1/keys/TEST/generate", ""), HasSubstr("'TEST'"));
  EXPECT_THAT(refused("/applications/app-1/keys/production/generate", ""), HasSubstr("PRODUCTION"));
  EXPECT_THAT(refused(kGenerateProduction, R"({"keyType":"PRODUCTION"})"),
              HasSubstr("unknown member 'keyType'"));
  EXPECT_THAT(refused(kGenerateProduction, R"({"grantTypesToBeSupported":"client_credentials"})"),
              HasSubstr("array of strings"));
  EXPECT_THAT(refused(kGenerateProduction, R"({"scopes":["read",1]})"),
              HasSubstr("array of strings"));
  EXPECT_THAT(refused(kGenerateProduction, R"({"callbackUrl":"http://app.example/cb"})"),
              HasSubstr("must use https"));
  EXPECT_THAT(refused(kGenerateProduction, R"({"callbackUrls":["https://app.example/cb#x"]})"),
              HasSubstr("fragment"));
  EXPECT_THAT(refused(kGenerateProduction, R"({"tokenType":"SAML"})"), HasSubstr("\"OPAQUE\""));
  EXPECT_THAT(refused(kGenerateProduction, R"({"tokenType":"jwt"})"), HasSubstr("\"JWT\""));
  EXPECT_THAT(refused(kGenerateProduction, R"({"validityTime":"600"})"),
              HasSubstr("number of seconds"));
  EXPECT_THAT(refused(kGenerateProduction, R"({"validityTime":0})"), HasSubstr("between 1"));
  EXPECT_THAT(refused(kGenerateProduction, R"({"grantTypesToBeSupported":["magic"]})"),
              HasSubstr("'magic'"));
  EXPECT_THAT(refused(kGenerateProduction, R"({"grantTypesToBeSupported":["authorization_code"]})"),
              HasSubstr("callback URL"));
  EXPECT_THAT(refused(kGenerateProduction, "not json"), HasSubstr("one JSON object"));
  EXPECT_THAT(refused(kGenerateProduction, R"({"scopes":[],"scopes":[]})"),
              HasSubstr("each member once"));
  EXPECT_TRUE(keys_->registered().empty());
  EXPECT_TRUE(installs_.empty());
}

TEST_F(ApplicationKeyRoutesTest, TheListAndOneKeyShowNoSecret) {
  const json::object production = generated_key(kGenerateProduction);
  const AdminResponse list = route("GET", "/applications/app-1/keys");
  ASSERT_EQ(list.status, 200) << list.body;
  const json::object body = object_of(list);
  EXPECT_EQ(body.at("count").as_int64(), 2);
  const json::array& keys = body.at("list").as_array();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(text_of(keys[0].as_object(), "consumerKey"), text_of(production, "consumerKey"));
  EXPECT_EQ(text_of(keys[0].as_object(), "keyType"), "PRODUCTION");
  EXPECT_EQ(text_of(keys[1].as_object(), "consumerKey"), "declared-key");
  EXPECT_EQ(text_of(keys[1].as_object(), "keyType"), "SANDBOX");
  for (const json::value& key : keys) EXPECT_FALSE(key.as_object().contains("consumerSecret"));
  EXPECT_EQ(list.body.find(text_of(production, "consumerSecret")), std::string::npos);

  const AdminResponse one = route("GET", "/applications/app-1/keys/PRODUCTION");
  ASSERT_EQ(one.status, 200) << one.body;
  const json::object shown = object_of(one);
  EXPECT_EQ(text_of(shown, "consumerKey"), text_of(production, "consumerKey"));
  EXPECT_EQ(shown.at("supportedGrantTypes"), production.at("supportedGrantTypes"));
  EXPECT_FALSE(shown.contains("consumerSecret"));

  const AdminResponse none = route("GET", "/applications/app%202/keys");
  ASSERT_EQ(none.status, 200);
  EXPECT_EQ(object_of(none).at("count").as_int64(), 0);
  EXPECT_EQ(route("GET", "/applications/app%202/keys/PRODUCTION").status, 404);
}

TEST_F(ApplicationKeyRoutesTest, RegenerateSecretAnswersANewSecretAndTheOldOneFails) {
  const json::object key = generated_key(kGenerateProduction);
  const std::string old_secret = text_of(key, "consumerSecret");
  const AdminResponse response =
      route("POST", "/applications/app-1/keys/PRODUCTION/regenerate-secret");
  ASSERT_EQ(response.status, 200) << response.body;
  const json::object renewed = object_of(response);
  EXPECT_EQ(text_of(renewed, "consumerKey"), text_of(key, "consumerKey"));
  const std::string new_secret = text_of(renewed, "consumerSecret");
  EXPECT_FALSE(new_secret.empty());
  EXPECT_NE(new_secret, old_secret);
  const keymanager::ClientPtr client = context_->clients()->find(text_of(key, "consumerKey"));
  ASSERT_NE(client, nullptr);
  EXPECT_TRUE(keymanager::client_secret_matches(new_secret, client->secret_hash));
  EXPECT_FALSE(keymanager::client_secret_matches(old_secret, client->secret_hash));
  // The consumer key is the same: the application keeps it.
  EXPECT_EQ(owner_in_directory(text_of(key, "consumerKey")), "app-1");

  EXPECT_EQ(route("POST", "/applications/app%202/keys/PRODUCTION/regenerate-secret").status, 404);
}

TEST_F(ApplicationKeyRoutesTest, APutReplacesTheKeysSettingsAndKeepsItsSecret) {
  const json::object key = generated_key(kGenerateProduction);
  const std::string consumer_key = text_of(key, "consumerKey");
  const AdminResponse response =
      route("PUT", "/applications/app-1/keys/PRODUCTION",
            R"({"grantTypesToBeSupported": ["client_credentials", "password"],
                "scopes": ["read", "write"], "validityTime": 900, "tokenType": "OPAQUE"})");
  ASSERT_EQ(response.status, 200) << response.body;
  const json::object updated = object_of(response);
  EXPECT_EQ(text_of(updated, "consumerKey"), consumer_key);
  EXPECT_FALSE(updated.contains("consumerSecret"));
  EXPECT_EQ(updated.at("supportedGrantTypes"), json::array({"client_credentials", "password"}));
  EXPECT_EQ(updated.at("scopes"), json::array({"read", "write"}));
  EXPECT_EQ(updated.at("validityTime").as_int64(), 900);
  EXPECT_EQ(text_of(updated, "tokenType"), "OPAQUE");
  const keymanager::ClientPtr client = context_->clients()->find(consumer_key);
  ASSERT_NE(client, nullptr);
  EXPECT_TRUE(
      keymanager::client_secret_matches(text_of(key, "consumerSecret"), client->secret_hash));
  EXPECT_EQ(client->scopes, (std::vector<std::string>{"read", "write"}));

  // A bad body changes nothing; a key that does not exist is not found; the file's is the
  // file's to change.
  EXPECT_EQ(route("PUT", "/applications/app-1/keys/PRODUCTION", R"({"validityTime": 0})").status,
            400);
  EXPECT_EQ(context_->clients()->find(consumer_key)->scopes,
            (std::vector<std::string>{"read", "write"}));
  EXPECT_EQ(route("PUT", "/applications/app%202/keys/PRODUCTION", "{}").status, 404);
  EXPECT_EQ(route("PUT", "/applications/app-1/keys/SANDBOX", "{}").status, 409);
}

TEST_F(ApplicationKeyRoutesTest, ADeletedKeyIsGoneFromTheKeyManagerAndTheApplication) {
  const std::string consumer_key = text_of(generated_key(kGenerateProduction), "consumerKey");
  const AdminResponse deleted = route("DELETE", "/applications/app-1/keys/PRODUCTION");
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_TRUE(deleted.body.empty());
  EXPECT_EQ(route("GET", "/applications/app-1/keys/PRODUCTION").status, 404);
  EXPECT_EQ(context_->clients()->find(consumer_key), nullptr);
  EXPECT_EQ(owner_in_directory(consumer_key), "");
  ASSERT_EQ(installs_.size(), 2u);
  EXPECT_EQ(installs_[1], directory_.current());

  EXPECT_EQ(route("DELETE", "/applications/app-1/keys/PRODUCTION").status, 404);
  EXPECT_EQ(installs_.size(), 2u);
  // The type is free again.
  EXPECT_NE(text_of(generated_key(kGenerateProduction), "consumerKey"), consumer_key);
}

TEST_F(ApplicationKeyRoutesTest, AKeyTheConfigFileDeclaresIsAConflictToChange) {
  EXPECT_EQ(route("POST", "/applications/app-1/keys/SANDBOX/generate").status, 409);
  const AdminResponse renewed = route("POST", "/applications/app-1/keys/SANDBOX/regenerate-secret");
  EXPECT_EQ(renewed.status, 409);
  EXPECT_THAT(text_of(object_of(renewed), "description"), HasSubstr("config file"));
  EXPECT_EQ(route("DELETE", "/applications/app-1/keys/SANDBOX").status, 409);
  EXPECT_NE(context_->clients()->find("declared-key"), nullptr);
  EXPECT_EQ(owner_in_directory("declared-key"), "app-1");
  EXPECT_EQ(route("GET", "/applications/app-1/keys/SANDBOX").status, 200);
  EXPECT_TRUE(installs_.empty());
}

TEST_F(ApplicationKeyRoutesTest, AWrongMethodIsNotAllowedAndSaysWhichAre) {
  const AdminResponse list = route("POST", "/applications/app-1/keys");
  EXPECT_EQ(list.status, 405);
  EXPECT_EQ(list.allow, "GET, HEAD");
  const AdminResponse one = route("POST", "/applications/app-1/keys/PRODUCTION", "{}");
  EXPECT_EQ(one.status, 405);
  EXPECT_EQ(one.allow, "GET, HEAD, PUT, DELETE");
  const AdminResponse generate = route("GET", kGenerateProduction);
  EXPECT_EQ(generate.status, 405);
  EXPECT_EQ(generate.allow, "POST");
  const AdminResponse regenerate =
      route("DELETE", "/applications/app-1/keys/PRODUCTION/regenerate-secret");
  EXPECT_EQ(regenerate.status, 405);
  EXPECT_EQ(regenerate.allow, "POST");
  EXPECT_EQ(route("POST", "/applications/app-1/keys/PRODUCTION/rotate").status, 404);
  EXPECT_TRUE(keys_->registered().empty());
}

TEST_F(ApplicationKeyRoutesTest, TheApiKeyPathStillGoesToTheApiKeyRoute) {
  tokens::GatewayKey gateway_key = p256_gateway_key();
  auto config = std::make_shared<config::Config>();
  config->security = keyed_applications();
  installed_ = [&] { return InstalledState{config, &gateway_key}; };
  const AdminResponse response = route("POST", "/applications/app-1/api-keys/PRODUCTION/generate");
  ASSERT_EQ(response.status, 200) << response.body;
  const json::object body = object_of(response);
  EXPECT_FALSE(text_of(body, "apikey").empty());
  EXPECT_FALSE(body.contains("consumerKey"));
  EXPECT_TRUE(keys_->registered().empty());
  EXPECT_TRUE(installs_.empty());
}

TEST_F(ApplicationKeyRoutesTest, WithoutAKeyManagerTheKeysAreNotServed) {
  const AdminResponse response = route_admin_request(
      {"POST", kGenerateProduction, {}},
      AdminServices{metrics_, [] { return true; }, nullptr, {}, {&directory_, {}}});
  EXPECT_EQ(response.status, 404);
  EXPECT_TRUE(keys_->registered().empty());
}

}  // namespace
}  // namespace gatehouse::admin::application_key_routes_test
