// POST /oauth2/revoke (RFC 7009), for the client the token was issued to:
//   a refresh token revokes its whole family (every refresh token rotated from the same grant);
//   an access token (a JWT or an opaque one) is recorded as revoked by its jti until it expires,
//   and passed to the RevocationCallback, through which the gateway refuses it on every worker;
//   an opaque one also leaves the table of live opaque tokens, so that no worker resolves it
//   again.
// 200 also for a token that is unknown, malformed or expired already (section 2.2: the client
// cannot do anything about it). A token of another client is refused with unauthorized_client
// (section 2.1 requires a refusal and names no code; this is the one that says why).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "keymanager/server/oauth_message.h"
#include "keymanager/server/server_context.h"

namespace gatehouse::keymanager {

class RevocationEndpoint {
 public:
  explicit RevocationEndpoint(ServerContext& context) : context_(context) {}

  boost::asio::awaitable<OAuthAnswer> handle(const OAuthRequest& request) const;

 private:
  boost::asio::awaitable<std::expected<void, OAuthError>> revoke_access_token(
      const Client& client, std::string_view token, const boost::json::object& claims,
      UnixSeconds now) const;
  boost::asio::awaitable<std::expected<void, OAuthError>> revoke_refresh_token(
      const Client& client, std::string_view token) const;

  ServerContext& context_;
};

}  // namespace gatehouse::keymanager
