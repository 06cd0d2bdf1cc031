#include "config/text_rules.h"

#include <cstdint>

namespace gatehouse::config {
namespace {

// The length of the well-formed UTF-8 sequence at `text[i]` (1 to 4), or 0.
size_t sequence_length(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  const uint8_t lead = byte(i);
  if (lead < 0x80) return 1;
  size_t length = 0;
  uint8_t low = 0x80;   // the range of the second byte, narrowed to exclude overlong forms,
  uint8_t high = 0xBF;  // surrogates and code points above U+10FFFF (RFC 3629, section 4)
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

bool is_control(std::string_view text, size_t i, size_t length) {
  const auto lead = static_cast<uint8_t>(text[i]);
  if (length == 1) return (lead < 0x20 && lead != '\t') || lead == 0x7F;
  // U+0080-U+009F, the C1 controls, are C2 80 to C2 9F.
  return length == 2 && lead == 0xC2 && static_cast<uint8_t>(text[i + 1]) <= 0x9F;
}

}  // namespace

std::optional<size_t> find_text_violation(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t length = sequence_length(text, i);
    if (length == 0 || is_control(text, i, length)) return i;
    i += length;
  }
  return std::nullopt;
}

std::string printable(std::string_view text, size_t max_bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (out.size() >= max_bytes) {
      out += "...";
      break;
    }
    const size_t length = sequence_length(text, i);
    if (length != 0 && !is_control(text, i, length) && text[i] != '\t') {
      out.append(text.substr(i, length));
      i += length;
      continue;
    }
    const auto byte = static_cast<uint8_t>(text[i]);
    out += "\\x";
    out += kHex[byte >> 4];
    out += kHex[byte & 0xF];
    ++i;
  }
  return out;
}

}  // namespace gatehouse::config
