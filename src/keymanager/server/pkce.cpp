#include "keymanager/server/pkce.h"

#include <algorithm>

#include "security/jose/base64url.h"
#include "security/jose/sha256.h"

namespace gatehouse::keymanager {

bool is_pkce_value(std::string_view value) {
  return value.size() >= 43 && value.size() <= 128 && std::ranges::all_of(value, [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '.' || c == '_' || c == '~';
         });
}

std::string s256_challenge(std::string_view verifier) {
  const auto digest = jose::sha256(verifier);
  return jose::base64url_encode(digest);
}

bool verifier_matches(std::string_view verifier, std::string_view challenge,
                      std::string_view method) {
  if (!is_pkce_value(verifier)) return false;
  if (method == pkce_s256) return s256_challenge(verifier) == challenge;
  return method == pkce_plain && verifier == challenge;
}

}  // namespace gatehouse::keymanager
