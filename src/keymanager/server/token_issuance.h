// How grants issue tokens: the access token from the context's keys and settings, in the
// client's format (a JWT, or an opaque token), and refresh tokens (opaque random strings, stored
// only as their hash, in families that rotation and reuse detection act on).
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

// The claims of an access token for `client`, of the context's issuer and audience, issued at
// `now`, expiring at `expires_at`, bound to the client certificate of that thumbprint (RFC 8705
// section 3) unless it is empty. They view the arguments: keep those while they are used.
AccessTokenClaims access_token_claims(const ServerContext& context, const Client& client,
                                      std::string_view subject, std::string_view scope,
                                      UnixSeconds now, UnixSeconds expires_at,
                                      std::string_view certificate_thumbprint);

// An access token in the client's format (Client::access_token_format): a JWT signed with the
// context's current key, or an opaque token, stored and resolvable before it is handed out
// (opaque_access_token.h).
boost::asio::awaitable<std::expected<AccessToken, OAuthError>> issue_access_token(
    ServerContext& context, const Client& client, const AccessTokenClaims& claims);

// An access token of the client's lifetime, and no refresh token.
boost::asio::awaitable<std::expected<IssuedTokens, OAuthError>> issue_access_only(
    ServerContext& context, const Client& client, std::string_view subject, std::string scope,
    UnixSeconds now, std::string_view certificate_thumbprint);

// A grant the user authorised, which every token issued from it belongs to: revoking the family
// (a reused refresh token or code, a revoked refresh token) revokes them all.
struct FamilyGrant {
  std::string family;  // new_family() for a new grant
  std::string subject;
  std::string scope;
  std::string context = "{}";  // RefreshTokenRecord::context, carried to each rotated token
};

std::string new_family();

// An access token recorded in the family, and a refresh token of the family when the client may
// use the refresh_token grant; both stored before they are handed out.
boost::asio::awaitable<std::expected<IssuedTokens, OAuthError>> issue_in_family(
    ServerContext& context, const Client& client, FamilyGrant grant, UnixSeconds now,
    std::string_view certificate_thumbprint);

// An access token, and a refresh token of a new family when the client may use the refresh_token
// grant (without one there is no family to record the access token in).
boost::asio::awaitable<std::expected<IssuedTokens, OAuthError>> issue_with_refresh_token(
    ServerContext& context, const Client& client, std::string subject, std::string scope,
    UnixSeconds now, std::string_view certificate_thumbprint);

// Remembers an access token issued in `family`, for revoke_family (family_revocation.h);
// invalid_grant when the family was revoked meanwhile (issue_in_family too, for its refresh token).
boost::asio::awaitable<std::expected<void, OAuthError>> record_in_family(ServerContext& context,
                                                                         std::string_view family,
                                                                         const AccessToken& token);

struct NewRefreshToken {
  std::string token;          // for the client, once
  RefreshTokenRecord record;  // for the store: its hash
};

// A refresh token of the grant's family, of the client's refresh lifetime.
NewRefreshToken new_refresh_token(const Client& client, FamilyGrant grant, UnixSeconds now);

}  // namespace gatehouse::keymanager
