// A key of the JOSE layer: an OpenSSL public or private key, or an HMAC secret, plus what its JWK
// said about it. Immutable once made and cheap to copy (the OpenSSL key is shared), so one key set
// is read by every worker at once. OpenSSL types stay out of this header.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "security/jose/alg.h"
#include "security/jose/error.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace gatehouse::jose {

enum class KeyType : uint8_t { rsa, ec, okp, oct };
enum class Curve : uint8_t { none, p256, p384, p521, ed25519, ed448 };

inline constexpr int min_rsa_bits = 2048;
// HMAC secrets shorter than SHA-256's output are refused (RFC 7518 section 3.2).
inline constexpr size_t min_hmac_secret = 32;

class Key {
 public:
  // Takes ownership of `pkey` (also on failure). Accepts RSA of at least 2048 bits, EC on P-256,
  // P-384 or P-521, Ed25519 and Ed448.
  static Result<Key> adopt(evp_pkey_st* pkey, bool is_private);
  static Result<Key> from_secret(std::string secret);

  KeyType type() const { return type_; }
  Curve curve() const { return curve_; }
  int bits() const { return bits_; }
  bool is_private() const { return is_private_; }
  // The OpenSSL key (nullptr for an HMAC secret); for this layer's own use.
  evp_pkey_st* evp() const { return pkey_.get(); }
  std::string_view secret() const { return secret_; }

  // From the JWK (or set by the caller for a PEM key): free to change.
  std::string kid;
  std::string use;
  std::optional<Alg> alg;

 private:
  Key() = default;

  std::shared_ptr<evp_pkey_st> pkey_;
  std::string secret_;
  KeyType type_ = KeyType::oct;
  Curve curve_ = Curve::none;
  int bits_ = 0;
  bool is_private_ = false;
};

// Bytes of one coordinate (and of R and of S in an ECDSA signature) on an EC curve; 0 otherwise.
size_t coordinate_size(Curve curve);

}  // namespace gatehouse::jose
