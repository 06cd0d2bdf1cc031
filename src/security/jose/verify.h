// JWS signature verification. The key must be of the alg's family (RSA for RS and PS, EC on the
// alg's curve for ES, OKP for EdDSA, an oct secret for HS only) and, if its JWK names an alg, of
// that alg: so a token can never make an RSA public key serve as an HMAC secret (RS256 -> HS256
// confusion), and the header's own "jwk", "jku" or "x5u" are never looked at.
#pragma once

#include "security/jose/error.h"
#include "security/jose/jwk.h"
#include "security/jose/jws.h"
#include "security/jose/key.h"

namespace gatehouse::jose {

Result<void> check_key_fits(const Key& key, Alg alg);

// Verifies `signature` over `signing_input` with `key` for `alg` (the key fits or it fails).
Result<void> verify_signature(Alg alg, std::string_view signing_input, std::string_view signature,
                              const Key& key);
inline Result<void> verify_signature(const Jws& jws, const Key& key) {
  return verify_signature(jws.alg(), jws.signing_input(), jws.signature(), key);
}

// Picks the key by the token's kid (unknown_kid if the set has none; a token without kid only
// against a set of exactly one key) and verifies with it. Returns the key used.
Result<const Key*> verify(const Jws& jws, const KeySet& keys);

}  // namespace gatehouse::jose
