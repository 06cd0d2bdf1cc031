#include "keymanager/server/token_hash.h"

#include "security/jose/sha256.h"

namespace gatehouse::keymanager {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

}  // namespace

std::string token_hash(std::string_view token) {
  std::string hex;
  hex.reserve(64);
  for (uint8_t byte : jose::sha256(token)) {
    hex += hex_digits[byte >> 4];
    hex += hex_digits[byte & 0x0f];
  }
  return hex;
}

std::optional<security::TokenDigest> token_digest_of_hash(std::string_view hash) {
  security::TokenDigest digest{};
  if (hash.size() != 2 * digest.size()) return std::nullopt;
  const std::string_view digits(hex_digits, 16);
  for (size_t i = 0; i < hash.size(); ++i) {
    const size_t value = digits.find(hash[i]);
    if (value == std::string_view::npos) return std::nullopt;
    digest[i / 2] = static_cast<uint8_t>(digest[i / 2] << 4 | value);
  }
  return digest;
}

}  // namespace gatehouse::keymanager
