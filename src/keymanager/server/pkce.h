// Proof Key for Code Exchange (RFC 7636): the authorization request carries a code_challenge
// derived from a secret code_verifier, which the token request must then present. A stolen code
// is useless without the verifier, which never left the client.
#pragma once

#include <string>
#include <string_view>

namespace gatehouse::keymanager {

inline constexpr std::string_view pkce_s256 = "S256";
inline constexpr std::string_view pkce_plain = "plain";

// 43 to 128 characters of ALPHA / DIGIT / "-" / "." / "_" / "~" (section 4.1): a verifier, and so
// also a plain challenge. An S256 challenge (43 base64url characters) passes too.
bool is_pkce_value(std::string_view value);

// BASE64URL(SHA256(ASCII(code_verifier))), section 4.2.
std::string s256_challenge(std::string_view verifier);

// Whether `verifier` is well-formed and derives `challenge` by `method` (S256 or plain).
bool verifier_matches(std::string_view verifier, std::string_view challenge,
                      std::string_view method);

}  // namespace gatehouse::keymanager
