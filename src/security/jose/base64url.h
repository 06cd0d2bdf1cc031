// Unpadded base64url (RFC 4648 section 5), strict as JWS requires (RFC 7515 section 2): no
// padding, no whitespace, no characters of the standard alphabet, and unused trailing bits zero, so
// that each byte string has exactly one encoding and a token cannot be altered without its bytes.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "security/jose/error.h"

namespace gatehouse::jose {

std::string base64url_encode(std::span<const uint8_t> bytes);
inline std::string base64url_encode(std::string_view bytes) {
  return base64url_encode(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

// Appends the decoded bytes to `out` (which keeps what it had on failure: the caller clears it).
Result<void> base64url_decode(std::string_view text, std::string& out);
Result<std::string> base64url_decode(std::string_view text);

}  // namespace gatehouse::jose
