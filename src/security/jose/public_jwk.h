// The public JWK of a key, for the key manager's JWKS endpoint, and its RFC 7638 thumbprint (a
// kid that any client can recompute from the key itself).
#pragma once

#include <boost/json/object.hpp>

#include <string>

#include "security/jose/error.h"
#include "security/jose/key.h"

namespace gatehouse::jose {

// kty and the public parameters, "use": "sig", the key's alg if set, and its kid (the thumbprint
// when the key has none). Never a private parameter; unsupported_key for an HMAC secret.
Result<boost::json::object> public_jwk(const Key& key);

// base64url(SHA-256) of the required public members in lexicographic order, no whitespace.
Result<std::string> thumbprint(const Key& key);

}  // namespace gatehouse::jose
