// Scopes (RFC 6749 section 3.3): a space-separated list of tokens, each of the characters
// %x21 / %x23-5B / %x5D-7E.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keymanager/server/oauth_error.h"

namespace gatehouse::keymanager {

// The scope tokens of a space-separated list, without repeats, in their order.
std::vector<std::string> split_scope(std::string_view scope);
std::string join_scope(const std::vector<std::string>& scopes);

// The scope to grant, space-separated. A requested scope must be a subset of `allowed`, else
// invalid_scope (as must be a malformed one). When none is requested the client gets all of
// `allowed`: section 3.3 lets the server choose a default, and the client's allowed scopes are
// what its registration says it needs; a client that wants less asks for less.
std::expected<std::string, OAuthError> grant_scope(std::optional<std::string_view> requested,
                                                   const std::vector<std::string>& allowed);

}  // namespace gatehouse::keymanager
