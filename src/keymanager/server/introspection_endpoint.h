// POST /oauth2/introspect (RFC 7662), for any client authenticated by its secret (a resource
// server asks about tokens issued to others; a public client is refused, invalid_client). The
// answer is {"active": false} for anything not valid now: unknown, malformed, expired, revoked, a
// used refresh token; a valid token's answer says what it grants:
//   access token (a JWT or an opaque one): active, scope, client_id, sub, aud, exp, iat, iss, jti,
//                         cnf when bound, token_type "Bearer"
//   refresh token:        active, scope, client_id, sub, exp, iat, iss, token_type "refresh_token"
// token_type_hint is not needed: a token is looked for among the access tokens first (JWTs have
// dots, opaque ones are in memory), then among the refresh tokens (which never have dots).
#pragma once

#include <boost/asio/awaitable.hpp>

#include "keymanager/server/oauth_message.h"
#include "keymanager/server/server_context.h"

namespace gatehouse::keymanager {

class IntrospectionEndpoint {
 public:
  explicit IntrospectionEndpoint(ServerContext& context) : context_(context) {}

  boost::asio::awaitable<OAuthAnswer> handle(const OAuthRequest& request) const;

 private:
  ServerContext& context_;
};

}  // namespace gatehouse::keymanager
