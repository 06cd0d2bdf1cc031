#include "keymanager/server/userinfo_endpoint.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "keymanager/server/access_token_resolution.h"
#include "keymanager/server/bearer_challenge.h"
#include "keymanager/server/id_token.h"
#include "keymanager/server/oauth_error.h"
#include "keymanager/server/scope.h"
#include "security/jose/claims.h"

namespace gatehouse::keymanager {

namespace json = boost::json;

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
  return bearer_refusal(status, context_.settings().realm, error, description,
                        error == "insufficient_scope" ? openid_scope : std::string_view());
}

}  // namespace gatehouse::keymanager
