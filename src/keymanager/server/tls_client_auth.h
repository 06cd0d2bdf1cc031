// Mutual-TLS client authentication and certificate-bound access tokens (RFC 8705): a client
// proves itself by the client certificate of the connection its request came on, whose key the
// TLS handshake proved it holds (OAuthRequest), in one of two ways:
//   tls_client_auth (section 2.1): the transport verified the certificate against the listener's
//       client CA, and it has the name registered for the client: its subject, or one of its
//       subject alternative names (section 2.1.2);
//   self_signed_tls_client_auth (section 2.2): the certificate is one the client registered
//       (by its x5t#S256), whoever issued it; no CA is involved.
#pragma once

#include <expected>
#include <string>

#include "keymanager/server/client.h"
#include "keymanager/server/oauth_error.h"
#include "keymanager/server/oauth_message.h"

namespace gatehouse::keymanager {

// Either method.
inline bool uses_tls_client_auth(const Client& client) {
  return client.tls_client_auth.has_value() || !client.self_signed_thumbprints.empty();
}

// The client authenticated by either method, or invalid_client: no client certificate; for
// tls_client_auth one the listener's CA did not verify, or one without the client's registered
// name (CertificateName: its subject, or a subjectAltName entry of the registered type and
// value); for self_signed_tls_client_auth one the client did not register; or a secret presented
// besides.
std::expected<void, OAuthError> check_tls_client_auth(const OAuthRequest& request,
                                                      const Client& client, bool secret_presented);

// The x5t#S256 that the access tokens issued to `client` on this request are bound to: the
// request's client certificate (verified by a CA or not) for a client of either tls_client_auth
// method or one that asks for bound tokens; empty otherwise, and when the connection has no
// client certificate.
std::string bound_certificate_thumbprint(const OAuthRequest& request, const Client& client);

}  // namespace gatehouse::keymanager
