#include "keymanager/server/scope.h"

#include <algorithm>

namespace gatehouse::keymanager {

namespace {

bool is_scope_token(std::string_view token) {
  return !token.empty() && std::ranges::all_of(token, [](char c) {
    return c >= 0x21 && c <= 0x7e && c != '"' && c != '\\';
  });
}

}  // namespace

std::vector<std::string> split_scope(std::string_view scope) {
  std::vector<std::string> scopes;
  size_t start = 0;
  while (start < scope.size()) {
    size_t end = scope.find(' ', start);
    if (end == std::string_view::npos) end = scope.size();
    std::string token(scope.substr(start, end - start));
    if (!token.empty() && std::ranges::find(scopes, token) == scopes.end()) {
      scopes.push_back(std::move(token));
    }
    start = end + 1;
  }
  return scopes;
}

std::string join_scope(const std::vector<std::string>& scopes) {
  std::string joined;
  for (const std::string& scope : scopes) {
    if (!joined.empty()) joined += ' ';
    joined += scope;
  }
  return joined;
}

std::expected<std::string, OAuthError> grant_scope(std::optional<std::string_view> requested,
                                                   const std::vector<std::string>& allowed) {
  if (!requested) return join_scope(allowed);
  const std::vector<std::string> scopes = split_scope(*requested);
  for (const std::string& scope : scopes) {
    if (!is_scope_token(scope)) {
      return std::unexpected(OAuthError{OAuthErrorCode::invalid_scope, "the scope is malformed"});
    }
    if (std::ranges::find(allowed, scope) == allowed.end()) {
      return std::unexpected(OAuthError{OAuthErrorCode::invalid_scope,
                                        "the requested scope exceeds what the client may have"});
    }
  }
  return join_scope(scopes);
}

}  // namespace gatehouse::keymanager
