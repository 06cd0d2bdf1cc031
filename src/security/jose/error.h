// The one error type of the JOSE layer: why a key, a token or its claims were refused. Its text is
// short and fixed, so a log line never carries the token or a claim value.
#pragma once

#include <cstdint>
#include <expected>
#include <string_view>

namespace gatehouse::jose {

enum class Error : uint8_t {
  malformed,          // not three parts, a required member missing or of the wrong type
  too_large,          // the token is longer than the limit
  bad_base64,         // not canonical unpadded base64url
  bad_json,           // not JSON, or not a JSON object where one is required
  duplicate_key,      // a JSON object names a member twice
  alg_none,           // "alg": "none"
  alg_unsupported,    // an alg this layer does not implement
  crit_unsupported,   // a "crit" header: no extension is understood
  b64_unsupported,    // "b64": false (RFC 7797 unencoded payload)
  key_type_mismatch,  // the key's type or curve does not fit the token's alg
  key_alg_mismatch,   // the key names an alg other than the token's
  unknown_kid,        // no key in the set for this token
  bad_signature,      // the signature does not verify
  bad_key,            // a key that cannot be read or is not a valid key
  weak_key,           // RSA under 2048 bits, HMAC secret shorter than the hash
  unsupported_key,    // a key type, curve or use this layer does not take
  expired,            // now >= exp + leeway
  not_yet_valid,      // now + leeway < nbf
  bad_claim,          // exp, nbf or iat is not a number; iss, aud or scope of a wrong type
  missing_exp,        // no exp where one is required
  wrong_issuer,       // iss is not the expected issuer
  wrong_audience,     // no aud matches an expected audience
  io_error,           // a key file cannot be read
  crypto_failure,     // OpenSSL failed for a reason that is not the input's fault
};

std::string_view to_string(Error error);

template <class T>
using Result = std::expected<T, Error>;

}  // namespace gatehouse::jose
