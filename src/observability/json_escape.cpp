#include "observability/json_escape.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace gatehouse::observability {
namespace {

// Bytes copied as they are: printable ASCII except quote and backslash.
constexpr auto kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
  return plain;
}();

// The longest escape of one input byte: "\u00XX" for a control character, "\ufffd" for a byte
// that is not valid UTF-8.
constexpr size_t kMaxEscapedBytes = 6;

bool is_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// Length of the well-formed UTF-8 sequence starting at text[i] (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF), or 0 if it is not one.
size_t utf8_sequence_length(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char lead = byte(0);
  size_t length = 0;
  unsigned char second_min = 0x80, second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;  // overlong below U+0800
    if (lead == 0xED) second_max = 0x9F;  // surrogates U+D800..U+DFFF
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;  // overlong below U+10000
    if (lead == 0xF4) second_max = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (text.size() - i < length) return 0;
  if (byte(1) < second_min || byte(1) > second_max) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (!is_continuation(byte(k))) return 0;
  }
  return length;
}

// Writes the escape of an ASCII byte that is not plain; returns the end of what it wrote.
char* write_escaped_ascii(char* out, unsigned char c) {
  const auto put = [&](std::string_view escape) {
    std::memcpy(out, escape.data(), escape.size());
    return out + escape.size();
  };
  switch (c) {
    case '"':
      return put("\\\"");
    case '\\':
      return put("\\\\");
    case '\n':
      return put("\\n");
    case '\r':
      return put("\\r");
    case '\t':
      return put("\\t");
    case '\b':
      return put("\\b");
    case '\f':
      return put("\\f");
    default: {
      static constexpr char kHex[] = "0123456789abcdef";
      const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      return put({escaped, sizeof escaped});
    }
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  // Written in place into room for the worst case: this runs for every field of every line.
  const size_t old_size = out.size();
  out.resize_and_overwrite(
      old_size + text.size() * kMaxEscapedBytes + 2, [&](char* buffer, size_t) {
        char* cursor = buffer + old_size;
        *cursor++ = '"';
        size_t i = 0;
        while (i < text.size()) {
          size_t run_end = i;
          while (run_end < text.size() && kPlain[static_cast<unsigned char>(text[run_end])])
            ++run_end;
          std::memcpy(cursor, text.data() + i, run_end - i);
          cursor += run_end - i;
          i = run_end;
          if (i == text.size()) break;

          const auto c = static_cast<unsigned char>(text[i]);
          if (c < 0x80) {
            cursor = write_escaped_ascii(cursor, c);
            ++i;
          } else if (const size_t length = utf8_sequence_length(text, i)) {
            std::memcpy(cursor, text.data() + i, length);
            cursor += length;
            i += length;
          } else {
            std::memcpy(cursor, "\\ufffd", 6);
            cursor += 6;
            ++i;
          }
        }
        *cursor++ = '"';
        return static_cast<size_t>(cursor - buffer);
      });
}

}  // namespace gatehouse::observability
