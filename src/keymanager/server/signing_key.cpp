#include "keymanager/server/signing_key.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

#include "security/jose/pem.h"
#include "security/jose/public_jwk.h"

namespace gatehouse::keymanager {

namespace {

using Pkey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

Pkey generate(jose::Alg alg) {
  EVP_PKEY* key = nullptr;
  if (alg == jose::Alg::RS256) key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
  if (alg == jose::Alg::ES256) key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  return Pkey(key, EVP_PKEY_free);
}

std::expected<std::string, std::string> pkcs8_pem(EVP_PKEY* key) {
  const Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return std::unexpected("the new signing key cannot be written as PEM");
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

}  // namespace

std::expected<SigningKeyRecord, std::string> generate_signing_key(jose::Alg alg, UnixSeconds now) {
  if (alg != jose::Alg::RS256 && alg != jose::Alg::ES256) {
    return std::unexpected("signing keys are RS256 or ES256, not " +
                           std::string(jose::to_string(alg)));
  }
  const Pkey key = generate(alg);
  if (!key) return std::unexpected("OpenSSL could not generate a signing key");
  auto pem = pkcs8_pem(key.get());
  if (!pem) return std::unexpected(pem.error());
  // Read back through jose, as every later load will: the kid is computed from what is stored.
  const auto loaded = jose::load_private_key_pem(*pem);
  if (!loaded) return std::unexpected("the new signing key cannot be read back");
  const auto kid = jose::thumbprint(*loaded);
  if (!kid) return std::unexpected("the new signing key has no thumbprint");
  return SigningKeyRecord{.kid = *kid,
                          .alg = std::string(jose::to_string(alg)),
                          .private_pem = std::move(*pem),
                          .created_at = now,
                          .retired_at = 0};
}

}  // namespace gatehouse::keymanager
