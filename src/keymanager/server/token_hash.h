// How the grant store keys tokens and codes (grant_store.h): SHA-256, lower-case hex. A copy of
// the store then holds nothing that could be presented as a token.
#pragma once

#include <string>
#include <string_view>

namespace gatehouse::keymanager {

std::string token_hash(std::string_view token);

}  // namespace gatehouse::keymanager
