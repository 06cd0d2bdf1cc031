// New signing keys for the key manager's tokens, made with OpenSSL and kept in the grant store as
// PKCS#8 PEM. A key's kid is its RFC 7638 thumbprint, which any client can recompute.
#pragma once

#include <expected>
#include <string>

#include "keymanager/store/grant_store.h"
#include "security/jose/alg.h"

namespace gatehouse::keymanager {

// RS256: an RSA key of 2048 bits; ES256: a P-256 key. Other algs are refused: these two are what
// every OAuth2 client library verifies.
std::expected<SigningKeyRecord, std::string> generate_signing_key(jose::Alg alg, UnixSeconds now);

}  // namespace gatehouse::keymanager
