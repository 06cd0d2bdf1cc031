// oauth2_server clients of RFC 8705: tls_client_auth with the subject or the subject alternative
// name its certificate must have, self_signed_tls_client_auth with its certificates in a JWKS's
// x5c, and certificate-bound access tokens; each mistake at its line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "config/loader.h"
#include "security/jose/public_jwk.h"
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
  ASSERT_TRUE(client.tls_client_auth);
  EXPECT_EQ(client.tls_client_auth->kind, CertificateNameKind::subject_dn);
  EXPECT_EQ(client.tls_client_auth->value, "CN=partner,O=Partners Inc");
  EXPECT_TRUE(client.secret_hash.empty());
  EXPECT_FALSE(client.public_client);
}

TEST(OAuth2MtlsConfig, ReadsCertificateBoundTokensOfASecretClient) {
  auto loaded = load_client("{client_id: shop, secret_hash: sha256:" + std::string(64, 'a') +
                            ", certificate_bound_access_tokens: true, grant_types: [x]}");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  EXPECT_TRUE(loaded->oauth2_server->clients.front().certificate_bound_access_tokens);
}

TEST(OAuth2MtlsConfig, RefusesTlsClientAuthWithoutAName) {
  EXPECT_THAT(printed_errors(load_client("{client_id: partner, token_endpoint_auth_method: "
                                         "tls_client_auth, grant_types: [x]}")),
              ElementsAre("conf/gw.yaml:5:7: missing one of 'tls_client_auth_subject_dn', "
                          "'tls_client_auth_san_dns', 'tls_client_auth_san_uri', "
                          "'tls_client_auth_san_ip' or 'tls_client_auth_san_email' in "
                          "tls_client_auth client"));
  EXPECT_THAT(printed_errors(load_client("{client_id: partner, token_endpoint_auth_method: "
                                         "tls_client_auth, tls_client_auth_san_dns: '', "
                                         "grant_types: [x]}")),
              ElementsAre("conf/gw.yaml:5:98: 'tls_client_auth_san_dns' must not be empty"));
}

TEST(OAuth2MtlsConfig, RefusesTlsClientAuthWithASecret) {
  EXPECT_THAT(printed_errors(
                  load_client("{client_id: partner, token_endpoint_auth_method: tls_client_auth, "
                              "tls_client_auth_subject_dn: CN=p, secret_hash: sha256:" +
                              std::string(64, 'a') + ", grant_types: [x]}")),
              ElementsAre("conf/gw.yaml:5:7: client 'partner' authenticates by tls_client_auth: "
                          "it has no 'secret_hash' and is not public"));
}

// A tls_client_auth client whose one name key is `key: value`.
std::expected<Config, ConfigErrors> load_named(std::string_view key, std::string_view value) {
  return load_client("{client_id: partner, token_endpoint_auth_method: tls_client_auth, " +
                     std::string(key) + ": '" + std::string(value) +
                     "', grant_types: [client_credentials]}");
}

CertificateNameConfig name_of(const std::expected<Config, ConfigErrors>& loaded) {
  EXPECT_TRUE(loaded) << loaded.error().front().to_string();
  if (!loaded || !loaded->oauth2_server->clients.front().tls_client_auth) return {};
  return *loaded->oauth2_server->clients.front().tls_client_auth;
}

TEST(OAuth2MtlsConfig, ReadsEachSubjectAlternativeName) {
  const auto dns = name_of(load_named("tls_client_auth_san_dns", "partner.example"));
  EXPECT_EQ(dns.kind, CertificateNameKind::san_dns);
  EXPECT_EQ(dns.value, "partner.example");
  const auto uri = name_of(load_named("tls_client_auth_san_uri", "spiffe://example.org/p"));
  EXPECT_EQ(uri.kind, CertificateNameKind::san_uri);
  EXPECT_EQ(uri.value, "spiffe://example.org/p");
  const auto email = name_of(load_named("tls_client_auth_san_email", "p@example.org"));
  EXPECT_EQ(email.kind, CertificateNameKind::san_email);
  EXPECT_EQ(email.value, "p@example.org");
}

TEST(OAuth2MtlsConfig, ReadsAnAddressIntoItsBytes) {
  const auto v4 = name_of(load_named("tls_client_auth_san_ip", "10.0.0.1"));
  EXPECT_EQ(v4.kind, CertificateNameKind::san_ip);
  EXPECT_EQ(v4.value, std::string("\x0a\x00\x00\x01", 4));
  const auto v6 = name_of(load_named("tls_client_auth_san_ip", "2001:db8::1"));
  EXPECT_EQ(v6.value, std::string("\x20\x01\x0d\xb8") + std::string(11, '\0') + "\x01");
  EXPECT_EQ(name_of(load_named("tls_client_auth_san_ip", "2001:0DB8:0:0:0:0:0:1")).value, v6.value);
}

TEST(OAuth2MtlsConfig, RefusesAValueThatIsNoAddress) {
  for (const char* written : {"10.0.0", "10.0.0.1/8", "[2001:db8::1]", "2001:db8::1%eth0",
                              "partner.example", "10.0.0.256"}) {
    EXPECT_THAT(printed_errors(load_named("tls_client_auth_san_ip", written)),
                ElementsAre("conf/gw.yaml:5:97: 'tls_client_auth_san_ip' must be an IPv4 or IPv6 "
                            "address, like 192.0.2.1 or 2001:db8::1, got '" +
                            std::string(written) + "'"))
        << written;
  }
}

TEST(OAuth2MtlsConfig, RefusesTwoNames) {
  EXPECT_THAT(printed_errors(load_client(
                  "{client_id: partner, token_endpoint_auth_method: tls_client_auth, "
                  "tls_client_auth_subject_dn: CN=p, tls_client_auth_san_dns: p.example, "
                  "grant_types: [x]}")),
              ElementsAre("conf/gw.yaml:5:107: write only one of 'tls_client_auth_subject_dn', "
                          "'tls_client_auth_san_dns', 'tls_client_auth_san_uri', "
                          "'tls_client_auth_san_ip' or 'tls_client_auth_san_email' per "
                          "tls_client_auth client"));
  EXPECT_THAT(printed_errors(
                  load_client("{client_id: partner, token_endpoint_auth_method: tls_client_auth, "
                              "tls_client_auth_san_ip: 10.0.0.1, tls_client_auth_san_uri: 'urn:p', "
                              "grant_types: [x]}")),
              ElementsAre(::testing::StartsWith("conf/gw.yaml:5:107: write only one of ")));
}

TEST(OAuth2MtlsConfig, RefusesAnAlternativeNameForAnotherMethod) {
  EXPECT_THAT(
      printed_errors(load_client("{client_id: shop, secret_hash: sha256:" + std::string(64, 'a') +
                                 ", tls_client_auth_san_uri: 'urn:shop', grant_types: [x]}")),
      ElementsAre("conf/gw.yaml:5:111: 'tls_client_auth_san_uri' is for "
                  "'token_endpoint_auth_method: tls_client_auth'"));
  EXPECT_THAT(printed_errors(load_client("{client_id: shop, public: true, tls_client_auth_san_dns: "
                                         "shop.example, tls_client_auth_san_ip: 10.0.0.1, "
                                         "grant_types: [x]}")),
              ElementsAre("conf/gw.yaml:5:39: 'tls_client_auth_san_dns' is for "
                          "'token_endpoint_auth_method: tls_client_auth'",
                          "conf/gw.yaml:5:78: 'tls_client_auth_san_ip' is for "
                          "'token_endpoint_auth_method: tls_client_auth'"));
}

TEST(OAuth2MtlsConfig, RefusesASubjectForAnotherMethod) {
  EXPECT_THAT(
      printed_errors(load_client("{client_id: shop, secret_hash: sha256:" + std::string(64, 'a') +
                                 ", tls_client_auth_subject_dn: CN=shop, grant_types: [x]}")),
      ElementsAre("conf/gw.yaml:5:111: 'tls_client_auth_subject_dn' is for "
                  "'token_endpoint_auth_method: tls_client_auth'"));
}

// A self-signed certificate (DER) and the public JWK of its key, as a device makes its own.
struct SelfSigned {
  std::string der;
  boost::json::object jwk;
};

SelfSigned self_signed() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* certificate = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate), 0);
  X509_gmtime_adj(X509_getm_notAfter(certificate), 3600);
  X509_set_pubkey(certificate, key);
  X509_sign(certificate, key, EVP_sha256());
  unsigned char* bytes = nullptr;
  const int size = i2d_X509(certificate, &bytes);
  SelfSigned made{.der = std::string(reinterpret_cast<const char*>(bytes), size)};
  OPENSSL_free(bytes);
  X509_free(certificate);
  auto jose_key = jose::Key::adopt(key, true);  // takes `key`
  EXPECT_TRUE(jose_key);
  made.jwk = *jose::public_jwk(*jose_key);
  return made;
}

std::string base64(std::string_view bytes) {
  std::string text(4 * ((bytes.size() + 2) / 3), '\0');
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                  reinterpret_cast<const unsigned char*>(bytes.data()), std::ssize(bytes));
  return text;
}

// A self_signed_tls_client_auth client whose one JWK is `jwk` with these `x5c` items (none: no
// x5c), written inline, with `more` of the client's keys.
std::expected<Config, ConfigErrors> load_self_signed(const boost::json::object& jwk,
                                                     const std::vector<std::string>& x5c,
                                                     const std::string& more = "") {
  std::string written = "{";
  for (const auto& [name, value] : jwk) {
    if (value.is_string())
      written += std::string(name) + ": '" + value.get_string().c_str() + "', ";
  }
  if (!x5c.empty()) {
    written += "x5c: [";
    for (const std::string& item : x5c) written += "'" + item + "', ";
    written += "], ";
  }
  written += "}";
  return load_client(
      "{client_id: device, token_endpoint_auth_method: "
      "self_signed_tls_client_auth, grant_types: [client_credentials], " +
      more + "jwks: [" + written + "]}");
}

TEST(OAuth2MtlsConfig, ReadsASelfSignedClientsCertificateFromX5c) {
  const SelfSigned device = self_signed();
  const SelfSigned other = self_signed();
  auto loaded = load_self_signed(device.jwk, {base64(device.der), base64(other.der)});
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  const OAuth2ClientConfig& client = loaded->oauth2_server->clients.front();
  // The first of x5c is the key's certificate; the others are its chain.
  EXPECT_EQ(client.self_signed_certificates, std::vector<std::string>{device.der});
  EXPECT_FALSE(client.assertion_keys);
  EXPECT_FALSE(client.tls_client_auth);
  EXPECT_TRUE(client.secret_hash.empty());
}

TEST(OAuth2MtlsConfig, RefusesASelfSignedClientWithoutACertificate) {
  const SelfSigned device = self_signed();
  const std::string truncated = base64(device.der.substr(0, device.der.size() - 1));
  for (const std::vector<std::string>& x5c :
       {std::vector<std::string>{}, {"not base64!"}, {truncated}, {base64(device.der + "x")}}) {
    EXPECT_THAT(printed_errors(load_self_signed(device.jwk, x5c)),
                ElementsAre(::testing::EndsWith(
                    "client 'device': key 1 needs 'x5c', whose first item is its certificate in "
                    "base64 DER")))
        << (x5c.empty() ? "" : x5c.front());
  }
  EXPECT_THAT(printed_errors(load_client("{client_id: device, token_endpoint_auth_method: "
                                         "self_signed_tls_client_auth, grant_types: [x]}")),
              ElementsAre("conf/gw.yaml:5:7: client 'device' needs 'jwks' or 'jwks_file'"));
}

TEST(OAuth2MtlsConfig, RefusesASelfSignedClientWithASecret) {
  const SelfSigned device = self_signed();
  EXPECT_THAT(
      printed_errors(load_self_signed(device.jwk, {base64(device.der)},
                                      "secret_hash: sha256:" + std::string(64, 'a') + ", ")),
      ElementsAre("conf/gw.yaml:5:7: client 'device' authenticates by "
                  "self_signed_tls_client_auth: it has no 'secret_hash' and is not public"));
}

}  // namespace
}  // namespace gatehouse::config::oauth2_mtls_config_test
