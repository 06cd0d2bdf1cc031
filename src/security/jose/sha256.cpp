#include "security/jose/sha256.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "security/jose/openssl.h"

namespace gatehouse::jose {

namespace {

// SHA-256 over memory fails only if OpenSSL itself is broken: that is not an input error.
void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

std::array<uint8_t, 32> sha256(std::string_view data) {
  // Every token seen on the hot path is hashed. EVP_Digest(EVP_sha256()) looks the
  // implementation up in OpenSSL's provider store each time (locks and table probes, more than
  // the hashing of a short token costs); one fetched once and one context per thread skip that.
  thread_local const std::unique_ptr<EVP_MD, ossl::Deleter<EVP_MD_free>> md(
      EVP_MD_fetch(nullptr, "SHA256", nullptr));
  thread_local const ossl::MdCtx context(EVP_MD_CTX_new());
  require(md != nullptr && context != nullptr);
  std::array<uint8_t, 32> digest{};
  unsigned int length = 0;
  require(EVP_DigestInit_ex2(context.get(), md.get(), nullptr) == 1);
  require(EVP_DigestUpdate(context.get(), data.data(), data.size()) == 1);
  require(EVP_DigestFinal_ex(context.get(), digest.data(), &length) == 1 &&
          length == digest.size());
  return digest;
}

bool sha256_listed(std::string_view token, const std::vector<std::string>& digests) {
  const std::array<uint8_t, 32> digest = sha256(token);
  return std::ranges::any_of(digests, [&](const std::string& listed) {
    return listed.size() == digest.size() &&
           CRYPTO_memcmp(listed.data(), digest.data(), digest.size()) == 0;
  });
}

}  // namespace gatehouse::jose
