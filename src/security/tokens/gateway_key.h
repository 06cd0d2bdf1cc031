// The gateway's own signing key (config `signing_key`): it signs the API keys the gateway issues
// and the JWTs it passes to backends, and it is the only key API keys are verified with. Its kid
// is the RFC 7638 thumbprint, so that anyone holding the published JWKS can recompute it, and the
// alg follows from the key: RSA signs RS256, EC P-256 signs ES256 (other curves and key types are
// refused, to keep to what every JWT library verifies). Immutable; shared by every worker.
#pragma once

#include <string>

#include "security/jose/alg.h"
#include "security/jose/error.h"
#include "security/jose/key.h"

namespace gatehouse::tokens {

class GatewayKey {
 public:
  // A PEM private key file (PKCS#8 or traditional).
  static jose::Result<GatewayKey> load(const std::string& pem_file);
  static jose::Result<GatewayKey> from_private_key(jose::Key key);

  // The private key, with kid, use "sig" and alg set.
  const jose::Key& key() const { return key_; }
  jose::Alg alg() const { return *key_.alg; }
  const std::string& kid() const { return key_.kid; }
  // {"keys":[{...public members, "use":"sig", "alg", "kid"}]}, for GET /jwks.
  const std::string& jwks_json() const { return jwks_json_; }

 private:
  explicit GatewayKey(jose::Key key) : key_(std::move(key)) {}

  jose::Key key_;
  std::string jwks_json_;
};

}  // namespace gatehouse::tokens
