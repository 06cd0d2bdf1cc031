// RFC 8705 at the key manager: tls_client_auth (the client certificate's subject against the
// client's registered DN) and certificate-bound access tokens (`cnf`), at the token, introspection
// and discovery endpoints. The transport has verified the certificate's chain; here it is bytes.
#include <gtest/gtest.h>

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

class TlsClientAuthTest : public KeyManagerTest {
 protected:
  TlsClientAuthTest() {
    extra_clients_ = {Client{.client_id = "partner",
                             .tls_client_auth_subject_dn = std::string(partner_dn),
                             .grant_types = {"client_credentials"},
                             .scopes = {"orders:read"}},
                      Client{.client_id = "bound",
                             .secret_hash = secrets_.service.hash,
                             .certificate_bound_access_tokens = true,
                             .grant_types = {"client_credentials"},
                             .scopes = {"orders:read"}}};
    start();
  }

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
  auto directory = ClientDirectory::build({Client{.client_id = "both",
                                                  .secret_hash = secrets_.service.hash,
                                                  .tls_client_auth_subject_dn = "CN=both",
                                                  .grant_types = {"client_credentials"}}});
  ASSERT_FALSE(directory);
  EXPECT_NE(directory.error().find("tls_client_auth"), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::keymanager::tls_client_auth_test
