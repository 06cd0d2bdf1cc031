#include "security/identity/password_hash.h"

#include <argon2.h>
#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <charconv>
#include <memory>

namespace gatehouse::identity {
namespace {

// Reads a hash string left to right.
struct Cursor {
  std::string_view rest;

  bool literal(std::string_view expected) {
    if (!rest.starts_with(expected)) return false;
    rest.remove_prefix(expected.size());
    return true;
  }
  // A decimal number in [min, max], without sign or leading zeros.
  bool number(uint32_t min, uint32_t max, uint32_t& value) {
    auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
    size_t digits = static_cast<size_t>(end - rest.data());
    if (error != std::errc() || digits == 0 || (digits > 1 && rest[0] == '0')) return false;
    rest.remove_prefix(digits);
    return value >= min && value <= max;
  }
  // Characters up to the next '$' (or the end), all in `alphabet`.
  std::string_view field(std::string_view alphabet) {
    size_t size = std::min(rest.find('$'), rest.size());
    std::string_view text = rest.substr(0, size);
    if (text.find_first_not_of(alphabet) != std::string_view::npos) return {};
    rest.remove_prefix(size);
    return text;
  }
};

constexpr std::string_view base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view bcrypt_alphabet =
    "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// Unpadded base64 of at least `min_bytes` bytes.
bool is_base64_of_at_least(std::string_view text, size_t min_bytes) {
  return text.size() % 4 != 1 && text.size() * 3 / 4 >= min_bytes;
}

std::expected<HashScheme, std::string> check_argon2(std::string_view hash) {
  Cursor cursor{hash};
  HashScheme scheme = cursor.literal("$argon2id$") ? HashScheme::argon2id : HashScheme::argon2i;
  if (scheme == HashScheme::argon2i && !cursor.literal("$argon2i$")) {
    return std::unexpected("only argon2id and argon2i are accepted");
  }
  if (!cursor.literal("v=19$")) return std::unexpected("an Argon2 hash needs version v=19");
  uint32_t memory = 0, iterations = 0, lanes = 0;
  if (!cursor.literal("m=") || !cursor.number(8, max_argon2_memory_kib, memory) ||
      !cursor.literal(",t=") || !cursor.number(1, max_argon2_iterations, iterations) ||
      !cursor.literal(",p=") || !cursor.number(1, max_argon2_lanes, lanes) ||
      !cursor.literal("$") || memory < 8 * lanes) {
    return std::unexpected(
        "Argon2 parameters must be m=8*p.." + std::to_string(max_argon2_memory_kib) + ",t=1.." +
        std::to_string(max_argon2_iterations) + ",p=1.." + std::to_string(max_argon2_lanes));
  }
  std::string_view salt = cursor.field(base64_alphabet);
  bool separated = cursor.literal("$");
  std::string_view digest = cursor.field(base64_alphabet);
  if (!separated || !cursor.rest.empty() || !is_base64_of_at_least(salt, 8) ||
      !is_base64_of_at_least(digest, 16)) {
    return std::unexpected(
        "an Argon2 hash ends in $salt$hash, unpadded base64 of 8 and 16 bytes or more");
  }
  return scheme;
}

// "$2b$" two-digit cost "$", then 22 characters of salt and 31 of hash in bcrypt's alphabet.
std::expected<HashScheme, std::string> check_bcrypt(std::string_view hash) {
  Cursor cursor{hash};
  if (!cursor.literal("$2b$") && !cursor.literal("$2y$") && !cursor.literal("$2a$")) {
    return std::unexpected("only the bcrypt variants $2b$, $2y$ and $2a$ are accepted");
  }
  std::string_view digits = cursor.rest.substr(0, 2);
  bool two_digits =
      digits.size() == 2 && digits.find_first_not_of("0123456789") == std::string_view::npos;
  int cost = two_digits ? (digits[0] - '0') * 10 + (digits[1] - '0') : 0;
  if (cost < 4 || cost > max_bcrypt_cost) {
    return std::unexpected("the bcrypt cost must be two digits from 04 to " +
                           std::to_string(max_bcrypt_cost));
  }
  cursor.rest.remove_prefix(2);
  if (!cursor.literal("$") || cursor.rest.size() != 53 ||
      cursor.field(bcrypt_alphabet).size() != 53) {
    return std::unexpected("a bcrypt hash has 53 characters of salt and hash after the cost");
  }
  return HashScheme::bcrypt;
}

bool verify_bcrypt(std::string_view password, const std::string& hash) {
  // crypt_rn reads a NUL-terminated password; its work area is about 32 KiB, too much for a stack.
  std::string terminated(password);
  auto work = std::make_unique<crypt_data>();
  const char* computed = crypt_rn(terminated.c_str(), hash.c_str(), work.get(), sizeof(crypt_data));
  bool same = computed != nullptr && computed[0] != '*' &&
              std::char_traits<char>::length(computed) == hash.size() &&
              CRYPTO_memcmp(computed, hash.data(), hash.size()) == 0;
  OPENSSL_cleanse(work.get(), sizeof(crypt_data));
  return same;
}

}  // namespace

std::expected<HashScheme, std::string> check_password_hash(std::string_view hash) {
  if (hash.starts_with("$argon2")) return check_argon2(hash);
  if (hash.starts_with("$2")) return check_bcrypt(hash);
  return std::unexpected("unknown password hash format (expected $argon2id$... or bcrypt $2b$...)");
}

bool verify_password(std::string_view password, const std::string& hash, HashScheme scheme) {
  if (password.size() > max_password_size || password.find('\0') != std::string_view::npos) {
    return false;
  }
  switch (scheme) {
    case HashScheme::argon2id:
      return argon2id_verify(hash.c_str(), password.data(), password.size()) == ARGON2_OK;
    case HashScheme::argon2i:
      return argon2i_verify(hash.c_str(), password.data(), password.size()) == ARGON2_OK;
    case HashScheme::bcrypt:
      return verify_bcrypt(password, hash);
  }
  return false;
}

std::expected<std::string, std::string> hash_password_argon2id(std::string_view password) {
  constexpr size_t salt_size = 16, hash_size = 32;
  unsigned char salt[salt_size];
  if (RAND_bytes(salt, salt_size) != 1) return std::unexpected("no random bytes for a salt");
  std::string encoded(argon2_encodedlen(argon2id_iterations, argon2id_memory_kib, argon2id_lanes,
                                        salt_size, hash_size, Argon2_id),
                      '\0');
  int result = argon2id_hash_encoded(argon2id_iterations, argon2id_memory_kib, argon2id_lanes,
                                     password.data(), password.size(), salt, salt_size, hash_size,
                                     encoded.data(), encoded.size());
  if (result != ARGON2_OK) return std::unexpected(argon2_error_message(result));
  encoded.resize(std::char_traits<char>::length(encoded.c_str()));
  return encoded;
}

}  // namespace gatehouse::identity
