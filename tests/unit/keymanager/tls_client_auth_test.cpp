// RFC 8705 at the key manager: tls_client_auth (the client certificate's subject, or one of its
// subject alternative names, against the name the client registered), self_signed_tls_client_auth
// (the certificate itself, registered), and certificate-bound access tokens (`cnf`), at the token,
// introspection and discovery endpoints. The transport has verified the certificate's chain, or
// not (an optional_no_ca listener); here it is bytes, made by OpenSSL where they are read.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>

#include "key_manager_fixture.h"
#include "keymanager/server/discovery.h"
#include "keymanager/server/introspection_endpoint.h"
#include "keymanager/server/token_endpoint.h"
#include "security/jose/certificate_thumbprint.h"

namespace gatehouse::keymanager::tls_client_auth_test {
namespace {

using namespace fixture;

constexpr std::string_view partner_dn = "CN=partner,O=Partners Inc";
constexpr std::string_view partner_der = "partner certificate, DER";
constexpr std::string_view device_der = "device's self-signed certificate, DER";

// A self-signed certificate, as DER, with the subjectAltName `alt_names` written as openssl's
// configuration writes it ("DNS:a.example,IP:10.0.0.1"); without the extension when empty.
std::string certificate_with(const std::string& alt_names) {
  static EVP_PKEY* const key = EVP_EC_gen("P-256");
  X509* certificate = X509_new();
  X509_set_version(certificate, X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate), 0);
  X509_gmtime_adj(X509_getm_notAfter(certificate), 3600);
  X509_NAME* subject = X509_get_subject_name(certificate);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("partner"), -1, -1, 0);
  X509_set_issuer_name(certificate, subject);
  X509_set_pubkey(certificate, key);
  if (!alt_names.empty()) {
    X509_EXTENSION* extension =
        X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name, alt_names.c_str());
    EXPECT_NE(extension, nullptr) << alt_names;
    X509_add_ext(certificate, extension, -1);
    X509_EXTENSION_free(extension);
  }
  X509_sign(certificate, key, EVP_sha256());
  unsigned char* der = nullptr;
  const int size = i2d_X509(certificate, &der);
  std::string bytes(reinterpret_cast<const char*>(der), static_cast<size_t>(size));
  OPENSSL_free(der);
  X509_free(certificate);
  return bytes;
}

// The 4 or 16 bytes of an address, as the config's reader registers it.
std::string address(const char* text) {
  const bool v6 = std::string_view(text).find(':') != std::string_view::npos;
  std::string bytes(v6 ? 16 : 4, '\0');
  EXPECT_EQ(inet_pton(v6 ? AF_INET6 : AF_INET, text, bytes.data()), 1) << text;
  return bytes;
}

Client named_client(std::string id, CertificateNameType type, std::string value) {
  return Client{.client_id = std::move(id),
                .tls_client_auth = CertificateName{.type = type, .value = std::move(value)},
                .grant_types = {"client_credentials"},
                .scopes = {"orders:read"}};
}

class TlsClientAuthTest : public KeyManagerTest {
 protected:
  TlsClientAuthTest() {
    using enum CertificateNameType;
    extra_clients_ = {named_client("partner", subject_dn, std::string(partner_dn)),
                      Client{.client_id = "bound",
                             .secret_hash = secrets_.service.hash,
                             .certificate_bound_access_tokens = true,
                             .grant_types = {"client_credentials"},
                             .scopes = {"orders:read"}},
                      named_client("by-dns", san_dns, "partner.example"),
                      named_client("by-uri", san_uri, "spiffe://example.org/partner"),
                      named_client("by-ipv4", san_ip, address("10.0.0.1")),
                      named_client("by-ipv6", san_ip, address("2001:db8::1")),
                      named_client("by-email", san_email, "partner@example.org"),
                      Client{.client_id = "device",
                             .self_signed_thumbprints = {jose::certificate_thumbprint("old DER"),
                                                         jose::certificate_thumbprint(device_der)},
                             .grant_types = {"client_credentials"},
                             .scopes = {"orders:read"}}};
    start();
  }

  // The answer to `client_id`'s token request with the certificate `der`, each from an address
  // of its own, so that refusals are not counted against the next request.
  OAuthAnswer post_as(std::string_view client_id, const std::string& der) {
    Request request{.body = form({{"grant_type", "client_credentials"}, {"client_id", client_id}}),
                    .client_certificate = der,
                    .client_certificate_subject = "CN=partner"};
    request.client_ip = "192.0.2." + std::to_string(++requests_);
    return post(request);
  }

  // `client_id` authenticates with a certificate of these alternative names.
  void expect_accepted(std::string_view client_id, const std::string& alt_names) {
    const std::string der = certificate_with(alt_names);
    const OAuthAnswer answer = post_as(client_id, der);
    ASSERT_EQ(answer.status, 200) << client_id << " with " << alt_names << ": " << answer.body;
    EXPECT_EQ(bound_thumbprint(string_member(body_of(answer), "access_token")),
              jose::certificate_thumbprint(der));
  }

  void expect_refused(std::string_view client_id, const std::string& alt_names) {
    SCOPED_TRACE(std::string(client_id) + " with '" + alt_names + "'");
    expect_invalid_client(post_as(client_id, certificate_with(alt_names)));
  }

  int requests_ = 0;

  OAuthAnswer post(const Request& request) {
    return run(TokenEndpoint(context()).handle(request.view()));
  }

  static Request partner_request(std::string_view der, std::string_view subject) {
    return Request{.body = form({{"grant_type", "client_credentials"}, {"client_id", "partner"}}),
                   .client_certificate = std::string(der),
                   .client_certificate_subject = std::string(subject)};
  }

  Request bound_request(std::string_view der) const {
    Request request{.body = form({{"grant_type", "client_credentials"}}),
                    .authorization = basic("bound", secrets_.service.secret)};
    request.client_certificate = der;
    request.client_certificate_subject = "CN=anyone";
    return request;
  }

  std::string access_token_of(const OAuthAnswer& answer) {
    EXPECT_EQ(answer.status, 200) << answer.body;
    return string_member(body_of(answer), "access_token");
  }

  // The token's cnf.x5t#S256; empty when it has none.
  std::string bound_thumbprint(const std::string& token) {
    const auto claims = verified_claims(token);
    EXPECT_TRUE(claims);
    const json::value* cnf = claims ? claims->if_contains("cnf") : nullptr;
    return cnf ? string_member(cnf->as_object(), "x5t#S256") : std::string();
  }

  void expect_invalid_client(const OAuthAnswer& answer) {
    EXPECT_EQ(answer.status, 401) << answer.body;
    EXPECT_EQ(string_member(body_of(answer), "error"), "invalid_client") << answer.body;
  }
};

TEST_F(TlsClientAuthTest, TheRegisteredSubjectAuthenticatesAndTheTokenIsBoundToItsCertificate) {
  const std::string token = access_token_of(post(partner_request(partner_der, partner_dn)));
  EXPECT_EQ(bound_thumbprint(token), jose::certificate_thumbprint(partner_der));
}

TEST_F(TlsClientAuthTest, AnotherSubjectIsInvalidClient) {
  expect_invalid_client(post(partner_request(partner_der, "CN=partner,O=Someone Else")));
  // Exact: the same attributes in another order name another subject.
  expect_invalid_client(post(partner_request(partner_der, "O=Partners Inc,CN=partner")));
}

TEST_F(TlsClientAuthTest, NoCertificateIsInvalidClient) {
  expect_invalid_client(post(partner_request("", "")));
}

TEST_F(TlsClientAuthTest, ASecretBesideTheCertificateIsRefused) {
  Request request = partner_request(partner_der, partner_dn);
  request.body = form(
      {{"grant_type", "client_credentials"}, {"client_id", "partner"}, {"client_secret", "x"}});
  expect_invalid_client(post(request));
}

TEST_F(TlsClientAuthTest, ASecretClientAskingForBoundTokensGetsThemOnlyWithACertificate) {
  EXPECT_EQ(bound_thumbprint(access_token_of(post(bound_request("bound DER")))),
            jose::certificate_thumbprint("bound DER"));
  EXPECT_EQ(bound_thumbprint(access_token_of(post(bound_request("")))), "");
}

TEST_F(TlsClientAuthTest, AnUnboundClientOnAnMtlsConnectionGetsAPlainToken) {
  Request request{.body = form({{"grant_type", "client_credentials"}}),
                  .authorization = basic("service", secrets_.service.secret)};
  request.client_certificate = "some DER";
  EXPECT_EQ(bound_thumbprint(access_token_of(post(request))), "");
}

TEST_F(TlsClientAuthTest, IntrospectionAnswersTheConfirmation) {
  const std::string token = access_token_of(post(partner_request(partner_der, partner_dn)));
  Request request = partner_request(partner_der, partner_dn);
  request.body = form({{"token", token}, {"client_id", "partner"}});
  const OAuthAnswer answer = run(IntrospectionEndpoint(context()).handle(request.view()));
  ASSERT_EQ(answer.status, 200) << answer.body;
  const json::object body = body_of(answer);
  ASSERT_TRUE(body.contains("cnf")) << answer.body;
  EXPECT_EQ(string_member(body.at("cnf").as_object(), "x5t#S256"),
            jose::certificate_thumbprint(partner_der));
}

TEST_F(TlsClientAuthTest, DiscoveryAnnouncesTlsClientAuthAndBoundTokens) {
  const json::object document = discovery_document(context());
  const json::array& methods = document.at("token_endpoint_auth_methods_supported").as_array();
  EXPECT_NE(std::ranges::find(methods, json::value("tls_client_auth")), methods.end());
  EXPECT_EQ(document.at("tls_client_certificate_bound_access_tokens"), json::value(true));
}

TEST_F(TlsClientAuthTest, AClientWithACertificateSubjectAndASecretIsRefusedAtStart) {
  Client both = named_client("both", CertificateNameType::subject_dn, "CN=both");
  both.secret_hash = secrets_.service.hash;
  auto directory = ClientDirectory::build({both});
  ASSERT_FALSE(directory);
  EXPECT_NE(directory.error().find("tls_client_auth"), std::string::npos);
}

TEST_F(TlsClientAuthTest, EachAlternativeNameTypeAuthenticatesItsClient) {
  expect_accepted("by-dns", "DNS:partner.example");
  expect_accepted("by-uri", "URI:spiffe://example.org/partner");
  expect_accepted("by-ipv4", "IP:10.0.0.1");
  expect_accepted("by-ipv6", "IP:2001:db8::1");
  expect_accepted("by-email", "email:partner@example.org");
}

TEST_F(TlsClientAuthTest, TheRegisteredNameMayBeAnyEntryOfSeveral) {
  expect_accepted("by-dns", "DNS:www.example,URI:https://partner.example,DNS:partner.example");
  expect_accepted("by-ipv4", "IP:10.0.0.2,IP:2001:db8::1,IP:10.0.0.1");
}

TEST_F(TlsClientAuthTest, ADnsNameMatchesInAnyCaseAndTheOtherNamesExactly) {
  expect_accepted("by-dns", "DNS:Partner.EXAMPLE");
  expect_refused("by-uri", "URI:spiffe://example.org/Partner");
  expect_refused("by-email", "email:Partner@example.org");
}

TEST_F(TlsClientAuthTest, AnAddressMatchesAsAnAddressOfItsFamily) {
  // However the certificate writes it, 2001:db8::1 is the same 16 bytes.
  expect_accepted("by-ipv6", "IP:2001:0db8:0:0:0:0:0:0001");
  expect_refused("by-ipv6", "IP:2001:db8::2");
  expect_refused("by-ipv4", "IP:10.0.0.10");
  // 10.0.0.1 mapped into IPv6 is another iPAddress (16 bytes) than the registered 4.
  expect_refused("by-ipv4", "IP:::ffff:10.0.0.1");
}

TEST_F(TlsClientAuthTest, AnotherValueOfTheRegisteredTypeIsInvalidClient) {
  expect_refused("by-dns", "DNS:other.example");
  expect_refused("by-dns", "DNS:sub.partner.example");
  expect_refused("by-uri", "URI:spiffe://example.org/partner/x");
  expect_refused("by-email", "email:other@example.org");
}

TEST_F(TlsClientAuthTest, TheRegisteredValueUnderAnotherTypeIsInvalidClient) {
  expect_refused("by-dns", "URI:partner.example,email:partner.example");
  expect_refused("by-uri", "DNS:spiffe://example.org/partner");
  expect_refused("by-email", "DNS:partner@example.org");
}

TEST_F(TlsClientAuthTest, ACertificateWithoutAlternativeNamesOrNoCertificateIsInvalidClient) {
  expect_refused("by-dns", "");
  expect_refused("by-ipv4", "");
  expect_invalid_client(post_as("by-dns", "not a certificate"));
  expect_invalid_client(post_as("by-dns", ""));
}

TEST_F(TlsClientAuthTest, ACertificateNoCaVerifiedIsNotTlsClientAuth) {
  Request request = partner_request(partner_der, partner_dn);
  request.client_certificate_verified = false;
  expect_invalid_client(post(request));
}

TEST_F(TlsClientAuthTest, ARegisteredSelfSignedCertificateAuthenticatesWithoutACa) {
  Request request{.body = form({{"grant_type", "client_credentials"}, {"client_id", "device"}}),
                  .client_certificate = std::string(device_der),
                  .client_certificate_subject = "CN=device",
                  .client_certificate_verified = false};
  const std::string token = access_token_of(post(request));
  EXPECT_EQ(bound_thumbprint(token), jose::certificate_thumbprint(device_der));
}

TEST_F(TlsClientAuthTest, AnUnregisteredOrNoCertificateIsNotTheSelfSignedClient) {
  for (const std::string_view der : {partner_der, std::string_view()}) {
    Request request{.body = form({{"grant_type", "client_credentials"}, {"client_id", "device"}}),
                    .client_certificate = std::string(der),
                    .client_certificate_verified = false};
    SCOPED_TRACE(der);
    expect_invalid_client(post(request));
  }
  // Its certificate with a secret besides it.
  Request secret{.body = form({{"grant_type", "client_credentials"},
                               {"client_id", "device"},
                               {"client_secret", secrets_.service.secret}}),
                 .client_certificate = std::string(device_der)};
  expect_invalid_client(post(secret));
}

TEST_F(TlsClientAuthTest, ASelfSignedClientWithASecretIsRefusedAtStart) {
  Client both{.client_id = "both",
              .secret_hash = secrets_.service.hash,
              .self_signed_thumbprints = {jose::certificate_thumbprint(device_der)},
              .grant_types = {"client_credentials"}};
  auto directory = ClientDirectory::build({both});
  ASSERT_FALSE(directory);
  EXPECT_NE(directory.error().find("self_signed_tls_client_auth"), std::string::npos);
}

TEST_F(TlsClientAuthTest, ACertificateNoCaVerifiedStillBindsTheTokensOfABoundClient) {
  Request request = bound_request("bound DER");
  request.client_certificate_verified = false;
  EXPECT_EQ(bound_thumbprint(access_token_of(post(request))),
            jose::certificate_thumbprint("bound DER"));
}

}  // namespace
}  // namespace gatehouse::keymanager::tls_client_auth_test
