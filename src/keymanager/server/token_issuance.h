// How grants issue tokens: the access token from the context's keys and settings, and refresh
// tokens (opaque random strings, stored only as their hash, in families that rotation and reuse
// detection act on).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <expected>
#include <string>
#include <string_view>

#include "keymanager/server/access_token.h"
#include "keymanager/server/client.h"
#include "keymanager/server/grant.h"
#include "keymanager/server/oauth_error.h"
#include "keymanager/server/server_context.h"
#include "keymanager/store/grant_store.h"

namespace gatehouse::keymanager {

inline constexpr std::string_view refresh_token_grant_type = "refresh_token";

// An access token for `client`, issued at `now`, expiring at `expires_at`.
std::expected<AccessToken, OAuthError> sign_access_token(const ServerContext& context,
                                                         const Client& client,
                                                         std::string_view subject,
                                                         std::string_view scope, UnixSeconds now,
                                                         UnixSeconds expires_at);

// An access token of the client's lifetime, and no refresh token.
std::expected<IssuedTokens, OAuthError> issue_access_only(const ServerContext& context,
                                                          const Client& client,
                                                          std::string_view subject,
                                                          std::string scope, UnixSeconds now);

// An access token, and a refresh token of a new family when the client may use the refresh_token
// grant (stored before it is handed out).
boost::asio::awaitable<std::expected<IssuedTokens, OAuthError>> issue_with_refresh_token(
    ServerContext& context, const Client& client, std::string subject, std::string scope,
    UnixSeconds now);

struct NewRefreshToken {
  std::string token;          // for the client, once
  RefreshTokenRecord record;  // for the store: its hash
};

// A refresh token of `family` (a new family when empty), of the client's refresh lifetime.
NewRefreshToken new_refresh_token(const Client& client, std::string subject, std::string scope,
                                  std::string family, UnixSeconds now);

}  // namespace gatehouse::keymanager
