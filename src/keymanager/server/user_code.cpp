#include "keymanager/server/user_code.h"

#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <cstdlib>

namespace gatehouse::keymanager {

namespace {

constexpr std::string_view user_code_alphabet = "BCDFGHJKLMNPQRSTVWXZ";
constexpr size_t user_code_length = 8;

}  // namespace

std::string new_user_code() {
  std::string code;
  while (code.size() < user_code_length) {
    std::array<uint8_t, 16> bytes{};
    // As random_token(): a predictable code would be worse than stopping.
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) std::abort();
    // 240 is a multiple of the alphabet's 20: bytes above it are dropped, so every character is
    // equally likely.
    for (const uint8_t byte : bytes) {
      if (byte < 240 && code.size() < user_code_length) {
        code += user_code_alphabet[byte % user_code_alphabet.size()];
      }
    }
  }
  return code;
}

std::string display_user_code(std::string_view normalised) {
  return std::string(normalised.substr(0, 4)) + "-" + std::string(normalised.substr(4));
}

std::optional<std::string> normalise_user_code(std::string_view typed) {
  std::string code;
  for (const char c : typed) {
    if (c == '-' || c == ' ') continue;
    const char upper = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    if (user_code_alphabet.find(upper) == std::string_view::npos) return std::nullopt;
    code += upper;
    if (code.size() > user_code_length) return std::nullopt;
  }
  if (code.size() != user_code_length) return std::nullopt;
  return code;
}

}  // namespace gatehouse::keymanager
