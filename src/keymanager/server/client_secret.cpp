#include "keymanager/server/client_secret.h"

#include <openssl/crypto.h>

#include "keymanager/server/random_token.h"
#include "keymanager/server/token_hash.h"

namespace gatehouse::keymanager {

namespace {

constexpr std::string_view prefix = "sha256:";

}  // namespace

ClientSecret generate_client_secret() {
  std::string secret = random_token();
  std::string hash = hash_client_secret(secret);
  return ClientSecret{std::move(secret), std::move(hash)};
}

std::string hash_client_secret(std::string_view secret) {
  return std::string(prefix) + token_hash(secret);
}

bool is_client_secret_hash(std::string_view hash) {
  if (!hash.starts_with(prefix) || hash.size() != prefix.size() + 64) return false;
  return hash.substr(prefix.size()).find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

bool client_secret_matches(std::string_view secret, std::string_view hash) {
  const std::string presented = hash_client_secret(secret);
  // The lengths are public (every hash is as long); the contents are compared in constant time.
  return presented.size() == hash.size() &&
         CRYPTO_memcmp(presented.data(), hash.data(), hash.size()) == 0;
}

}  // namespace gatehouse::keymanager
