#include "security/jose/sha256.h"

#include <cstdlib>

#include "security/jose/openssl.h"

namespace gatehouse::jose {

std::array<uint8_t, 32> sha256(std::string_view data) {
  std::array<uint8_t, 32> digest{};
  // SHA-256 over memory fails only if OpenSSL itself is broken: that is not an input error.
  if (EVP_Digest(data.data(), data.size(), digest.data(), nullptr, EVP_sha256(), nullptr) != 1) {
    std::abort();
  }
  return digest;
}

}  // namespace gatehouse::jose
