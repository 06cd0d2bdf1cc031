#include "keymanager/server/userinfo_endpoint.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "keymanager/server/access_token_resolution.h"
#include "keymanager/server/id_token.h"
#include "keymanager/server/oauth_error.h"
#include "keymanager/server/scope.h"
#include "security/jose/claims.h"

namespace gatehouse::keymanager {

namespace json = boost::json;

namespace {

// The token of `Authorization: Bearer <token>` (the scheme is case-insensitive); nullopt when the
// header is absent or of another scheme.
std::optional<std::string_view> bearer_token(std::string_view authorization) {
  constexpr std::string_view scheme = "bearer ";
  if (authorization.size() <= scheme.size()) return std::nullopt;
  for (size_t i = 0; i < scheme.size(); ++i) {
    const char c = authorization[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != scheme[i]) {
      return std::nullopt;
    }
  }
  std::string_view token = authorization.substr(scheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  return token;
}

}  // namespace

OAuthAnswer UserinfoEndpoint::handle(const OAuthRequest& request) const {
  const auto token = bearer_token(request.authorization);
  if (!token) return refuse(401, {}, "a Bearer access token is required");
  const UnixSeconds now = context_.now();
  const auto claims = resolve_access_token(context_, *token, now);
  if (!claims) return refuse(401, "invalid_token", "the access token is not valid");
  const jose::Claims read(*claims);
  const json::value* scope = claims->if_contains("scope");
  if (scope == nullptr || !scope->is_string() || !has_openid(scope->get_string())) {
    return refuse(403, "insufficient_scope", "the access token's scope lacks openid");
  }

  const std::string subject(read.sub());
  json::object body{{"sub", subject}};
  const identity::UserStore* users = context_.settings().users;
  if (const identity::StoredUser* user = users ? users->find(subject) : nullptr) {
    // OpenID Connect Core section 5.4: the profile scope is what asks for the name.
    const std::vector<std::string> scopes = split_scope(scope->get_string());
    if (std::ranges::find(scopes, profile_scope) != scopes.end()) body["name"] = user->name;
    if (!user->roles.empty()) body["roles"] = json::array(user->roles.begin(), user->roles.end());
  }
  return no_store_answer(200, body);
}

OAuthAnswer UserinfoEndpoint::refuse(int status, std::string_view error,
                                     std::string_view description) const {
  std::string challenge = "Bearer realm=" + http_quoted(context_.settings().realm);
  json::object body{{"error_description", description}};
  if (!error.empty()) {
    challenge += ", error=" + http_quoted(error);
    body["error"] = error;
  }
  if (error == "insufficient_scope") challenge += ", scope=" + http_quoted(openid_scope);
  OAuthAnswer answer = no_store_answer(status, body);
  answer.headers.emplace_back("WWW-Authenticate", std::move(challenge));
  return answer;
}

}  // namespace gatehouse::keymanager
