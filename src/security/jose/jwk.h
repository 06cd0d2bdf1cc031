// JSON Web Keys and key sets (RFC 7517, RFC 7518 section 6, RFC 8037): RSA, EC (P-256, P-384,
// P-521), OKP (Ed25519, Ed448) and oct. A key set keeps every key it can use and skips the others
// (another key type, "use" other than "sig", a key that fails OpenSSL's checks), so one odd key
// published by an issuer does not take all its tokens down.
#pragma once

#include <boost/json/object.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "security/jose/error.h"
#include "security/jose/key.h"

namespace gatehouse::jose {

// One JWK. Public parameters only for RSA, EC and OKP (a private member is ignored); EC points are
// checked to be on their curve.
Result<Key> parse_jwk(const boost::json::object& jwk);

class KeySet {
 public:
  struct Skipped {
    std::string kid;
    Error reason;
  };

  KeySet() = default;
  explicit KeySet(std::vector<Key> keys) : keys_(std::move(keys)) {}

  // nullptr when no key has this kid: the caller may refetch the set.
  const Key* find(std::string_view kid) const;
  std::span<const Key> keys() const { return keys_; }
  // What the set held but cannot be used, for a log line when the set is loaded.
  const std::vector<Skipped>& skipped() const { return skipped_; }

 private:
  friend Result<KeySet> parse_jwks(std::string_view text, size_t max_bytes);

  std::vector<Key> keys_;
  std::vector<Skipped> skipped_;
};

// Fails only when `text` is not a JSON object with a "keys" array (or is larger than max_bytes).
Result<KeySet> parse_jwks(std::string_view text, size_t max_bytes = 1 << 20);

}  // namespace gatehouse::jose
