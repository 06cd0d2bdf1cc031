// The X.509 certificate SHA-256 thumbprint (RFC 7515 section 4.1.8, `x5t#S256`): base64url of the
// SHA-256 of the certificate's DER. RFC 8705 binds an access token to a client certificate by it
// (`cnf: {"x5t#S256": ...}`); the key manager writes it and the gateway compares it.
#pragma once

#include <string>
#include <string_view>

namespace gatehouse::jose {

// Empty for an empty certificate: no certificate has no thumbprint, rather than one of no bytes.
std::string certificate_thumbprint(std::string_view der);

}  // namespace gatehouse::jose
