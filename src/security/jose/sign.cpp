#include "security/jose/sign.h"

#include <openssl/hmac.h>
#include <openssl/rsa.h>
#include <boost/json/serialize.hpp>

#include "security/jose/base64url.h"
#include "security/jose/ecdsa_signature.h"
#include "security/jose/openssl.h"
#include "security/jose/verify.h"

namespace gatehouse::jose {

namespace {

namespace json = boost::json;

Result<std::string> hmac(Alg alg, std::string_view input, const Key& key) {
  std::string mac(EVP_MAX_MD_SIZE, '\0');
  unsigned int size = 0;
  if (HMAC(ossl::digest(alg), key.secret().data(), static_cast<int>(key.secret().size()),
           ossl::bytes(input), input.size(), reinterpret_cast<uint8_t*>(mac.data()),
           &size) == nullptr) {
    ossl::clear_errors();
    return std::unexpected(Error::crypto_failure);
  }
  mac.resize(size);
  return mac;
}

Result<std::string> sign_asymmetric(Alg alg, std::string_view input, const Key& key) {
  const ossl::MdCtx ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pkey_ctx = nullptr;
  size_t size = 0;
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), &pkey_ctx, ossl::digest(alg), nullptr, key.evp()) != 1 ||
      (family(alg) == AlgFamily::rsa_pss &&
       (EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pkey_ctx, RSA_PSS_SALTLEN_DIGEST) != 1)) ||
      EVP_DigestSign(ctx.get(), nullptr, &size, ossl::bytes(input), input.size()) != 1) {
    ossl::clear_errors();
    return std::unexpected(Error::crypto_failure);
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<uint8_t*>(signature.data()), &size,
                     ossl::bytes(input), input.size()) != 1) {
    ossl::clear_errors();
    return std::unexpected(Error::crypto_failure);
  }
  signature.resize(size);
  if (family(alg) == AlgFamily::ecdsa)
    return ecdsa_der_to_raw(signature, coordinate_size(key.curve()));
  return signature;
}

}  // namespace

Result<std::string> sign_jwt(const json::object& claims, const Key& key, Alg alg,
                             std::string_view kid, std::string_view typ) {
  if (auto fits = check_key_fits(key, alg); !fits) return std::unexpected(fits.error());
  if (!key.is_private()) return std::unexpected(Error::bad_key);
  json::object header;
  header["alg"] = to_string(alg);
  header["typ"] = typ;
  if (!kid.empty()) header["kid"] = kid;
  std::string token = base64url_encode(json::serialize(header));
  token += '.';
  token += base64url_encode(json::serialize(claims));
  const Result<std::string> signature =
      family(alg) == AlgFamily::hmac ? hmac(alg, token, key) : sign_asymmetric(alg, token, key);
  if (!signature) return std::unexpected(signature.error());
  token += '.';
  token += base64url_encode(*signature);
  return token;
}

}  // namespace gatehouse::jose
