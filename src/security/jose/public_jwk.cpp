#include "security/jose/public_jwk.h"

#include <openssl/core_names.h>

#include <utility>
#include <vector>

#include "security/jose/base64url.h"
#include "security/jose/openssl.h"
#include "security/jose/sha256.h"

namespace gatehouse::jose {

namespace {

namespace json = boost::json;

// The required members of the key's JWK, already in lexicographic order (RFC 7638 section 3.2).
using Members = std::vector<std::pair<std::string_view, std::string>>;

Result<std::string> bn_param(EVP_PKEY* pkey, const char* name, size_t pad_to) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) {
    ossl::clear_errors();
    return std::unexpected(Error::crypto_failure);
  }
  const ossl::Bignum bn(raw);
  const size_t size = pad_to != 0 ? pad_to : static_cast<size_t>(BN_num_bytes(bn.get()));
  std::string bytes(size, '\0');
  if (BN_bn2binpad(bn.get(), reinterpret_cast<uint8_t*>(bytes.data()), static_cast<int>(size)) <
      0) {
    return std::unexpected(Error::crypto_failure);
  }
  return base64url_encode(bytes);
}

std::string_view curve_name(Curve curve) {
  switch (curve) {
    case Curve::p256:
      return "P-256";
    case Curve::p384:
      return "P-384";
    case Curve::p521:
      return "P-521";
    case Curve::ed25519:
      return "Ed25519";
    case Curve::ed448:
      return "Ed448";
    case Curve::none:
      break;
  }
  return "";
}

Result<Members> required_members(const Key& key) {
  EVP_PKEY* pkey = key.evp();
  switch (key.type()) {
    case KeyType::rsa: {
      Result<std::string> n = bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, 0);
      Result<std::string> e = bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, 0);
      if (!n || !e) return std::unexpected(Error::crypto_failure);
      return Members{{"e", std::move(*e)}, {"kty", "RSA"}, {"n", std::move(*n)}};
    }
    case KeyType::ec: {
      const size_t size = coordinate_size(key.curve());
      Result<std::string> x = bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, size);
      Result<std::string> y = bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, size);
      if (!x || !y) return std::unexpected(Error::crypto_failure);
      return Members{{"crv", std::string(curve_name(key.curve()))},
                     {"kty", "EC"},
                     {"x", std::move(*x)},
                     {"y", std::move(*y)}};
    }
    case KeyType::okp: {
      uint8_t raw[64];
      size_t size = sizeof raw;
      if (EVP_PKEY_get_raw_public_key(pkey, raw, &size) != 1) {
        ossl::clear_errors();
        return std::unexpected(Error::crypto_failure);
      }
      return Members{{"crv", std::string(curve_name(key.curve()))},
                     {"kty", "OKP"},
                     {"x", base64url_encode(std::span<const uint8_t>(raw, size))}};
    }
    case KeyType::oct:
      break;
  }
  return std::unexpected(Error::unsupported_key);
}

// The members' values are base64url or fixed names: nothing in them needs JSON escaping.
std::string canonical_json(const Members& members) {
  std::string text = "{";
  for (const auto& [name, value] : members) {
    if (text.size() > 1) text += ',';
    text += '"';
    text += name;
    text += "\":\"";
    text += value;
    text += '"';
  }
  text += '}';
  return text;
}

}  // namespace

Result<std::string> thumbprint(const Key& key) {
  const Result<Members> members = required_members(key);
  if (!members) return std::unexpected(members.error());
  return base64url_encode(sha256(canonical_json(*members)));
}

Result<json::object> public_jwk(const Key& key) {
  const Result<Members> members = required_members(key);
  if (!members) return std::unexpected(members.error());
  json::object jwk;
  for (const auto& [name, value] : *members) jwk[name] = value;
  jwk["use"] = "sig";
  if (key.alg) jwk["alg"] = to_string(*key.alg);
  jwk["kid"] = key.kid.empty() ? base64url_encode(sha256(canonical_json(*members))) : key.kid;
  return jwk;
}

}  // namespace gatehouse::jose
