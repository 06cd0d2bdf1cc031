#include "keymanager/server/token_hash.h"

#include "security/jose/sha256.h"

namespace gatehouse::keymanager {

std::string token_hash(std::string_view token) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(64);
  for (uint8_t byte : jose::sha256(token)) {
    hex += digits[byte >> 4];
    hex += digits[byte & 0x0f];
  }
  return hex;
}

}  // namespace gatehouse::keymanager
