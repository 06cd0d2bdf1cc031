// The JWS algorithms this layer signs and verifies (RFC 7518 section 3, RFC 8037). "none" is not
// one of them: it is recognised only to be refused with its own reason.
#pragma once

#include <cstdint>
#include <string_view>

#include "security/jose/error.h"

namespace gatehouse::jose {

enum class Alg : uint8_t {
  RS256,
  RS384,
  RS512,  // RSASSA-PKCS1-v1_5
  PS256,
  PS384,
  PS512,  // RSASSA-PSS, salt as long as the hash
  ES256,
  ES384,
  ES512,  // ECDSA on P-256, P-384, P-521; signature is raw R || S
  EdDSA,  // Ed25519 or Ed448, as the key says
  HS256,
  HS384,
  HS512,  // HMAC
};

enum class AlgFamily : uint8_t { rsa_pkcs1, rsa_pss, ecdsa, eddsa, hmac };

// Names are case-sensitive: "none" gives alg_none, anything unknown (also "None") alg_unsupported.
Result<Alg> parse_alg(std::string_view name);
std::string_view to_string(Alg alg);
AlgFamily family(Alg alg);
// Bytes of the hash for RS, PS, ES and HS; 0 for EdDSA.
size_t hash_size(Alg alg);

}  // namespace gatehouse::jose
