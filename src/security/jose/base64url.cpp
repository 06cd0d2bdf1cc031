#include "security/jose/base64url.h"

#include <array>

namespace gatehouse::jose {

namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr uint8_t invalid = 0xff;

constexpr std::array<uint8_t, 256> make_decode_table() {
  std::array<uint8_t, 256> table{};
  table.fill(invalid);
  for (uint8_t i = 0; i < 64; ++i) table[static_cast<uint8_t>(alphabet[i])] = i;
  return table;
}
constexpr std::array<uint8_t, 256> decode_table = make_decode_table();

}  // namespace

std::string base64url_encode(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t group = bytes[i] << 16 | bytes[i + 1] << 8 | bytes[i + 2];
    out += alphabet[group >> 18];
    out += alphabet[(group >> 12) & 63];
    out += alphabet[(group >> 6) & 63];
    out += alphabet[group & 63];
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    const uint32_t group = bytes[i] << 16 | (rest == 2 ? bytes[i + 1] << 8 : 0);
    out += alphabet[group >> 18];
    out += alphabet[(group >> 12) & 63];
    if (rest == 2) out += alphabet[(group >> 6) & 63];
  }
  return out;
}

Result<void> base64url_decode(std::string_view text, std::string& out) {
  // One leftover character can never hold a whole byte.
  if (text.size() % 4 == 1) return std::unexpected(Error::bad_base64);
  out.reserve(out.size() + text.size() * 3 / 4);
  uint32_t group = 0;
  int bits = 0;
  for (const char c : text) {
    const uint8_t value = decode_table[static_cast<uint8_t>(c)];
    if (value == invalid) return std::unexpected(Error::bad_base64);
    group = (group << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((group >> bits) & 0xff);
    }
  }
  // Canonical form: the bits left over after the last whole byte are zero.
  if ((group & ((1u << bits) - 1)) != 0) return std::unexpected(Error::bad_base64);
  return {};
}

Result<std::string> base64url_decode(std::string_view text) {
  std::string out;
  if (auto decoded = base64url_decode(text, out); !decoded) return std::unexpected(decoded.error());
  return out;
}

}  // namespace gatehouse::jose
