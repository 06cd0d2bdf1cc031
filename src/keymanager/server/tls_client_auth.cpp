#include "keymanager/server/tls_client_auth.h"

#include <utility>

#include "security/jose/certificate_thumbprint.h"

namespace gatehouse::keymanager {

namespace {

OAuthError certificate_refused(std::string description) {
  return OAuthError{OAuthErrorCode::invalid_client, std::move(description)};
}

}  // namespace

std::expected<void, OAuthError> check_tls_client_auth(const OAuthRequest& request,
                                                      const Client& client, bool secret_presented) {
  if (secret_presented) {
    return std::unexpected(
        certificate_refused("the client must authenticate with its certificate alone"));
  }
  if (request.client_certificate.empty()) {
    return std::unexpected(
        certificate_refused("the client must authenticate with a TLS client certificate"));
  }
  if (request.client_certificate_subject != client.tls_client_auth_subject_dn) {
    return std::unexpected(certificate_refused(
        "the client certificate's subject is not the one registered for the client"));
  }
  return {};
}

std::string bound_certificate_thumbprint(const OAuthRequest& request, const Client& client) {
  if (!uses_tls_client_auth(client) && !client.certificate_bound_access_tokens) return {};
  return jose::certificate_thumbprint(request.client_certificate);
}

}  // namespace gatehouse::keymanager
