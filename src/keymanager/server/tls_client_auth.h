// Mutual-TLS client authentication and certificate-bound access tokens (RFC 8705): a
// tls_client_auth client proves itself by the client certificate of the connection its request
// came on, which the transport verified against the listener's client CA (OAuthRequest); the key
// manager checks only that the certificate has the name registered for the client: its subject,
// or one of its subject alternative names (RFC 8705 section 2.1.2).
#pragma once

#include <expected>
#include <string>

#include "keymanager/server/client.h"
#include "keymanager/server/oauth_error.h"
#include "keymanager/server/oauth_message.h"

namespace gatehouse::keymanager {

inline bool uses_tls_client_auth(const Client& client) {
  return client.tls_client_auth.has_value();
}

// The tls_client_auth client authenticated, or invalid_client: no client certificate, one without
// the client's registered name (CertificateName: its subject, or a subjectAltName entry of the
// registered type and value), or a secret presented besides.
std::expected<void, OAuthError> check_tls_client_auth(const OAuthRequest& request,
                                                      const Client& client, bool secret_presented);

// The x5t#S256 that the access tokens issued to `client` on this request are bound to: the
// request's client certificate for a tls_client_auth client or one that asks for bound tokens;
// empty otherwise, and when the connection has no client certificate.
std::string bound_certificate_thumbprint(const OAuthRequest& request, const Client& client);

}  // namespace gatehouse::keymanager
