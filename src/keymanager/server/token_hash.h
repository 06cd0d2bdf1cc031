// How the grant store keys tokens and codes (grant_store.h): SHA-256, lower-case hex. A copy of
// the store then holds nothing that could be presented as a token.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "security/auth/token_cache.h"

namespace gatehouse::keymanager {

std::string token_hash(std::string_view token);

// The SHA-256 bytes that token_hash() wrote out: how the table of live opaque tokens
// (security::ResidentOpaqueTokens) keys them, as the gateway hashes the token it is shown.
// nullopt for text that token_hash() cannot have written.
std::optional<security::TokenDigest> token_digest_of_hash(std::string_view hash);

}  // namespace gatehouse::keymanager
