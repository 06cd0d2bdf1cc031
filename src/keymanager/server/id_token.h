// ID tokens (OpenID Connect Core 1.0, section 2), issued with the access token when the granted
// scope has `openid`: signed by the key ring's current key like access tokens, with `typ: JWT`
// (never taken for an access token, whose typ is at+jwt), and the claims
//   iss, sub, aud (the client id), azp (the client id), iat, exp (the access token's),
//   auth_time (when the user logged in), nonce (the authorization request's, when it had one),
//   at_hash (section 3.1.3.6: the access token's, so a client can tell the pair was issued
//   together)
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "keymanager/server/access_token.h"
#include "keymanager/server/client.h"
#include "keymanager/server/grant.h"
#include "keymanager/server/oauth_error.h"
#include "keymanager/server/server_context.h"

namespace gatehouse::keymanager {

inline constexpr std::string_view openid_scope = "openid";
// The scope that asks for the user's name (OpenID Connect Core section 5.4).
inline constexpr std::string_view profile_scope = "profile";

bool has_openid(std::string_view scope);

// What the ID token says about the login, as kept with the code or the refresh token.
struct Login {
  std::string subject;
  UnixSeconds auth_time = 0;
  std::string nonce;  // empty: none (always for a refreshed ID token, section 12.2)
};

// The left half of the access token's SHA-256, base64url: RS256 and ES256, the key ring's algs,
// both hash with SHA-256.
std::string at_hash(std::string_view access_token);

std::expected<std::string, OAuthError> issue_id_token(const ServerContext& context,
                                                      const Client& client, const Login& login,
                                                      const AccessToken& access_token,
                                                      UnixSeconds now);

// `issued`, with the ID token of `login` beside its access token when `scope` has openid: what
// every grant that knows a user answers.
std::expected<IssuedTokens, OAuthError> with_id_token(const ServerContext& context,
                                                      const Client& client, const Login& login,
                                                      std::string_view scope, IssuedTokens issued,
                                                      UnixSeconds now);

// The refresh token's context (RefreshTokenRecord::context) that keeps the login's time for the
// ID tokens of later refreshes, and reading it back (0 when it has none).
std::string login_context(UnixSeconds auth_time);
UnixSeconds auth_time_of(std::string_view context);

}  // namespace gatehouse::keymanager
