// oauth2_server clients of RFC 8705: tls_client_auth with the subject its certificate must have,
// and certificate-bound access tokens; each mistake at its line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "unit/config/printed_errors.h"

namespace gatehouse::config::oauth2_mtls_config_test {
namespace {

using ::testing::ElementsAre;

std::expected<Config, ConfigErrors> load_client(const std::string& client) {
  return load_string(
      "listeners: [{name: http, address: 127.0.0.1:8280}]\n"
      "oauth2_server:\n  issuer: https://gw.example\n  clients:\n    - " +
          client + "\n",
      "conf/gw.yaml");
}

TEST(OAuth2MtlsConfig, ReadsATlsClientAuthClient) {
  auto loaded = load_client(
      "{client_id: partner, token_endpoint_auth_method: tls_client_auth, "
      "tls_client_auth_subject_dn: 'CN=partner,O=Partners Inc', grant_types: "
      "[client_credentials]}");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  const OAuth2ClientConfig& client = loaded->oauth2_server->clients.front();
  EXPECT_EQ(client.tls_client_auth_subject_dn, "CN=partner,O=Partners Inc");
  EXPECT_TRUE(client.secret_hash.empty());
  EXPECT_FALSE(client.public_client);
}

TEST(OAuth2MtlsConfig, ReadsCertificateBoundTokensOfASecretClient) {
  auto loaded = load_client("{client_id: shop, secret_hash: sha256:" + std::string(64, 'a') +
                            ", certificate_bound_access_tokens: true, grant_types: [x]}");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  EXPECT_TRUE(loaded->oauth2_server->clients.front().certificate_bound_access_tokens);
}

TEST(OAuth2MtlsConfig, RefusesTlsClientAuthWithoutASubjectOrWithASecret) {
  EXPECT_THAT(printed_errors(load_client("{client_id: partner, token_endpoint_auth_method: "
                                         "tls_client_auth, grant_types: [x]}")),
              ElementsAre("conf/gw.yaml:5:7: missing key 'tls_client_auth_subject_dn' in "
                          "oauth2_server client"));
  EXPECT_THAT(printed_errors(
                  load_client("{client_id: partner, token_endpoint_auth_method: tls_client_auth, "
                              "tls_client_auth_subject_dn: CN=p, secret_hash: sha256:" +
                              std::string(64, 'a') + ", grant_types: [x]}")),
              ElementsAre("conf/gw.yaml:5:7: client 'partner' authenticates by tls_client_auth: "
                          "it has no 'secret_hash' and is not public"));
}

TEST(OAuth2MtlsConfig, RefusesASubjectForAnotherMethod) {
  EXPECT_THAT(
      printed_errors(load_client("{client_id: shop, secret_hash: sha256:" + std::string(64, 'a') +
                                 ", tls_client_auth_subject_dn: CN=shop, grant_types: [x]}")),
      ElementsAre("conf/gw.yaml:5:111: 'tls_client_auth_subject_dn' is for "
                  "'token_endpoint_auth_method: tls_client_auth'"));
}

}  // namespace
}  // namespace gatehouse::config::oauth2_mtls_config_test
