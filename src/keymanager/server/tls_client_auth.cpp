#include "keymanager/server/tls_client_auth.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "keymanager/server/certificate_alt_names.h"
#include "security/jose/certificate_thumbprint.h"

namespace gatehouse::keymanager {

namespace {

OAuthError certificate_refused(std::string description) {
  return OAuthError{OAuthErrorCode::invalid_client, std::move(description)};
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// DNS names are compared without regard to ASCII case (RFC 4343); the other names as bytes.
bool same_name(const CertificateName& presented, const CertificateName& registered) {
  if (presented.type != registered.type) return false;
  if (registered.type != CertificateNameType::san_dns) return presented.value == registered.value;
  return std::ranges::equal(presented.value, registered.value,
                            [](char a, char b) { return lower(a) == lower(b); });
}

bool has_name(const OAuthRequest& request, const CertificateName& registered) {
  if (registered.type == CertificateNameType::subject_dn) {
    return request.client_certificate_subject == registered.value;
  }
  const std::vector<CertificateName> names = certificate_alt_names(request.client_certificate);
  return std::ranges::any_of(
      names, [&](const CertificateName& name) { return same_name(name, registered); });
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
  if (!client.tls_client_auth) {
    const std::string thumbprint = jose::certificate_thumbprint(request.client_certificate);
    if (std::ranges::find(client.self_signed_thumbprints, thumbprint) ==
        client.self_signed_thumbprints.end()) {
      return std::unexpected(
          certificate_refused("the client certificate is not one registered for the client"));
    }
    return {};
  }
  if (!request.client_certificate_verified) {
    return std::unexpected(
        certificate_refused("the client certificate is not one the listener's client CA verified"));
  }
  if (!has_name(request, *client.tls_client_auth)) {
    return std::unexpected(certificate_refused(
        "the client certificate does not have the name registered for the client"));
  }
  return {};
}

std::string bound_certificate_thumbprint(const OAuthRequest& request, const Client& client) {
  if (!uses_tls_client_auth(client) && !client.certificate_bound_access_tokens) return {};
  return jose::certificate_thumbprint(request.client_certificate);
}

}  // namespace gatehouse::keymanager
