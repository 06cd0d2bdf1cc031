// Certificate-bound access tokens (RFC 8705 section 3): a token whose `cnf` claim holds an
// `x5t#S256` is valid only on a connection whose client certificate has that thumbprint, so a
// stolen token is useless without the client's private key.
#pragma once

#include <boost/json/object.hpp>

#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "security/auth/auth_error.h"
#include "security/auth/principal.h"

namespace gatehouse::security {

// The SHA-256 (32 bytes) of the certificate that the claims (a JWT's or an introspection
// answer's) bind the token to, decoded once here so that each request compares bytes without
// allocating; empty for a token without `cnf`. A `cnf` without a well-formed `x5t#S256` (another
// confirmation method, such as DPoP's `jkt`) is refused: the gateway cannot check it, and must
// not take it for a bearer token.
std::expected<std::string, AuthError> bound_certificate(const boost::json::object& claims);

// Why the caller may not use the principal's token on a connection with this client certificate
// (DER; empty when none): the token is bound and the certificate is missing or another.
std::optional<AuthError> certificate_binding_refusal(const Principal& principal,
                                                     std::string_view certificate_der);

}  // namespace gatehouse::security
