// oauth2_server as a user writes it: the defaults, every key, the key manager it adds, and each
// mistake at its line and column.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "unit/config/printed_errors.h"

namespace gatehouse::config::oauth2_server_config_test {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A config without APIs; a test's lines start at line 2.
constexpr std::string_view base = "listeners: [{name: http, address: 127.0.0.1:8280}]\n";

const std::string hash = "sha256:" + std::string(64, 'a');

std::expected<Config, ConfigErrors> load(std::string_view extra) {
  return load_string(std::string(base) + std::string(extra), "conf/gw.yaml");
}

std::vector<std::string> errors_of(std::string_view extra) {
  return printed_errors(load(extra));
}

TEST(OAuth2ServerConfig, AbsentMeansNoKeyManagerIsServed) {
  auto loaded = load("");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  EXPECT_FALSE(loaded->oauth2_server.has_value());
  EXPECT_TRUE(loaded->security.key_managers.empty());
}

TEST(OAuth2ServerConfig, DefaultsAStoreBesideTheConfigAndAnHourAndADay) {
  auto loaded = load("oauth2_server: {issuer: 'https://gw.example'}\n");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  const OAuth2ServerConfig& server = *loaded->oauth2_server;
  EXPECT_EQ(server.issuer, "https://gw.example");
  EXPECT_EQ(server.store, "conf/gatehouse-oauth2.db");
  EXPECT_EQ(server.access_token_lifetime, 1h);
  EXPECT_EQ(server.refresh_token_lifetime, 24h);
  EXPECT_TRUE(server.clients.empty());
  EXPECT_EQ(server.location.line, 2u);
}

TEST(OAuth2ServerConfig, AddsTheResidentKeyManagerForItsIssuer) {
  auto loaded = load("oauth2_server: {issuer: 'http://127.0.0.1:8280'}\n");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  ASSERT_EQ(loaded->security.key_managers.size(), 1u);
  const KeyManagerConfig& resident = loaded->security.key_managers.front();
  EXPECT_EQ(resident.name, resident_key_manager);
  EXPECT_EQ(resident.issuer, "http://127.0.0.1:8280");
  EXPECT_TRUE(resident.resident);
}

TEST(OAuth2ServerConfig, ReadsEveryKeyOfAClient) {
  auto loaded = load(R"(oauth2_server:
  issuer: https://gw.example
  store: /var/lib/gatehouse/km.db
  access_token_lifetime: 10m
  refresh_token_lifetime: 168h
  clients:
    - client_id: shop
      secret_hash: )" +
                     hash + R"(
      grant_types: [client_credentials, refresh_token]
      scopes: [read, write]
      application: app-1
      key_type: sandbox
      access_token_lifetime: 5m
      refresh_token_lifetime: 2h
      access_token_format: opaque
    - {client_id: spa, public: true, grant_types: [refresh_token]}
applications:
  - {id: app-1, keys: [{key_manager: resident, consumer_key: shop, type: sandbox}]}
)");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  const OAuth2ServerConfig& server = *loaded->oauth2_server;
  EXPECT_EQ(server.store, "/var/lib/gatehouse/km.db");
  EXPECT_EQ(server.access_token_lifetime, 10min);
  EXPECT_EQ(server.refresh_token_lifetime, 7 * 24h);
  ASSERT_EQ(server.clients.size(), 2u);
  const OAuth2ClientConfig& shop = server.clients[0];
  EXPECT_EQ(shop.client_id, "shop");
  EXPECT_EQ(shop.secret_hash, hash);
  EXPECT_FALSE(shop.public_client);
  EXPECT_THAT(shop.grant_types, ElementsAre("client_credentials", "refresh_token"));
  EXPECT_THAT(shop.scopes, ElementsAre("read", "write"));
  EXPECT_EQ(shop.application, "app-1");
  EXPECT_EQ(shop.key_type, identity::KeyType::sandbox);
  EXPECT_EQ(shop.access_token_lifetime, 5min);
  EXPECT_EQ(shop.refresh_token_lifetime, 2h);
  EXPECT_EQ(shop.access_token_format, AccessTokenFormat::opaque);
  const OAuth2ClientConfig& spa = server.clients[1];
  EXPECT_TRUE(spa.public_client);
  EXPECT_TRUE(spa.secret_hash.empty());
  EXPECT_FALSE(spa.access_token_lifetime.has_value());
  EXPECT_EQ(spa.access_token_format, AccessTokenFormat::jwt);
}

TEST(OAuth2ServerConfig, RefusesAnAccessTokenFormatOtherThanJwtOrOpaque) {
  EXPECT_THAT(errors_of("oauth2_server:\n"
                        "  issuer: https://gw\n"
                        "  clients:\n"
                        "    - {client_id: spa, public: true, grant_types: [client_credentials],\n"
                        "       access_token_format: reference}\n"),
              ElementsAre("conf/gw.yaml:6:29: 'access_token_format' must be one of jwt, opaque, "
                          "got 'reference'"));
}

TEST(OAuth2ServerConfig, RefusesAMissingOrNonHttpIssuerAndUnknownKeys) {
  EXPECT_THAT(errors_of("oauth2_server: {store: x.db}\n"),
              ElementsAre("conf/gw.yaml:2:16: missing key 'issuer' in oauth2_server"));
  EXPECT_THAT(
      errors_of("oauth2_server: {issuer: 'ftp://gw'}\n"),
      ElementsAre(
          "conf/gw.yaml:2:25: 'issuer' must start with http:// or https://, got 'ftp://gw'"));
  EXPECT_THAT(errors_of("oauth2_server: {issuer: 'https://gw', isuser: 1}\n"),
              ElementsAre("conf/gw.yaml:2:39: unknown key 'isuser' in oauth2_server (did you "
                          "mean 'issuer'?)"));
}

TEST(OAuth2ServerConfig, RefusesALifetimeUnderASecond) {
  EXPECT_THAT(
      errors_of("oauth2_server: {issuer: 'https://gw', access_token_lifetime: 500ms}\n"),
      ElementsAre("conf/gw.yaml:2:62: 'access_token_lifetime' must be at least 1s, got '500ms'"));
}

TEST(OAuth2ServerConfig, ReadsTheDeviceCodeIntervalOfAtLeastASecond) {
  auto defaulted = load("oauth2_server: {issuer: 'https://gw.example'}\n");
  ASSERT_TRUE(defaulted) << defaulted.error().front().to_string();
  EXPECT_EQ(defaulted->oauth2_server->device_code_interval, 5s);
  auto written = load("oauth2_server: {issuer: 'https://gw.example', device_code_interval: 2s}\n");
  ASSERT_TRUE(written) << written.error().front().to_string();
  EXPECT_EQ(written->oauth2_server->device_code_interval, 2s);
  EXPECT_THAT(errors_of("oauth2_server: {issuer: 'https://gw', device_code_interval: 500ms}\n"),
              ElementsAre("conf/gw.yaml:2:61: 'device_code_interval' must be at least 1s, got "
                          "'500ms'"));
}

TEST(OAuth2ServerConfig, ReadsTheSigningKeyRotationAbsentMeaningNever) {
  auto defaulted = load("oauth2_server: {issuer: 'https://gw.example'}\n");
  ASSERT_TRUE(defaulted) << defaulted.error().front().to_string();
  EXPECT_FALSE(defaulted->oauth2_server->signing_key_rotation);
  auto written = load("oauth2_server: {issuer: 'https://gw.example', signing_key_rotation: 30d}\n");
  ASSERT_TRUE(written) << written.error().front().to_string();
  EXPECT_EQ(written->oauth2_server->signing_key_rotation, std::chrono::days(30));
  EXPECT_THAT(errors_of("oauth2_server: {issuer: 'https://gw', signing_key_rotation: 500ms}\n"),
              ElementsAre("conf/gw.yaml:2:61: 'signing_key_rotation' must be at least 1s, got "
                          "'500ms'"));
}

TEST(OAuth2ServerConfig, ReadsTheSigningAlgRs256UnlessEs256IsNamed) {
  auto defaulted = load("oauth2_server: {issuer: 'https://gw.example'}\n");
  ASSERT_TRUE(defaulted) << defaulted.error().front().to_string();
  EXPECT_EQ(defaulted->oauth2_server->signing_alg, config::SigningAlg::rs256);
  auto written = load("oauth2_server: {issuer: 'https://gw.example', signing_alg: ES256}\n");
  ASSERT_TRUE(written) << written.error().front().to_string();
  EXPECT_EQ(written->oauth2_server->signing_alg, config::SigningAlg::es256);
  const auto refused = errors_of("oauth2_server: {issuer: 'https://gw', signing_alg: HS256}\n");
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_THAT(refused[0], HasSubstr("conf/gw.yaml:2:"));
  EXPECT_THAT(refused[0], HasSubstr("HS256"));
  EXPECT_THAT(refused[0], HasSubstr("ES256"));
}

TEST(OAuth2ServerConfig, RefusesClientsWithoutASecretOrWithBothOrTwice) {
  EXPECT_THAT(
      errors_of(R"(oauth2_server:
  issuer: https://gw
  clients:
    - {client_id: a, grant_types: [client_credentials]}
    - {client_id: b, public: true, secret_hash: )" +
                hash + R"(, grant_types: [password]}
    - {client_id: c, secret_hash: sha256:12, grant_types: [password]}
    - {client_id: c, public: true, grant_types: [password]}
    - {client_id: d, public: true, grant_types: [password], application: ghost}
)"),
      ElementsAre(
          "conf/gw.yaml:5:7: client 'a' needs 'secret_hash' or 'public: true'",
          "conf/gw.yaml:6:36: a public client has no 'secret_hash'",
          "conf/gw.yaml:7:35: 'secret_hash' must be \"sha256:\" and 64 lower-case hex digits",
          "conf/gw.yaml:8:7: client 'c' is already defined at line 7",
          "conf/gw.yaml:9:7: application 'ghost' is not defined in 'applications'"));
}

TEST(OAuth2ServerConfig, ReadsRedirectUris) {
  auto loaded = load(R"(oauth2_server:
  issuer: https://gw.example
  clients:
    - client_id: spa
      public: true
      grant_types: [authorization_code]
      redirect_uris: ['https://app.example/cb?tenant=1', 'http://127.0.0.1:5000/cb',
                      'http://localhost/cb', 'http://[::1]:8000/']
)");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  EXPECT_THAT(loaded->oauth2_server->clients.front().redirect_uris,
              ElementsAre("https://app.example/cb?tenant=1", "http://127.0.0.1:5000/cb",
                          "http://localhost/cb", "http://[::1]:8000/"));
}

TEST(OAuth2ServerConfig, RefusesBadRedirectUrisAndACodeClientWithout) {
  EXPECT_THAT(
      errors_of(R"(oauth2_server:
  issuer: https://gw
  clients:
    - {client_id: a, public: true, grant_types: [authorization_code]}
    - client_id: b
      public: true
      grant_types: [authorization_code]
      redirect_uris: ['http://app.example/cb', 'https://app.example/cb#top', '/cb',
                      'https://user:pw@app.example/cb']
    - {client_id: c, public: true, grant_types: [authorization_code], redirect_uris: []}
)"),
      ElementsAre("conf/gw.yaml:5:7: client 'a' needs 'redirect_uris' for the authorization_code "
                  "and implicit grants",
                  "conf/gw.yaml:9:23: 'redirect_uris' must use https (http only on localhost, "
                  "127.0.0.1 or [::1]), got 'http://app.example/cb'",
                  "conf/gw.yaml:9:48: 'redirect_uris' must not have a fragment, got "
                  "'https://app.example/cb#top'",
                  "conf/gw.yaml:9:78: 'redirect_uris' must be an absolute URI like "
                  "https://app.example/callback, got '/cb'",
                  "conf/gw.yaml:10:23: 'redirect_uris' must not contain credentials, got "
                  "'https://user:pw@app.example/cb'",
                  "conf/gw.yaml:11:86: 'redirect_uris' must not be empty, got an empty list"));
}

TEST(OAuth2ServerConfig, RefusesAKeyManagerOfTheResidentName) {
  EXPECT_THAT(
      errors_of("key_managers: [{name: resident, issuer: x, jwks_uri: 'https://idp/jwks'}]\n"
                "oauth2_server: {issuer: 'https://gw'}\n"),
      ElementsAre("conf/gw.yaml:2:16: key manager name 'resident' is taken by 'oauth2_server'"));
}

}  // namespace
}  // namespace gatehouse::config::oauth2_server_config_test
