#include "security/jose/key.h"

#include <openssl/core_names.h>

#include "security/jose/openssl.h"

namespace gatehouse::jose {

namespace {

Result<Curve> ec_curve(EVP_PKEY* pkey) {
  char name[64] = {};
  if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name,
                                     nullptr) != 1) {
    return std::unexpected(Error::bad_key);
  }
  const std::string_view group = name;
  if (group == "prime256v1" || group == "P-256") return Curve::p256;
  if (group == "secp384r1" || group == "P-384") return Curve::p384;
  if (group == "secp521r1" || group == "P-521") return Curve::p521;
  return std::unexpected(Error::unsupported_key);
}

}  // namespace

size_t coordinate_size(Curve curve) {
  switch (curve) {
    case Curve::p256:
      return 32;
    case Curve::p384:
      return 48;
    case Curve::p521:
      return 66;
    default:
      return 0;
  }
}

Result<Key> Key::adopt(evp_pkey_st* pkey, bool is_private) {
  Key key;
  key.pkey_.reset(pkey, EVP_PKEY_free);
  if (pkey == nullptr) return std::unexpected(Error::bad_key);
  key.is_private_ = is_private;
  key.bits_ = EVP_PKEY_get_bits(pkey);
  switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_RSA:
      key.type_ = KeyType::rsa;
      if (key.bits_ < min_rsa_bits) return std::unexpected(Error::weak_key);
      break;
    case EVP_PKEY_EC: {
      key.type_ = KeyType::ec;
      const Result<Curve> curve = ec_curve(pkey);
      if (!curve) return std::unexpected(curve.error());
      key.curve_ = *curve;
      break;
    }
    case EVP_PKEY_ED25519:
      key.type_ = KeyType::okp;
      key.curve_ = Curve::ed25519;
      break;
    case EVP_PKEY_ED448:
      key.type_ = KeyType::okp;
      key.curve_ = Curve::ed448;
      break;
    default:
      return std::unexpected(Error::unsupported_key);
  }
  return key;
}

Result<Key> Key::from_secret(std::string secret) {
  if (secret.size() < min_hmac_secret) return std::unexpected(Error::weak_key);
  Key key;
  key.type_ = KeyType::oct;
  key.bits_ = static_cast<int>(secret.size() * 8);
  key.secret_ = std::move(secret);
  key.is_private_ = true;
  return key;
}

}  // namespace gatehouse::jose
