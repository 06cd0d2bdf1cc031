#include "security/jose/jwk.h"

#include <openssl/core_names.h>

#include "security/jose/base64url.h"
#include "security/jose/openssl.h"
#include "security/jose/strict_json.h"

namespace gatehouse::jose {

namespace {

namespace json = boost::json;

// A member that must be a string; absent gives an empty string.
Result<std::string_view> string_member(const json::object& jwk, std::string_view name) {
  const json::value* value = jwk.if_contains(name);
  if (value == nullptr) return std::string_view();
  if (!value->is_string()) return std::unexpected(Error::bad_key);
  return std::string_view(value->get_string());
}

Result<std::string> bytes_member(const json::object& jwk, std::string_view name) {
  const Result<std::string_view> text = string_member(jwk, name);
  if (!text) return std::unexpected(text.error());
  if (text->empty()) return std::unexpected(Error::bad_key);
  Result<std::string> bytes = base64url_decode(*text);
  if (!bytes) return std::unexpected(Error::bad_key);
  return bytes;
}

// Builds a public key from OSSL_PARAMs and has OpenSSL check it (for EC: the point is on the
// curve; for RSA: the exponent and modulus are sane).
Result<Key> key_from_params(const char* type, OSSL_PARAM_BLD* builder) {
  const ossl::Params params(OSSL_PARAM_BLD_to_param(builder));
  const ossl::PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* made = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &made, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    ossl::clear_errors();
    return std::unexpected(Error::bad_key);
  }
  ossl::Pkey pkey(made);
  const ossl::PkeyCtx check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    ossl::clear_errors();
    return std::unexpected(Error::bad_key);
  }
  return Key::adopt(pkey.release(), false);
}

Result<Key> rsa_key(const json::object& jwk) {
  const Result<std::string> n = bytes_member(jwk, "n");
  const Result<std::string> e = bytes_member(jwk, "e");
  if (!n || !e) return std::unexpected(Error::bad_key);
  // Refused before OpenSSL does any work on it.
  if (n->size() * 8 < min_rsa_bits) return std::unexpected(Error::weak_key);
  const ossl::Bignum bn_n(
      BN_bin2bn(reinterpret_cast<const uint8_t*>(n->data()), static_cast<int>(n->size()), nullptr));
  const ossl::Bignum bn_e(
      BN_bin2bn(reinterpret_cast<const uint8_t*>(e->data()), static_cast<int>(e->size()), nullptr));
  const ossl::ParamBuilder builder(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !builder ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return std::unexpected(Error::crypto_failure);
  }
  return key_from_params("RSA", builder.get());
}

Result<Key> ec_key(const json::object& jwk) {
  const Result<std::string_view> crv = string_member(jwk, "crv");
  if (!crv) return std::unexpected(crv.error());
  Curve curve = Curve::none;
  const char* group = nullptr;
  if (*crv == "P-256") curve = Curve::p256, group = "prime256v1";
  if (*crv == "P-384") curve = Curve::p384, group = "secp384r1";
  if (*crv == "P-521") curve = Curve::p521, group = "secp521r1";
  if (group == nullptr) return std::unexpected(Error::unsupported_key);
  const Result<std::string> x = bytes_member(jwk, "x");
  const Result<std::string> y = bytes_member(jwk, "y");
  // RFC 7518 section 6.2.1.2: coordinates are exactly the curve's size, leading zeros kept.
  const size_t size = coordinate_size(curve);
  if (!x || !y || x->size() != size || y->size() != size) return std::unexpected(Error::bad_key);
  std::string point = "\x04";  // uncompressed point: 04 || x || y
  point += *x;
  point += *y;
  const ossl::ParamBuilder builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return std::unexpected(Error::crypto_failure);
  }
  return key_from_params("EC", builder.get());
}

Result<Key> okp_key(const json::object& jwk) {
  const Result<std::string_view> crv = string_member(jwk, "crv");
  if (!crv) return std::unexpected(crv.error());
  const char* type = nullptr;
  size_t size = 0;
  if (*crv == "Ed25519") type = "ED25519", size = 32;
  if (*crv == "Ed448") type = "ED448", size = 57;
  if (type == nullptr) return std::unexpected(Error::unsupported_key);  // X25519, X448: not sig
  const Result<std::string> x = bytes_member(jwk, "x");
  if (!x || x->size() != size) return std::unexpected(Error::bad_key);
  const ossl::ParamBuilder builder(OSSL_PARAM_BLD_new());
  if (!builder || OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY,
                                                   x->data(), x->size()) != 1) {
    return std::unexpected(Error::crypto_failure);
  }
  return key_from_params(type, builder.get());
}

Result<Key> oct_key(const json::object& jwk) {
  Result<std::string> k = bytes_member(jwk, "k");
  if (!k) return std::unexpected(k.error());
  return Key::from_secret(std::move(*k));
}

std::string kid_of(const json::object& jwk) {
  const json::value* kid = jwk.if_contains("kid");
  return kid != nullptr && kid->is_string() ? std::string(kid->get_string()) : std::string();
}

}  // namespace

Result<Key> parse_jwk(const json::object& jwk) {
  const Result<std::string_view> kty = string_member(jwk, "kty");
  const Result<std::string_view> kid = string_member(jwk, "kid");
  const Result<std::string_view> use = string_member(jwk, "use");
  const Result<std::string_view> alg_name = string_member(jwk, "alg");
  if (!kty || !kid || !use || !alg_name) return std::unexpected(Error::bad_key);
  // Only signature keys: an encryption key must not verify tokens (RFC 7517 section 4.2).
  if (!use->empty() && *use != "sig") return std::unexpected(Error::unsupported_key);
  std::optional<Alg> alg;
  if (!alg_name->empty()) {
    const Result<Alg> parsed = parse_alg(*alg_name);
    if (!parsed) return std::unexpected(Error::unsupported_key);
    alg = *parsed;
  }
  Result<Key> key = std::unexpected(Error::unsupported_key);
  if (*kty == "RSA") key = rsa_key(jwk);
  if (*kty == "EC") key = ec_key(jwk);
  if (*kty == "OKP") key = okp_key(jwk);
  if (*kty == "oct") key = oct_key(jwk);
  if (!key) return key;
  key->kid = *kid;
  key->use = *use;
  key->alg = alg;
  return key;
}

const Key* KeySet::find(std::string_view kid) const {
  for (const Key& key : keys_) {
    if (key.kid == kid) return &key;
  }
  return nullptr;
}

Result<KeySet> parse_jwks(std::string_view text, size_t max_bytes) {
  if (text.size() > max_bytes) return std::unexpected(Error::too_large);
  const Result<json::object> document = parse_object_strict(text);
  if (!document) return std::unexpected(document.error());
  const json::value* keys = document->if_contains("keys");
  if (keys == nullptr || !keys->is_array()) return std::unexpected(Error::malformed);
  KeySet set;
  for (const json::value& entry : keys->get_array()) {
    if (!entry.is_object()) {
      set.skipped_.push_back({"", Error::bad_key});
      continue;
    }
    Result<Key> key = parse_jwk(entry.get_object());
    if (key) {
      set.keys_.push_back(std::move(*key));
    } else {
      set.skipped_.push_back({kid_of(entry.get_object()), key.error()});
    }
  }
  return set;
}

}  // namespace gatehouse::jose
