// The security sections as a user writes them: key managers, applications, subscriptions, users,
// roles, and each API's schemes; what is read, and each mistake at its line and column.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "unit/config/printed_errors.h"

namespace gatehouse::config::security_config_test {
namespace {

using ::testing::ElementsAre;

constexpr std::string_view base = R"(listeners: [{name: http, address: 127.0.0.1:8280}]
apis:
  - name: Shop
    version: "1.0"
    context: /shop
    endpoints: {production: [http://127.0.0.1:9000], sandbox: [http://127.0.0.1:9001]}
    resources:
      - {method: GET, path: /items, scopes: [read]}
      - {method: GET, path: /health, auth: none}
)";

std::expected<Config, ConfigErrors> load(std::string_view extra) {
  return load_string(std::string(base) + std::string(extra), "gw.yaml");
}

std::vector<std::string> errors_of(std::string_view extra) {
  return printed_errors(load(extra));
}

TEST(SecurityConfig, ReadsEverySection) {
  auto loaded = load(R"(    security:
      schemes: [oauth2, basic_auth]
      key_managers: [idp]
key_managers:
  - name: idp
    issuer: https://idp.example.com
    jwks_uri: https://idp.example.com/jwks
    client_id_claim: azp
    scope_claim: scp
    audiences: [shop]
    leeway: 5s
    introspection: {url: https://idp.example.com/introspect, client_id: gw, client_secret: s}
applications:
  - id: app-1
    owner: alice
    tier: 50PerMin
    keys: [{key_manager: idp, consumer_key: ck-1, type: sandbox}]
    allowed_ips: [10.0.0.0/8]
subscriptions:
  - {application: app-1, api: "Shop:1.0", state: PROD_ONLY_BLOCKED, tier: Gold}
users:
  - {name: bob, password_hash: "$2b$10$abcdefghijklmnopqrstuu5f7hUaQ4Aul3yY3eShW7cDLZ9Nz1Qbq", roles: [reader]}
roles:
  reader: [read]
token_cache: {entries: 500, max_ttl: 1m}
)");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  const Config& config = *loaded;
  const ApiConfig& api = config.apis.at(0);
  ASSERT_TRUE(api.security);
  EXPECT_THAT(api.security->schemes, ElementsAre(Scheme::oauth2, Scheme::basic_auth));
  EXPECT_TRUE(api.security->application_mandatory);
  EXPECT_FALSE(api.security->mutual_tls_mandatory);
  EXPECT_THAT(api.resources.at(0).scopes, ElementsAre("read"));
  EXPECT_TRUE(api.resources.at(0).auth);
  EXPECT_FALSE(api.resources.at(1).auth);

  const KeyManagerConfig& idp = config.security.key_managers.at(0);
  EXPECT_EQ(idp.client_id_claim, "azp");
  EXPECT_EQ(idp.scope_claim, "scp");
  EXPECT_EQ(idp.leeway, std::chrono::seconds(5));
  ASSERT_TRUE(idp.introspection);
  EXPECT_EQ(idp.introspection->client_id, "gw");

  const ApplicationConfig& app = config.security.applications.at(0);
  EXPECT_EQ(app.record.name, "app-1");  // defaults to the id
  EXPECT_EQ(app.record.tier, "50PerMin");
  EXPECT_EQ(app.record.keys.at(0).type, identity::KeyType::sandbox);
  EXPECT_THAT(app.record.restrictions.allowed_ips, ElementsAre("10.0.0.0/8"));
  EXPECT_EQ(config.security.subscriptions.at(0).record.state,
            identity::SubscriptionState::prod_only_blocked);
  EXPECT_EQ(config.security.users.at(0).record.roles, std::vector<std::string>{"reader"});
  EXPECT_EQ(config.security.role_scopes.at(0).second, std::vector<std::string>{"read"});
  EXPECT_EQ(config.security.token_cache.entries, 500u);
}

TEST(SecurityConfig, MutualTlsAloneIsMandatory) {
  auto loaded = load(R"(    security:
      schemes: [mutual_tls]
      mutual_tls: {certificates: [client.pem]}
)");
  ASSERT_TRUE(loaded);
  EXPECT_TRUE(loaded->apis.at(0).security->mutual_tls_mandatory);
  EXPECT_FALSE(loaded->apis.at(0).security->application_mandatory);
  EXPECT_EQ(loaded->apis.at(0).security->mutual_tls.header, "X-WSO2-CLIENT-CERTIFICATE");
}

TEST(SecurityConfig, ReferencesMustExist) {
  EXPECT_THAT(errors_of(R"(    security: {schemes: [oauth2], key_managers: [nope]}
applications:
  - {id: a, keys: [{key_manager: ghost, consumer_key: k}]}
subscriptions:
  - {application: b, api: "Shop:2.0"}
)"),
              ElementsAre("gw.yaml:3:5: API 'Shop:1.0': key manager 'nope' is not defined in "
                          "'key_managers'",
                          "gw.yaml:12:20: key manager 'ghost' is not defined in 'key_managers'",
                          "gw.yaml:14:5: application 'b' is not defined in 'applications'",
                          "gw.yaml:14:5: API 'Shop:2.0' is not defined in 'apis' (write it as "
                          "Name:Version)"));
}

TEST(SecurityConfig, ApiKeysNeedTheGatewayKey) {
  EXPECT_THAT(errors_of("    security: {schemes: [api_key]}\n"),
              ElementsAre("gw.yaml:3:5: API 'Shop:1.0' uses API keys or a backend JWT, which "
                          "need the gateway's 'signing_key'"));
}

TEST(SecurityConfig, WrongValuesAtTheirPlace) {
  EXPECT_THAT(
      errors_of(R"(    security: {schemes: [oauth3], application_security: sometimes}
users:
  - {name: "a:b", password_hash: plain}
subscriptions: [{application: x, api: "Shop:1.0", state: PAUSED}]
key_managers:
  - {name: k}
)"),
      ElementsAre(
          "gw.yaml:10:26: 'schemes' must be one of oauth2, api_key, basic_auth, mutual_tls, got "
          "'oauth3'",
          "gw.yaml:10:57: 'application_security' must be one of mandatory, optional, got "
          "'sometimes'",
          "gw.yaml:12:5: user name 'a:b' must not contain ':' (Basic Auth splits there)",
          "gw.yaml:12:34: 'password_hash' must be an Argon2id ($argon2id$...) or bcrypt "
          "($2b$...) hash; make one with `gatehouse hash-password`, got 'plain'",
          "gw.yaml:13:17: application 'x' is not defined in 'applications'",
          "gw.yaml:13:58: 'state' must be one of UNBLOCKED, BLOCKED, PROD_ONLY_BLOCKED, ON_HOLD, "
          "REJECTED, got 'PAUSED'",
          "gw.yaml:15:5: key manager 'k' needs 'issuer' (or 'discovery', which names the issuer)",
          "gw.yaml:15:5: key manager 'k' cannot validate anything: give 'discovery', "
          "'jwks_uri', 'jwks_file', 'hmac_secret' or 'introspection'"));
}

TEST(SecurityConfig, ShortHmacSecretAtItsValue) {
  EXPECT_THAT(errors_of(R"(key_managers:
  - {name: k, issuer: "https://idp", hmac_secret: "only-31-bytes-long-secret-here!"}
)"),
              ElementsAre("gw.yaml:11:51: 'hmac_secret' must be at least 32 bytes"));
}

}  // namespace
}  // namespace gatehouse::config::security_config_test
