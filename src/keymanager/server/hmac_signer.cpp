#include "keymanager/server/hmac_signer.h"

#include <openssl/rand.h>

#include <cstdlib>
#include <vector>

#include "security/jose/claims.h"
#include "security/jose/jws.h"
#include "security/jose/sign.h"
#include "security/jose/verify.h"

namespace gatehouse::keymanager {

namespace {

jose::Key random_key() {
  std::string secret(32, '\0');
  // As random_token: a predictable key would let anyone forge a session.
  if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()),
                 static_cast<int>(secret.size())) != 1) {
    std::abort();
  }
  auto key = jose::Key::from_secret(std::move(secret));
  if (!key) std::abort();  // 32 bytes is the minimum from_secret takes
  key->alg = jose::Alg::HS256;
  return std::move(*key);
}

}  // namespace

HmacSigner::HmacSigner() : keys_(std::vector<jose::Key>{random_key()}) {}

std::string HmacSigner::sign(boost::json::object claims, std::string_view typ,
                             UnixSeconds expires_at) const {
  claims["exp"] = expires_at;
  auto signed_value = jose::sign_jwt(claims, keys_.keys().front(), jose::Alg::HS256, "", typ);
  // HMAC over a few hundred bytes fails only when OpenSSL cannot allocate.
  if (!signed_value) std::abort();
  return std::move(*signed_value);
}

std::optional<boost::json::object> HmacSigner::verify(std::string_view value, std::string_view typ,
                                                      UnixSeconds now) const {
  auto jws = jose::decode_jws(value);
  if (!jws || jws->typ() != typ || !jose::verify(*jws, keys_)) return std::nullopt;
  if (!jose::check_claims(jws->payload(), {.leeway_seconds = 0}, now)) return std::nullopt;
  return jws->payload();
}

}  // namespace gatehouse::keymanager
